// The performance model (estimator/src/perf): memory per GPU, pipeline
// bubbles, TP communication, MFU, plan legality and parsing, goodput, the
// default batch and the plan search. Every expected value is derived by hand
// from the formulas in evaluate.cpp / search.cpp (arithmetic in comments).
// Constants, hardware and cluster are set explicitly here so the tests do not
// depend on constants/performance.json or constants/calibrated.json.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/flops.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/evaluate.hpp"
#include "traincost/perf/plan.hpp"
#include "traincost/perf/search.hpp"
#include "traincost/util/error.hpp"

using namespace traincost;
using nlohmann::json;
using Catch::Matchers::Contains;

namespace {

// d=64, 8 layers, 4 heads of 16, 2 KV heads, SwiGLU F=128, V=100, tied embeddings.
// Per layer: q 64·64 = 4,096; k,v 2·64·32 = 4,096; o 4,096 -> attention 12,288;
// MLP 3·64·128 = 24,576; two norms 128 -> 36,992 parameters.
// Non-expert layer parameters: 8 · 36,992 = 295,936. Embedding V·d = 6,400;
// the profile's head is V·d = 6,400 too (the head GEMM exists even when tied).
const json kTiny = R"({
  "model_type": "llama", "hidden_size": 64, "num_hidden_layers": 8, "num_attention_heads": 4,
  "num_key_value_heads": 2, "intermediate_size": 128, "vocab_size": 100, "tie_word_embeddings": true
})"_json;

// d=64, 2 layers, 4 heads (MHA), 4 experts top-2 of width 32, V=100.
const json kTinyMoe = R"({
  "model_type": "mixtral", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
  "num_key_value_heads": 4, "intermediate_size": 32, "num_local_experts": 4, "num_experts_per_tok": 2,
  "vocab_size": 100, "tie_word_embeddings": false
})"_json;

constexpr std::int64_t kSeq = 32;

perf::ModelProfile tiny_profile() {
  return perf::profile(model_from_hf_config(kTiny, "tiny"), kSeq, AttentionConvention::causal);
}

// Every constant the model reads, set here.
perf::Constants test_constants() {
  perf::Constants c;
  c.mamf_fraction_bf16_default = 0.8;
  c.mamf_fraction_fp8_default = 0.7;
  c.tile_size = 128;
  c.kernel_overhead_s = 4e-6;
  c.training_shape_efficiency = 0.85;
  c.shape_efficiency_by_generation.clear();
  c.flash_efficiency = 0.5;
  c.flash_efficiency_hopper = 0.35;
  c.materialized_attention_bytes_per_score = 30;
  c.elementwise_bytes_per_hidden = 60;
  c.elementwise_bytes_per_ffn = 18;
  c.link_efficiency = 0.8;
  c.tp_overlap = 0.0;
  c.dp_overlap = 1.0;
  c.ep_overlap_dualpipe = 1.0;
  c.ep_overlap_1f1b = 0.0;
  c.ep_dispatch_bytes_fp8 = 1;
  c.pp_p2p_overlap = 0.5;
  c.usable_hbm_fraction = 0.9;
  c.weight_bytes = 2;
  c.grad_bytes = 4;
  c.optimizer_bytes = 12;
  c.optimizer_bytes_fp8 = 8;
  c.optimizer_bytes_moved = 30;
  c.failures_per_gpu_hour = 1.973e-5;
  c.restart_cost_s = 600;
  c.checkpoint_bytes_per_s_per_gpu = 1.22e8;
  c.checkpoint_bytes_per_param = 14;
  c.batch_coefficient = 0.292;
  c.batch_exponent = 0.3271;
  c.run_efficiency = 1.0;
  c.moe_imbalance_default = 1.25;
  c.comm_sm_fraction = 0.1515;
  c.moe_host_sync_s = 0.0;
  c.moe_host_per_local_expert_s = 0.0;
  c.quantize_copies = 2;
  c.nvfp4_bf16_linear_fraction = 0.15;
  return c;
}

perf::Hardware test_hardware(double memory_bytes = 80e9) {
  perf::Hardware h;
  h.peak = 1e15;
  h.peak_bf16 = 1e15;
  h.gemm_ceiling = 8e14;
  h.gemm_ceiling_bf16 = 8e14;
  h.hbm_bytes_per_s = 3e12;
  h.memory_bytes = memory_bytes;
  h.shape_efficiency = 0.85;
  return h;
}

