// traincost plan: search parallel plans (memory, step time, MFU) or evaluate one.
// No feasible plan is exit code 1 with the report (closest infeasible) printed.
#include <fmt/format.h>

#include "commands.hpp"
#include "model_input.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/search.hpp"
#include "traincost/report/plan_report.hpp"

namespace traincost::cli {

namespace {

struct PlanArgs {
  std::string model;
  std::optional<nlohmann::json> model_config;
  std::string assume_family;
  std::string total_params, active_params, layers, experts, top_k;  // or a shape from counts
  std::string hardware, gpus, tokens, seq_len = "4096", batch, precision = "bf16", top = "5", plan,
      attention = "causal", format = "table", moe_imbalance;
};

void run(const PlanArgs& a, CommandResult& res) {
  const Format format = parse_format(a.format);
  const std::int64_t gpus = parse_count("--gpus", a.gpus, 1, 10'000'000);
  const double tokens = parse_quantity("--tokens", a.tokens, 1.0, 1e16);
  perf::TrainingSetup setup;
  setup.seq_len = parse_count("--seq-len", a.seq_len, 1, 100'000'000);
  setup.precision = parse_precision(a.precision);
  setup.attention = parse_attention(a.attention);
  setup.moe_imbalance = parse_moe_imbalance(a.moe_imbalance);
  const int top = static_cast<int>(parse_count("--top", a.top, 1, 1000));
  const Accelerator hw = load_hardware_option(a.hardware);
  const ModelInput input = resolve_model(a.model, a.model_config, counts_of(a), a.assume_family);
  const ModelSpec& model = input.spec;
  add_warnings(res, model);
  if (setup.moe_imbalance && !model.is_moe()) res.notes.push_back(kMoeImbalanceDenseNote);
  const perf::Constants& c = perf::constants();
  const perf::ModelProfile prof = perf::profile(model, setup.seq_len, setup.attention);
  setup.global_batch_tokens =
      a.batch.empty() ? perf::default_global_batch_tokens(prof, tokens, setup.seq_len, c, gpus)
                      : parse_whole_quantity("--global-batch-tokens", a.batch, 1.0, 1e12);
  if (setup.global_batch_tokens % setup.seq_len != 0)
    throw UsageError(fmt::format("--global-batch-tokens: {} must be a multiple of --seq-len {}", setup.global_batch_tokens, setup.seq_len));
  // Against the batch the user gave; the default rule's batch is ours, not their mistake.
  check_tokens_cover_step(tokens, setup.seq_len,
                          a.batch.empty() ? std::nullopt : std::optional<std::int64_t>(setup.global_batch_tokens));
  const perf::Cluster cl = perf::cluster_for(hw, gpus);
  const perf::Hardware facts = perf::hardware_facts(hw, setup.precision, c);
  perf::SearchResult r;
  if (!a.plan.empty()) {
    const perf::Plan p = perf::parse_plan(a.plan);
    if (auto why = perf::check_plan(prof, cl, setup, p); !why.empty()) throw UsageError("--plan: " + why);
    perf::Evaluation e = perf::evaluate(prof, facts, cl, setup, p, c);
    r.plans_evaluated = 1;
    if (e.feasible) {
      r.plans_feasible = 1;
      r.top.push_back(e);
    } else {
      r.closest_infeasible = e;
    }
  } else {
    CommandProgress bar(res, "plan search");
    r = perf::search(prof, facts, cl, setup, c, top, {}, bar.callback());
  }
  const report::PlanReportInputs in{model, hw.id, cl, setup, tokens, perf::goodput(gpus, prof.total_params, c),
                                    c.run_efficiency};
  emit(res, format, [&] { return report::plan_json(in, r); }, [&] { return report::plan_text(in, r); });
  mark_derived_shape(res, input);
  if (r.top.empty()) {
    const auto need = perf::min_gpus_that_fit(prof, facts, [&](std::int64_t n) { return perf::cluster_for(hw, n); },
                                              setup, c, gpus);
    res.exit_code = 1;
    res.error = fmt::format(
        "no plan fits {} on {} x {}{}{}", model.name, gpus, hw.id,
        need ? fmt::format("; doubling the cluster, the first size that fits is {} GPUs", *need) : std::string(),
        r.closest_infeasible ? " (closest: " + perf::to_string(r.closest_infeasible->plan) + ": " +
                                   perf::reason_text(*r.closest_infeasible) + ")"
                             : std::string());
  }
}

}  // namespace

Command plan_command() {
  using A = PlanArgs;
  CommandDef<A> d;
  d.name = "plan";
  d.help = "Search parallel plans: memory, step time, MFU, best layout";
  d.options = {
      model_option<A>(),
      value("assume-family", &A::assume_family, kAssumeFamilyHelp),
      file_or_id("hardware", &A::hardware, "Accelerator id or profile path"),
      required("gpus", &A::gpus, "Number of accelerators"),
      required("tokens", &A::tokens, "Training tokens, e.g. 15.6T"),
      value("seq-len", &A::seq_len, "Sequence length (default 4096)"),
      value("global-batch-tokens", &A::batch, kGlobalBatchHelp),
      value("precision", &A::precision, "bf16 (default), fp16, fp8"),
      value("attention", &A::attention, "causal (default) | full"),
      value("top", &A::top, "How many plans to print (default 5)"),
      value("plan", &A::plan, "Evaluate one plan, e.g. tp=8,pp=16,dp=128,mb=1,schedule=interleaved,vpp=2"),
      value("moe-imbalance", &A::moe_imbalance, kMoeImbalanceHelp),
  };
  add_count_options(d.options);
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
