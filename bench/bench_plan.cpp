// Speed of the performance model: one plan evaluation must stay well under a
// microsecond, so that the full plan search (every legal plan of a cluster)
// finishes in under 100 ms on one core.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/constants.hpp"
#include "traincost/perf/evaluate.hpp"
#include "traincost/perf/plan.hpp"
#include "traincost/perf/search.hpp"

using namespace traincost;

namespace {

void use_source_data() { setenv("TRAINCOST_DATA_DIR", TRAINCOST_SOURCE_DIR, 0); }

// Everything one evaluation or search needs, built once per scenario (as
// `traincost plan` does in run_plan).
struct Scenario {
  ModelSpec model;
  perf::TrainingSetup setup;
  perf::ModelProfile profile;
  perf::Cluster cluster;
  perf::Hardware hardware;
  perf::Plan plan;
};

Scenario make_scenario(const std::string& model, const std::string& accelerator, std::int64_t gpus,
                       Precision precision, std::int64_t seq_len, std::int64_t global_batch_tokens,
                       const std::string& plan) {
  use_source_data();
  Scenario s;
  s.model = load_model(model);
  const Accelerator hw = load_accelerator(accelerator);
  s.setup.seq_len = seq_len;
  s.setup.global_batch_tokens = global_batch_tokens;
  s.setup.precision = precision;
  s.profile = perf::profile(s.model, s.setup.seq_len, s.setup.attention);
  s.cluster = perf::cluster_for(hw, gpus);
  s.hardware = perf::hardware_facts(hw, precision, perf::constants());
  s.plan = perf::parse_plan(plan);
  return s;
}

const Scenario& llama405b() {
  static const Scenario s = make_scenario("llama-3.1-405b", "h100-sxm", 16'384, Precision::bf16, 8192, 16'777'216,
                                          "tp=8,pp=16,dp=128,schedule=interleaved,vpp=4,zero=3,mb=1");
  return s;
}

const Scenario& deepseek_v3() {
  static const Scenario s = make_scenario("deepseek-v3", "h800", 2'048, Precision::fp8, 4096, 62'914'560,
                                          "tp=1,pp=16,dp=128,ep=64,schedule=dualpipe,zero=1,mb=1,recompute=full");
  return s;
}

// What `serve`'s POST /api/estimate runs without --mfu: DeepSeek-V3 on 2048 x H800,
// 14.8T tokens, the default (B_opt) batch, top-1 (perf::derive_throughput).
const Scenario& deepseek_v3_estimate() {
  static const Scenario s = [] {
    Scenario t = deepseek_v3();
    t.setup.global_batch_tokens = perf::default_global_batch_tokens(t.profile, 14.8e12, t.setup.seq_len, perf::constants());
    return t;
  }();
  return s;
}

void evaluate_plan(benchmark::State& state, const Scenario& s) {
  const perf::Constants& c = perf::constants();
  {
    const std::string why = perf::check_plan(s.profile, s.cluster, s.setup, s.plan);
    if (!why.empty()) {
      state.SkipWithError(("illegal plan: " + why).c_str());
      return;
    }
  }
  bool feasible = false;
  for (auto _ : state) {
    perf::Evaluation e = perf::evaluate(s.profile, s.hardware, s.cluster, s.setup, s.plan, c);
    feasible = e.feasible;
    benchmark::DoNotOptimize(e);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["feasible"] = feasible ? 1 : 0;
}

void search_plans(benchmark::State& state, const Scenario& s, int top_k = 5) {
  const perf::Constants& c = perf::constants();
  std::int64_t plans = 0, feasible = 0;
  std::int64_t total = 0;
  for (auto _ : state) {
    perf::SearchResult r = perf::search(s.profile, s.hardware, s.cluster, s.setup, c, top_k);
    plans = r.plans_evaluated;
    feasible = r.plans_feasible;
    total += r.plans_evaluated;
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
  state.counters["plans"] = static_cast<double>(plans);
  state.counters["feasible"] = static_cast<double>(feasible);
  state.counters["plans/s"] = benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}

void BM_EvaluatePlan_Llama405B(benchmark::State& state) { evaluate_plan(state, llama405b()); }
BENCHMARK(BM_EvaluatePlan_Llama405B);

void BM_EvaluatePlan_DeepSeekV3(benchmark::State& state) { evaluate_plan(state, deepseek_v3()); }
BENCHMARK(BM_EvaluatePlan_DeepSeekV3);

void BM_Search_Llama405B_16384(benchmark::State& state) { search_plans(state, llama405b()); }
BENCHMARK(BM_Search_Llama405B_16384)->Unit(benchmark::kMillisecond);

void BM_Search_DeepSeekV3_2048(benchmark::State& state) { search_plans(state, deepseek_v3()); }
BENCHMARK(BM_Search_DeepSeekV3_2048)->Unit(benchmark::kMillisecond);

void BM_Search_DeepSeekV3_2048_Estimate(benchmark::State& state) { search_plans(state, deepseek_v3_estimate(), 1); }
BENCHMARK(BM_Search_DeepSeekV3_2048_Estimate)->Unit(benchmark::kMillisecond);

void BM_ProfileBuild(benchmark::State& state) {
  const Scenario& s = deepseek_v3();
  for (auto _ : state) {
    perf::ModelProfile p = perf::profile(s.model, s.setup.seq_len, s.setup.attention);
    benchmark::DoNotOptimize(p);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ProfileBuild);

}  // namespace
