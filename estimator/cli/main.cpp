// traincost: the command-line front end. Parses options, loads specs, calls
// the pure model functions and prints a report. Exit status: 0 ok, 1 bad
// data (a model or profile file), 2 bad usage (options, unknown ids).
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <optional>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "options.hpp"
#include "traincost/cost/constants.hpp"
#include "traincost/cost/estimate.hpp"
#include "traincost/econ/uncertainty.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/derive.hpp"
#include "traincost/perf/search.hpp"
#include "traincost/report/plan_report.hpp"
#include "traincost/report/validation_report.hpp"
#include "traincost/validation/calibrate.hpp"
#include "traincost/validation/validate.hpp"
#include "traincost/validation/vtrain.hpp"
#include "traincost/report/reports.hpp"
#include "traincost/util/data_dir.hpp"
#include "traincost/util/error.hpp"

using namespace traincost;

namespace {

void emit(cli::Format f, const report::Json& j, const std::string& text) {
  if (f == cli::Format::json)
    std::cout << j.dump(2) << "\n";
  else
    std::cout << text;
}

void print_warnings(const ModelSpec& m) {
  for (const auto& w : m.warnings) std::cerr << "traincost: warning: " << m.name << ": " << w << "\n";
}

// CLI11 reports a missing or misspelt command only as "A subcommand is
// required". Walk the leading words of the command line and name the one that
// is not a command, with the commands accepted at that level.
std::optional<std::string> command_error(const CLI::App& app, int argc, char** argv, const std::string& what) {
  const CLI::App* level = &app;
  std::string path = "traincost";
  auto names = [](const CLI::App* a) {
    std::vector<std::string> v;
    for (const CLI::App* s : a->get_subcommands([](const CLI::App*) { return true; })) v.push_back(s->get_name());
    return v;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') break;
    const auto match = level->get_subcommands([&](const CLI::App* s) { return s->get_name() == word; });
    if (match.empty()) {
      const auto known = names(level);
      if (known.empty()) return std::nullopt;
      return fmt::format("unknown command '{}' for `{}` (commands: {})", word, path, fmt::join(known, ", "));
    }
    level = match.front();
    path += " " + word;
  }
  const auto known = names(level);
  if (!known.empty() && level->get_require_subcommand_min() > 0 && what.find("subcommand") != std::string::npos)
    return fmt::format("`{}` needs a command (commands: {})", path, fmt::join(known, ", "));
  return std::nullopt;
}

// --mfu is a fraction in (0, 1]; one message for every way it can be wrong.
double parse_mfu(const std::string& text) {
  const std::string allowed = "expected a fraction in (0, 1], e.g. 0.4";
  double v = 0;
  try {
    v = cli::parse_quantity("--mfu", text, 0.0, 1.0);
  } catch (const UsageError&) {
    throw UsageError(fmt::format("--mfu: '{}' is not a number in range; {}", text, allowed));
  }
  if (v <= 0) throw UsageError(fmt::format("--mfu: '{}' is out of range; {}", text, allowed));
  return v;
}

struct EstimateArgs {
  std::string model, hardware, tokens, gpus, precision = "bf16", mfu, price, pue, grid, published, format = "table";
  std::string plan, batch;
  std::string samples, seed;  // --samples N turns on the Monte Carlo ranges
  cli::FlopArgs flops;
};

int run_estimate(const EstimateArgs& a) {
  const auto format = cli::parse_format(a.format);
  EstimateInputs in;
  in.tokens = cli::parse_quantity("--tokens", a.tokens, 1.0, 1e16);
  if (!a.gpus.empty()) in.gpus = cli::parse_count("--gpus", a.gpus, 1, 10'000'000);
  in.precision = parse_precision(a.precision);
  in.flops = a.flops.resolve();
  if (!a.mfu.empty()) in.mfu = parse_mfu(a.mfu);
  std::optional<std::int64_t> samples;
  std::uint64_t seed = 42;
  if (!a.samples.empty()) samples = cli::parse_count("--samples", a.samples, 1, econ::kMaxSamples);
  if (!a.seed.empty()) {
    if (!samples) throw UsageError("--seed needs --samples (the seed of the Monte Carlo ranges)");
    seed = static_cast<std::uint64_t>(cli::parse_count("--seed", a.seed, 0, std::numeric_limits<std::int64_t>::max()));
  }
  if (!a.price.empty()) in.price_usd_per_gpu_hour = cli::parse_quantity("--price-per-gpu-hour", a.price, 0.0, 1000.0);
  in.pue = a.pue.empty() ? defaults::kPue : cli::parse_quantity("--pue", a.pue, 1.0, 3.0);
  in.grid_kgco2_per_kwh = a.grid.empty() ? defaults::kGridKgCo2PerKwh : cli::parse_quantity("--grid-kgco2-per-kwh", a.grid, 0.0, 2.0);
  const Accelerator hw = cli::load_hardware_option(a.hardware);
  const ModelSpec model = load_model(a.model);
  print_warnings(model);
  std::optional<PublishedRun> pub;
  if (!a.published.empty()) pub = find_published_run(a.published);
  if (!in.mfu && in.gpus) {
    std::optional<std::int64_t> batch;
    if (!a.batch.empty()) batch = static_cast<std::int64_t>(cli::parse_quantity("--global-batch-tokens", a.batch, 1.0, 1e12));
    std::string note;
    in.derived = perf::derive_throughput(model, hw, in, a.plan, batch, &note);
    if (!note.empty()) std::cerr << "traincost: note: " << note << "; using the default utilisation\n";
  }
  if (!in.mfu && !in.derived && !a.plan.empty()) throw UsageError("--plan needs --gpus");
  const Estimate e = estimate(model, hw, in);
  std::optional<econ::UncertaintyResult> range;
  if (samples)
    range = econ::monte_carlo(e, in, econ::uncertain_inputs(e, in, hw, econ::uncertainty_constants()), *samples, seed);
  const econ::UncertaintyResult* u = range ? &*range : nullptr;
  emit(format, report::estimate_json(model, hw, in, e, pub ? &*pub : nullptr, u),
       report::estimate_text(model, hw, in, e, pub ? &*pub : nullptr, u));
  return 0;
}

struct PlanArgs {
  std::string model, hardware, gpus, tokens, seq_len = "4096", batch, precision = "bf16", top = "5", plan,
      attention = "causal", format = "table";
};

int run_plan(const PlanArgs& a) {
  const auto format = cli::parse_format(a.format);
  const std::int64_t gpus = cli::parse_count("--gpus", a.gpus, 1, 10'000'000);
  const double tokens = cli::parse_quantity("--tokens", a.tokens, 1.0, 1e16);
  perf::TrainingSetup setup;
  setup.seq_len = cli::parse_count("--seq-len", a.seq_len, 1, 100'000'000);
  setup.precision = parse_precision(a.precision);
  setup.attention = cli::parse_attention(a.attention);
  const int top = static_cast<int>(cli::parse_count("--top", a.top, 1, 1000));
  const Accelerator hw = load_accelerator(a.hardware);
  const ModelSpec model = load_model(a.model);
  print_warnings(model);
  const perf::Constants& c = perf::constants();
  const perf::ModelProfile prof = perf::profile(model, setup.seq_len, setup.attention);
  setup.global_batch_tokens =
      a.batch.empty() ? perf::default_global_batch_tokens(prof.model_flops_per_token * tokens, setup.seq_len, c)
                      : static_cast<std::int64_t>(cli::parse_quantity("--global-batch-tokens", a.batch, 1.0, 1e12));
  if (setup.global_batch_tokens % setup.seq_len != 0)
    throw UsageError(fmt::format("--global-batch-tokens: {} must be a multiple of --seq-len {}", setup.global_batch_tokens, setup.seq_len));
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
    r = perf::search(prof, facts, cl, setup, c, top);
  }
  const report::PlanReportInputs in{model, hw.id, cl, setup, tokens, perf::goodput(gpus, prof.total_params, c)};
  emit(format, report::plan_json(in, r), report::plan_text(in, r));
  if (r.top.empty()) {
    const auto need = perf::min_gpus_that_fit(prof, facts, [&](std::int64_t n) { return perf::cluster_for(hw, n); },
                                              setup, c, gpus);
    std::cerr << "traincost: error: no plan fits " << model.name << " on " << gpus << " x " << hw.id
              << (need ? fmt::format("; the smallest power-of-two cluster that fits is {} GPUs", *need) : std::string())
              << (r.closest_infeasible ? " (closest: " + perf::to_string(r.closest_infeasible->plan) + ": " +
                                             perf::reason_text(*r.closest_infeasible) + ")"
                                       : std::string())
              << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"traincost: training cost and efficiency estimator for dense and MoE language models", "traincost"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "traincost 0.1.0");

