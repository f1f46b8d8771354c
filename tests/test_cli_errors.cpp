// End-to-end tests of the `traincost` command line's errors and exit statuses: bad
// data files (exit 1) and bad usage (exit 2), each message naming the offending
// file, field or option.
//
// Contract: 0 = ok, 1 = bad data file, 2 = bad usage. An error is exactly one
// line on stderr starting "traincost: error:", with nothing on stdout.
#include <initializer_list>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "test_support.hpp"

using nlohmann::json;
using test_support::CliResult;
using test_support::count_lines;
using test_support::kSmallEstimate;
using test_support::llama_config;
using test_support::mixtral_config;
using test_support::q;
using test_support::read_json;
using test_support::run_cli;
using test_support::TempDir;

namespace {

// Checks the error contract and that the message contains every needle.
void check_error(const CliResult& r, int status, std::initializer_list<std::string> needles) {
  INFO("stderr: " << r.err);
  INFO("stdout: " << r.out);
  CHECK(r.status == status);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("traincost: error: ", 0) == 0);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.back() == '\n');
  for (const auto& n : needles) {
    INFO("expected in the message: " << n);
    CHECK(r.err.find(n) != std::string::npos);
  }
}


}  // namespace

// ------------------------------------------------------------ bad data files

TEST_CASE("cli: --model files that are not a JSON object exit 1 naming the file", "[cli]") {
  TempDir dir;
  const std::string llama = llama_config().dump(2);
  struct Case {
    const char* name;
    std::string content;
    const char* needle;
  };
  const Case cases[] = {
      {"truncated.json", llama.substr(0, llama.size() / 2), "not valid JSON"},
      {"text.json", "this is not json\n", "not valid JSON"},
      {"empty.json", "", "empty file"},
      {"array.json", "[1, 2, 3]\n", "top level must be a JSON object (got array)"},
      {"null.json", "null\n", "top level must be a JSON object (got null)"},
      {"number.json", "42\n", "top level must be a JSON object (got number)"},
      {"nan-literal.json", "{\"model_type\": \"llama\", \"hidden_size\": NaN}", "not valid JSON"},
      {"overflow.json", "{\"model_type\": \"llama\", \"hidden_size\": 1e400}", "not valid JSON"},
      {"object-without-kind.json", "{\"foo\": 1}", "not a model description"},
  };
  for (const auto& c : cases) {
    INFO("file: " << c.name);
    const std::string path = dir.write(c.name, c.content);
    check_error(run_cli("params --model " + q(path)), 1, {path, c.needle});
  }
}

TEST_CASE("cli: a config without a required key names the key", "[cli]") {
  TempDir dir;
  json cfg = llama_config();
  cfg.erase("hidden_size");
  const std::string path = dir.write_json("no-hidden.json", cfg);
  check_error(run_cli("params --model " + q(path)), 1, {path, "'hidden_size'", "required"});
  check_error(run_cli("estimate --model " + q(path) + " --hardware h100-sxm --tokens 1e12"), 1, {"'hidden_size'"});
}

TEST_CASE("cli: out-of-range sizes in a config name the field and the range", "[cli]") {
  TempDir dir;
  struct Case {
    const char* name;
    const char* key;
    json value;
    const char* needle;
  };
  const Case cases[] = {
      {"negative.json", "hidden_size", -4096, "out of range"},
      {"zero.json", "hidden_size", 0, "out of range"},
      {"nan-string.json", "hidden_size", "nan", "whole number"},
      {"fraction.json", "hidden_size", 4096.5, "whole number"},
      {"absurd.json", "hidden_size", 1e12, "1..1000000"},
      {"no-layers.json", "num_hidden_layers", 0, "out of range"},
      {"bool-vocab.json", "vocab_size", true, "whole number"},
  };
  for (const auto& c : cases) {
    INFO("file: " << c.name);
    json cfg = llama_config();
    cfg[c.key] = c.value;
    const std::string path = dir.write_json(c.name, cfg);
    check_error(run_cli("params --model " + q(path)), 1, {std::string("'") + c.key + "'", c.needle});
  }
}

