// `traincost check`: a claimed training cost against the estimator's own
// prediction, its leave-one-out range and the published utilisation record.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "traincost/econ/claim.hpp"
#include "traincost/econ/loo_errors.hpp"
#include "traincost/econ/uncertainty.hpp"
#include "traincost/util/error.hpp"
#include "traincost/validation/published.hpp"

using nlohmann::json;
using test_support::CliResult;
using test_support::run_cli;
using test_support::read_json;
using test_support::run_json;

namespace {

// DeepSeek-V3's published claim (report Sec. 1, Table 1): 2.788M H800 GPU-hours, $5.576M, 2,048 GPUs.
const std::string kDeepSeek =
    "check --model deepseek-v3 --tokens 14.8e12 --hardware h800 --gpus 2048 --precision fp8 ";

json check_json(const std::string& args) {
  const CliResult r = run_cli(args + " --format json");
  INFO(args << "\nstderr: " << r.err);
  REQUIRE(r.status == 0);
  return json::parse(r.out);
}


// One line on stderr naming the option, nothing on stdout, exit 2.
void require_option_error(const std::string& args, const std::string& option) {
  const CliResult r = run_cli(args);
  INFO(args << "\nstderr: " << r.err);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("traincost: error: " + option, 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

}  // namespace

TEST_CASE("check: DeepSeek-V3's published claim is consistent", "[check]") {
  const json j = check_json(kDeepSeek + "--claimed-gpu-hours 2.788e6 --claimed-cost-usd 5.576e6");
  CHECK(j.at("schema") == "traincost.check.v1");
  CHECK(j.at("verdict") == "consistent");
  CHECK(j.at("implied_usd_per_gpu_hour").get<double>() == Approx(2.00));
  // Near Llama 3.1 405B's published BF16 MFU (43%), against the 16-bit peak.
  const double mfu16 = j.at("implied_mfu_bf16_peak").get<double>();
  CHECK(mfu16 > 0.30);
  CHECK(mfu16 < 0.45);
  CHECK(j.at("implied_mfu").get<double>() == Approx(mfu16 / 2).epsilon(1e-9));  // H800: fp8 peak = 2 x bf16
  CHECK(j.at("implied_wall_clock_days").get<double>() == Approx(2.788e6 / 2048 / 24));
  CHECK(j.at("implied_wall_clock_days").get<double>() == Approx(56.7).margin(0.05));
  CHECK(j.at("implied_flops_per_gpu_s").get<double>() ==
        Approx(j.at("training_flops").get<double>() / (2.788e6 * 3600)));
  // The prediction comes from the performance model's best plan and brackets the claim.
  CHECK(j.at("plan").is_string());
  const double p10 = j.at("predicted_gpu_hours_p10").get<double>();
  const double p50 = j.at("predicted_gpu_hours").get<double>();
  const double p90 = j.at("predicted_gpu_hours_p90").get<double>();
  CHECK(p10 < p50);
  CHECK(p50 < p90);
  CHECK(p10 < 2.788e6);
  CHECK(2.788e6 < p90);
  CHECK(j.at("predicted_mfu").get<double>() > 0.2);
  CHECK(j.at("range").at("runs").get<int>() >= 3);
  REQUIRE(j.at("reasons").is_array());
  CHECK(!j.at("reasons").empty());
  for (const char* key : {"model", "hardware", "tokens", "gpus", "claimed_gpu_hours", "claimed_cost_usd",
                          "training_flops", "implied_mfu", "implied_mfu_bf16_peak", "implied_usd_per_gpu_hour",
                          "implied_flops_per_gpu_s", "implied_wall_clock_days", "predicted_gpu_hours",
                          "predicted_gpu_hours_p10", "predicted_gpu_hours_p90", "predicted_mfu", "plan", "verdict",
                          "reasons", "excluded"})
    CHECK(j.contains(key));
  CHECK(j.at("model") == "deepseek-v3");
  CHECK(j.at("gpus") == 2048);
}

TEST_CASE("check: what the DeepSeek-V3 claim leaves out", "[check]") {
  const json x = check_json(kDeepSeek + "--claimed-gpu-hours 2.788e6 --claimed-cost-usd 5.576e6").at("excluded");
  // Cottier et al. 2024: development compute 1.2x to 4x the final run, so research adds 0.2x to 3x.
  CHECK(x.at("research_compute_usd_range").at("low").get<double>() == Approx(0.2 * 5.576e6));
  CHECK(x.at("research_compute_usd_range").at("high").get<double>() == Approx(3.0 * 5.576e6));
  CHECK(x.at("total_development_compute_usd_range").at("high").get<double>() == Approx(4.0 * 5.576e6));
  // Epoch AI: $33,800 x 1.64 server / (1 - 0.19) interconnect per GPU, amortised at 0.14 ln 10 per year.
  const double per_gpu = 33800.0 * 1.64 / (1.0 - 0.19);
  CHECK(x.at("cluster_capex_usd").get<double>() == Approx(2048 * per_gpu));
  CHECK(x.at("ownership_usd").get<double>() == Approx(per_gpu * 0.14 * std::log(10.0) * 2.788e6 / 8760.0));
  CHECK(x.at("energy_mwh").get<double>() > 2000);
  CHECK(x.at("energy_mwh").get<double>() < 5000);
  CHECK(x.at("staff") == "out of scope");
}

TEST_CASE("check: the table report names the verdict, the range's origin and the exclusions", "[check]") {
  const CliResult r = run_cli(kDeepSeek + "--claimed-gpu-hours 2.788e6 --claimed-cost-usd 5.576e6");
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("Verdict: consistent") != std::string::npos);
  CHECK(r.out.find("leave-one-out errors of") != std::string::npos);
  CHECK(r.out.find("What the claim leaves out") != std::string::npos);
  CHECK(r.out.find("out of scope") != std::string::npos);
  CHECK(r.out.find("56.7") != std::string::npos);
  CHECK(r.out.find("$2.00") != std::string::npos);
}

TEST_CASE("check: a claim 5x smaller than DeepSeek-V3's is implausible", "[check]") {
  const json j = check_json(kDeepSeek + "--claimed-gpu-hours 0.5576e6 --claimed-cost-usd 1.1152e6");
  CHECK(j.at("verdict") == "implausible");
  CHECK(j.at("implied_mfu").get<double>() > 0.9);  // of the fp8 peak, far above any published run
  const auto reasons = j.at("reasons").dump();
  CHECK(reasons.find("megascale-175b-megascale-12288") != std::string::npos);
}

TEST_CASE("check: a claim 30% below the prediction's P10 is optimistic", "[check]") {
  const double p10 = check_json(kDeepSeek + "--claimed-gpu-hours 2.788e6").at("predicted_gpu_hours_p10").get<double>();
  const json j = check_json(kDeepSeek + fmt::format("--claimed-gpu-hours {:.6e}", 0.7 * p10));
  CHECK(j.at("verdict") == "optimistic");
  CHECK(j.at("reasons").dump().find("below the prediction's P10") != std::string::npos);
}

TEST_CASE("check: a claim above the P90 is conservative and still consistent", "[check]") {
  const double p90 = check_json(kDeepSeek + "--claimed-gpu-hours 2.788e6").at("predicted_gpu_hours_p90").get<double>();
  const json j = check_json(kDeepSeek + fmt::format("--claimed-gpu-hours {:.6e}", 1.5 * p90));
  CHECK(j.at("verdict") == "consistent");
  CHECK(j.at("reasons").dump().find("conservative") != std::string::npos);
}

TEST_CASE("check: more GPU-hours than the GPUs have in the claimed days is implausible", "[check]") {
  // 2,048 GPUs x 30 days x 24 = 1.47M GPU-hours < 2.788M.
  const json j = check_json(kDeepSeek + "--claimed-gpu-hours 2.788e6 --claimed-days 30");
  CHECK(j.at("verdict") == "implausible");
  CHECK(j.at("implied_gpu_hours_from_days").get<double>() == Approx(2048.0 * 30 * 24));
  // DeepSeek's "less than two months": 60 days hold the claimed hours.
  const json ok = check_json(kDeepSeek + "--claimed-gpu-hours 2.788e6 --claimed-days 60");
  CHECK(ok.at("verdict") == "consistent");
  CHECK(ok.at("claimed_over_days_gpu_hours").get<double>() == Approx(2.788e6 / (2048.0 * 60 * 24)));
}

TEST_CASE("check: without --gpus the prediction runs on the sizing rule's cluster, as estimate does", "[check]") {
  const json j =
      check_json("check --model deepseek-v3 --tokens 14.8T --hardware h800 --precision fp8 --claimed-gpu-hours 2.788M");
  // One story: `estimate` with the same inputs assumes the same cluster and plan.
  const json e = run_json("estimate --model deepseek-v3 --tokens 14.8T --hardware h800 --precision fp8 --format json");
  REQUIRE(j.at("plan").is_string());
  CHECK(j.at("plan") == e.at("plan"));
  CHECK(j.at("gpus").is_null());  // the claim names no cluster
  CHECK(j.at("implied_wall_clock_days").is_null());
  REQUIRE(j.at("prediction_gpus").is_number_integer());
  CHECK(j.at("prediction_gpus") == e.at("gpus"));
  CHECK(j.at("prediction_gpus_rule").get<std::string>().find("GPU count not given") != std::string::npos);
  CHECK(j.at("predicted_mfu").get<double>() == Approx(e.at("mfu").get<double>()).epsilon(1e-12));
  CHECK(j.at("predicted_gpu_hours").get<double>() == Approx(e.at("gpu_hours").get<double>()).epsilon(1e-12));
  CHECK(j.at("excluded").at("cluster_capex_usd").is_null());
  CHECK(j.at("excluded").at("ownership_usd").is_number());
  // Cost basis: the claimed hours at the profile's rental price ($2.00 for H800).
  CHECK(j.at("excluded").at("cost_basis_usd").get<double>() == Approx(2.788e6 * 2.0));
  CHECK(!j.at("notes").empty());
}

TEST_CASE("check: bad claimed values exit 2 naming the option", "[check]") {
  const std::string base = "check --model deepseek-v3 --tokens 14.8e12 --hardware h800 ";
  for (const char* v : {"0", "-1", "abc"})
    require_option_error(base + "--claimed-gpu-hours " + std::string(v), "--claimed-gpu-hours");
  require_option_error(base + "--claimed-gpu-hours 1e6 --claimed-cost-usd 0", "--claimed-cost-usd");
  require_option_error(base + "--claimed-gpu-hours 1e6 --claimed-days abc", "--claimed-days");
  require_option_error(base + "--claimed-gpu-hours 1e6 --gpus 0", "--gpus");
  require_option_error(base + "--claimed-gpu-hours 1e6 --format xml", "--format");
  // Absurdly small claims are refused as out of range, not checked into inf FLOP/s or a
  // 300-digit percentage: under one GPU-hour, one cent or one minute.
  require_option_error(base + "--claimed-gpu-hours 1e-300", "--claimed-gpu-hours");
  require_option_error(base + "--claimed-gpu-hours 0.5", "--claimed-gpu-hours");
  require_option_error(base + "--gpus 2048 --claimed-gpu-hours 2.788M --claimed-days 1e-300", "--claimed-days");
  require_option_error(base + "--claimed-gpu-hours 2.788M --claimed-cost-usd 1e-300", "--claimed-cost-usd");
  // At the bounds every figure is finite.
  const auto r = test_support::run_cli(base + "--gpus 2048 --claimed-gpu-hours 1 --claimed-days 0.000695 --format json");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("inf") == std::string::npos);
  CHECK(r.out.find("nan") == std::string::npos);
}

