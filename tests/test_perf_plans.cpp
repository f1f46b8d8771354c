// The performance model's plans (estimator/src/perf): legality (check_plan), parsing,
// the plan search, and the run-level numbers around them: goodput and the default
// global batch. Expected values are derived by hand from the formulas in
// evaluate.cpp / search.cpp (arithmetic in comments); fixtures: perf_support.hpp.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "perf_support.hpp"
#include "traincost/perf/search.hpp"
#include "traincost/util/error.hpp"

using namespace traincost;
using test_support::kTinyMoe;
using test_support::kSeq;
using test_support::tiny_profile;
using test_support::test_constants;
using test_support::test_hardware;
using test_support::test_cluster;
using test_support::setup;
using test_support::make_plan;
using Catch::Matchers::Contains;

namespace {

std::string plan_error(const std::string& text) {
  try {
    perf::parse_plan(text);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "<no UsageError>";
}

}  // namespace

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
  auto c = test_constants();
  // A profile of one FLOP per token: C = D, and F^0.3271 = 1.
  perf::ModelProfile dense;
  dense.model_flops_per_token = 1.0;
  const auto batch = [&](double flops, std::int64_t seq, std::int64_t gpus = 0) {
    return perf::default_global_batch_tokens(dense, flops, seq, c, gpus);
  };
  // C = 3.8e25: ln C = 58.8996, x 0.3271 = 19.2661, e^ = 2.32888e8, x 0.292 = 6.8003e7 tokens;
  // / 8,192 = 8,301.2 sequences, log2 = 13.019 -> 2^13 = 8,192 sequences = 67,108,864 tokens.
  CHECK(batch(3.8e25, 8192) == 8192LL * 8192);
  // C = 1e20: 0.292 · 10^(20 · 0.3271) = 0.292 · 3.4834e6 = 1.0171e6 tokens; / 4,096 = 248.3 sequences,
  // log2 = 7.956 -> rounds up to 2^8 = 256 sequences = 1,048,576 tokens.
  CHECK(batch(1e20, 4096) == 256LL * 4096);
  // A tiny run still gets one sequence.
  CHECK(batch(1e6, 4096) == 4096);
  // On a cluster, the count is odd·2^j with odd the GPU count's odd factor. 440 GPUs = 8 x 55:
  // 248.3 / 55 = 4.51 sequences, log2 = 2.17 -> 2^2, so 4 x 55 = 220 sequences.
  CHECK(batch(1e20, 4096, 440) == 220LL * 4096);
  // A power-of-two cluster keeps the power-of-two batch; 24,576 = 2^13 x 3: 8,301.2 / 3 = 2,767,
  // log2 = 11.43 -> 2^11, so 6,144 sequences.
  CHECK(batch(3.8e25, 8192, 2048) == 8192LL * 8192);
  CHECK(batch(3.8e25, 8192, 24576) == 6144LL * 8192);
  // Fewer sequences than the odd factor: one sequence per odd part (at least odd sequences).
  CHECK(batch(1e6, 4096, 10000) == 625LL * 4096);
  // The sparsity term: S^s with S = stored / active parameters; the base rule has s = 0,
  // so a 16x-sparse MoE gets the dense batch, and with s = 0.5 four times it:
  // 1e20 -> 1.0171e6 x 4 = 4.0684e6 tokens / 4,096 = 993.3 sequences, log2 9.956 -> 1,024.
  perf::ModelProfile moe = dense;
  moe.params_per_active_param = 16;
  CHECK(perf::default_global_batch_tokens(moe, 1e20, 4096, c) == 256LL * 4096);
  c.batch_sparsity_exponent = 0.5;
  CHECK(perf::default_global_batch_tokens(moe, 1e20, 4096, c) == 1024LL * 4096);
  CHECK(perf::default_global_batch_tokens(dense, 1e20, 4096, c) == 256LL * 4096);
  CHECK(perf::rule_batch_tokens(1.0, 1e20, 16, c) == Approx(4.0684e6).epsilon(1e-3));
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