  // params
  std::string model, format = "table";
  auto* params = app.add_subcommand("params", "Total and active parameters with a per-component breakdown");
  params->add_option("--model", model, "Preset name (see `traincost models`) or path to a config JSON")->required();
  params->add_option("--format", format, "table | json");

  // flops
  cli::FlopArgs flop_args;
  auto* flops = app.add_subcommand("flops", "Training FLOPs per token: matmul, attention, MTP, recomputation");
  flops->add_option("--model", model, "Preset name or path to a config JSON")->required();
  flops->add_option("--seq-len", flop_args.seq_len, "Sequence length in tokens (default 4096)");
  flops->add_option("--attention", flop_args.attention, "causal (default, Megatron-LM) | full (PaLM convention)");
  flops->add_option("--recompute", flop_args.recompute, "none | selective | full (counted in hardware FLOPs only)");
  flops->add_flag("--no-mtp", flop_args.no_mtp, "Leave DeepSeek-style MTP modules out of the FLOPs");
  flops->add_option("--format", format, "table | json");

  // estimate
  EstimateArgs ea;
  auto* est = app.add_subcommand("estimate", "GPU-hours, days, dollars, energy and CO2 of a training run");
  est->add_option("--model", ea.model, "Preset name or path to a config JSON")->required();
  est->add_option("--hardware", ea.hardware, "Accelerator id (see `traincost hardware list`) or profile path")->required();
  est->add_option("--tokens", ea.tokens, "Training tokens, e.g. 14.8e12 or 14.8T")->required();
  est->add_option("--gpus", ea.gpus, "Number of accelerators (for wall-clock days)");
  est->add_option("--seq-len", ea.flops.seq_len, "Sequence length in tokens (default 4096)");
  est->add_option("--precision", ea.precision, "GEMM precision: bf16 (default), fp16, fp8, tf32, fp32, fp4");
  est->add_option("--mfu", ea.mfu, "Model FLOPs utilisation in (0, 1] against the precision's dense peak");
  est->add_option("--price-per-gpu-hour", ea.price, "USD per GPU-hour (default: the profile's rental price)");
  est->add_option("--pue", ea.pue, "Data-centre PUE in [1, 3] (default 1.25, Epoch AI non-hyperscaler)");
  est->add_option("--grid-kgco2-per-kwh", ea.grid, "Grid carbon intensity (default 0.429, US average per Patterson et al.)");
  est->add_option("--attention", ea.flops.attention, "causal (default) | full");
  est->add_option("--recompute", ea.flops.recompute, "none | selective | full");
  est->add_flag("--no-mtp", ea.flops.no_mtp, "Leave MTP modules out of the FLOPs");
  est->add_option("--plan", ea.plan, "Pin a parallel plan, e.g. tp=8,pp=16,dp=128,schedule=interleaved,vpp=4");
  est->add_option("--global-batch-tokens", ea.batch, "Tokens per optimizer step (default: DeepSeek LLM's B_opt rule)");
  est->add_option("--published", ea.published, "Show a published run (validation/published_runs.json) beside the estimate");
  est->add_option("--samples", ea.samples,
                  "Monte Carlo samples for P10/P50/P90 ranges, 1..10000000 (e.g. 10000; off when absent)");
  est->add_option("--seed", ea.seed, "Seed of the Monte Carlo ranges, 0..2^63-1 (default 42)");
  est->add_option("--format", ea.format, "table | json");

