// End-to-end tests of the `traincost` command line: exit statuses, one-line
// error messages that name the offending field or option, and the JSON reports.
//
// Contract: 0 = ok, 1 = bad data file, 2 = bad usage. An error is exactly one
// line on stderr starting "traincost: error:", with nothing on stdout.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <regex>
#include <sstream>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using nlohmann::json;
using test_support::CliResult;
using test_support::run_cli;
using test_support::read_json;
using test_support::run_json;

namespace {

namespace fs = std::filesystem;

// A scratch directory removed at the end of the test case.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("traincost_cli_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `content` to `name` inside the directory; returns the full path.
  std::string write(const std::string& name, const std::string& content) const {
    const fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << content;
    return p.string();
  }
  std::string write_json(const std::string& name, const json& j) const { return write(name, j.dump(2)); }
  std::string mkdir(const std::string& name) const {
    fs::create_directories(path_ / name);
    return (path_ / name).string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// Single-quotes a path for the shell (the temp paths hold no quotes).
std::string q(const std::string& s) { return "'" + s + "'"; }


json llama_config() { return read_json("models/hf/meta-llama-3.1-8b.json"); }
json mixtral_config() { return read_json("models/hf/mixtral-8x7b-v0.1.json"); }

std::size_t count_lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

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


void require_keys(const json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    INFO("key: " << k);
    CHECK(j.contains(k));
  }
}

bool near_rel(double a, double b, double rel = 1e-9) { return std::fabs(a - b) <= rel * std::fabs(b); }

const std::string kSmallEstimate = "estimate --model llama-3.1-8b --hardware h100-sxm ";

}  // namespace

// ---------------------------------------------------------------- good paths

TEST_CASE("cli: --help and --version exit 0 with text on stdout", "[cli]") {
  const CliResult help = run_cli("--help");
  CHECK(help.status == 0);
  CHECK(help.out.find("estimate") != std::string::npos);
  CHECK(help.out.find("params") != std::string::npos);
  const CliResult version = run_cli("--version");
  CHECK(version.status == 0);
  CHECK(version.out.find("traincost") != std::string::npos);
}

TEST_CASE("cli: params deepseek-v3 --format json", "[cli]") {
  const json j = run_json("params --model deepseek-v3 --format json");
  require_keys(j, {"total_params", "active_params", "active_params_excl_input_embedding", "active_params_nonembedding",
                   "breakdown"});
  CHECK(j.at("total_params").get<std::int64_t>() == 671026419200);
  const json& b = j.at("breakdown");
  require_keys(b, {"embedding", "output_head", "attention", "dense_ffn", "routed_experts", "shared_experts", "router",
                   "norms", "mtp"});
  // The headline total is the sum of the main-model components (MTP apart).
  std::int64_t sum = 0;
  for (const char* k : {"embedding", "position_embedding", "output_head", "attention", "dense_ffn", "routed_experts",
                        "shared_experts", "router", "norms"})
    sum += b.value(k, json::object()).value("total", std::int64_t{0});
  CHECK(sum == j.at("total_params").get<std::int64_t>());
  CHECK(b.at("mtp").at("total").get<std::int64_t>() > 0);
  CHECK(j.at("active_params").get<std::int64_t>() < j.at("total_params").get<std::int64_t>());
  CHECK(j.at("active_params_nonembedding").get<std::int64_t>() <
        j.at("active_params_excl_input_embedding").get<std::int64_t>());
}

namespace {
// Checks the keys of an estimate report and its arithmetic for --mfu/--price.
void check_estimate(const json& j, double peak, double mfu, std::int64_t gpus, double price) {
  require_keys(j, {"model", "hardware", "precision", "tokens", "gpus", "total_params", "active_params", "training_flops",
                   "mfu", "gpu_hours", "wall_clock_days", "cost_usd", "energy_mwh", "co2_tonnes"});
  CHECK(j.at("mfu").get<double>() == mfu);
  CHECK(j.at("gpus").get<std::int64_t>() == gpus);
  const double flops = j.at("training_flops").get<double>();
  const double hours = j.at("gpu_hours").get<double>();
  CHECK(flops > 0);
  CHECK(near_rel(hours, flops / (peak * mfu * 3600.0)));
  CHECK(near_rel(j.at("cost_usd").get<double>(), hours * price));
  CHECK(near_rel(j.at("wall_clock_days").get<double>(), hours / static_cast<double>(gpus) / 24.0));
  CHECK(j.at("energy_mwh").get<double>() > 0);
  CHECK(j.at("co2_tonnes").get<double>() > 0);
}
}  // namespace