TEST_CASE("cli: num_experts_per_tok above num_local_experts is named", "[cli]") {
  TempDir dir;
  json cfg = mixtral_config();
  cfg["num_experts_per_tok"] = 9;
  const std::string path = dir.write_json("mixtral-top9.json", cfg);
  check_error(run_cli("params --model " + q(path)), 1, {"num_experts_per_tok", "num_local_experts", "8"});
}

TEST_CASE("cli: a missing file, a directory without config.json, a directory as a file", "[cli]") {
  TempDir dir;
  const std::string missing = dir.path("missing.json");
  check_error(run_cli("params --model " + q(missing)), 1, {missing, "no such file"});
  const std::string empty = dir.mkdir("empty-dir");
  check_error(run_cli("params --model " + q(empty)), 1, {empty, "config.json"});
  // A hardware profile path and a preset's hf_config that are directories.
  check_error(run_cli("estimate --model llama-3.1-8b --hardware " + q(empty + "/") + " --tokens 1e12"), 1,
              {"is a directory"});
  const std::string wrapper = dir.write_json("wrapper.json", json{{"name", "w"}, {"hf_config", "empty-dir"}});
  check_error(run_cli("params --model " + q(wrapper)), 1, {"empty-dir", "is a directory"});
  const std::string dangling = dir.write_json("dangling.json", json{{"name", "w"}, {"hf_config", "nope.json"}});
  check_error(run_cli("params --model " + q(dangling)), 1, {"nope.json"});
}

TEST_CASE("cli: an unknown model_type without the standard keys is rejected", "[cli]") {
  TempDir dir;
  const std::string path = dir.write_json("frob.json", json{{"model_type", "frobnet"}, {"foo", 1}});
  check_error(run_cli("params --model " + q(path)), 1, {"model_type 'frobnet'", "hidden_size", "llama"});
}

TEST_CASE("cli: a hardware profile with a bad peak names the field", "[cli]") {
  TempDir dir;
  json hw = read_json("hwprofiles/h100-sxm.json");
  hw["peak_dense_tflops"]["bf16"] = -5;
  const std::string path = dir.write_json("bad-h100.json", hw);
  check_error(run_cli("estimate --model llama-3.1-8b --hardware " + q(path) + " --tokens 1e12"), 1,
              {path, "peak_dense_tflops.bf16"});
}

TEST_CASE("cli: a model that cannot fit says how many GPUs it needs", "[cli]") {
  SECTION("with a plan search: no plan fits, and the first doubled cluster that does is named") {
    const CliResult r = run_cli("estimate --model llama-3.1-405b --hardware h100-sxm --tokens 1e12 --gpus 8");
    check_error(r, 1, {"no parallel plan fits", "doubling the cluster, the first size that fits is"});
    const auto pos = r.err.find("fits is ");
    REQUIRE(pos != std::string::npos);
    const long need = std::stol(r.err.substr(pos + 8));
    CHECK(need == 128);  // 405B x 16 B of model states = 6.5 TB; 72 GB usable per GPU needs ~90 -> 128
    CHECK(need > 8);
    CHECK(run_cli("estimate --model llama-3.1-405b --hardware h100-sxm --tokens 1e12 --gpus " + std::to_string(need)).status == 0);
  }
  // At a given --mfu no plan is searched: the floor is the model states fully sharded.
  const std::string base = "estimate --model llama-3.1-405b --hardware h100-sxm --tokens 1e12 --mfu 0.4 --gpus ";
  const CliResult r = run_cli(base + "8");
  check_error(r, 1, {"does not fit", "use at least"});
  const auto pos = r.err.find("use at least ");
  REQUIRE(pos != std::string::npos);
  const long need = std::stol(r.err.substr(pos + 13));
  CHECK(need > 8);
  // The count it names is the smallest that works.
  CHECK(run_cli(base + std::to_string(need)).status == 0);
  check_error(run_cli(base + std::to_string(need - 1)), 1, {"does not fit"});
}

// ----------------------------------------------------------------- bad usage