  // plan
  PlanArgs pa;
  auto* plan = app.add_subcommand("plan", "Search parallel plans: memory, step time, MFU, best layout");
  plan->add_option("--model", pa.model, "Preset name or path to a config JSON")->required();
  plan->add_option("--hardware", pa.hardware, "Accelerator id or profile path")->required();
  plan->add_option("--gpus", pa.gpus, "Number of accelerators")->required();
  plan->add_option("--tokens", pa.tokens, "Training tokens, e.g. 15.6T")->required();
  plan->add_option("--seq-len", pa.seq_len, "Sequence length (default 4096)");
  plan->add_option("--global-batch-tokens", pa.batch, "Tokens per optimizer step (default: DeepSeek LLM's B_opt rule)");
  plan->add_option("--precision", pa.precision, "bf16 (default), fp16, fp8");
  plan->add_option("--attention", pa.attention, "causal (default) | full");
  plan->add_option("--top", pa.top, "How many plans to print (default 5)");
  plan->add_option("--plan", pa.plan, "Evaluate one plan, e.g. tp=8,pp=16,dp=128,mb=1,schedule=interleaved,vpp=2");
  plan->add_option("--format", pa.format, "table | json");

  // validate
  std::string only;
  auto* val = app.add_subcommand("validate", "Reproduce every published run and show the error of each");
  val->add_option("--only", only, "Comma-separated run ids (default: all)");
  bool vtrain = false;
  val->add_flag("--vtrain", vtrain, "Check step times against vTrain's 1,440 measured single-node iterations instead");
  val->add_option("--format", format, "table | json");