TEST_CASE("cli: estimate deepseek-v3 on 2048 H800 in fp8", "[cli]") {
  const json j = run_json(
      "estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8e12 --precision fp8 --mfu 0.2 "
      "--format json");
  check_estimate(j, 1979e12, 0.2, 2048, 2.0);  // h800's profile price is DeepSeek's assumed $2/GPU-hour
  CHECK(j.at("model").get<std::string>() == "deepseek-v3");
  CHECK(j.at("hardware").get<std::string>() == "h800");
  CHECK(j.at("precision").get<std::string>() == "fp8");
  CHECK(j.at("tokens").get<double>() == 14.8e12);
  CHECK(j.at("total_params").get<std::int64_t>() == 671026419200);
}

TEST_CASE("cli: estimate llama-3.1-405b on 16384 H100", "[cli]") {
  SECTION("fp8, --mfu 0.2, --price-per-gpu-hour 2") {
    const json j = run_json(
        "estimate --model llama-3.1-405b --hardware h100-sxm --gpus 16384 --tokens 15.6e12 --precision fp8 --mfu 0.2 "
        "--price-per-gpu-hour 2 --format json");
    check_estimate(j, 1979e12, 0.2, 16384, 2.0);
    CHECK(j.at("model").get<std::string>() == "llama-3.1-405b");
    CHECK(j.at("hardware").get<std::string>() == "h100-sxm");
  }
  SECTION("bf16 without --mfu: the MFU comes from the best plan, GPU-hours include goodput and run efficiency") {
    const json j = run_json(
        "estimate --model llama-3.1-405b --hardware h100-sxm --gpus 16384 --tokens 15.6e12 --format json");
    CHECK(j.at("precision").get<std::string>() == "bf16");
    CHECK(j.at("mfu_source").get<std::string>().rfind("derived", 0) == 0);
    REQUIRE(j.at("plan").is_string());
    const double mfu = j.at("mfu").get<double>();
    CHECK(mfu > 0.25);
    CHECK(mfu < 0.65);  // default batch (fitted on published batches: 21M tokens, Meta used 16M)
    const double goodput = j.at("goodput").get<double>(), run_eff = j.at("run_efficiency").get<double>();
    CHECK(goodput > 0.8);
    CHECK(goodput < 1.0);
    CHECK(j.at("gpu_hours").get<double>() ==
          Approx(j.at("training_flops").get<double>() / (989.5e12 * mfu * 3600.0) / (goodput * run_eff)).epsilon(1e-9));
  }
  SECTION("without --gpus: the sizing rule's cluster, named in the JSON, and the same days as plan on it") {
    const json j = run_json("estimate --model llama-3.1-405b --hardware h100-sxm --tokens 15.6e12 --format json");
    CHECK(j.at("mfu_source").get<std::string>().rfind("derived", 0) == 0);
    CHECK(j.at("gpus_assumed").get<bool>());
    CHECK(j.at("gpus_rule").get<std::string>().find("GPU count not given") != std::string::npos);
    REQUIRE(j.at("gpus").is_number_integer());
    const std::int64_t gpus = j.at("gpus").get<std::int64_t>();
    // Sizes are 2^k or 3·2^k (perf/sizing.hpp).
    std::int64_t odd = gpus;
    while (odd % 2 == 0) odd /= 2;
    CHECK((odd == 1 || odd == 3));
    const double days = j.at("wall_clock_days").get<double>();
    CHECK(days == Approx(j.at("gpu_hours").get<double>() / static_cast<double>(gpus) / 24.0).epsilon(1e-12));
    const json p = run_json(fmt::format("plan --model llama-3.1-405b --hardware h100-sxm --tokens 15.6e12 --gpus {} "
                                        "--format json", gpus));
    CHECK(p.at("best").at("wall_clock_days").get<double>() == Approx(days).epsilon(1e-9));
    CHECK(p.at("best").at("gpu_hours").get<double>() == Approx(j.at("gpu_hours").get<double>()).epsilon(1e-9));
    // The deadline moves the cluster: a 30-day target needs at least as many GPUs.
    const json fast = run_json("estimate --model llama-3.1-405b --hardware h100-sxm --tokens 15.6e12 --days 30 --format json");
    CHECK(fast.at("gpus").get<std::int64_t>() >= gpus);
  }
}

