// The performance model's step time (estimator/src/perf): pipeline bubbles, TP, CP
// and DP communication, FlashAttention and matmul rates, MFU, and low precision's
// quantisation passes. Expected values are derived by hand from the formulas in
// evaluate.cpp (arithmetic in comments); fixtures: perf_support.hpp.
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "perf_support.hpp"
#include "traincost/hardware/accelerator.hpp"

using namespace traincost;
using test_support::kTiny;
using test_support::kSeq;
using test_support::tiny_profile;
using test_support::test_constants;
using test_support::test_hardware;
using test_support::test_cluster;
using test_support::setup;
using test_support::make_plan;

TEST_CASE("perf: pipeline bubbles of 1F1B, interleaved and DualPipe", "[perf]") {
  // tp = dp = 1 (no TP or DP traffic), no optimizer traffic, P2P fully overlapped:
  // step = m · t_stage + bubble, with t_stage = T / pp · ceil(L/pp) / (L/pp),
  // and T (one micro-batch through the whole model) read off the pp=1 step: step(pp=1) = m · T.
  const auto m = tiny_profile();
  auto c = test_constants();
  c.optimizer_bytes_moved = 0;
  c.pp_p2p_overlap = 1.0;
  const auto hw = test_hardware();
  const auto s = setup(8);  // dp = mb = 1: m = 8 micro-batches
  auto step = [&](const perf::Plan& p) {
    const auto e = perf::evaluate(m, hw, test_cluster(p.gpus()), s, p, c);
    REQUIRE(e.feasible);
    CHECK(e.micro_batches == 8);
    CHECK(e.time.tp_comm == 0);
    CHECK(e.time.dp_comm == 0);
    CHECK(e.time.pp_p2p == 0);
    CHECK(e.time.optimizer == 0);
    return e;
  };
  const auto one = step(make_plan(1, 1, 1));
  CHECK(one.time.pp_bubble == 0);
  const double T = one.time.step / 8;
  REQUIRE(T > 0);

  using perf::Schedule;
  // The output head (M = 32 tokens, N = V = 100, K = d = 64) is on the last stage. At this size each of
  // its three GEMMs is memory-bound: (32·64 + 64·100 + 32·100) · 2 B = 23,296 B at 3e12 B/s, plus the
  // 4 µs launch cost. The pipeline runs at the busiest stage's pace: the best whole-layer partition
  // minimises max(ceil((8 − k)/(pp − 1)) layers, k layers + head) over the k layers left with the head.
  const double h = 3 * (4e-6 + 23296 / 3e12);
  const double t_l = (T - h) / 8;  // one layer
  REQUIRE(h < t_l);
  // pp=4: k = 2 gives max(2 t_l, 2 t_l + h) = 2 t_l + h (k = 1 gives 3 t_l, more).
  const double S4 = 2 * t_l + h;
  // 1F1B, pp=4: (m + p − 1) · S4 = 11 · S4; bubble 3 · S4.
  const auto f4 = step(make_plan(1, 4, 1));
  CHECK(f4.time.step == Approx(11 * S4));
  CHECK(f4.time.pp_bubble == Approx(3 * S4));
  // The stage with the head is slower than an even split (T/4) by 3h/4.
  CHECK(S4 == Approx(T / 4 + 0.75 * h));
  // Interleaved, pp=4, v=2 (pp·v = 8 layers): (m + (p − 1)/v) · S4 = 9.5 · S4.
  const auto i4 = step(make_plan(1, 4, 1, 1, Schedule::interleaved, 2));
  CHECK(i4.time.step == Approx(9.5 * S4));
  CHECK(i4.time.pp_bubble == Approx(1.5 * S4));
  CHECK(f4.time.step / i4.time.step == Approx(11.0 / 9.5));
  // Interleaved, pp=2, v=4: busiest stage 4 t_l + h; (8 + 1/4) · (4 t_l + h).
  CHECK(step(make_plan(1, 2, 1, 1, Schedule::interleaved, 4)).time.step == Approx(8.25 * (4 * t_l + h)));
  // DualPipe, pp=4: m · S4 + (4/2 − 1) · (2/3) · S4 = (8 + 2/3) · S4.
  const auto d4 = step(make_plan(1, 4, 1, 1, Schedule::dualpipe));
  CHECK(d4.time.step == Approx((8 + 2.0 / 3.0) * S4));
  CHECK(d4.time.pp_bubble == Approx((2.0 / 3.0) * S4));
  // DualPipe, pp=8, needs 2 x 8 = 16 micro-batches (deepseek-ai/DualPipe); 8 is refused.
  const auto d8 = perf::evaluate(m, hw, test_cluster(8), s, make_plan(1, 8, 1, 1, Schedule::dualpipe), c);
  CHECK_FALSE(d8.feasible);
  CHECK(perf::reason_text(d8).find("at least 2 x pp = 16 micro-batches") != std::string::npos);
  // pp=3 does not divide 8 layers: k = 2 layers with the head and 3 on each other stage,
  // max(3 t_l, 2 t_l + h) = 3 t_l; 1F1B: (8 + 2) · 3 t_l.
  CHECK(step(make_plan(1, 3, 1)).time.step == Approx(10 * 3 * t_l));

  SECTION("exposed P2P: half of 2*M*d*2 B per micro-batch over the scale-up link, in the bubble too") {
    auto c2 = c;
    c2.pp_p2p_overlap = 0.5;
    const auto e = perf::evaluate(m, hw, test_cluster(4), s, make_plan(1, 4, 1), c2);
    REQUIRE(e.feasible);
    // Group tp·cp·dp·2 = 2 <= 8 spans the scale-up domain: 0.5 · (2 · 32 · 64 · 2) / (100e9 · 0.8)
    // = 0.5 · 8,192 / 8e10 = 5.12e-8 s per micro-batch.
    const double p2p = 5.12e-8;
    CHECK(e.time.pp_p2p == Approx(8 * p2p));
    CHECK(e.time.pp_bubble == Approx(3 * (S4 + p2p)));
    CHECK(e.time.step == Approx(11 * (S4 + p2p)));
  }
}

