// traincost estimate: GPU-hours, days, dollars, energy and CO2 of a training
// run; with --gpus and no --mfu the utilisation comes from the plan search.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "commands.hpp"
#include "model_input.hpp"
#include "traincost/cost/constants.hpp"
#include "traincost/cost/estimate.hpp"
#include "traincost/econ/uncertainty.hpp"
#include "traincost/model/params.hpp"
#include "traincost/perf/derive.hpp"
#include "traincost/report/reports.hpp"
#include "traincost/validation/published.hpp"

namespace traincost::cli {

namespace {

struct EstimateArgs {
  std::string model;
  std::optional<nlohmann::json> model_config;
  std::string assume_family;
  std::string total_params, active_params, layers, experts, top_k;  // or a shape from counts
  std::string hardware, tokens, gpus, seq_len = "4096", precision = "bf16", mfu, price, pue, grid;
  std::string attention = "causal", recompute;  // recompute empty: the derived plan chooses
  bool no_mtp = false;
  std::string plan, batch, published, moe_imbalance, days;
  std::string samples, seed;  // --samples N turns on the Monte Carlo ranges
  std::string format = "table";
};

// --mfu is a fraction in (0, 1], at least 0.1% (below it the hours run to 1e300); one message
// for every way it can be wrong.
constexpr double kMinMfu = 1e-3;
double parse_mfu(const std::string& text) {
  const std::string allowed = "expected a fraction in (0, 1], at least 0.001, e.g. 0.4";
  double v = 0;
  try {
    v = parse_quantity("--mfu", text, 0.0, 1.0);
  } catch (const UsageError&) {
    throw UsageError(fmt::format("--mfu: '{}' is not a number in range; {}", text, allowed));
  }
  if (v < kMinMfu) throw UsageError(fmt::format("--mfu: '{}' is out of range; {}", text, allowed));
  return v;
}

// --published prints the record's figures beside the estimate and their error: only
// meaningful for the run it records (a 1T-token 8B estimate was "-98.7%" off DeepSeek-V3).
void check_published_run_matches(const PublishedRun& run, const ModelSpec& model, double tokens) {
  auto differs = [](double x, double y) { return std::abs(x - y) > 0.01 * std::max(std::abs(x), std::abs(y)); };
  if (!run.model.is_null()) {
    const double theirs = static_cast<double>(count_params(model_for_run(run)).total());
    const double ours = static_cast<double>(count_params(model).total());
    if (differs(theirs, ours))
      throw UsageError(fmt::format("--published: run '{}' trained a model of {:.4g} parameters, not {} ({:.4g}); its "
                                   "figures compare with an estimate of the same model",
                                   run.id, theirs, model.name, ours));
  }
  if (run.tokens && differs(*run.tokens, tokens))
    throw UsageError(fmt::format("--published: run '{}' trained on {:g} tokens, not --tokens {:g}; give --tokens {:g} "
                                 "to compare with it",
                                 run.id, *run.tokens, tokens, *run.tokens));
}

void run(const EstimateArgs& a, CommandResult& r) {
  const Format format = parse_format(a.format);
  EstimateInputs in;
  in.tokens = parse_quantity("--tokens", a.tokens, 1.0, 1e16);
  if (!a.gpus.empty()) in.gpus = parse_count("--gpus", a.gpus, 1, 10'000'000);
  in.precision = parse_precision(a.precision);
  in.flops = FlopArgs{a.seq_len, a.attention, a.recompute.empty() ? "none" : a.recompute, a.no_mtp}.resolve();
  if (!a.recompute.empty()) {
    if (!a.plan.empty()) throw UsageError("--recompute: with --plan, give the recompute setting inside the plan (recompute=...)");
    // With --mfu it sets the hardware FLOPs; otherwise it pins the derived plan's setting.
    if (a.mfu.empty()) in.recompute_pin = in.flops.recompute;
  }
  check_tokens_cover_step(in.tokens, in.flops.seq_len);
  if (!a.mfu.empty()) in.mfu = parse_mfu(a.mfu);
  if (!a.moe_imbalance.empty() && !a.mfu.empty())
    throw UsageError("--moe-imbalance sets the derived plan's routing; it has no effect with --mfu");
  in.moe_imbalance = parse_moe_imbalance(a.moe_imbalance);
  if (!a.batch.empty() && !a.mfu.empty())
    throw UsageError("--global-batch-tokens sets the derived plan's batch; it has no effect with --mfu");
  if (!a.plan.empty() && !a.mfu.empty())
    throw UsageError("--plan pins the derived plan; it has no effect with --mfu (give one or the other)");
  std::optional<std::int64_t> samples;
  std::uint64_t seed = 42;
  if (!a.samples.empty()) samples = parse_count("--samples", a.samples, 1, econ::kMaxSamples);
  if (!a.seed.empty()) {
    if (!samples) throw UsageError("--seed needs --samples (the seed of the Monte Carlo ranges)");
    seed = static_cast<std::uint64_t>(parse_count("--seed", a.seed, 0, std::numeric_limits<std::int64_t>::max()));
  }
  if (!a.price.empty()) in.price_usd_per_gpu_hour = parse_quantity("--price-per-gpu-hour", a.price, 0.0, 1000.0);
  in.pue = a.pue.empty() ? defaults::kPue : parse_quantity("--pue", a.pue, 1.0, 3.0);
  in.grid_kgco2_per_kwh = a.grid.empty() ? defaults::kGridKgCo2PerKwh : parse_quantity("--grid-kgco2-per-kwh", a.grid, 0.0, 2.0);
  const Accelerator hw = load_hardware_option(a.hardware);
  const ModelInput input = resolve_model(a.model, a.model_config, counts_of(a), a.assume_family);
  const ModelSpec& model = input.spec;
  add_warnings(r, model);
  if (in.moe_imbalance && !model.is_moe()) r.notes.push_back(kMoeImbalanceDenseNote);
  check_recompute_applies(model, in.flops.recompute);
  std::optional<PublishedRun> pub;
  if (!a.published.empty()) {
    pub = find_published_run(a.published);
    check_published_run_matches(*pub, model, in.tokens);
  }
  if (!a.days.empty()) {
    if (in.gpus) throw UsageError("--days sizes the cluster when --gpus is not given; give one or the other");
    if (in.mfu) throw UsageError("--days sizes the cluster for the derived plan; it has no effect with --mfu");
    in.target_days = parse_quantity("--days", a.days, kMinDays, 3650.0);
  }
  if (!in.mfu) {
    if (!a.batch.empty()) in.global_batch_tokens = parse_whole_quantity("--global-batch-tokens", a.batch, 1.0, 1e12);
    check_tokens_cover_step(in.tokens, in.flops.seq_len, in.global_batch_tokens);
    std::string note;
    in.derived = perf::derive_throughput(model, hw, in, a.plan, std::nullopt, &note);
    if (!note.empty()) r.notes.push_back("note: " + note + "; using the default utilisation");
  }
  const Estimate e = estimate(model, hw, in);
  std::optional<econ::UncertaintyResult> range;
  if (samples) {
    CommandProgress bar(r, "Monte Carlo");
    range = econ::monte_carlo(e, in, econ::uncertain_inputs(e, in, hw, econ::uncertainty_constants()), *samples, seed,
                              bar.callback());
  }
  const econ::UncertaintyResult* u = range ? &*range : nullptr;
  const PublishedRun* p = pub ? &*pub : nullptr;
  emit(r, format, [&] { return report::estimate_json(model, hw, in, e, p, u); },
       [&] { return report::estimate_text(model, hw, in, e, p, u); });
  mark_derived_shape(r, input);
}

}  // namespace

Command estimate_command() {
  using A = EstimateArgs;
  CommandDef<A> d;
  d.name = "estimate";
  d.help = "GPU-hours, days, dollars, energy and CO2 of a training run";
  d.options = {
      model_option<A>(),
      value("assume-family", &A::assume_family, kAssumeFamilyHelp),
      file_or_id("hardware", &A::hardware, "Accelerator id (see `traincost hardware list`) or profile path"),
      required("tokens", &A::tokens, "Training tokens, e.g. 14.8e12 or 14.8T"),
      value("gpus", &A::gpus, "Number of accelerators (default: the smallest power of two that trains in --days)"),
      value("days", &A::days, "Without --gpus: the duration the assumed cluster is sized for, in days (default 60)"),
      value("seq-len", &A::seq_len, "Sequence length in tokens (default 4096)"),
      value("precision", &A::precision, "GEMM precision: bf16 (default), fp16, fp8, tf32, fp32, fp4"),
      value("mfu", &A::mfu, "Model FLOPs utilisation in (0, 1] against the precision's dense peak"),
      value("price-per-gpu-hour", &A::price, "USD per GPU-hour (default: the profile's rental price)"),
      value("pue", &A::pue, "Data-centre PUE in [1, 3] (default 1.25, Epoch AI non-hyperscaler)"),
      value("grid-kgco2-per-kwh", &A::grid, "Grid carbon intensity (default 0.429, US average per Patterson et al.)"),
      value("attention", &A::attention, "causal (default) | full"),
      value("recompute", &A::recompute, "none | selective | moe | full: the derived plan's activation recomputation (default: the fastest that fits); with --mfu, what the hardware FLOPs count"),
      flag("no-mtp", &A::no_mtp, "Leave MTP modules out of the FLOPs"),
      value("plan", &A::plan, "Pin a parallel plan, e.g. tp=8,pp=16,dp=128,schedule=interleaved,vpp=4"),
      value("global-batch-tokens", &A::batch, kGlobalBatchHelp),
      value("moe-imbalance", &A::moe_imbalance, kMoeImbalanceHelp),
      value("published", &A::published, "Show a published run (validation/published_runs.json) beside the estimate"),
      value("samples", &A::samples, "Monte Carlo samples for P10/P50/P90 ranges, 1..10000000 (e.g. 10000; off when absent)"),
      value("seed", &A::seed, "Seed of the Monte Carlo ranges, 0..2^63-1 (default 42)"),
  };
  add_count_options(d.options);
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