TEST_CASE("cli: a cluster that is not a power of two gets a default batch its plans divide", "[cli]") {
  // 440 A100s (MosaicML's MPT-7B cluster): a power-of-two default batch splits over no plan of
  // 440 = 8 x 55 GPUs, and the estimate used to fail with "no parallel plan fits".
  const json j = run_json("estimate --model llama-2-7b --hardware a100-40gb --gpus 440 --tokens 1T --format json");
  REQUIRE(j.at("plan").is_string());
  const std::string plan = j.at("plan").get<std::string>();
  CHECK(plan.find("dp=") != std::string::npos);
  CHECK(j.at("mfu").get<double>() > 0.2);
  const json p = run_json("plan --model llama-2-7b --hardware a100-40gb --gpus 440 --tokens 1T --format json");
  CHECK(p.at("global_batch_tokens").get<std::int64_t>() % (55 * 4096) == 0);
}

TEST_CASE("cli: --tokens 14.8T equals --tokens 14.8e12", "[cli]") {
  const std::string base = "estimate --model deepseek-v3 --hardware h800 --gpus 2048 --format json --tokens ";
  const CliResult a = run_cli(base + "14.8T");
  const CliResult b = run_cli(base + "14.8e12");
  REQUIRE(a.status == 0);
  REQUIRE(b.status == 0);
  CHECK(a.out == b.out);
  CHECK(json::parse(a.out).at("tokens").get<double>() == 14.8e12);
}

TEST_CASE("cli: a chip without a rental price needs --price-per-gpu-hour for dollars", "[cli]") {
  const std::string base = "estimate --model llama-3.1-8b --hardware h20 --gpus 64 --tokens 1e12 --format json";
  const json without = run_json(base);
  CHECK(without.at("cost_usd").is_null());
  bool noted = false;
  for (const auto& n : without.at("notes"))
    if (n.get<std::string>().find("--price-per-gpu-hour") != std::string::npos) noted = true;
  CHECK(noted);
  const json with = run_json(base + " --price-per-gpu-hour 2");
  REQUIRE(with.at("cost_usd").is_number());
  CHECK(near_rel(with.at("cost_usd").get<double>(), with.at("gpu_hours").get<double>() * 2.0));
}

TEST_CASE("cli: hardware list --format json lists the known accelerators", "[cli]") {
  const json j = run_json("hardware list --format json");
  REQUIRE(j.at("accelerators").is_array());
  std::set<std::string> ids;
  for (const auto& a : j.at("accelerators")) ids.insert(a.at("id").get<std::string>());
  for (const char* id : {"v100", "a100-40gb", "a100-80gb", "a800", "h100-sxm", "h100-pcie", "h800", "h20", "h200",
                         "b200", "gb200", "mi250x", "mi300x", "mi325x", "mi355x", "tpu-v3", "tpu-v4", "tpu-v5e",
                         "tpu-v5p", "tpu-v6e", "gaudi2", "gaudi3", "ascend-910b", "ascend-910c", "trainium2"}) {
    INFO("id: " << id);
    CHECK(ids.count(id) == 1);
  }
}

TEST_CASE("cli: hardware show h800 --format json", "[cli]") {
  const json j = run_json("hardware show h800 --format json");
  const json& s = j.at("summary");
  CHECK(s.at("id").get<std::string>() == "h800");
  CHECK(s.at("peak_dense_flops_per_s").at("fp8").get<double>() == 1979e12);
  CHECK(s.at("peak_dense_flops_per_s").at("bf16").get<double>() == 989.5e12);
  CHECK(s.at("memory_bytes").get<double>() == 80e9);
}