TEST_CASE("cli: unknown hardware and model ids list the known ones", "[cli]") {
  check_error(run_cli("estimate --model llama-3.1-8b --hardware nosuchchip --tokens 1e12"), 2,
              {"--hardware", "nosuchchip", "h100-sxm", "h800", "mi300x"});
  check_error(run_cli("estimate --model nosuchmodel --hardware h100-sxm --tokens 1e12"), 2,
              {"--model", "nosuchmodel", "deepseek-v3", "llama-3.1-8b"});
  check_error(run_cli("hardware show nosuchchip"), 2, {"nosuchchip", "h100-sxm"});
}

TEST_CASE("cli: bad --tokens values", "[cli]") {
  for (const char* v : {"abc", "-5", "0", "nan", "inf", "1e30", "''"}) {
    INFO("--tokens " << v);
    check_error(run_cli(kSmallEstimate + "--tokens " + v), 2, {"--tokens", "1e+16"});
  }
  check_error(run_cli(kSmallEstimate + "--tokens 12X"), 2, {"--tokens", "suffix 'X'", "K, M, B/G, T"});
}

TEST_CASE("cli: bad --gpus values", "[cli]") {
  for (const char* v : {"0", "-5", "1.5", "abc", "99999999999999999999"}) {
    INFO("--gpus " << v);
    check_error(run_cli(kSmallEstimate + "--tokens 1e12 --gpus " + v), 2, {"--gpus", "1..10000000"});
  }
}

TEST_CASE("cli: bad --mfu values", "[cli]") {
  for (const char* v : {"0", "1.5", "-0.1", "abc"}) {
    INFO("--mfu " << v);
    check_error(run_cli(kSmallEstimate + "--tokens 1e12 --mfu " + v), 2, {"--mfu", "(0, 1]"});
  }
}

TEST_CASE("cli: --precision must be known and have a peak on the chip", "[cli]") {
  check_error(run_cli("estimate --model llama-3.1-8b --hardware a100-80gb --tokens 1e12 --precision fp8"), 2,
              {"--precision", "fp8", "a100-80gb", "bf16", "fp16", "tf32"});
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --precision int3"), 2, {"--precision", "int3", "bf16", "fp8"});
  check_error(run_cli("estimate --model llama-3.1-8b --hardware ascend-910b --tokens 1e12"), 2,
              {"ascend-910b", "peak"});
}

TEST_CASE("cli: other bad option values name the option and the allowed values", "[cli]") {
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --format xml"), 2, {"--format", "xml", "table", "json"});
  check_error(run_cli("params --model llama-3.1-8b --format xml"), 2, {"--format", "json"});
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --seq-len 0"), 2, {"--seq-len", "1..100000000"});
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --pue 0.5"), 2, {"--pue", "[1, 3]"});
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --price-per-gpu-hour -1"), 2, {"--price-per-gpu-hour"});
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --attention sideways"), 2, {"--attention", "causal", "full"});
  check_error(run_cli("flops --model llama-3.1-8b --recompute sometimes"), 2, {"--recompute", "selective"});
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --published nosuchrun"), 2, {"--published", "nosuchrun"});
  // --days sizes the cluster only when --gpus is not given, and only for a derived plan.
  check_error(run_cli("estimate --model llama-3.1-8b --hardware h100-sxm --tokens 1e12 --gpus 64 --days 30"), 2,
              {"--days", "--gpus"});
  check_error(run_cli("estimate --model llama-3.1-8b --hardware h100-sxm --tokens 1e12 --mfu 0.4 --days 30"), 2,
              {"--days", "--mfu"});
  check_error(run_cli("estimate --model llama-3.1-8b --hardware h100-sxm --tokens 1e12 --days 0"), 2, {"--days"});
  check_error(run_cli("estimate --model llama-3.1-8b --hardware h100-sxm --tokens 1e12 --mfu 0.4 "
                      "--global-batch-tokens 4194304"), 2, {"--global-batch-tokens", "--mfu"});
}

