// Issue 16, performance side: hybrid layer patterns (Mamba-1/2, Gated DeltaNet
// beside attention) in the perf profile, plans on hybrid models, and NVIDIA's
// Nemotron 3 throughput rows evaluated with their published plan pinned.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/evaluate.hpp"
#include "traincost/perf/search.hpp"
#include "traincost/validation/throughput.hpp"

using namespace traincost;
using nlohmann::json;

TEST_CASE("issue16: the perf profile weights each part of a hybrid pattern by its share", "[perf][issue16]") {
  // Nemotron 3 Nano: 52 blocks = 23 Mamba-2 + 6 attention (no FFN) in the dense class, 23 MoE.
  const perf::ModelProfile m =
      perf::profile(load_model("nemotron-3-nano"), 8192, AttentionConvention::causal);
  CHECK(m.dense.count == 29);
  CHECK(m.moe.count == 23);
  CHECK(m.dense.attn_share == Approx(6.0 / 29.0));
  CHECK(m.dense.ssm_share == Approx(23.0 / 29.0));
  CHECK(m.moe.attn_share == 0.0);
  CHECK(m.moe.ssm_share == 0.0);
  CHECK(m.dense.ffn_width == 0.0);     // no '-' blocks in Nano
  CHECK(m.dense.tp_sublayers == 0.5);  // one sub-block per block
  CHECK(m.num_heads == 32);            // from the first attention block, not block 0 (Mamba-2)
  CHECK(m.ssm_heads == 64);
}

TEST_CASE("issue16: plan runs on a hybrid model with a finite step time", "[perf][issue16]") {
  const auto r = test_support::run_cli(
      "plan --model nemotron-3-nano --hardware h100-sxm --gpus 64 --tokens 1T --seq-len 8192 --top 1 --format json");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  INFO(j.dump().substr(0, 2000));
  const json& best = j.at("top").at(0);
  const double step = best.at("step_time_s").get<double>();
  CHECK(std::isfinite(step));
  CHECK(step > 0);
  // A physical floor: 6 x 3.2B active GEMM weights x 4.19M tokens / (64 x 989 TFLOP/s) = 1.3 s.
  CHECK(step > 1.0);
  // Gated DeltaNet hybrid (Qwen3-Next) and Mamba-1 hybrid paths too.
  const auto q = test_support::run_cli(
      "plan --model " + test_support::source_path("models/hf/qwen3-next-80b-a3b-instruct.json") + " --hardware h100-sxm --gpus 64 --tokens 1T --top 1 --format json");
  INFO(q.err);
  REQUIRE(q.status == 0);
  const double qs = json::parse(q.out).at("top").at(0).at("step_time_s").get<double>();
  CHECK(std::isfinite(qs));
  CHECK(qs > 0);
}

TEST_CASE("issue16: NVIDIA's Nemotron 3 rows are evaluated with the published plan; Ultra is refused by name", "[throughput][issue16]") {
  const perf::Constants& c = perf::constants();
  int nano = 0, super = 0, ultra = 0;
  for (ThroughputRow r : load_throughput_rows(throughput_rows_path())) {
    if (r.model.rfind("Nemotron_3_", 0) != 0 || r.release != "26.06") continue;
    evaluate_throughput_row(r, c);
    INFO(r.model << " " << r.system << " " << r.precision_label << ": " << r.why_not);
    if (r.model == "Nemotron_3_Ultra") {
      CHECK_FALSE(r.evaluated);
      CHECK_THAT(r.why_not, Catch::Contains("Nemotron 3 Ultra"));
      ++ultra;
      continue;
    }
    if (r.system == "DGX-B300" && r.precision == Precision::fp4) continue;  // the b300 profile has no FP4 peak
    REQUIRE(r.evaluated);
    CHECK(std::isfinite(r.error()));
    // Not a fit: a sanity bound on the prediction of an unfitted hybrid model (within 2x).
    CHECK(std::fabs(std::log(r.predicted_tokens_per_s_per_gpu / r.measured_tokens_per_s_per_gpu)) < std::log(2.0));
    CHECK_FALSE(r.in_fit());
    (r.model == "Nemotron_3_Nano" ? nano : super) += 1;
  }
  CHECK(nano >= 3);
  CHECK(super >= 4);
  CHECK(ultra == 0);  // 26.06 has no Ultra rows; 26.08 has
  ThroughputRow u;
  u.model = "Nemotron_3_Ultra";
  for (ThroughputRow r : load_throughput_rows(throughput_rows_path()))
    if (r.model == "Nemotron_3_Ultra") u = r;
  evaluate_throughput_row(u, c);
  CHECK_FALSE(u.evaluated);
  CHECK_THAT(u.why_not, Catch::Contains("no Nemotron 3 Ultra config.json"));
}