TEST_CASE("cli: models --format json lists the presets", "[cli]") {
  const json j = run_json("models --format json");
  REQUIRE(j.at("presets").is_array());
  std::set<std::string> names;
  for (const auto& p : j.at("presets")) names.insert(p.at("name").get<std::string>());
  for (const char* n : {"deepseek-v3", "deepseek-v2", "deepseek-llm-67b", "llama-3.1-8b", "llama-3.1-70b",
                        "llama-3.1-405b", "mixtral-8x7b", "qwen3-30b-a3b", "gpt-3-175b", "bloom-176b"}) {
    INFO("preset: " << n);
    CHECK(names.count(n) == 1);
  }
}

TEST_CASE("cli: flops llama-3.1-8b --format json", "[cli]") {
  const json f = run_json("flops --model llama-3.1-8b --format json");
  const json p = run_json("params --model llama-3.1-8b --format json");
  CHECK(f.at("seq_len").get<std::int64_t>() == 4096);
  const double matmul = f.at("matmul_flops_per_token").get<double>();
  // Training GEMMs: 6 FLOPs per active matmul weight per token (2 forward + 4 backward).
  CHECK(matmul == 6.0 * static_cast<double>(p.at("active_matmul_params").get<std::int64_t>()));
  CHECK(near_rel(f.at("model_flops_per_token").get<double>(),
                 matmul + f.at("attention_flops_per_token").get<double>() + f.at("mtp_flops_per_token").get<double>()));
  CHECK(f.at("attention_flops_per_token").get<double>() > 0);
}

TEST_CASE("cli: the same command prints the same output twice", "[cli]") {
  for (const std::string& args :
       {std::string("estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8T --precision fp8"),
        std::string("params --model mixtral-8x7b --format json")}) {
    INFO("traincost " << args);
    const CliResult a = run_cli(args);
    const CliResult b = run_cli(args);
    CHECK(a.status == 0);
    CHECK(!a.out.empty());
    CHECK(a.out == b.out);
    CHECK(a.err == b.err);
  }
}

TEST_CASE("cli: the table report of an estimate goes to stdout with no stderr", "[cli]") {
  const CliResult r = run_cli(kSmallEstimate + "--gpus 8 --tokens 1e12");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("GPU-hours") != std::string::npos);
}

TEST_CASE("cli: a model directory with a config.json loads under the directory's name", "[cli]") {
  TempDir dir;
  dir.write_json("my-llama/config.json", llama_config());
  const json j = run_json("params --model " + q(dir.path("my-llama")) + " --format json");
  CHECK(j.at("model").get<std::string>() == "my-llama");
  const json preset = run_json("params --model llama-3.1-8b --format json");
  CHECK(j.at("total_params") == preset.at("total_params"));
}

TEST_CASE("cli: an unknown model_type with the standard keys loads with a warning", "[cli]") {
  TempDir dir;
  json cfg = llama_config();
  cfg["model_type"] = "frobnet";
  const std::string path = dir.write_json("frobnet.json", cfg);
  const CliResult r = run_cli("params --model " + q(path) + " --format json");
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.rfind("traincost: warning: ", 0) == 0);
  CHECK(r.err.find("frobnet") != std::string::npos);
  CHECK(count_lines(r.err) == 1);
  const json j = json::parse(r.out);
  // Counted as the generic llama-style decoder: same numbers as Llama 3.1 8B.
  const json preset = run_json("params --model llama-3.1-8b --format json");
  CHECK(j.at("total_params") == preset.at("total_params"));
}

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

// ---- the README's examples are generated (scripts/update-readme.sh), never pasted

