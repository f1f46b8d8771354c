#include "traincost/perf/derive.hpp"

#include <fmt/format.h>

#include "traincost/perf/search.hpp"
#include "traincost/util/error.hpp"

namespace traincost::perf {

std::optional<DerivedThroughput> derive_throughput(const ModelSpec& model, const Accelerator& hw,
                                                   const EstimateInputs& in, const std::string& plan_text,
                                                   std::optional<std::int64_t> global_batch_tokens, std::string* why) {
  if (!in.gpus) {
    if (why) *why = "no GPU count";
    return std::nullopt;
  }
  const Constants& c = constants();
  TrainingSetup setup;
  setup.seq_len = in.flops.seq_len;
  setup.precision = in.precision;
  setup.moe_imbalance = in.moe_imbalance;
  Cluster cl;
  Hardware facts;
  try {
    cl = cluster_for(hw, *in.gpus);
    facts = hardware_facts(hw, in.precision, c);
  } catch (const UsageError& e) {
    if (!plan_text.empty()) throw;
    if (why) *why = e.what();
    return std::nullopt;
  }
  const ModelProfile prof = profile(model, setup.seq_len, AttentionConvention::causal);
  setup.global_batch_tokens = global_batch_tokens.value_or(
      default_global_batch_tokens(prof.model_flops_per_token * in.tokens, setup.seq_len, c, *in.gpus));
  if (setup.global_batch_tokens % setup.seq_len != 0)
    throw UsageError(fmt::format("--global-batch-tokens: {} must be a multiple of --seq-len {}", setup.global_batch_tokens,
                                 setup.seq_len));
  Evaluation best;
  if (!plan_text.empty()) {
    const Plan p = parse_plan(plan_text);
    if (auto bad = check_plan(prof, cl, setup, p); !bad.empty()) throw UsageError("--plan: " + bad);
    best = evaluate(prof, facts, cl, setup, p, c);
    if (!best.feasible) throw InputError(fmt::format("--plan {} does not fit: {}", to_string(p), reason_text(best)));
  } else {
    const SearchResult r = search(prof, facts, cl, setup, c, 1);
    if (r.top.empty()) {
      const auto need = min_gpus_that_fit(prof, facts, [&](std::int64_t n) { return cluster_for(hw, n); }, setup, c, *in.gpus);
      throw InputError(fmt::format("no parallel plan fits {} on {} x {}{}{}", model.name, *in.gpus, hw.id,
                                   r.closest_infeasible ? " (closest: " + reason_text(*r.closest_infeasible) + ")" : "",
                                   need ? fmt::format("; doubling the cluster, the first size that fits is {} GPUs", *need)
                                        : "; no cluster up to 1M GPUs fits"));
    }
    best = r.top.front();
  }
  const Goodput g = goodput(*in.gpus, prof.total_params, c);
  return DerivedThroughput{best.tokens_per_s, best.mfu, g.goodput, c.run_efficiency, to_string(best.plan)};
}

}  // namespace traincost::perf