perf::Cluster test_cluster(std::int64_t gpus, std::int64_t domain = 8) {
  perf::Cluster cl;
  cl.gpus = gpus;
  cl.scale_up_domain = domain;
  cl.scale_up_bytes_per_s = 100e9;  // per direction
  cl.scale_out_bytes_per_s = 25e9;
  return cl;
}

perf::TrainingSetup setup(std::int64_t sequences) {
  perf::TrainingSetup s;
  s.seq_len = kSeq;
  s.global_batch_tokens = sequences * kSeq;
  return s;
}

perf::Plan make_plan(int tp, int pp, int dp, int zero = 1, perf::Schedule sch = perf::Schedule::one_f_one_b,
                     int vpp = 1) {
  perf::Plan p;
  p.tp = tp;
  p.pp = pp;
  p.dp = dp;
  p.zero = zero;
  p.schedule = sch;
  p.vpp = vpp;
  return p;
}

std::string plan_error(const std::string& text) {
  try {
    perf::parse_plan(text);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "<no UsageError>";
}

}  // namespace

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

TEST_CASE("perf: check_plan names the broken constraint", "[perf]") {
  const auto m = tiny_profile();  // 8 layers, 4 heads, 2 KV heads, dense
  const auto moe = perf::profile(model_from_hf_config(kTinyMoe, "tiny-moe"), kSeq, AttentionConvention::causal);
  REQUIRE(moe.is_moe);
  REQUIRE(moe.num_experts == 4);
  const auto s = setup(16);
  auto check = [&](const perf::ModelProfile& mp, const perf::Plan& p, std::int64_t seqs = 16) {
    return perf::check_plan(mp, test_cluster(p.gpus()), setup(seqs), p);
  };
  using perf::Schedule;
  CHECK(check(m, make_plan(2, 2, 2)).empty());
  CHECK_THAT(check(m, make_plan(3, 1, 1)), Contains("tp=3") && Contains("4 attention heads"));
  CHECK_THAT(check(m, make_plan(1, 16, 1)), Contains("pp=16 exceeds the 8 layers"));
  CHECK_THAT(check(m, make_plan(1, 8, 1, 1, Schedule::interleaved, 2)), Contains("pp x vpp = 16 exceeds"));
  auto ep3 = make_plan(1, 1, 3);
  ep3.ep = 3;
  CHECK_THAT(check(moe, ep3, 12), Contains("ep=3 must divide the 4 routed experts"));
  auto ep2 = make_plan(1, 1, 2);
  ep2.ep = 2;
  CHECK(check(moe, ep2).empty());
  CHECK_THAT(check(m, ep2), Contains("ep must be 1 for a dense model"));
  CHECK_THAT(perf::check_plan(m, test_cluster(8), s, make_plan(2, 1, 2)),
             Contains("= 4 must equal the GPU count 8"));
  CHECK_THAT(check(m, make_plan(1, 1, 4), 10),
             Contains("global batch of 10 sequences must be a multiple of dp x micro-batch = 4"));
  // pp=4, dp=1, 6 sequences: 6 micro-batches, not a multiple of 4.
  CHECK_THAT(check(m, make_plan(1, 4, 1, 1, Schedule::interleaved, 2), 6),
             Contains("micro-batches (6) to be a multiple of pp (4)"));
  CHECK(check(m, make_plan(1, 4, 1, 1, Schedule::interleaved, 2), 8).empty());
  CHECK_THAT(check(m, make_plan(1, 3, 1, 1, Schedule::dualpipe)), Contains("DualPipe needs an even pp"));
  CHECK_THAT(check(m, make_plan(1, 2, 1, 1, Schedule::dualpipe), 7), Contains("even number of micro-batches"));
  CHECK_THAT(check(m, make_plan(1, 2, 1, 1, Schedule::one_f_one_b, 2)), Contains("vpp > 1 needs the interleaved"));
  // evaluate() reports the same reason and stays infeasible.
  const auto e = perf::evaluate(m, test_hardware(), test_cluster(3), s, make_plan(3, 1, 1), test_constants());
  CHECK_FALSE(e.feasible);
  CHECK_THAT(e.reason, Contains("tp=3"));
}

