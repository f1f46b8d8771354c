// End-to-end tests of the `traincost` command line's good paths: each command's
// report (table and JSON) and its arithmetic, the same output twice, and the inputs
// that change a report (--moe-imbalance, the plan's recomputation).
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "test_support.hpp"

using nlohmann::json;
using test_support::CliResult;
using test_support::kSmallEstimate;
using test_support::run_cli;
using test_support::run_json;

namespace {

void require_keys(const json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    INFO("key: " << k);
    CHECK(j.contains(k));
  }
}

bool near_rel(double a, double b, double rel = 1e-9) { return std::fabs(a - b) <= rel * std::fabs(b); }

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

TEST_CASE("cli: the estimate's recomputation is its plan's, in the label and the hardware FLOPs", "[cli][recompute]") {
  // A 1T-A32B MoE on 2,048 H100 with --recompute full: the derived plan recomputes every layer, so
  // each token's forward pass runs twice: hardware FLOPs = model FLOPs x (1 forward + 2 backward + 1) / 3.
  const auto j = run_json(
      "estimate --total-params 1e12 --active-params 32e9 --hardware h100-sxm --gpus 2048 --tokens 20T --recompute full "
      "--format json");
  const std::string plan = j.at("plan").get<std::string>();
  REQUIRE(plan.find("recompute=full") != std::string::npos);
  CHECK(j.at("recompute") == "full");
  CHECK(j.at("hardware_flops").get<double>() == Approx(j.at("training_flops").get<double>() * 4.0 / 3.0).epsilon(1e-9));
  // Without recomputation the two are equal (Llama 3.1 8B on 64 H100: the plan keeps activations).
  const auto k = run_json("estimate --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --format json");
  REQUIRE(k.at("plan").get<std::string>().find("recompute=none") != std::string::npos);
  CHECK(k.at("recompute") == "none");
  CHECK(k.at("hardware_flops").get<double>() == k.at("training_flops").get<double>());
  // --recompute pins the derived plan's setting; without it the search takes the fastest
  // that fits (here none), and the pinned one is slower.
  const auto pinned = run_json("estimate --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --recompute selective --format json");
  CHECK(pinned.at("plan").get<std::string>().find("recompute=selective") != std::string::npos);
  CHECK(pinned.at("recompute") == "selective");
  CHECK(pinned.at("gpu_hours").get<double>() > k.at("gpu_hours").get<double>());
}

TEST_CASE("cli: estimate says which global batch its derived plan ran and where it came from", "[cli]") {
  const std::string base = "estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8T --precision fp8 --format json";
  const CliResult rule = run_cli(base);
  INFO(rule.err);
  REQUIRE(rule.status == 0);
  const nlohmann::json a = nlohmann::json::parse(rule.out);
  // The rule's batch: whole sequences of 4,096, and a power of two of them on 2,048 GPUs.
  const std::int64_t tokens = a.at("global_batch_tokens").get<std::int64_t>();
  CHECK(tokens % 4096 == 0);
  const std::int64_t seqs = tokens / 4096;
  CHECK((seqs & (seqs - 1)) == 0);
  CHECK(a.at("global_batch_source").get<std::string>().find("default batch rule") != std::string::npos);
  const CliResult given = run_cli(base + " --global-batch-tokens 62914560");
  INFO(given.err);
  REQUIRE(given.status == 0);
  const nlohmann::json b = nlohmann::json::parse(given.out);
  CHECK(b.at("global_batch_tokens") == 62914560);
  CHECK(b.at("global_batch_source") == "given (--global-batch-tokens)");
  // A flat --mfu has no plan and no batch.
  const CliResult flat = run_cli("estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8T --mfu 0.3 --format json");
  REQUIRE(flat.status == 0);
  CHECK_FALSE(nlohmann::json::parse(flat.out).contains("global_batch_tokens"));
}
