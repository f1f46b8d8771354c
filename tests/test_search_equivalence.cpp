// The plan search's shortcuts change no result. The search checks legality
// without formatting a message, checks memory before timing a plan, times only
// plans that fit or come closest, and shares layer times between plans that
// differ only in pp, dp, vpp or ZeRO. Here a reference search, the plain loop
// over evaluate() that the search used to be, must give the same counts, the
// same top-K and the same closest miss, with every number bit for bit equal.
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/evaluate.hpp"
#include "traincost/perf/plan.hpp"
#include "traincost/perf/search.hpp"

using namespace traincost;

namespace {

struct Case {
  perf::ModelProfile m;
  perf::Hardware hw;
  perf::Cluster cl;
  perf::TrainingSetup s;
};

Case make_case(const std::string& model, const std::string& chip, std::int64_t gpus, Precision precision,
               std::int64_t seq_len, std::int64_t batch_tokens) {
  const Accelerator a = load_accelerator(chip);
  Case k;
  k.s.seq_len = seq_len;
  k.s.precision = precision;
  k.s.global_batch_tokens = batch_tokens;
  k.m = perf::profile(load_model(model), seq_len, AttentionConvention::causal);
  k.hw = perf::hardware_facts(a, precision, perf::constants());
  k.cl = perf::cluster_for(a, gpus);
  return k;
}

// Exact equality of every number an evaluation carries.
void require_same(const perf::Evaluation& a, const perf::Evaluation& b) {
  INFO(perf::to_string(a.plan) << " vs " << perf::to_string(b.plan));
  REQUIRE(perf::to_string(a.plan) == perf::to_string(b.plan));
  REQUIRE(a.feasible == b.feasible);
  REQUIRE(a.over_memory == b.over_memory);
  REQUIRE(a.reason == b.reason);
  REQUIRE(a.micro_batches == b.micro_batches);
  const auto mem = [](const perf::MemoryBreakdown& x) {
    return std::make_tuple(x.weights, x.gradients, x.optimizer, x.activations, x.capacity);
  };
  REQUIRE(mem(a.memory) == mem(b.memory));
  const auto time = [](const perf::TimeBreakdown& t) {
    return std::make_tuple(t.gemm, t.attention, t.elementwise, t.recompute, t.tp_comm, t.ep_comm, t.cp_comm, t.pp_p2p,
                           t.pp_bubble, t.dp_comm, t.optimizer, t.step);
  };
  REQUIRE(time(a.time) == time(b.time));
  REQUIRE(std::make_tuple(a.tokens_per_s, a.mfu, a.mfu_bf16, a.hfu) ==
          std::make_tuple(b.tokens_per_s, b.mfu, b.mfu_bf16, b.hfu));
}

std::vector<int> divisors(std::int64_t n, std::int64_t max) {
  std::vector<int> v;
  for (std::int64_t i = 1; i <= std::min(n, max); ++i)
    if (n % i == 0) v.push_back(static_cast<int>(i));
  return v;
}

// The search as it was: the same candidates, each through evaluate().
perf::SearchResult reference_search(const Case& k, int top_k) {
  const perf::Constants& c = perf::constants();
  perf::SearchResult r;
  const std::int64_t seqs = k.s.global_batch_tokens / k.s.seq_len;
  std::vector<int> tps;
  for (int t = 1; t <= std::min<std::int64_t>(k.cl.scale_up_domain, k.m.num_heads); t *= 2) tps.push_back(t);
  std::vector<int> cps = {1};
  if (k.s.seq_len >= 16384)
    for (int cp = 2; cp <= 32; cp *= 2) cps.push_back(cp);
  auto key = [](const perf::Plan& p) {
    return std::make_tuple(p.tp, p.pp, p.dp, p.cp, p.ep, p.vpp, static_cast<int>(p.schedule), p.zero, p.micro_batch,
                           static_cast<int>(p.recompute));
  };
  std::vector<perf::Evaluation> all;
  for (int tp : tps) {
    for (int cp : cps) {
      if (k.cl.gpus % (static_cast<std::int64_t>(tp) * cp) != 0) continue;
      const std::int64_t rest = k.cl.gpus / (static_cast<std::int64_t>(tp) * cp);
      for (int pp : divisors(rest, k.m.num_layers)) {
        const int dp = static_cast<int>(rest / pp);
        if (seqs % dp != 0) continue;
        const std::vector<int> eps = k.m.is_moe ? divisors(k.m.num_experts, static_cast<std::int64_t>(tp) * dp)
                                                : std::vector<int>{1};
        for (int ep : eps)
          for (int mb : {1, 2, 4, 8}) {
            std::vector<std::pair<perf::Schedule, int>> scheds = {{perf::Schedule::one_f_one_b, 1}};
            if (pp > 1) {
              // The search splits layers only (pp x vpp <= layers; pinned plans may count
              // the embedding and loss as stages too).
              for (int v : {2, 4, 8})
                if (pp * v <= k.m.num_layers) scheds.emplace_back(perf::Schedule::interleaved, v);
              if (pp % 2 == 0) scheds.emplace_back(perf::Schedule::dualpipe, 1);
            }
            for (const auto& [sched, vpp] : scheds)
              for (Recompute rc : {Recompute::none, Recompute::selective, Recompute::moe, Recompute::full})
                for (int z : {1, 3, 0}) {
                  perf::Plan p;
                  p.tp = tp; p.pp = pp; p.dp = dp; p.cp = cp; p.ep = ep; p.vpp = vpp;
                  p.schedule = sched; p.zero = z; p.micro_batch = mb; p.recompute = rc;
                  perf::Evaluation e = perf::evaluate(k.m, k.hw, k.cl, k.s, p, c);
                  if (!e.feasible && !e.over_memory) continue;
                  ++r.plans_evaluated;
                  if (e.feasible) {
                    ++r.plans_feasible;
                    all.push_back(e);
                  } else if (!r.closest_infeasible || e.memory.total() - e.memory.capacity <
                                                          r.closest_infeasible->memory.total() -
                                                              r.closest_infeasible->memory.capacity) {
                    r.closest_infeasible = e;
                  }
                }
          }
      }
    }
  }
  std::stable_sort(all.begin(), all.end(), [&](const perf::Evaluation& a, const perf::Evaluation& b) {
    if (a.time.step != b.time.step) return a.time.step < b.time.step;
    return key(a.plan) < key(b.plan);
  });
  if (all.size() > static_cast<std::size_t>(top_k)) all.resize(static_cast<std::size_t>(top_k));
  r.top = all;
  return r;
}

void require_same_search(const Case& k, int top_k) {
  const perf::SearchResult fast = perf::search(k.m, k.hw, k.cl, k.s, perf::constants(), top_k);
  const perf::SearchResult ref = reference_search(k, top_k);
  REQUIRE(fast.plans_evaluated == ref.plans_evaluated);
  REQUIRE(fast.plans_feasible == ref.plans_feasible);
  REQUIRE(fast.top.size() == ref.top.size());
  for (std::size_t i = 0; i < ref.top.size(); ++i) require_same(fast.top[i], ref.top[i]);
  REQUIRE(fast.closest_infeasible.has_value() == ref.closest_infeasible.has_value());
  if (ref.closest_infeasible) require_same(*fast.closest_infeasible, *ref.closest_infeasible);
}

}  // namespace

