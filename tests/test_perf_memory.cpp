// The performance model's memory per GPU (estimator/src/perf): the ZeRO stages,
// DualPipe's two copies, the activations FP8 with selective recompute keeps, and the
// smallest cluster that fits. Expected values are derived by hand from the formulas
// in evaluate.cpp / search.cpp (arithmetic in comments); fixtures: perf_support.hpp.
#include <algorithm>
#include <cstdint>

#include <catch2/catch.hpp>

#include "perf_support.hpp"
#include "traincost/perf/search.hpp"

using namespace traincost;
using Catch::Matchers::Contains;
using test_support::tiny_profile;
using test_support::test_constants;
using test_support::test_hardware;
using test_support::test_cluster;
using test_support::setup;
using test_support::make_plan;

TEST_CASE("perf: memory per GPU follows the ZeRO stage and DualPipe's two copies", "[perf]") {
  const auto m = tiny_profile();
  REQUIRE(m.dense.count == 8);
  REQUIRE(m.dense.params == 36'992);
  REQUIRE(m.embedding_params == 6'400);
  REQUIRE(m.head_params == 6'400);
  const auto c = test_constants();
  const auto hw = test_hardware();
  const auto s = setup(16);  // 16 sequences: a multiple of dp x mb for every plan below

  // tp=2, pp=1, dp=4: layers_per_stage = 8;
  // stage_ne = 8 · 295,936 / (8 + 0) / 2 + max(6,400, 6,400) / 2 = 147,968 + 3,200 = 151,168.
  const double stage = 151'168;
  const auto cl = test_cluster(8);
  SECTION("ZeRO-1: weights 2 B, gradients 4 B, optimizer 12 B / dp") {
    const auto e = perf::evaluate(m, hw, cl, s, make_plan(2, 1, 4, 1), c);
    REQUIRE(e.feasible);
    CHECK(e.memory.weights == Approx(2 * stage));        // 302,336
    CHECK(e.memory.gradients == Approx(4 * stage));      // 604,672
    CHECK(e.memory.optimizer == Approx(12 * stage / 4)); // 453,504
    CHECK(e.memory.capacity == Approx(0.9 * 80e9));
  }
  SECTION("ZeRO-0 keeps the whole optimizer state") {
    const auto e = perf::evaluate(m, hw, cl, s, make_plan(2, 1, 4, 0), c);
    CHECK(e.memory.weights == Approx(2 * stage));
    CHECK(e.memory.gradients == Approx(4 * stage));
    CHECK(e.memory.optimizer == Approx(12 * stage));  // 1,814,016
  }
  SECTION("ZeRO-2 also shards gradients over dp") {
    const auto e = perf::evaluate(m, hw, cl, s, make_plan(2, 1, 4, 2), c);
    CHECK(e.memory.weights == Approx(2 * stage));
    CHECK(e.memory.gradients == Approx(4 * stage / 4));  // 151,168
    CHECK(e.memory.optimizer == Approx(12 * stage / 4));
  }
  SECTION("ZeRO-3 also shards weights over dp") {
    const auto e = perf::evaluate(m, hw, cl, s, make_plan(2, 1, 4, 3), c);
    CHECK(e.memory.weights == Approx(2 * stage / 4));  // 75,584
    CHECK(e.memory.gradients == Approx(4 * stage / 4));
    CHECK(e.memory.optimizer == Approx(12 * stage / 4));
  }
  SECTION("DualPipe doubles weights and gradients, not the optimizer state") {
    // tp=2, pp=2, dp=2: layers_per_stage = 4; stage_ne = 4 · 295,936 / 8 / 2 + 6,400 / 2 = 73,984 + 3,200 = 77,184.
    const double st = 77'184;
    const auto one = perf::evaluate(m, hw, cl, s, make_plan(2, 2, 2, 1), c);
    const auto dual = perf::evaluate(m, hw, cl, s, make_plan(2, 2, 2, 1, perf::Schedule::dualpipe), c);
    REQUIRE(one.feasible);
    REQUIRE(dual.feasible);  // m = 16 / 2 = 8 micro-batches: even
    CHECK(one.memory.weights == Approx(2 * st));        // 154,368
    CHECK(dual.memory.weights == Approx(2 * 2 * st));   // 308,736
    CHECK(one.memory.gradients == Approx(4 * st));      // 308,736
    CHECK(dual.memory.gradients == Approx(2 * 4 * st)); // 617,472
    CHECK(one.memory.optimizer == Approx(12 * st / 2)); // 463,104
    CHECK(dual.memory.optimizer == Approx(12 * st / 2));
  }
  SECTION("FP8 uses the FP8 optimizer bytes") {
    auto s8 = s;
    s8.precision = Precision::fp8;
    const auto e = perf::evaluate(m, hw, cl, s8, make_plan(2, 1, 4, 1), c);
    CHECK(e.memory.optimizer == Approx(8 * stage / 4));  // 302,336
  }
  SECTION("a plan over the usable memory is infeasible and says by how many GB") {
    const auto e = perf::evaluate(m, test_hardware(1e6), cl, s, make_plan(2, 1, 4, 1), c);
    CHECK_FALSE(e.feasible);
    CHECK_THAT(perf::reason_text(e), Contains("GB per GPU") && Contains("over the 0.0 GB usable"));
  }
}

TEST_CASE("perf: DeepSeek-V3's FP8 recipe with selective recompute keeps fewer activation bytes", "[perf]") {
  // Tiny dense model, tp = 1, 8 micro-batches of 32 tokens, 1 stage: activations = 32 tokens x 8 layers x b.
  // BF16 selective (FlashAttention): b = 4d + 2(q + 2kv + q) + 4 heads + MLP (4d + 6F)
  //   = 256 + 2(64 + 64 + 64) + 16 + 256 + 768 = 1,680 B per token per layer.
  // FP8 selective: block inputs 2d + 2d, FP8 Linear inputs d + d, Q/K/V 2(q + 2kv) = 256, attention
  //   output in E5M6 1.5 q = 96, 4 heads = 16, SwiGLU FP8 inputs 2F = 256:
  //   128 + 64 + 256 + 96 + 16 + 128 + 64 + 256 = 1,008 B.
  const auto m = tiny_profile();
  const auto c = test_constants();
  const auto hw = test_hardware();
  auto acts = [&](Precision prec) {
    auto s = setup(8);
    s.precision = prec;
    auto p = make_plan(1, 1, 1);
    p.recompute = Recompute::selective;
    const auto e = perf::evaluate(m, hw, test_cluster(1), s, p, c);
    REQUIRE(e.feasible);
    return e.memory.activations;
  };
  // With one stage (one micro-batch in flight) the last stage adds its FP32 logits: 32 x 100 x 4 = 12,800 B.
  CHECK(acts(Precision::bf16) == Approx(32.0 * 8 * 1680 + 12800));
  CHECK(acts(Precision::fp8) == Approx(32.0 * 8 * 1008 + 12800));
}

TEST_CASE("perf: min_gpus_that_fit finds a cluster that fits, and half of it does not", "[perf]") {
  const auto m = tiny_profile();
  const auto c = test_constants();
  // 2 MB per GPU, 1.8 MB usable: one GPU needs 18 B x ~302k parameters = 5.4 MB of state.
  const auto hw = test_hardware(2e6);
  const auto s = setup(8);
  auto cluster = [](std::int64_t n) { return test_cluster(n); };
  auto fits = [&](std::int64_t n) {
    auto t = s;
    t.global_batch_tokens = std::max(s.global_batch_tokens, n * s.seq_len);
    return !perf::search(m, hw, cluster(n), t, c, 1).top.empty();
  };
  REQUIRE_FALSE(fits(1));
  const auto n = perf::min_gpus_that_fit(m, hw, cluster, s, c, 1);
  REQUIRE(n.has_value());
  CHECK(*n >= 2);
  CHECK((*n & (*n - 1)) == 0);  // a power of two
  CHECK(fits(*n));
  CHECK_FALSE(fits(*n / 2));
  // Nothing fits in 1 kB at any size.
  CHECK_FALSE(perf::min_gpus_that_fit(m, test_hardware(1e3), cluster, s, c, 1).has_value());
}

TEST_CASE("perf: evaluate_beyond_memory times a plan over the memory and equals evaluate on one that fits", "[perf]") {
  const auto m = tiny_profile();
  auto c = test_constants();
  const auto hw = test_hardware();
  const auto s = setup(16);
  const auto p = make_plan(1, 1, 2);
  const auto fits = perf::evaluate(m, hw, test_cluster(2), s, p, c);
  REQUIRE(fits.feasible);
  const auto same = perf::evaluate_beyond_memory(m, hw, test_cluster(2), s, p, c);
  CHECK(same.time.step == fits.time.step);
  CHECK(same.tokens_per_s == fits.tokens_per_s);
  CHECK_FALSE(same.over_memory);
  // A usable fraction so small that nothing fits: evaluate() reports no rate,
  // evaluate_beyond_memory() the same step time as above and its rate, and still says
  // that (and by how much) the plan is over.
  c.usable_hbm_fraction = 1e-9;
  const auto over = perf::evaluate(m, hw, test_cluster(2), s, p, c);
  CHECK_FALSE(over.feasible);
  CHECK(over.over_memory);
  const auto timed = perf::evaluate_beyond_memory(m, hw, test_cluster(2), s, p, c);
  CHECK(timed.over_memory);
  CHECK(timed.memory.total() == over.memory.total());
  CHECK(timed.time.step == fits.time.step);
  CHECK(timed.tokens_per_s == Approx(static_cast<double>(s.global_batch_tokens) / fits.time.step));
}