namespace {

struct ReadmeExample {
  std::string name, args, output;
};

// Every block "<!-- BEGIN name -->\n```\n$ build/estimator/traincost ARGS\n```\n```text\nOUTPUT```\n<!-- END name -->";
// "\\\n" continues ARGS on the next line.
std::vector<ReadmeExample> readme_examples() {
  std::ifstream in(test_support::source_path("README.md"));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string readme = ss.str();
  const std::string cmd_open = "```\n$ build/estimator/traincost ", cmd_close = "\n```\n```text\n";
  std::vector<ReadmeExample> out;
  for (std::size_t at = readme.find("<!-- BEGIN "); at != std::string::npos; at = readme.find("<!-- BEGIN ", at + 1)) {
    const std::size_t name_end = readme.find(" -->\n", at);
    REQUIRE(name_end != std::string::npos);
    ReadmeExample x;
    x.name = readme.substr(at + 11, name_end - at - 11);
    const std::size_t body = name_end + 5;
    if (readme.compare(body, cmd_open.size(), cmd_open) != 0) continue;  // output only (validate, leave-one-out)
    const std::size_t args_end = readme.find(cmd_close, body);
    const std::size_t end = readme.find("```\n<!-- END " + x.name + " -->", body);
    REQUIRE(args_end != std::string::npos);
    REQUIRE(end != std::string::npos);
    REQUIRE(args_end < end);
    x.args = std::regex_replace(readme.substr(body + cmd_open.size(), args_end - body - cmd_open.size()),
                                std::regex("\\\\\n\\s*"), " ");
    x.output = readme.substr(args_end + cmd_close.size(), end - args_end - cmd_close.size());
    out.push_back(x);
  }
  return out;
}

// `plan` prints the time its search took: the one number that changes between runs.
std::string without_timing(const std::string& s) {
  return std::regex_replace(s, std::regex("plans evaluated, ([0-9]+) fit in memory, [0-9.]+ ms"),
                            "plans evaluated, $1 fit in memory, (time) ms");
}

}  // namespace

TEST_CASE("cli: every README example is the output of the command shown above it", "[cli][readme]") {
  const std::vector<ReadmeExample> examples = readme_examples();
  std::set<std::string> names;
  for (const auto& x : examples) names.insert(x.name);
  // One example per command, the cheapest-hardware question included.
  for (const char* n : {"main-job", "plan", "check", "export", "compare", "uncertainty", "budget", "budget-cheapest",
                        "compare-hardware"})
    CHECK(names.count(n) == 1);
  for (const auto& x : examples) {
    INFO("README block " << x.name << ": traincost " << x.args << "\nregenerate with scripts/update-readme.sh");
    CHECK(x.args.find('\\') == std::string::npos);
    const CliResult r = run_cli(x.args);
    REQUIRE(r.status == 0);
    CHECK(without_timing(x.output) == without_timing(r.out));
  }
}

TEST_CASE("cli: figures the README's prose quotes from traincost's output are in its generated blocks", "[cli][readme]") {
  // Prose outside the code blocks may restate what a generated block prints, but then the
  // figure must be in one (so regenerating the blocks cannot leave the prose stale): plan
  // strings (tp=..,pp=.. or TPn, PPn), signed errors (+1.7%), and days and GPU-hours with
  // a decimal point. Inline code (a command, a --plan given as input) is not output and is
  // skipped; published and sourced figures are written without these forms.
  std::ifstream in(test_support::source_path("README.md"));
  std::string line, prose, blocks;
  bool inside = false;
  int number = 0;
  std::vector<std::pair<int, std::string>> prose_lines;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("```", 0) == 0) {
      inside = !inside;
      continue;
    }
    if (inside) blocks += line + "\n";
    else prose_lines.emplace_back(number, std::regex_replace(line, std::regex("`[^`]*`"), "`code`"));
  }
  const std::regex figure(R"((tp=\d+,pp=\d+[^\s`]*|\bTP\s?\d+,? PP\s?\d+|[+\x2d]\d+\.\d+%|\d+\.\d+ (days|GPU-hours)))");
  for (const auto& [n, text] : prose_lines)
    for (auto it = std::sregex_iterator(text.begin(), text.end(), figure); it != std::sregex_iterator(); ++it) {
      const std::string f = it->str();
      INFO("README.md:" << n << ": '" << f << "' is in no generated block (regenerate, or rewrite the prose)");
      CHECK(blocks.find(f) != std::string::npos);
    }
  // The rule has teeth: a stale figure is caught (the check runs over real lines above).
  const std::string stale = "costs DeepSeek-V3's run 16% (46.3 days against 39.9)";
  CHECK(std::regex_search(stale, figure));
  CHECK(blocks.find("46.3 days") == std::string::npos);
}