TEST_CASE("cli: unknown or missing commands and options", "[cli]") {
  check_error(run_cli("frobnicate"), 2, {"frobnicate", "estimate", "params", "hardware"});
  check_error(run_cli(""), 2, {"command", "estimate"});
  check_error(run_cli("hardware frob"), 2, {"frob", "list", "show"});
  check_error(run_cli("hardware"), 2, {"list", "show"});
  check_error(run_cli("estimate --model llama-3.1-8b --hardware h100-sxm"), 2, {"--tokens", "required"});
  check_error(run_cli(kSmallEstimate + "--tokens"), 2, {"--tokens"});
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --frobnicate"), 2, {"--frobnicate"});
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --tokens 2e12"), 2, {"--tokens"});
  check_error(run_cli("params --model ''"), 2, {"--model", "empty"});
}

// ------------------------------------------------------------ the bad-input sweep (scripts/bad-input-sweep.py)

TEST_CASE("cli: an option given with an empty value is refused, never read as not given", "[cli]") {
  // Each of these used to run as if the option were absent (exit 0 with a default).
  const std::string run = kSmallEstimate + "--tokens 1e12 --gpus 64 ";
  for (const char* opt : {"--gpus", "--mfu", "--pue", "--price-per-gpu-hour", "--grid-kgco2-per-kwh", "--samples",
                          "--global-batch-tokens", "--moe-imbalance", "--plan", "--published"}) {
    INFO(opt);
    const std::string base = std::string(opt) == "--gpus" ? kSmallEstimate + "--tokens 1e12 " : run;
    check_error(run_cli(base + opt + " ''"), 2, {opt, "empty"});
  }
  check_error(run_cli("estimate --model llama-3.1-8b --hardware h100-sxm --tokens 1e12 --days ''"), 2, {"--days", "empty"});
  check_error(run_cli("plan --model llama-3.1-8b --hardware h100-sxm --tokens 1e12 --gpus 64 --global-batch-tokens ''"), 2,
              {"--global-batch-tokens", "empty"});
  check_error(run_cli("check --model llama-3.1-8b --hardware h100-sxm --tokens 15T --claimed-gpu-hours 1.46M "
                      "--claimed-days ''"), 2, {"--claimed-days", "empty"});
  check_error(run_cli("budget --usd 5M --hardware h100-sxm --days ''"), 2, {"--days", "empty"});
  check_error(run_cli("budget --model llama-3.1-8b --tokens 1T --days 60 --hardware ''"), 2, {"--hardware", "empty"});
  check_error(run_cli("budget --model llama-3.1-8b --tokens 1T --days 60 --max-gpus ''"), 2, {"--max-gpus", "empty"});
}

TEST_CASE("cli: plan names --hardware for an unknown id or a missing profile", "[cli]") {
  check_error(run_cli("plan --model llama-3.1-8b --hardware nosuch --tokens 1e12 --gpus 64"), 2,
              {"--hardware", "nosuch", "h100-sxm"});
}

TEST_CASE("cli: a missing --model or --hardware file names the option", "[cli]") {
  TempDir dir;
  const std::string missing = dir.path("missing.json");
  check_error(run_cli("params --model " + q(missing)), 1, {"--model", missing, "no such file"});
  check_error(run_cli("estimate --model llama-3.1-8b --hardware " + q(missing) + " --tokens 1e12 --mfu 0.4"), 1,
              {"--hardware", missing, "no such file"});
}

TEST_CASE("cli: --plan errors name --plan, and --plan with --mfu is refused", "[cli]") {
  check_error(run_cli("plan --model llama-3.1-8b --hardware h100-sxm --tokens 1e12 --gpus 64 --plan recompute=sometimes"),
              2, {"--plan", "recompute=sometimes", "selective"});
  // --plan pins the derived plan; with --mfu it used to be ignored silently.
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --gpus 64 --mfu 0.4 --plan tp=8,pp=1,dp=8"), 2, {"--plan", "--mfu"});
  // --recompute beside --plan: the plan carries its own setting (one place, not two).
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --gpus 64 --recompute full --plan tp=8,pp=1,dp=8"), 2,
              {"--recompute", "--plan", "recompute="});
  // recompute=moe on a dense model names the missing MoE blocks, on every path.
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --gpus 64 --recompute moe"), 2, {"--recompute moe", "MoE blocks"});
  check_error(run_cli("flops --model llama-3.1-8b --recompute moe"), 2, {"--recompute moe", "MoE blocks"});
  check_error(run_cli("plan --model llama-3.1-8b --hardware h100-sxm --tokens 1e12 --gpus 8 --plan tp=1,pp=1,dp=8,recompute=moe"),
              2, {"recompute=moe", "dense model"});
}