TEST_CASE("perf: TP communication is 8*M*d*2 B*(t-1)/t per layer per micro-batch", "[perf]") {
  const auto m = tiny_profile();
  auto c = test_constants();
  const auto hw = test_hardware();
  const auto s = setup(8);  // dp = 1: 8 micro-batches of M = 32 tokens
  auto tp_comm = [&](const perf::Plan& p, std::int64_t domain = 8) {
    const auto e = perf::evaluate(m, hw, test_cluster(p.gpus(), domain), s, p, c);
    REQUIRE(e.feasible);
    return e.time.tp_comm;
  };
  // tp=2 inside the scale-up domain: 8 · 32 · 64 · 2 B · (1/2) = 16,384 B per layer over 100e9 · 0.8 B/s
  // = 2.048e-7 s; 8 micro-batches x 8 layers = 1.31072e-5 s.
  CHECK(tp_comm(make_plan(2, 1, 1)) == Approx(64 * 2.048e-7));
  // pp=2: half the layers per stage: 8 x 4 x 2.048e-7 = 6.5536e-6 s.
  CHECK(tp_comm(make_plan(2, 2, 1)) == Approx(32 * 2.048e-7));
  // tp=4: (t−1)/t = 3/4: 32,768 · 0.75 / 8e10 = 3.072e-7 s per layer; x64 = 1.96608e-5 s.
  CHECK(tp_comm(make_plan(4, 1, 1)) == Approx(64 * 3.072e-7));
  // A scale-up domain of 1 sends TP over the NIC: 16,384 / (25e9 · 0.8) = 8.192e-7 s per layer.
  CHECK(tp_comm(make_plan(2, 1, 1), 1) == Approx(64 * 8.192e-7));
  // tp=1: nothing.
  CHECK(tp_comm(make_plan(1, 1, 1)) == 0);
  SECTION("the overlap constant hides that fraction") {
    c.tp_overlap = 0.25;
    CHECK(tp_comm(make_plan(2, 1, 1)) == Approx(0.75 * 64 * 2.048e-7));
  }
  SECTION("plan-level TP overlap hides the collectives behind the GEMMs") {
    auto p = make_plan(2, 1, 1);
    p.tp_overlap = true;
    CHECK(tp_comm(p) < 64 * 2.048e-7);
  }
}