TEST_CASE("perf: parse_plan round-trips to_string and names bad keys", "[perf]") {
  perf::Plan p;
  p.tp = 4;
  p.pp = 2;
  p.dp = 16;
  p.cp = 2;
  p.ep = 4;
  p.vpp = 3;
  p.schedule = perf::Schedule::interleaved;
  p.zero = 3;
  p.micro_batch = 2;
  p.recompute = Recompute::full;
  p.attention_kernel = perf::AttentionKernel::materialized;
  p.tp_overlap = true;
  p.dp_overlap = false;
  const std::string text = perf::to_string(p);
  CHECK(text ==
        "tp=4,pp=2,dp=16,cp=2,ep=4,vpp=3,schedule=interleaved,zero=3,mb=2,recompute=full,attn=materialized,"
        "tp_overlap=1,dp_overlap=0");
  const perf::Plan q = perf::parse_plan(text);
  CHECK(q.tp == 4);
  CHECK(q.pp == 2);
  CHECK(q.dp == 16);
  CHECK(q.cp == 2);
  CHECK(q.ep == 4);
  CHECK(q.vpp == 3);
  CHECK(q.schedule == perf::Schedule::interleaved);
  CHECK(q.zero == 3);
  CHECK(q.micro_batch == 2);
  CHECK(q.recompute == Recompute::full);
  CHECK(q.attention_kernel == perf::AttentionKernel::materialized);
  CHECK(q.tp_overlap);
  CHECK_FALSE(q.dp_overlap);
  CHECK(perf::to_string(q) == text);
  // Defaults round-trip too; omitted fields keep their defaults; vpp > 1 implies interleaving.
  CHECK(perf::to_string(perf::parse_plan(perf::to_string(perf::Plan{}))) == perf::to_string(perf::Plan{}));
  CHECK(perf::to_string(perf::parse_plan("")) == perf::to_string(perf::Plan{}));
  CHECK(perf::parse_plan("micro_batch=4").micro_batch == 4);
  CHECK(perf::parse_plan("pp=4,vpp=2").schedule == perf::Schedule::interleaved);

  CHECK_THAT(plan_error("tp=2,foo=1"), Contains("unknown key 'foo'"));
  CHECK_THAT(plan_error("tp=0"), Contains("tp=0"));
  CHECK_THAT(plan_error("tp=two"), Contains("tp=two"));
  CHECK_THAT(plan_error("pp=2x"), Contains("pp=2x"));
  CHECK_THAT(plan_error("zero=4"), Contains("zero=4"));
  CHECK_THAT(plan_error("tp_overlap=2"), Contains("tp_overlap=2"));
  CHECK_THAT(plan_error("schedule=gpipe"), Contains("schedule=gpipe"));
  CHECK_THAT(plan_error("attn=sdpa"), Contains("attn=sdpa"));
  CHECK_THAT(plan_error("recompute=some"), Contains("recompute") && Contains("some"));
  CHECK_THAT(plan_error("tp"), Contains("'tp' is not key=value"));
}

