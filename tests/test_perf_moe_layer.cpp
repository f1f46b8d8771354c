// The performance model's MoE layer (estimator/src/perf): token permutation, load
// imbalance, host time and the all-to-all's overlap, by hand (arithmetic in
// comments); fixtures: perf_support.hpp.
#include <catch2/catch.hpp>

#include "perf_support.hpp"

using namespace traincost;
using test_support::kTinyMoe;
using test_support::kSeq;
using test_support::tiny_profile;
using test_support::test_constants;
using test_support::test_hardware;
using test_support::test_cluster;
using test_support::setup;
using test_support::make_plan;

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
  SECTION("host-bound time: a fixed cost per layer and micro-batch, whatever the schedule") {
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
    // A dense model's layers pay none of it: nothing syncs the host.
    perf::Plan p = make_plan(1, 1, 2);
    p.ep = 2;
    CHECK(perf::layer_times(tiny_profile(), hw, test_cluster(2), s, p, k).dense.host == 0);
  }
  SECTION("an MoE model's other layers pay the fixed host cost, not the per-expert one") {
    // A tiny Qwen3-MoE with its first layer dense (mlp_only_layers [0]): the MoE layers'
    // token-count sync keeps the host from queueing past the next MoE layer, so the dense
    // layer's launches wait too: 1 ms; it holds no experts, so no per-expert cost.
    const nlohmann::json cfg = R"({
      "model_type": "qwen3_moe", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
      "num_key_value_heads": 4, "head_dim": 16, "intermediate_size": 128, "moe_intermediate_size": 32,
      "num_experts": 4, "num_experts_per_tok": 2, "mlp_only_layers": [0], "vocab_size": 100,
      "tie_word_embeddings": false
    })"_json;
    const auto mixed = perf::profile(model_from_hf_config(cfg, "tiny-moe-1-dense"), kSeq, AttentionConvention::causal);
    REQUIRE(mixed.dense.count == 1);
    REQUIRE(mixed.moe.count == 1);
    auto k = c;
    k.moe_host_sync_s = 1e-3;
    k.moe_host_per_local_expert_s = 1e-4;
    perf::Plan p = make_plan(1, 1, 2);
    p.ep = 2;
    const auto lt = perf::layer_times(mixed, hw, test_cluster(2), s, p, k);
    CHECK(lt.dense.host == Approx(1e-3));
    CHECK(lt.moe.host == Approx(1e-3 + 2 * 1e-4));
    // Full recomputation relaunches the forward's third of it in both.
    p.recompute = Recompute::full;
    const auto lf = perf::layer_times(mixed, hw, test_cluster(2), s, p, k);
    CHECK(lf.dense.recompute == Approx((lf.dense.gemm + lf.dense.attention + lf.dense.elementwise) / 3.0 + 1e-3 / 3.0));
    // The two halves the host-constant fit uses give the same times, bit for bit.
    auto halves = perf::layer_times_without_host(mixed, hw, test_cluster(2), s, p, k);
    CHECK(halves.dense.host == 0);
    CHECK(halves.moe.host == 0);
    perf::add_host_time(mixed, p, k, halves);
    CHECK(halves.dense.total() == lf.dense.total());
    CHECK(halves.moe.total() == lf.moe.total());
    CHECK(halves.moe.recompute == lf.moe.recompute);
  }
  SECTION("full recomputation replays the MoE forward: one more dispatch + combine and the forward's launches") {
    // ep = 2 inside one 8-GPU domain, no EP overlap: the exposed all-to-all is
    // 32 x 512 / 8e10 s (next section). The replayed forward moves one dispatch and one
    // combine (half the forward + backward volume) and relaunches the forward's third of
    // the host-bound work ((1 ms + 2 local experts x 0.1 ms) / 3). Nothing of it without
    // full recomputation.
    auto k = c;
    k.ep_overlap_1f1b = 0.0;
    k.moe_host_sync_s = 1e-3;
    k.moe_host_per_local_expert_s = 1e-4;
    perf::Plan p = make_plan(1, 1, 2);
    p.ep = 2;
    const auto none = perf::layer_times(m, hw, test_cluster(2), s, p, k).moe;
    CHECK(none.recompute == 0);
    p.recompute = Recompute::full;
    const auto full = perf::layer_times(m, hw, test_cluster(2), s, p, k).moe;
    const double replay_compute = (full.gemm + full.attention + full.elementwise + full.permute) / 3.0;
    CHECK(full.ep == Approx(32.0 * 512.0 / 8e10));
    CHECK(full.host == Approx(1e-3 + 2 * 1e-4));  // the first pass is unchanged
    CHECK(full.recompute == Approx(replay_compute + full.ep / 2.0 + (1e-3 + 2 * 1e-4) / 3.0));
    // Selective recomputation replays attention only: no MoE replay.
    p.recompute = Recompute::selective;
    const auto sel = perf::layer_times(m, hw, test_cluster(2), s, p, k).moe;
    CHECK(sel.recompute == Approx(sel.attention / 3.0));
  }
  SECTION("recompute=moe: selective plus the MoE block's forward, its all-to-all and host share") {
    // ep = 2, no EP overlap. The forward + backward are the same at every level; what is
    // replayed is selective's core attention plus the MoE block's forward (router, routed
    // experts, permutation), one more dispatch + combine (half of t.ep) and a third of the
    // host time: more than selective, less than full (which also replays the attention
    // projections and the rest).
    auto k = c;
    k.ep_overlap_1f1b = 0.0;
    k.moe_host_sync_s = 1e-3;
    k.moe_host_per_local_expert_s = 1e-4;
    auto at = [&](Recompute r) {
      perf::Plan p = make_plan(1, 1, 2);
      p.ep = 2;
      p.recompute = r;
      return perf::layer_times(m, hw, test_cluster(2), s, p, k).moe;
    };
    const auto sel = at(Recompute::selective), moe = at(Recompute::moe), full = at(Recompute::full);
    CHECK(moe.gemm == sel.gemm);
    CHECK(moe.ep == sel.ep);
    CHECK(moe.host == sel.host);
    CHECK(sel.recompute == Approx(sel.attention / 3.0));
    CHECK(moe.recompute > sel.recompute + moe.ep / 2.0 + moe.host / 3.0);
    CHECK(moe.recompute < full.recompute);
    // Memory: it keeps the MoE block's input only, so less than selective, more than full.
    auto mem = [&](Recompute r) {
      perf::Plan p = make_plan(1, 1, 2);
      p.ep = 2;
      p.recompute = r;
      return perf::evaluate(m, hw, test_cluster(2), s, p, k).memory.activations;
    };
    CHECK(mem(Recompute::moe) < mem(Recompute::selective));
    CHECK(mem(Recompute::moe) > mem(Recompute::full));
    // A dense model has no MoE block to recompute: the plan is refused, with the reason.
    perf::Plan d = make_plan(1, 1, 2);
    d.recompute = Recompute::moe;
    const auto e = perf::evaluate(tiny_profile(), hw, test_cluster(2), s, d, k);
    CHECK_FALSE(e.feasible);
    CHECK(e.reason.find("recompute=moe") != std::string::npos);
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
    // The NIC carries that off-domain copy whether or not a schedule hides it: the time a
    // ZeRO-3 gather over the same NIC cannot use. Inside one domain the NIC is idle.
    CHECK(t2.ep_nic_busy == Approx(8.0 * 1.0 * 512.0 / 2e10));
    CHECK(t.ep_nic_busy == 0);
    k.ep_overlap_1f1b = 1.0;
    CHECK(perf::layer_times(m, hw, test_cluster(4, 2), s, p, k).moe.ep_nic_busy == Approx(t2.ep_nic_busy));
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