TEST_CASE("cli: --moe-imbalance is an input, shown wherever it applies", "[cli]") {
  // DeepSeek-V3 on 256 H100 with one plan pinned: the busiest rank's routed work (expert
  // GEMMs, permutation, all-to-all) scales with the imbalance, the rest of the step does not.
  const std::string base =
      "plan --model deepseek-v3 --hardware h100-sxm --gpus 256 --tokens 1T --precision fp8 --global-batch-tokens 4194304 "
      "--plan tp=1,pp=8,dp=32,ep=32,mb=1,recompute=full --format json";
  const json d = run_json(base);
  const json one = run_json(base + " --moe-imbalance 1");
  const json two = run_json(base + " --moe-imbalance 2");
  CHECK(d.at("moe_assumptions").at("imbalance").get<double>() == 1.25);  // the default, real routing
  CHECK(d.at("moe_assumptions").at("imbalance_is_default").get<bool>());
  CHECK(one.at("moe_assumptions").at("imbalance").get<double>() == 1.0);
  CHECK_FALSE(one.at("moe_assumptions").at("imbalance_is_default").get<bool>());
  const auto step = [](const json& j) { return j.at("best").at("step_time_s").get<double>(); };
  const auto part = [](const json& j, const char* k) { return j.at("best").at("time_breakdown_s").at(k).get<double>(); };
  CHECK(step(one) < step(d));
  CHECK(step(d) < step(two));
  // Permutation is wholly routed work: it scales exactly (2 / 1).
  CHECK(part(two, "moe_permute") == Approx(2.0 * part(one, "moe_permute")).epsilon(1e-9));
  // Attention is not routed: unchanged.
  CHECK(part(two, "attention") == Approx(part(one, "attention")).epsilon(1e-12));
  // The estimate shows what it applied, and bad values are usage errors naming the field.
  const CliResult est = run_cli("estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8T --precision fp8");
  REQUIRE(est.status == 0);
  CHECK(est.out.find("1.25x the mean tokens (default for real routing)") != std::string::npos);
  for (const char* bad : {"0.5", "nan", "-1", "9"}) {
    const CliResult r = run_cli(base + " --moe-imbalance " + bad);
    INFO(bad << ": " << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find("--moe-imbalance") != std::string::npos);
  }
  const CliResult with_mfu = run_cli("estimate --model deepseek-v3 --hardware h800 --tokens 14.8T --mfu 0.3 --moe-imbalance 1");
  CHECK(with_mfu.status == 2);
  // A dense model has no routing: said, not silently ignored.
  const CliResult dense = run_cli("plan --model llama-3.1-8b --hardware h800 --gpus 64 --tokens 1T --top 1 --moe-imbalance 2");
  CHECK(dense.status == 0);
  CHECK(dense.err.find("--moe-imbalance has no effect on a dense model") != std::string::npos);
}

TEST_CASE("cli: no silent truncation, duplicate plan keys, unwritten files or negative zero", "[cli]") {
  // A fraction of a token per step is refused, not truncated.
  const CliResult frac = run_cli("plan --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --global-batch-tokens 4194304.5");
  CHECK(frac.status == 2);
  CHECK(frac.err.find("--global-batch-tokens: 4194304.5 is not a whole number") != std::string::npos);
  // Suffixes still work for whole counts: 4M = 4,000,000 tokens is 976.5625 sequences of 4096, a usage error of its own.
  CHECK(run_cli("plan --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --global-batch-tokens 4M").err.find(
            "must be a multiple of --seq-len") != std::string::npos);
  // A key given twice in --plan is an error, not "the last one wins".
  const CliResult dup = run_cli("plan --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --plan tp=2,pp=1,tp=4");
  CHECK(dup.status == 2);
  CHECK(dup.err.find("--plan: 'tp' is given twice") != std::string::npos);
  CHECK(run_cli("plan --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --plan mb=1,micro_batch=2").status == 2);
  // calibrate reports a write it could not make.
  const CliResult out = run_cli("calibrate --no-loo --out /nonexistent-dir/calibrated.json");
  CHECK(out.status == 2);
  CHECK(out.err.find("--out: could not write /nonexistent-dir/calibrated.json") != std::string::npos);
  // -0 dollars print as $0.00.
  const CliResult zero = run_cli("estimate --model llama-3.1-8b --hardware h100-sxm --tokens 1T --mfu 0.4 --price-per-gpu-hour -0");
  REQUIRE(zero.status == 0);
  CHECK(zero.out.find("$-0") == std::string::npos);
  CHECK(zero.out.find("$0.00/GPU-hour") != std::string::npos);
}