TEST_CASE("perf: goodput of a Llama-3-scale job (Young/Daly)", "[perf]") {
  const auto c = test_constants();
  const auto g = perf::goodput(16'384, 405e9, c);
  // Failure rate 1.973e-5 /GPU/h x 16,384 GPUs = 0.32326 /h: MTBF 3.0935 h = 11,136.7 s.
  // Llama 3: 54 days x 24 h / 419 unexpected interruptions = 3.0931 h.
  CHECK(g.job_mtbf_s == Approx(3600.0 / (1.973e-5 * 16'384)));
  CHECK(g.job_mtbf_s == Approx(11'136.67).epsilon(1e-6));
  CHECK(g.job_mtbf_s / 3600 == Approx(54.0 * 24 / 419).epsilon(2e-4));
  // Checkpoint stall w = 405e9 x 14 B / 16,384 / 1.22e8 B/s = 346,069,336 B / 1.22e8 B/s = 2.83663 s.
  CHECK(g.checkpoint_write_s == Approx(2.83663).epsilon(1e-5));
  // Interval sqrt(2 · 2.83663 · 11,136.67) = sqrt(63,181.3) = 251.359 s.
  CHECK(g.checkpoint_interval_s == Approx(251.359).epsilon(1e-5));
  // Lost = w/τ + (τ/2 + 600)/MTBF = 0.011285 + (125.679 + 600)/11,136.67 = 0.011285 + 0.011285 + 0.053876
  //      = 0.076446; goodput 0.923554.
  CHECK(g.lost_fraction == Approx(0.076446).epsilon(1e-5));
  CHECK(g.goodput == Approx(1 - 0.076446).epsilon(1e-6));
  // The loss is capped at 95 %: 2^24 GPUs have an MTBF of 10.9 s, shorter than one restart.
  CHECK(perf::goodput(1 << 24, 405e9, c).goodput == Approx(0.05));
}

TEST_CASE("perf: default global batch is 0.292*C^0.3271 rounded to 2^k sequences", "[perf]") {
  const auto c = test_constants();
  // C = 3.8e25: ln C = 58.8996, x 0.3271 = 19.2661, e^ = 2.32888e8, x 0.292 = 6.8003e7 tokens;
  // / 8,192 = 8,301.2 sequences, log2 = 13.019 -> 2^13 = 8,192 sequences = 67,108,864 tokens.
  CHECK(perf::default_global_batch_tokens(3.8e25, 8192, c) == 8192LL * 8192);
  // C = 1e20: 0.292 · 10^(20 · 0.3271) = 0.292 · 3.4834e6 = 1.0171e6 tokens; / 4,096 = 248.3 sequences,
  // log2 = 7.956 -> rounds up to 2^8 = 256 sequences = 1,048,576 tokens.
  CHECK(perf::default_global_batch_tokens(1e20, 4096, c) == 256LL * 4096);
  // A tiny run still gets one sequence.
  CHECK(perf::default_global_batch_tokens(1e6, 4096, c) == 4096);
  // On a cluster, the count is odd·2^j with odd the GPU count's odd factor. 440 GPUs = 8 x 55:
  // 248.3 / 55 = 4.51 sequences, log2 = 2.17 -> 2^2, so 4 x 55 = 220 sequences.
  CHECK(perf::default_global_batch_tokens(1e20, 4096, c, 440) == 220LL * 4096);
  // A power-of-two cluster keeps the power-of-two batch; 24,576 = 2^13 x 3: 8,301.2 / 3 = 2,767,
  // log2 = 11.43 -> 2^11, so 6,144 sequences.
  CHECK(perf::default_global_batch_tokens(3.8e25, 8192, c, 2048) == 8192LL * 8192);
  CHECK(perf::default_global_batch_tokens(3.8e25, 8192, c, 24576) == 6144LL * 8192);
  // Fewer sequences than the odd factor: one sequence per odd part (at least odd sequences).
  CHECK(perf::default_global_batch_tokens(1e6, 4096, c, 10000) == 625LL * 4096);
}

TEST_CASE("perf: search returns the fastest legal plan, deterministically", "[perf]") {
  const auto m = tiny_profile();
  const auto c = test_constants();
  const auto hw = test_hardware();
  const auto cl = test_cluster(8, 4);  // TP up to 4; groups beyond 4 GPUs use the NIC
  const auto s = setup(32);
  const auto r = perf::search(m, hw, cl, s, c, 1000);
  REQUIRE_FALSE(r.top.empty());
  CHECK(r.plans_feasible <= r.plans_evaluated);
  CHECK(static_cast<std::int64_t>(r.top.size()) == r.plans_feasible);
  for (std::size_t i = 1; i < r.top.size(); ++i) CHECK(r.top[i - 1].time.step <= r.top[i].time.step);
  const auto& best = r.top.front();
  // Re-evaluating the best plan gives the same time.
  CHECK(perf::evaluate(m, hw, cl, s, best.plan, c).time.step == best.time.step);

  // No legal plan of a grid enumerated here independently is faster.
  using perf::Schedule;
  int legal = 0;
  for (int tp : {1, 2, 4})
    for (int pp : {1, 2, 4, 8}) {
      if (8 % (tp * pp) != 0) continue;
      const int dp = 8 / (tp * pp);
      for (int mb : {1, 2, 4})
        for (int zero : {0, 1, 2, 3})
          for (Recompute rc : {Recompute::none, Recompute::selective, Recompute::full})
            for (auto [sch, v] : {std::pair{Schedule::one_f_one_b, 1}, std::pair{Schedule::interleaved, 2},
                                  std::pair{Schedule::dualpipe, 1}}) {
              auto p = make_plan(tp, pp, dp, zero, sch, v);
              p.micro_batch = mb;
              p.recompute = rc;
              if (!perf::check_plan(m, cl, s, p).empty()) continue;
              const auto e = perf::evaluate(m, hw, cl, s, p, c);
              if (!e.feasible) continue;
              ++legal;
              INFO(perf::to_string(p) << " vs best " << perf::to_string(best.plan));
              CHECK(best.time.step <= e.time.step);
            }
    }
  CHECK(legal > 50);

  SECTION("the same inputs give the same ranking") {
    const auto again = perf::search(m, hw, cl, s, c, 1000);
    REQUIRE(again.top.size() == r.top.size());
    CHECK(again.plans_evaluated == r.plans_evaluated);
    for (std::size_t i = 0; i < r.top.size(); ++i) {
      CHECK(perf::to_string(again.top[i].plan) == perf::to_string(r.top[i].plan));
      CHECK(again.top[i].time.step == r.top[i].time.step);
    }
  }
  SECTION("a constraint restricts every returned plan") {
    perf::PlanConstraint k;
    k.tp = 2;
    const auto t2 = perf::search(m, hw, cl, s, c, 1000, k);
    REQUIRE_FALSE(t2.top.empty());
    for (const auto& e : t2.top) CHECK(e.plan.tp == 2);
    CHECK(t2.plans_evaluated < r.plans_evaluated);
    CHECK(t2.top.front().time.step >= best.time.step);
  }
  SECTION("top_k truncates") {
    CHECK(perf::search(m, hw, cl, s, c, 3).top.size() == 3);
  }
  SECTION("nothing fits: the closest infeasible plan says how many GB") {
    const auto none = perf::search(m, test_hardware(1e4), cl, s, c, 10);
    CHECK(none.top.empty());
    CHECK(none.plans_feasible == 0);
    CHECK(none.plans_evaluated > 0);
    REQUIRE(none.closest_infeasible.has_value());
    CHECK_FALSE(none.closest_infeasible->feasible);
    CHECK_THAT(perf::reason_text(*none.closest_infeasible), Contains("GB"));
  }
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

TEST_CASE("perf: the MoE layer's permutation, imbalance, host time and all-to-all overlap by hand", "[perf][moe]") {
  // Tiny MoE: d = 64, 4 experts top-2 of width 32, every layer MoE; seq 32, mb 1, tp 1.
  const auto m = perf::profile(model_from_hf_config(kTinyMoe, "tiny-moe"), kSeq, AttentionConvention::causal);
  REQUIRE(m.moe.count == 2);
  auto c = test_constants();
  const auto hw = test_hardware();
  auto s = setup(4);
  s.moe_imbalance = 1.0;
  auto layer = [&](int ep, perf::Schedule sch, const perf::Constants& k, const perf::TrainingSetup& st) {
    perf::Plan p = make_plan(1, sch == perf::Schedule::dualpipe ? 2 : 1, sch == perf::Schedule::dualpipe ? 1 : 2);
    p.ep = ep;
    p.schedule = sch;
    return perf::layer_times(m, hw, test_cluster(p.gpus()), st, p, k).moe;
  };
  using perf::Schedule;
  SECTION("permutation: HBM passes over the routed copies and the router's logits") {
    // ep = 1: no sort by local expert. Per token, one direction at b bytes per element:
    // the gather reads and writes k·d at b (2·k·d·b), the unpermute reads the k weighted
    // 16-bit copies (2·k·d) and writes their 16-bit sum (2·d):
    // b = 2 (BF16 dispatch): 2·2·64·2 + 2·2·64 + 2·64 = 896, forward and backward 1,792;
    // router softmax/top-k: 6 passes of E = 4 FP32 logits = 96. 32 tokens x 1,888 B at 3e12 B/s.
    const auto t = layer(1, Schedule::one_f_one_b, c, s);
    CHECK(t.permute == Approx(32.0 * 1888.0 / 3e12));
    CHECK(t.ep == 0);
    CHECK(t.host == 0);
    // The busiest rank gets twice the mean: its routed work doubles, attention does not.
    auto s2 = s;
    s2.moe_imbalance = 2.0;
    const auto t2 = layer(1, Schedule::one_f_one_b, c, s2);
    CHECK(t2.permute == Approx(2.0 * t.permute));
    CHECK(t2.attention == Approx(t.attention));
    CHECK(t2.gemm > t.gemm);
    // Unset imbalance takes the default (1.25 here).
    auto s_default = s;
    s_default.moe_imbalance.reset();
    CHECK(layer(1, Schedule::one_f_one_b, c, s_default).permute == Approx(1.25 * t.permute));
  }
  SECTION("host-bound time: a fixed cost per MoE layer and micro-batch, whatever the schedule") {
    auto k = c;
    k.moe_host_sync_s = 1e-3;
    CHECK(layer(1, Schedule::one_f_one_b, k, s).host == 1e-3);
    CHECK(layer(2, Schedule::dualpipe, k, s).host == 1e-3);  // the host has both chunks to launch
  }
  SECTION("host-bound time grows with the experts each GPU holds (one GEMM launch per local expert)") {
    // 4 experts: ep = 1 holds 4 per GPU, ep = 2 holds 2, ep = 4 holds 1; 0.1 ms each.
    auto k = c;
    k.moe_host_sync_s = 1e-3;
    k.moe_host_per_local_expert_s = 1e-4;
    CHECK(layer(1, Schedule::one_f_one_b, k, s).host == Approx(1e-3 + 4 * 1e-4));
    CHECK(layer(2, Schedule::one_f_one_b, k, s).host == Approx(1e-3 + 2 * 1e-4));
    // Dense layers pay none of it.
    perf::Plan p = make_plan(1, 1, 2);
    p.ep = 2;
    CHECK(perf::layer_times(tiny_profile(), hw, test_cluster(2), s, p, k).dense.host == 0);
  }
  SECTION("the EP group spans ep GPUs, whatever the attention's tp (MoE parallel folding)") {
    // tp = 4, ep = 4 on 4 GPUs of one 8-GPU domain: the experts fold over the 4 GPUs of the
    // stage, so the all-to-all stays on NVLink (tp x ep = 16 GPUs would span two domains).
    // Each GPU routes its sequence-parallel shard of 32 / 4 = 8 tokens; k·(ep-1)/ep = 1.5
    // copies each leave the GPU, 512 B per copy (as above) at 100 GB/s x 0.8.
    auto k = c;
    k.ep_overlap_1f1b = 0.0;
    perf::Plan p = make_plan(4, 1, 1);
    p.ep = 4;
    const auto t = perf::layer_times(m, hw, test_cluster(4), s, p, k).moe;
    CHECK(t.ep == Approx(8.0 * 1.5 * 512.0 / 8e10));
    // ep = 4 in 2-GPU domains spans two: half of the k = 2 copies leave the domain, at the
    // 25 GB/s NIC: 8 tokens x 1 copy x 512 B / (25e9 x 0.8), slower than the NVLink share
    // (8 x 1 copy x 512 / 8e10), and the two links run concurrently.
    const auto t2 = perf::layer_times(m, hw, test_cluster(4, 2), s, p, k).moe;
    CHECK(t2.ep == Approx(8.0 * 1.0 * 512.0 / 2e10));
  }
  SECTION("EP all-to-all: exposed unless a schedule pairs micro-batches") {
    // ep = 2 inside one 8-GPU domain: each token sends k·(ep-1)/ep = 1 copy over NVLink,
    // d·(2 + 2)·2 = 512 B (BF16 dispatch + combine, forward and backward), at 100 GB/s x 0.8:
    // 32 x 512 / 8e10 = 2.048e-7 s.
    const double t_ep = 32.0 * 512.0 / 8e10;
    auto k = c;
    k.ep_overlap_1f1b = 0.0;
    CHECK(layer(2, Schedule::one_f_one_b, k, s).ep == Approx(t_ep));
    // Megatron's EP overlap hides half; what is hidden still takes 15.15% of the SMs.
    k.ep_overlap_1f1b = 0.5;
    CHECK(layer(2, Schedule::one_f_one_b, k, s).ep == Approx(t_ep - 0.5 * t_ep + 0.5 * t_ep * 0.1515));
    // DualPipe hides all of it behind the paired compute (far longer here: 4 us per GEMM launch).
    CHECK(layer(2, Schedule::dualpipe, k, s).ep == Approx(t_ep * 0.1515));
    // Twice the mean tokens on the busiest rank: twice the traffic.
    auto s2 = s;
    s2.moe_imbalance = 2.0;
    k.ep_overlap_1f1b = 0.0;
    CHECK(layer(2, Schedule::one_f_one_b, k, s2).ep == Approx(2.0 * t_ep));
  }
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