TEST_CASE("perf: CP all-gathers K and V (exposed) and reduce-scatters their gradients", "[perf]") {
  const auto m = tiny_profile();
  const auto c = test_constants();
  const auto hw = test_hardware();
  const auto s = setup(8);  // dp = 1: 8 micro-batches; cp = 2 gives M = 32 / 2 = 16 tokens per GPU
  auto cp_comm = [&](int tp, Recompute rc = Recompute::none, std::int64_t domain = 8) {
    auto p = make_plan(tp, 1, 1);
    p.cp = 2;
    p.recompute = rc;
    const auto e = perf::evaluate(m, hw, test_cluster(p.gpus(), domain), s, p, c);
    REQUIRE(e.feasible);
    return e.time.cp_comm;
  };
  // tp=1: 2 KV heads x 16 = 32 KV channels per GPU. Per layer: 16 tokens x (cp-1) x (K and V) x 32 x 2 B
  // = 2,048 B all-gathered forward + 2,048 B reduce-scattered backward = 4,096 B over 100e9 x 0.8
  // = 5.12e-8 s; 8 micro-batches x 8 layers = 3.2768e-6 s.
  CHECK(cp_comm(1) == Approx(64 * 5.12e-8));
  // tp=2: one KV head (16 channels) per GPU: half.
  CHECK(cp_comm(2) == Approx(64 * 2.56e-8));
  // tp=4 exceeds the 2 KV heads: each GPU still holds one replicated head (16 channels), not 8.
  CHECK(cp_comm(4) == Approx(64 * 2.56e-8));
  // Full recomputation replays the forward all-gather: 3 collectives instead of 2.
  CHECK(cp_comm(1, Recompute::full) == Approx(1.5 * 64 * 5.12e-8));
  // A scale-up domain of 1 sends it over the NIC: 4,096 B / (25e9 x 0.8) = 2.048e-7 s per layer.
  CHECK(cp_comm(1, Recompute::none, 1) == Approx(64 * 2.048e-7));
  // No context parallelism, no CP traffic.
  const auto e = perf::evaluate(m, hw, test_cluster(1), s, make_plan(1, 1, 1), c);
  CHECK(e.time.cp_comm == 0);
}

TEST_CASE("perf: FlashAttention runs at the generation's fraction of the 16-bit peak", "[perf]") {
  const auto m = tiny_profile();
  auto c = test_constants();
  c.flash_efficiency_hopper = 0.35;
  CHECK(c.flash_efficiency_for("hopper") == 0.35);  // FlashAttention-3 paper: FA2 reaches 35% on H100
  CHECK(c.flash_efficiency_for("ampere") == 0.5);
  CHECK(c.flash_efficiency_for("blackwell") == 0.5);
  auto hw = test_hardware();
  const auto s = setup(8);
  const auto fast = perf::evaluate(m, hw, test_cluster(1), s, make_plan(1, 1, 1), c);
  hw.flash_efficiency = 0.25;
  const auto slow = perf::evaluate(m, hw, test_cluster(1), s, make_plan(1, 1, 1), c);
  REQUIRE(fast.feasible);
  REQUIRE(slow.feasible);
  CHECK(fast.time.attention > 0);
  CHECK(slow.time.attention == Approx(2.0 * fast.time.attention));  // time scales as 1 / efficiency
}

TEST_CASE("perf: the H800 takes the H100 SXM's measured matmul ceiling (same GH100 die)", "[perf]") {
  const auto c = test_constants();
  for (Precision p : {Precision::bf16, Precision::fp8}) {
    const auto h800 = perf::hardware_facts(load_accelerator("h800"), p, c);
    const auto h100 = perf::hardware_facts(load_accelerator("h100-sxm"), p, c);
    CHECK(h800.gemm_ceiling == Approx(h100.gemm_ceiling));
  }
  // MLENG's measured H100 values (1402.6 FP8, 794.5 BF16 TFLOP/s), not a default fraction of peak.
  CHECK(perf::hardware_facts(load_accelerator("h800"), Precision::fp8, c).gemm_ceiling == Approx(1402.6e12));
  CHECK(perf::hardware_facts(load_accelerator("h800"), Precision::bf16, c).gemm_ceiling == Approx(794.5e12));
}

