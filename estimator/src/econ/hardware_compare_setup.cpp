#include "hardware_compare_setup.hpp"

#include "traincost/cost/constants.hpp"
#include "traincost/perf/search.hpp"
#include "traincost/perf/sizing.hpp"

namespace traincost::econ::detail {

EstimateInputs hw_compare_base_inputs(const HwCompareInputs& in, Precision p) {
  EstimateInputs ei;
  ei.tokens = in.tokens;
  ei.precision = p;
  ei.flops.seq_len = in.seq_len;
  ei.pue = defaults::kPue;
  ei.grid_kgco2_per_kwh = defaults::kGridKgCo2PerKwh;
  return ei;
}

PerfSetup::PerfSetup(const ModelSpec& m, const Accelerator& a, const HwCompareInputs& i, Precision p)
    : model(m), hw(a), in(i), precision(p), c(perf::constants()) {
  facts = perf::hardware_facts(hw, p, c);  // throws UsageError naming a missing fact
  prof = perf::profile(model, in.seq_len, AttentionConvention::causal);
  setup.seq_len = in.seq_len;
  setup.precision = p;
}

perf::TrainingSetup PerfSetup::setup_for(std::int64_t n) const {
  perf::TrainingSetup t = setup;
  t.global_batch_tokens = perf::default_global_batch_tokens(prof, in.tokens, in.seq_len, c, n);
  return t;
}

std::optional<PerfRun> PerfSetup::run(std::int64_t n, const Accelerator* links) const {
  PerfRun r;
  r.cluster = perf::cluster_for(links ? *links : hw, n);  // throws UsageError naming a missing fact
  const perf::SearchResult s = perf::search(prof, facts, r.cluster, setup_for(n), c, 1);
  if (s.top.empty()) return std::nullopt;
  r.best = s.top.front();
  const perf::Goodput g = perf::goodput(n, prof.total_params, c);
  EstimateInputs ei = hw_compare_base_inputs(in, precision);
  ei.gpus = n;
  ei.derived = DerivedThroughput{r.best.tokens_per_s, r.best.mfu, g.goodput, c.run_efficiency, perf::to_string(r.best.plan), n, "",
                                 r.best.plan.recompute};
  r.estimate = estimate(model, hw, ei);
  return r;
}

std::optional<std::int64_t> PerfSetup::min_fit(std::int64_t from, std::int64_t max) const {
  return perf::smallest_pow2_cluster_that_fits(prof, facts, hw, setup, in.tokens, c, from, max);  // budget's rule too
}

}  // namespace traincost::econ::detail
