// `traincost report` (the HTML file from the commands' JSON) and
// `traincost validate --gemm` through the CLI.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "test_support.hpp"

using test_support::run_cli;
using test_support::slurp;
using test_support::occurrences;

TEST_CASE("report: writes one self-contained HTML file with the estimate's numbers", "[report-cli]") {
  const std::string out = "report_cli_dsv3.html";
  const auto r = run_cli("report --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8T --precision fp8 "
                         "--no-validation --out " + out + " --format json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema"] == "traincost.report.v1");
  CHECK(j["sections"]["compare"] == true);  // an MoE gets its dense equivalents
  CHECK(j["sections"]["validation"] == false);
  CHECK(j["sections"]["cost_vs_tokens"] == 5);
  const std::string html = slurp(out);
  CHECK(html.size() == j["bytes"].get<size_t>());
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(occurrences(html, "<svg") == occurrences(html, "</svg>"));
  CHECK(occurrences(html, "<svg") >= 5);  // cost curve, step time, memory, MoE bars, hardware
  // The estimate section shows what `estimate` prints for the same inputs (2,000 samples, seed 42).
  const auto e = nlohmann::json::parse(run_cli("estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8T "
                                               "--precision fp8 --samples 2000 --format json").out);
  CHECK(html.find(fmt::format("{:.1f}", e["wall_clock_days"].get<double>())) != std::string::npos);
  // It names the MoE assumptions its plan rests on, as `estimate` and `plan` do.
  CHECK(html.find("MoE plan: the busiest expert-parallel rank gets 1.25") != std::string::npos);
}

TEST_CASE("report: a dense model has no MoE section; bad input is refused", "[report-cli]") {
  const auto r = run_cli("report --model llama-3.1-8b --hardware h100-sxm --gpus 256 --tokens 1T --no-validation "
                         "--compare-hardware h100-sxm --out report_cli_dense.html --format json");
  REQUIRE(r.status == 0);
  CHECK(nlohmann::json::parse(r.out)["sections"]["compare"] == false);
  CHECK(slurp("report_cli_dense.html").find("MoE vs dense") == std::string::npos);
  CHECK(slurp("report_cli_dense.html").find("MoE plan:") == std::string::npos);
  const auto no_out = run_cli("report --model llama-3.1-8b --hardware h100-sxm --gpus 256 --tokens 1T");
  CHECK(no_out.status == 2);
  CHECK(no_out.err.find("--out") != std::string::npos);
  const auto bad_dir = run_cli("report --model llama-3.1-8b --hardware h100-sxm --gpus 256 --tokens 1T --no-validation "
                               "--out /nonexistent-dir/r.html");
  CHECK(bad_dir.status == 2);
  CHECK(bad_dir.err.find("--out: cannot write") != std::string::npos);
  const auto bad_gpus = run_cli("report --model llama-3.1-8b --hardware h100-sxm --gpus 0 --tokens 1T --out x.html");
  CHECK(bad_gpus.status == 2);
  CHECK(bad_gpus.err.find("--gpus") != std::string::npos);
}

TEST_CASE("validate --gemm: both measured devices, JSON schema, exclusive options", "[report-cli][gemm]") {
  const auto r = run_cli("validate --gemm --format json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema"] == "traincost.gemm_check.v1");
  REQUIRE(j["devices"].size() == 2);
  CHECK(j["devices"][0]["hardware"] == "h100-sxm");
  CHECK(j["devices"][1]["hardware"] == "h200");
  CHECK(j["devices"][0]["rows"].size() == 83);
  // H200: the same GEMM silicon and clocks as the H100; its large shapes imply a similar efficiency.
  CHECK(j["devices"][1]["summary"]["implied_shape_efficiency_bf16"].get<double>() ==
        Approx(j["devices"][0]["summary"]["implied_shape_efficiency_bf16"].get<double>()).margin(0.05));
  const auto both = run_cli("validate --gemm --vtrain");
  CHECK(both.status == 2);
  CHECK(both.err.find("exclude") != std::string::npos);
}