TEST_CASE("perf: MFU is model FLOPs per step over step time x GPUs x peak", "[perf]") {
  const ModelSpec spec = model_from_hf_config(kTiny, "tiny");
  const auto m = tiny_profile();
  FlopOptions o;
  o.seq_len = kSeq;
  CHECK(m.model_flops_per_token == flops_per_token(spec, o).model());
  const auto c = test_constants();
  auto hw = test_hardware();
  hw.peak = 2e15;  // e.g. an FP8 peak twice the 16-bit one
  const auto s = setup(16);  // 512 tokens per step
  const auto cl = test_cluster(8);
  auto p = make_plan(2, 2, 2);
  const auto e = perf::evaluate(m, hw, cl, s, p, c);
  REQUIRE(e.feasible);
  const double flops = m.model_flops_per_token * 512;
  CHECK(e.mfu == Approx(flops / (e.time.step * 8 * 2e15)));
  CHECK(e.mfu_bf16 == Approx(flops / (e.time.step * 8 * 1e15)));
  CHECK(e.mfu_bf16 == Approx(2 * e.mfu));
  CHECK(e.tokens_per_s == Approx(512 / e.time.step));
  CHECK(e.hfu == Approx(e.mfu));  // no recomputation
  // The step is the sum of its parts: pipeline (compute + P2P + bubble) + DP + optimizer.
  const auto& t = e.time;
  CHECK(t.step == Approx(t.gemm + t.attention + t.elementwise + t.recompute + t.tp_comm + t.ep_comm + t.cp_comm + t.pp_p2p +
                         t.pp_bubble + t.dp_comm + t.optimizer));
  SECTION("full recompute: HFU = 4/3 MFU") {
    p.recompute = Recompute::full;
    const auto r = perf::evaluate(m, hw, cl, s, p, c);
    REQUIRE(r.feasible);
    CHECK(r.hfu == Approx(4.0 / 3.0 * r.mfu));
    CHECK(r.time.step > e.time.step);
  }
}

TEST_CASE("perf: a data-parallel collective across nodes drives every NIC of the node", "[perf]") {
  // Test cluster: 8 GPUs per NVLink domain at 100 GB/s, one 25 GB/s NIC per GPU, links at
  // 80%. Gradient sync (ZeRO-1, no overlap) moves (n-1)/n x P x 6 B per GPU over
  // min(NVLink, k x NIC), k = the group's members per domain (NCCL: one ring per NIC).
  const auto m = tiny_profile();
  const auto c = test_constants();
  const auto hw = test_hardware();
  const auto s = setup(16);
  auto dp_time = [&](int tp, int dp) {
    perf::Plan p = make_plan(tp, 1, dp, 1);
    p.dp_overlap = false;
    const auto e = perf::evaluate(m, hw, test_cluster(p.gpus()), s, p, c);
    REQUIRE(e.feasible);
    return e.time.dp_comm;
  };
  // tp=1: dp=8 inside one node at 100 GB/s; dp=16 over two nodes with k=8 NICs each:
  // min(100, 8 x 25) = 100 GB/s, so only (n-1)/n changes: (15/16) / (7/8) = 15/14. A single
  // NIC per collective (25 GB/s) would make it 4 x 15/14.
  CHECK(dp_time(1, 16) == Approx(dp_time(1, 8) * 15.0 / 14.0));
  // tp=4: dp=2 inside one node at 100 GB/s; dp=4 over two nodes, k = 8/4 = 2 NICs:
  // 50 GB/s. (3/4 x 2) / (1/2) = 3.
  CHECK(dp_time(4, 4) == Approx(dp_time(4, 2) * 3.0));
}

