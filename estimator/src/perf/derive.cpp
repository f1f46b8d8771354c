#include "traincost/perf/derive.hpp"

#include <map>

#include <fmt/format.h>

#include "traincost/perf/search.hpp"
#include "traincost/perf/sizing.hpp"
#include "traincost/util/error.hpp"

namespace traincost::perf {

std::optional<DerivedThroughput> derive_throughput(const ModelSpec& model, const Accelerator& hw,
                                                   const EstimateInputs& in, const std::string& plan_text,
                                                   std::optional<std::int64_t> global_batch_tokens, std::string* why) {
  // A precision the chip has no peak for is the user's error, before any fallback.
  (void)hw.peak_flops_per_s(in.precision);
  const Constants& c = constants();
  const ModelProfile prof = profile(model, in.flops.seq_len, AttentionConvention::causal);
  TrainingSetup setup;
  setup.seq_len = in.flops.seq_len;
  setup.precision = in.precision;
  setup.moe_imbalance = in.moe_imbalance;
  if (!in.gpus && !plan_text.empty()) throw UsageError("--plan needs --gpus");
  Hardware facts;
  try {
    (void)cluster_for(hw, in.gpus.value_or(8));
    facts = hardware_facts(hw, in.precision, c);
  } catch (const UsageError& e) {
    if (!plan_text.empty()) throw;
    if (why) *why = e.what();
    return std::nullopt;
  }
  if (!global_batch_tokens) global_batch_tokens = in.global_batch_tokens;
  // The default rule gives whole sequences by construction; a given batch must too.
  if (global_batch_tokens && *global_batch_tokens % setup.seq_len != 0)
    throw UsageError(fmt::format("--global-batch-tokens: {} must be a multiple of --seq-len {}", *global_batch_tokens,
                                 setup.seq_len));
  const auto batch_for = [&](std::int64_t n) {
    return global_batch_tokens.value_or(
        default_global_batch_tokens(prof, in.tokens, setup.seq_len, c, n));
  };
  const auto search_on = [&](std::int64_t n) {
    TrainingSetup s = setup;
    s.global_batch_tokens = batch_for(n);
    PlanConstraint pin;
    pin.recompute = in.recompute_pin;
    return search(prof, facts, cluster_for(hw, n), s, c, 1, pin);
  };
  // Without a GPU count, the one sizing rule every question shares (perf/sizing.hpp),
  // judged by this model's own whole-run days.
  std::optional<AssumedCluster> assumed;
  std::optional<Evaluation> sized_best;
  if (!in.gpus) {
    std::map<std::int64_t, std::optional<Evaluation>> seen;
    const auto days_on = [&](std::int64_t n) -> std::optional<double> {
      const SearchResult r = search_on(n);
      auto& slot = seen[n];
      if (r.top.empty()) return std::nullopt;
      slot = r.top.front();
      return whole_run_days(in.tokens, slot->tokens_per_s, n, prof.total_params, c);
    };
    assumed = size_for_deadline(prof.model_flops_per_token * in.tokens, hw.peak_flops_per_s(in.precision), c,
                                in.target_days, days_on);
    if (!assumed->days)
      throw InputError(fmt::format("no parallel plan fits {} on {} up to {} GPUs ({})", model.name, hw.id, assumed->gpus,
                                   assumed->rule));
    sized_best = seen.at(assumed->gpus);
  }
  const std::int64_t gpus = in.gpus ? *in.gpus : assumed->gpus;
  setup.global_batch_tokens = batch_for(gpus);
  Evaluation best;
  if (sized_best) {
    best = *sized_best;
  } else if (!plan_text.empty()) {
    const Plan p = parse_plan(plan_text);
    const Cluster cl = cluster_for(hw, gpus);
    if (auto bad = check_plan(prof, cl, setup, p); !bad.empty()) throw UsageError("--plan: " + bad);
    best = evaluate(prof, facts, cl, setup, p, c);
    if (!best.feasible) throw InputError(fmt::format("--plan {} does not fit: {}", to_string(p), reason_text(best)));
  } else {
    const SearchResult r = search_on(gpus);
    if (r.top.empty()) {
      const auto need = min_gpus_that_fit(prof, facts, [&](std::int64_t n) { return cluster_for(hw, n); }, setup, c, gpus);
      throw InputError(fmt::format("no parallel plan fits {} on {} x {}{}{}", model.name, gpus, hw.id,
                                   r.closest_infeasible ? " (closest: " + reason_text(*r.closest_infeasible) + ")" : "",
                                   need ? fmt::format("; doubling the cluster, the first size that fits is {} GPUs", *need)
                                        : "; no cluster up to 1M GPUs fits"));
    }
    best = r.top.front();
  }
  const Goodput g = goodput(gpus, prof.total_params, c);
  DerivedThroughput d{best.tokens_per_s, best.mfu, g.goodput, c.run_efficiency, to_string(best.plan), gpus, "", best.plan.recompute};
  if (assumed) d.gpus_rule = assumed->rule;
  d.global_batch_tokens = setup.global_batch_tokens;
  d.batch_from_rule = !global_batch_tokens.has_value();
  return d;
}

}  // namespace traincost::perf