TEST_CASE("check: unknown hardware exits 2", "[check]") {
  require_option_error("check --model deepseek-v3 --tokens 14.8e12 --hardware h900 --claimed-gpu-hours 1e6",
                      "--hardware");
}

TEST_CASE("check: percentiles interpolate between order statistics", "[check]") {
  const std::vector<double> v{5, 1, 3, 2, 4, 11, 7, 6, 10, 8, 9};
  CHECK(traincost::econ::percentile(v, 0.1) == Approx(2.0));
  CHECK(traincost::econ::percentile(v, 0.9) == Approx(10.0));
  CHECK(traincost::econ::percentile(v, 0.5) == Approx(6.0));
  CHECK(traincost::econ::percentile({1, 2}, 0.25) == Approx(1.25));
}

TEST_CASE("check: the range comes from the whole-run leave-one-out errors", "[check]") {
  const auto& c = traincost::econ::claim_constants();
  // Synthetic calibration: only GPU-hours rows count; MFU rows and rows without a leave-one-out error do not.
  json doc = {{"residuals", json::array()}};
  for (double e : {-0.5, -0.2, 0.0, 0.1, 0.3})
    doc["residuals"].push_back({{"id", "r"}, {"metric", "gpu_hours"}, {"error_unit", "relative"}, {"leave_one_out_error", e}});
  doc["residuals"].push_back({{"id", "m"}, {"metric", "mfu"}, {"error_unit", "percentage_points"}, {"leave_one_out_error", 40.0}});
  doc["residuals"].push_back({{"id", "n"}, {"metric", "gpu_hours"}, {"error_unit", "relative"}});
  const auto r = traincost::econ::error_range_from_json(doc, "test.json", c);
  CHECK(r.runs == 5);
  CHECK(r.log_low == Approx(std::log(0.5) + 0.4 * (std::log(0.8) - std::log(0.5))));
  CHECK(r.log_high == Approx(std::log(1.1) + 0.6 * (std::log(1.3) - std::log(1.1))));
  json few = {{"residuals", json::array({{{"metric", "gpu_hours"}, {"leave_one_out_error", 0.1}}})}};
  CHECK_THROWS_AS(traincost::econ::error_range_from_json(few, "test.json", c), traincost::InputError);

  // The shipped record: P10 = predicted / (1 + e_90), P90 = predicted / (1 + e_10).
  const json cal = read_json("constants/calibrated.json");
  std::vector<double> logs;
  for (const auto& row : cal.at("residuals"))
    if ((row.at("metric") == "gpu_hours" || row.at("metric") == "gpu_hours_per_trillion_tokens") &&
        row.contains("leave_one_out_error"))
      logs.push_back(std::log1p(row.at("leave_one_out_error").get<double>()));
  const json j = check_json(kDeepSeek + "--claimed-gpu-hours 2.788e6");
  CHECK(j.at("range").at("runs").get<std::size_t>() == logs.size());
  const double pred = j.at("predicted_gpu_hours").get<double>();
  CHECK(j.at("predicted_gpu_hours_p10").get<double>() == Approx(pred / std::exp(traincost::econ::percentile(logs, 0.9))));
  CHECK(j.at("predicted_gpu_hours_p90").get<double>() == Approx(pred / std::exp(traincost::econ::percentile(logs, 0.1))));
}