  // calibrate
  std::string cal_out, cal_date;
  bool no_loo = false;
  auto* cal = app.add_subcommand("calibrate", "Fit the per-generation GEMM efficiency to the published runs (with leave-one-out)");
  cal->add_option("--out", cal_out, "Where to write the fit (default: constants/calibrated.json in the data dir)");
  cal->add_option("--date", cal_date, "Date to record as fitted_on (default: today, UTC)");
  cal->add_flag("--no-loo", no_loo, "Skip the leave-one-out refits");
  cal->add_option("--format", format, "table | json");

  // check (investors: is a claimed training cost plausible?)
  cli::CheckArgs ca;
  auto* chk = app.add_subcommand("check", "Check a claimed training cost: implied utilisation, prediction, verdict");
  chk->add_option("--model", ca.model, "Preset name or path to a config JSON")->required();
  chk->add_option("--tokens", ca.tokens, "Training tokens, e.g. 14.8T")->required();
  chk->add_option("--hardware", ca.hardware, "Accelerator id or profile path")->required();
  chk->add_option("--gpus", ca.gpus, "Number of accelerators (for the prediction and the implied wall-clock)");
  chk->add_option("--claimed-gpu-hours", ca.claimed_gpu_hours, "The claimed GPU-hours")->required();
  chk->add_option("--claimed-cost-usd", ca.claimed_cost_usd, "The claimed cost in USD");
  chk->add_option("--claimed-days", ca.claimed_days, "The claimed wall-clock days");
  chk->add_option("--precision", ca.precision, "bf16 (default), fp16, fp8");
  chk->add_option("--seq-len", ca.seq_len, "Sequence length (default 4096)");
  chk->add_option("--format", ca.format, "table | json");

  // compare (MoE vs dense at equal active, total, loss)
  cli::CompareArgs cpa;
  auto* cmp = app.add_subcommand("compare", "MoE vs its dense equivalents (same active, same total, same predicted loss)");
  cmp->add_option("--model", cpa.model, "Preset name or path to a config JSON (an MoE model)")->required();
  cmp->add_option("--tokens", cpa.tokens, "Training tokens, e.g. 14.8T")->required();
  cmp->add_option("--hardware", cpa.hardware, "Accelerator id or profile path")->required();
  cmp->add_option("--gpus", cpa.gpus, "Number of accelerators");
  cmp->add_option("--precision", cpa.precision, "bf16 (default), fp16, fp8");
  cmp->add_option("--seq-len", cpa.seq_len, "Sequence length (default 4096)");
  cmp->add_option("--format", cpa.format, "table | json");