TEST_CASE("search: same counts, top-K and closest miss as evaluating every plan (DeepSeek-V3, 2048 x H800)",
          "[perf][search]") {
  const Case k = make_case("deepseek-v3", "h800", 2048, Precision::fp8, 4096, 62'914'560);
  require_same_search(k, 20);
}

TEST_CASE("search: same result as evaluating every plan (dense, long context, infeasible)", "[perf][search]") {
  SECTION("Llama 3.1 70B, 1024 x H100, seq 32768: context parallelism in the space") {
    require_same_search(make_case("llama-3.1-70b", "h100-sxm", 1024, Precision::bf16, 32768, 16'777'216), 20);
  }
  SECTION("Mixtral 8x22B, 1024 x A100") {
    require_same_search(make_case("mixtral-8x22b", "a100-80gb", 1024, Precision::bf16, 4096, 8'388'608), 20);
  }
  SECTION("Llama 3.1 405B, 64 x A100: nothing fits, the closest miss is the same") {
    const Case k = make_case("llama-3.1-405b", "a100-80gb", 64, Precision::bf16, 4096, 4'194'304);
    REQUIRE(perf::search(k.m, k.hw, k.cl, k.s, perf::constants(), 5).top.empty());
    require_same_search(k, 5);
  }
}

TEST_CASE("evaluate_memory + add_time is evaluate; plan_is_legal is check_plan().empty()", "[perf][search]") {
  const perf::Constants& c = perf::constants();
  const Case k = make_case("deepseek-v3", "h800", 256, Precision::fp8, 4096, 4'194'304);
  int legal = 0, illegal = 0, fits = 0;
  for (int tp : {1, 2, 8})
    for (int pp : {1, 2, 4, 8})
      for (int ep : {1, 3, 8, 32})
        for (int sched = 0; sched < 3; ++sched)
          for (int z = 0; z <= 3; ++z)
            for (Recompute rc : {Recompute::none, Recompute::selective, Recompute::moe, Recompute::full})
              for (auto kernel : {perf::AttentionKernel::flash, perf::AttentionKernel::materialized}) {
                perf::Plan p;
                p.tp = tp; p.pp = pp; p.dp = static_cast<int>(256 / (tp * pp)); p.ep = ep;
                p.schedule = static_cast<perf::Schedule>(sched);
                p.vpp = p.schedule == perf::Schedule::interleaved ? 2 : 1;
                p.zero = z; p.recompute = rc; p.attention_kernel = kernel; p.tp_overlap = z % 2 == 0;
                const perf::Evaluation full = perf::evaluate(k.m, k.hw, k.cl, k.s, p, c);
                const bool ok = perf::plan_is_legal(k.m, k.cl, k.s, p);
                REQUIRE(ok == perf::check_plan(k.m, k.cl, k.s, p).empty());
                perf::Evaluation halves = perf::evaluate_memory(k.m, k.hw, k.cl, k.s, p, c);
                REQUIRE_FALSE(halves.feasible);
                REQUIRE(halves.over_memory == full.over_memory);
                perf::add_time(k.m, k.hw, k.cl, k.s, c, perf::layer_times(k.m, k.hw, k.cl, k.s, p, c), halves);
                require_same(halves, full);
                (ok ? legal : illegal) += 1;
                fits += full.feasible ? 1 : 0;
              }
  // The grid covers legal and illegal plans, and plans that fit and that do not.
  CHECK(legal > 100);
  CHECK(illegal > 100);
  CHECK(fits > 10);
  CHECK(fits < legal);
}
