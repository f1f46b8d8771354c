// Speed of the counting core: the plan search of the performance model will
// call these per candidate plan, so they must stay in the microseconds.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "traincost/cost/estimate.hpp"
#include "traincost/model/loader.hpp"

using namespace traincost;

namespace {
const ModelSpec& deepseek() {
  static const ModelSpec s = [] {
    setenv("TRAINCOST_DATA_DIR", TRAINCOST_SOURCE_DIR, 0);
    return load_model("deepseek-v3");
  }();
  return s;
}

void BM_CountParams(benchmark::State& state) {
  const ModelSpec& s = deepseek();
  for (auto _ : state) benchmark::DoNotOptimize(count_params(s).total());
}
BENCHMARK(BM_CountParams);

void BM_FlopsPerToken(benchmark::State& state) {
  const ModelSpec& s = deepseek();
  FlopOptions o;
  for (auto _ : state) benchmark::DoNotOptimize(flops_per_token(s, o).model());
}
BENCHMARK(BM_FlopsPerToken);

void BM_LoadPresetFromDisk(benchmark::State& state) {
  deepseek();
  for (auto _ : state) benchmark::DoNotOptimize(load_model("deepseek-v3").hidden_size);
}
BENCHMARK(BM_LoadPresetFromDisk);
}  // namespace