TEST_CASE("cli: validate --only names --only for an unknown or empty run id", "[cli]") {
  check_error(run_cli("validate --only nosuchrun"), 2, {"--only", "nosuchrun", "known"});
  check_error(run_cli("validate --only llama-2-7b,,llama-2-7b"), 2, {"--only", "empty run id"});
}

TEST_CASE("cli: calibrate --date must be a calendar day", "[cli]") {
  TempDir dir;
  const std::string out = q(dir.path("cal.json"));
  for (const char* d : {"yesterday", "2026-13-01", "2026-02-30", "2026-1-1", "1900-01-01"}) {
    INFO("--date " << d);
    check_error(run_cli(std::string("calibrate --no-loo --out ") + out + " --date " + d), 2, {"--date", "YYYY-MM-DD"});
  }
}

TEST_CASE("cli: serve names --host when it cannot bind the address", "[cli]") {
  check_error(run_cli("serve --host 999.1.1.1 --port 0"), 2, {"--host", "999.1.1.1"});
}

TEST_CASE("cli: fewer --tokens than one sequence or one optimizer step is refused", "[cli]") {
  check_error(run_cli(kSmallEstimate + "--tokens 1000 --gpus 64"), 2, {"--tokens", "--seq-len 4096"});
  check_error(run_cli(kSmallEstimate + "--tokens 1000 --mfu 0.4"), 2, {"--tokens", "--seq-len 4096"});
  check_error(run_cli(kSmallEstimate + "--tokens 1e6 --gpus 64 --global-batch-tokens 4194304"), 2,
              {"--tokens", "--global-batch-tokens 4194304"});
  check_error(run_cli("plan --model llama-3.1-8b --hardware h100-sxm --tokens 1e6 --gpus 64 --global-batch-tokens 4194304"),
              2, {"--tokens", "--global-batch-tokens 4194304"});
  check_error(run_cli("check --model llama-3.1-8b --hardware h100-sxm --tokens 10 --claimed-gpu-hours 1"), 2,
              {"--tokens", "--seq-len"});
  check_error(run_cli("compare --model mixtral-8x7b --hardware h100-sxm --tokens 10"), 2, {"--tokens", "--seq-len"});
  check_error(run_cli("compare-hardware --model llama-3.1-8b --hardware h100-sxm --tokens 10 --gpus 8"), 2,
              {"--tokens", "--seq-len"});
  check_error(run_cli("budget --model llama-3.1-8b --tokens 10 --days 60 --hardware h100-sxm"), 2, {"--tokens", "--seq-len"});
  CHECK(run_cli(kSmallEstimate + "--tokens 4096 --mfu 0.4").status == 0);  // one sequence is a run
}

TEST_CASE("cli: values so small they print as 0 or blow results up to 1e300 are refused", "[cli]") {
  check_error(run_cli(kSmallEstimate + "--tokens 1e12 --gpus 64 --mfu 1e-300"), 2, {"--mfu", "(0, 1]", "0.001"});
  check_error(run_cli("budget --usd 1e-300 --hardware h100-sxm"), 2, {"--usd", ">= 1"});
  check_error(run_cli("budget --gpu-hours 0.5 --hardware h100-sxm"), 2, {"--gpu-hours", ">= 1"});
  check_error(run_cli("export --cap-tpp 1e-300"), 2, {"--cap-tpp", "[1, 1e+15]"});
}