  // budget (what can I train for my budget?)
  cli::BudgetArgs ba;
  auto* bud = app.add_subcommand("budget", "The largest compute-optimal dense and MoE models a budget buys, or "
                                           "(with --model) the cheapest hardware for a model and a deadline");
  auto* b_usd = bud->add_option("--usd", ba.usd, "Budget in USD");
  auto* b_hours = bud->add_option("--gpu-hours", ba.gpu_hours, "Budget in GPU-hours");
  b_usd->excludes(b_hours);
  bud->add_option("--hardware", ba.hardware, "Accelerator id or profile path (with --model: comma-separated ids, default all)");
  bud->add_option("--gpus", ba.gpus, "Number of accelerators");
  bud->add_option("--days", ba.days, "Deadline in days");
  bud->add_option("--model", ba.model, "Cheapest hardware for this model (preset or config path); needs --tokens, --days");
  bud->add_option("--tokens", ba.tokens, "With --model: training tokens, e.g. 15T");
  bud->add_option("--max-gpus", ba.max_gpus, "With --model: the largest cluster to consider (default 1048576)");
  bud->add_option("--seq-len", ba.seq_len, "With --model: sequence length (default 4096)");
  bud->add_option("--precision", ba.precision, "bf16 (default), fp16, fp8");
  bud->add_option("--format", ba.format, "table | json");

  // compare-hardware
  cli::CompareHardwareArgs cha;
  auto* cmh = app.add_subcommand("compare-hardware", "One model on several accelerators: plan, fit, days, GPU-hours, dollars, MWh, limits");
  cmh->add_option("--model", cha.model, "Preset name or path to a config JSON")->required();
  cmh->add_option("--tokens", cha.tokens, "Training tokens, e.g. 14.8T")->required();
  cmh->add_option("--hardware", cha.hardware, "Comma-separated accelerator ids")->required();
  auto* ch_gpus = cmh->add_option("--gpus", cha.gpus, "Number of accelerators of each kind");
  auto* ch_days = cmh->add_option("--days", cha.days, "A deadline: size each cluster to meet it");
  ch_gpus->excludes(ch_days);
  cmh->add_option("--precision", cha.precision, "bf16 (default), fp16, fp8 (falls back per chip when unsupported)");
  cmh->add_option("--seq-len", cha.seq_len, "Sequence length (default 4096)");
  cmh->add_option("--format", cha.format, "table | json");

  // export (export controls: how much compute fits under a TPP cap)
  cli::ExportArgs xa;
  auto* exp = app.add_subcommand("export", "Export controls: accelerators under a TPP cap and what they can train");
  auto* cap_tpp = exp->add_option("--cap-tpp", xa.cap_tpp, "A cap in Total Processing Performance, e.g. 507e6");
  auto* cap_name = exp->add_option("--cap", xa.cap, "A named cap (see the README)");
  cap_tpp->excludes(cap_name);
  exp->add_option("--format", xa.format, "table | json");

  // hardware
  auto* hw = app.add_subcommand("hardware", "Accelerator profiles");
  hw->require_subcommand(1);
  std::string hw_id;
  auto* hw_list = hw->add_subcommand("list", "All profiles, one line each");
  hw_list->add_option("--format", format, "table | json");
  auto* hw_show = hw->add_subcommand("show", "One profile with its sources");
  hw_show->add_option("id", hw_id, "Accelerator id or profile path")->required();
  hw_show->add_option("--format", format, "table | json");