TEST_CASE("check: the published MFUs in claim_check.json match the validation record", "[check]") {
  const json doc = read_json("constants/claim_check.json");
  const auto runs = traincost::load_published_runs();
  auto mfu_of = [&](const std::string& id) {
    const auto it = std::find_if(runs.begin(), runs.end(), [&](const auto& r) { return r.id == id; });
    REQUIRE(it != runs.end());
    REQUIRE(it->figure("mfu") != nullptr);
    return it->figure("mfu")->value;
  };
  const json& v = doc.at("verdict");
  for (const char* key : {"best_published_large_scale_mfu", "best_published_mfu_any_scale", "reference_mfu"}) {
    INFO(key);
    CHECK(v.at(key).at("value").get<double>() == Approx(mfu_of(v.at(key).at("run").get<std::string>())));
  }
  // They are the best: at >= 8,192 GPUs, and at any scale.
  double best_large = 0, best_any = 0;
  for (const auto& r : runs) {
    const auto* f = r.figure("mfu");
    if (!f) continue;
    best_any = std::max(best_any, f->value);
    if (r.gpus && *r.gpus >= 8192) best_large = std::max(best_large, f->value);
  }
  CHECK(v.at("best_published_large_scale_mfu").at("value").get<double>() == Approx(best_large));
  CHECK(v.at("best_published_mfu_any_scale").at("value").get<double>() == Approx(best_any));
  // The implausibility threshold lies above every published MFU.
  CHECK(traincost::econ::claim_constants().implausible_mfu() > best_any);
}