TEST_CASE("perf: low precision pays the HBM pass that quantises each GEMM input", "[perf]") {
  // Tiny dense layer, tp 1, 32 tokens. Linear layers (K + N): QKV 64 + 128, O 64 + 64,
  // gate/up 64 + 256, down 128 + 64: 832. Each input read in 16 bits and written as two
  // quantised copies (rowwise + columnwise): 2 + 2 x 1 B (FP8) per element, M x (K + N)
  // elements: 32 x 832 x 4 = 106,496 B at 3e12 B/s more element-wise time than BF16.
  const auto m = tiny_profile();
  const auto c = test_constants();
  const auto hw = test_hardware();
  auto s = setup(8);
  const perf::Plan p = make_plan(1, 1, 1);
  const auto bf16 = perf::layer_times(m, hw, test_cluster(1), s, p, c).dense;
  s.precision = Precision::fp8;
  const auto fp8 = perf::layer_times(m, hw, test_cluster(1), s, p, c).dense;
  CHECK(fp8.elementwise - bf16.elementwise == Approx(32.0 * 832.0 * 4.0 / 3e12));
  // NVFP4: 0.5625 B per element (4 bits + one E4M3 scale per 16), on the 85% of the linear
  // layers that stay in FP4: 0.85 x 32 x 832 x (2 + 2 x 0.5625).
  s.precision = Precision::fp4;
  const auto fp4 = perf::layer_times(m, hw, test_cluster(1), s, p, c).dense;
  CHECK(fp4.elementwise - bf16.elementwise == Approx(0.85 * 32.0 * 832.0 * 3.125 / 3e12));
}

TEST_CASE("perf: ZeRO-3 gathers and the gradient reduce-scatter share one data-parallel window", "[perf]") {
  // Tiny model, pp 1: 8 x 36,992 layer parameters + the tied 6,400 embedding = 302,336 per GPU.
  // dp 8 with a scale-up domain of 1: every collective on the GPU's own 25 GB/s NIC at 80%.
  //   gradient reduce-scatter: 7/8 x 302,336 x 4 B / 20e9 B/s = 5.2909e-5 s (once per step)
  //   ZeRO-3 gathers, forward + backward: 2 x 7/8 x 302,336 x 2 B / 20e9 = 5.2909e-5 s per micro-batch
  //   ZeRO-1 updated-weight all-gather: 7/8 x 302,336 x 2 B / 20e9 = 2.6454e-5 s (ZeRO-3 has none)
  const auto m = tiny_profile();
  auto c = test_constants();
  const auto hw = test_hardware();
  const auto cl = test_cluster(8, 1);
  const double t_grad = 7.0 / 8.0 * 302336.0 * 4.0 / 20e9, t_gather = t_grad, t_param = t_grad / 2.0;
  auto run = [&](int zero, bool overlap, std::int64_t sequences) {
    perf::Plan p = make_plan(1, 1, 8, zero);
    p.dp_overlap = overlap;
    const auto e = perf::evaluate(m, hw, cl, setup(sequences), p, c);
    REQUIRE(e.feasible);
    return e;
  };
  // Without overlap every once-per-step transfer is exposed: ZeRO-1 pays gradients + weights.
  CHECK(run(1, false, 8).time.dp_comm == Approx(t_grad + t_param));
  for (std::int64_t sequences : {8, 32}) {  // 1 and 4 micro-batches per step
    const auto e = run(3, false, sequences);
    const double micro = static_cast<double>(sequences) / 8.0;
    // The compute window of one micro-batch: the step less its data-parallel and optimizer time.
    const double window = (e.time.step - e.time.dp_comm - e.time.optimizer) / micro;
    INFO("window " << window << " s, micro-batches " << micro);
    const double gathers = std::max(0.0, t_gather - window);
    CHECK(e.time.dp_comm == Approx(micro * gathers + t_grad));
    // With overlap the reduce-scatter hides only in what the last micro-batch's gathers leave free.
    const auto o = run(3, true, sequences);
    CHECK(o.time.dp_comm == Approx(micro * gathers + std::max(0.0, t_grad - std::max(0.0, window - t_gather))).margin(1e-12));
    // A slower link makes the shared window bind: gathers and gradients at a tenth of the rate.
    perf::Cluster slow = cl;
    slow.scale_out_bytes_per_s = 2.5e9;
    perf::Plan p = make_plan(1, 1, 8, 3);
    const auto s = perf::evaluate(m, hw, slow, setup(sequences), p, c);
    REQUIRE(s.feasible);
    const double slow_window = (s.time.step - s.time.dp_comm - s.time.optimizer) / micro;
    INFO("slow window " << slow_window);
    CHECK(slow_window == Approx(window));
    const double slow_gathers = std::max(0.0, 10.0 * t_gather - window);
    CHECK(s.time.dp_comm ==
          Approx(micro * slow_gathers + std::max(0.0, 10.0 * t_grad - std::max(0.0, window - 10.0 * t_gather))));
  }
}