  // models
  auto* models = app.add_subcommand("models", "Model presets in models/");
  models->add_option("--format", format, "table | json");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (auto msg = command_error(app, argc, argv, e.what())) {
      std::cerr << "traincost: error: " << *msg << "\n";
      return 2;
    }
    std::cerr << "traincost: error: " << e.what() << " (see traincost --help)\n";
    return 2;
  }

  try {
    if (*params) {
      const auto f = cli::parse_format(format);
      const ModelSpec m = load_model(model);
      print_warnings(m);
      const ParamBreakdown p = count_params(m);
      emit(f, report::params_json(m, p), report::params_text(m, p));
    } else if (*flops) {
      const auto f = cli::parse_format(format);
      const FlopOptions o = flop_args.resolve();
      const ModelSpec m = load_model(model);
      print_warnings(m);
      const FlopsPerToken r = flops_per_token(m, o);
      emit(f, report::flops_json(m, r, o), report::flops_text(m, r, o));
    } else if (*est) {
      return run_estimate(ea);
    } else if (*plan) {
      return run_plan(pa);
    } else if (*chk) {
      return cli::run_check(ca);
    } else if (*cmp) {
      return cli::run_compare(cpa);
    } else if (*bud) {
      return cli::run_budget(ba);
    } else if (*cmh) {
      return cli::run_compare_hardware(cha);
    } else if (*exp) {
      return cli::run_export(xa);
    } else if (*cal) {
      const auto f = cli::parse_format(format);
      const auto runs = load_published_runs();
      perf::Constants base = perf::load_constants((data_dir() / "constants" / "performance.json").string(), "");
      const CalibrationResult r = calibrate(runs, base, !no_loo);
      if (cal_date.empty()) {
        const std::time_t now = std::time(nullptr);
        char buf[16];
        std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&now));
        cal_date = buf;
      }
      const auto j = calibration_json(r, cal_date);
      const std::string path = cal_out.empty() ? (data_dir() / "constants" / "calibrated.json").string() : cal_out;
      std::ofstream(path) << j.dump(2) << "\n";
      std::string text = fmt::format("Calibrated {} runs; wrote {}\n", r.fitted.size(), path);
      for (const auto& [g, e] : r.efficiency_by_generation)
        text += fmt::format("  {:<10} GEMM efficiency {:.3f} of the measured ceiling ({} runs)\n", g, e, r.rows_by_generation.at(g));
      text += fmt::format("  rms ln(predicted/published) = {:.3f}\n", r.rms_log_error);
      text += fmt::format("  whole-run efficiency {:.3f} ({} training runs)\n", r.run_efficiency, r.training_runs);
      if (!r.held_out.empty()) {
        text += "\nLeave-one-out (each run predicted by a fit without it)\n";
        text += report::validation_text(r.held_out);
      }
      emit(f, j, text);
    } else if (*val && vtrain) {
      const auto f = cli::parse_format(format);
      const auto rows = validate_vtrain(perf::constants());
      const VtrainSummary s = summarize(rows);
      report::Json j{{"schema", "traincost.vtrain.v1"}, {"count", s.count}, {"median_abs_error", s.median_abs},
                     {"mean_abs_error", s.mean_abs}, {"max_abs_error", s.max_abs}, {"within_10pct", s.within_10},
                     {"within_25pct", s.within_25}};
      std::string text = fmt::format(
          "vTrain single-node iteration times (8x A100, Megatron-DeepSpeed), {} configurations\n"
          "  median |error| {:.1f}%, mean {:.1f}%, max {:.1f}%, within 10%: {}, within 25%: {}\n"
          "  (vTrain's own profiling-based simulator: 8.37% mean absolute error on this set)\n",
          s.count, 100 * s.median_abs, 100 * s.mean_abs, 100 * s.max_abs, s.within_10, s.within_25);
      emit(f, j, text);
    } else if (*val) {
      const auto f = cli::parse_format(format);
      auto runs = load_published_runs();
      if (!only.empty()) {
        std::vector<PublishedRun> picked;
        std::stringstream ss(only);
        std::string id;
        while (std::getline(ss, id, ',')) picked.push_back(find_published_run(id));
        runs = picked;
      }
      const auto rows = validate_all(runs, perf::constants());
      emit(f, report::validation_json(rows), report::validation_text(rows));
    } else if (*hw_list) {
      const auto f = cli::parse_format(format);
      const auto all = load_all_accelerators();
      emit(f, report::hardware_list_json(all), report::hardware_list_text(all));
    } else if (*hw_show) {
      const auto f = cli::parse_format(format);
      const Accelerator a = load_accelerator(hw_id);
      emit(f, report::hardware_show_json(a), report::hardware_show_text(a));
    } else if (*models) {
      const auto f = cli::parse_format(format);
      const auto presets = list_presets();
      emit(f, report::models_list_json(presets), report::models_list_text(presets));
    }
  } catch (const UsageError& e) {
    std::cerr << "traincost: error: " << e.what() << "\n";
    return 2;
  } catch (const InputError& e) {
    std::cerr << "traincost: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "traincost: internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