TEST_CASE("check: one reader of the leave-one-out errors serves check and the Monte Carlo ranges", "[check]") {
  // Hand-made calibration: ln(1 + e) of the rows with a listed metric and an error; others skipped.
  json doc = {{"residuals", json::array()}};
  for (double e : {-0.5, 0.0, 1.0})
    doc["residuals"].push_back({{"metric", "gpu_hours"}, {"leave_one_out_error", e}});
  doc["residuals"].push_back({{"metric", "mfu"}, {"leave_one_out_error", 3.0}});
  const auto logs = traincost::econ::loo_log_errors(doc, "t.json", {"gpu_hours"}, "this test");
  REQUIRE(logs.size() == 3);
  CHECK(logs[0] == Approx(std::log(0.5)));
  CHECK(logs[1] == 0.0);
  CHECK(logs[2] == Approx(std::log(2.0)));
  // Fewer than 3: the message names the file, the metric and who needs them.
  doc["residuals"].erase(0);
  CHECK_THROWS_WITH(traincost::econ::loo_log_errors(doc, "t.json", {"gpu_hours"}, "this test"),
                    Catch::Contains("t.json") && Catch::Contains("gpu_hours") && Catch::Contains("this test needs at least 3"));
  // A malformed row names its index and field.
  json bad = {{"residuals", json::array({{{"metric", "gpu_hours"}, {"leave_one_out_error", "x"}}})}};
  CHECK_THROWS_WITH(traincost::econ::loo_log_errors(bad, "t.json", {"gpu_hours"}, "this test"),
                    Catch::Contains("residuals[0].leave_one_out_error"));
  // The shipped record: check's range and the Monte Carlo efficiency spread count the same runs.
  const auto& c = traincost::econ::claim_constants();
  const auto range = traincost::econ::load_error_range(c);
  CHECK(range.runs == traincost::econ::uncertainty_constants().efficiency_runs);
}