TEST_CASE("cli: a device or FIFO as --model or --hardware is refused, not read forever", "[cli]") {
  for (const char* args : {"estimate --model /dev/zero --hardware h100-sxm --tokens 1T",
                           "estimate --model llama-3.1-8b --hardware /dev/zero --tokens 1T --mfu 0.4"}) {
    const CliResult r = run_cli(args);
    INFO(args << ": " << r.err);
    CHECK(r.status == 1);
    CHECK(r.err.find("/dev/zero: not a regular file") != std::string::npos);
  }
}

TEST_CASE("cli: overlong names and control characters never reach the filesystem", "[cli]") {
  const std::string long_name(5000, 'a');
  const std::string long_component = std::string(300, 'b') + ".json";
  struct Case { std::string args, expect; };
  const std::vector<Case> cases = {
      {"params --model " + long_name, "--model: 5000 bytes long"},
      {"params --model models/" + long_component, "--model: a path component of 305 bytes"},
      {"estimate --model llama-3.1-8b --tokens 1T --mfu 0.4 --hardware " + long_component, "--hardware: a path component"},
      {"hardware show " + long_name, "5000 bytes long"},
  };
  for (const auto& c : cases) {
    const CliResult r = run_cli(c.args);
    INFO(c.args.substr(0, 60) << ": " << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find(c.expect) != std::string::npos);
    CHECK(r.err.find("internal error") == std::string::npos);
  }
}

TEST_CASE("cli: serve with an empty --host is a usage error, not http://:PORT/", "[cli]") {
  const CliResult r = run_cli("serve --host '' --port 0");
  CHECK(r.status == 2);
  CHECK(r.err.find("--host: empty") != std::string::npos);
}

TEST_CASE("cli: control characters from a config print escaped, never raw to the terminal", "[cli]") {
  const std::string path = "/tmp/traincost_escape_" + std::to_string(::getpid()) + ".json";
  {
    std::ofstream f(path);
    f << R"({"model_type": "llama\u001b[31mRED", "hidden_size": 64})";
  }
  const CliResult r = run_cli("params --model " + path);
  std::remove(path.c_str());
  CHECK(r.status == 1);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK(r.err.find("llama\\x1b[31mRED") != std::string::npos);
}

TEST_CASE("cli: a key given twice in a JSON file is an error, not the last one silently", "[cli]") {
  const std::string path = "/tmp/traincost_dup_" + std::to_string(::getpid()) + ".json";
  {
    std::ofstream f(path);
    f << R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "hidden_size": 128})";
  }
  const CliResult r = run_cli("params --model " + path);
  std::remove(path.c_str());
  CHECK(r.status == 1);
  CHECK(r.err.find("key 'hidden_size' appears twice in one object") != std::string::npos);
}

TEST_CASE("cli: the estimate's recomputation is its plan's, in the label and the hardware FLOPs", "[cli][recompute]") {
  // A 1T-A32B MoE on 2,048 H100: the derived plan recomputes every layer (recompute=full), so each
  // token's forward pass runs twice: hardware FLOPs = model FLOPs x (1 forward + 2 backward + 1) / 3.
  const auto j = run_json("estimate --total-params 1e12 --active-params 32e9 --hardware h100-sxm --gpus 2048 --tokens 20T --format json");
  const std::string plan = j.at("plan").get<std::string>();
  REQUIRE(plan.find("recompute=full") != std::string::npos);
  CHECK(j.at("recompute") == "full");
  CHECK(j.at("hardware_flops").get<double>() == Approx(j.at("training_flops").get<double>() * 4.0 / 3.0).epsilon(1e-9));
  // Without recomputation the two are equal (Llama 3.1 8B on 64 H100: the plan keeps activations).
  const auto k = run_json("estimate --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --format json");
  REQUIRE(k.at("plan").get<std::string>().find("recompute=none") != std::string::npos);
  CHECK(k.at("recompute") == "none");
  CHECK(k.at("hardware_flops").get<double>() == k.at("training_flops").get<double>());
}