TEST_CASE("cli: a traincost.model.v1 gqa block needs num_kv_heads that divides num_heads", "[cli]") {
  TempDir dir;
  json spec = {{"format", "traincost.model.v1"}, {"hidden_size", 4096}, {"num_layers", 32}, {"vocab_size", 50432},
               {"ffn", {{"activation", "gelu"}, {"intermediate_size", 16384}}}};
  spec["attention"] = {{"type", "gqa"}, {"num_heads", 32}};  // used to count as MHA
  check_error(run_cli("params --model " + q(dir.write_json("gqa.json", spec))), 1, {"num_kv_heads"});
  spec["attention"]["num_kv_heads"] = 3;  // used to name HF's num_key_value_heads
  check_error(run_cli("params --model " + q(dir.write_json("gqa3.json", spec))), 1, {"num_kv_heads", "divide"});
}

TEST_CASE("cli: an unknown option is named before a missing required one", "[cli]") {
  // CLI11 alone said "--model is required" for a misspelt --model.
  check_error(run_cli("params --modle llama-3.1-8b"), 2, {"unknown option '--modle'", "traincost params"});
  check_error(run_cli("estimate --model llama-3.1-8b --hardware h100-sxm --tokns 1T"), 2, {"--tokns"});
}

TEST_CASE("cli: report names --compare-hardware for a bad or empty list", "[cli]") {
  TempDir dir;
  const std::string base = "report --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --no-validation "
                           "--samples 10 --out " + q(dir.path("r.html"));
  check_error(run_cli(base + " --compare-hardware nosuch"), 2, {"--compare-hardware", "nosuch"});
  check_error(run_cli(base + " --compare-hardware ,"), 2, {"--compare-hardware", "names no accelerator"});
}

TEST_CASE("cli: report on a run of a few sequences leaves the curve points under one sequence out", "[cli]") {
  TempDir dir;
  const auto r = run_cli("report --model llama-3.1-8b --hardware h100-sxm --gpus 8 --tokens 8192 --no-validation "
                         "--samples 10 --out " + q(dir.path("r.html")));
  INFO(r.err);
  CHECK(r.status == 0);
}

TEST_CASE("cli: an HF config with an empty model_type names the field", "[cli]") {
  TempDir dir;
  json cfg = llama_config();
  cfg["model_type"] = "";  // was read by the generic reader and printed as "m (, 32 layers"
  check_error(run_cli("params --model " + q(dir.write_json("empty-type.json", cfg))), 1, {"model_type", "empty"});
}

TEST_CASE("cli: report names --model for a config file it cannot read", "[cli]") {
  TempDir dir;
  const std::string missing = dir.path("missing.json");
  check_error(run_cli("report --model " + q(missing) + " --hardware h100-sxm --gpus 64 --tokens 1T --no-validation "
                      "--out " + q(dir.path("r.html"))), 1, {"--model", missing});
}

TEST_CASE("cli: a dense family's config with expert or MLA keys is refused, not counted as its dense trunk", "[cli]") {
  TempDir dir;
  json cfg = mixtral_config();
  cfg["model_type"] = "mistral";  // Mixtral 8x7B under a dense label: was counted as 7.2B with no warning
  check_error(run_cli("params --model " + q(dir.write_json("mislabelled.json", cfg))), 1,
              {"model_type 'mistral'", "num_local_experts", "--assume-family"});
  json llama = llama_config();
  llama["kv_lora_rank"] = 512;
  check_error(run_cli("params --model " + q(dir.write_json("llama-mla.json", llama))), 1, {"kv_lora_rank", "latent"});
  llama = llama_config();
  llama["num_local_experts"] = 0;  // "not used" spelt as 0 still reads
  CHECK(run_cli("params --model " + q(dir.write_json("llama-zero.json", llama))).status == 0);
}

TEST_CASE("cli: --published must record the run estimated: the same model and token count", "[cli]") {
  // Both used to print the record's figures with an "error" column against an unrelated run (-98.7%).
  check_error(run_cli(kSmallEstimate + "--tokens 14.8T --gpus 64 --mfu 0.4 --published deepseek-v3"), 2,
              {"--published", "deepseek-v3", "parameters"});
  check_error(run_cli("estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 1T --precision fp8 --mfu 0.3 "
                      "--published deepseek-v3"), 2, {"--published", "--tokens 1.48e+13"});
  CHECK(run_cli("estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8T --precision fp8 --mfu 0.3 "
                "--published deepseek-v3").status == 0);
}
