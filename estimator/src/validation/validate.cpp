#include "traincost/validation/validate.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "traincost/cost/constants.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/flops.hpp"
#include "traincost/perf/search.hpp"
#include "traincost/perf/sizing.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/median.hpp"

namespace traincost {

namespace {
ValidationRow skip(ValidationRow r, std::string why) {
  r.skipped = true;
  r.skip_reason = std::move(why);
  return r;
}
}  // namespace

ValidationRow validate_run(const PublishedRun& run, const perf::Constants& c) {
  ValidationRow r;
  r.id = run.id;
  r.title = run.title;
  r.kind = run.kind;
  r.model_class = run.model_class;
  r.hardware = run.hardware;
  r.caveats = run.caveats;
  if (run.kind == "third_party_estimate") return skip(r, "third-party estimate, not a published measurement");
  // Which figure to predict, in order of preference. Wall-clock days count only on a
  // published GPU count (then days x GPUs are GPU-hours) and not as a bound ("a 60-day
  // access window" says little about the run).
  const PublishedFigure* fig = nullptr;
  for (const char* key : {"gpu_hours", "gpu_hours_per_trillion_tokens", "wall_clock_days", "wall_clock_hours", "mfu",
                          "tflops_per_gpu", "energy_mwh"}) {
    const PublishedFigure* f = run.figure(key);
    if (f && is_wall_clock_metric(key) && (!run.gpus || !run.tokens || f->bound == "upper" || f->bound == "lower")) continue;
    if ((fig = f)) {
      r.metric = key;
      break;
    }
  }
  if (!fig) return skip(r, "no GPU-hours, wall-clock days on a published GPU count, MFU or TFLOPS figure");
  r.published = fig->value;
  if (run.model.is_null()) return skip(r, "architecture not published");
  if (run.hardware.empty()) return skip(r, "hardware not published");
  // Without a published GPU count, assume the cluster a team would size for the job,
  // by the same rule `estimate` applies without --gpus (perf/sizing.hpp).
  std::int64_t gpus = run.gpus.value_or(0);
  const bool hours = is_gpu_hours_metric(r.metric) || is_wall_clock_metric(r.metric) || r.metric == "energy_mwh";
  if ((r.metric == "gpu_hours" || r.metric == "energy_mwh") && !run.tokens) return skip(r, "token count not published");
  try {
    const ModelSpec model = model_for_run(run);
    const Accelerator hw = load_accelerator(run.hardware);
    perf::TrainingSetup setup;
    setup.seq_len = run.seq_len.value_or(4096);
    setup.precision = parse_precision(run.precision);
    if (run.moe_capacity_factor) setup.moe_imbalance = std::min(c.moe_imbalance_default, *run.moe_capacity_factor);
    const perf::ModelProfile prof = perf::profile(model, setup.seq_len, AttentionConvention::causal);
    const double tokens = run.tokens.value_or(1e12);
    const perf::Hardware facts = perf::hardware_facts(hw, setup.precision, c);
    perf::PlanConstraint constraint = perf::constraint_from_json(run.plan, "run " + run.id);
    // A run is timed only on schedules its framework offered. DualPipe is DeepSeek's
    // (DeepSeek-V3 report §3.2.1, Dec 2024, in their HAI-LLM framework, which also ran
    // DeepSeek-V2's zero-bubble pipeline, whose bubble DualPipe's stands in for); Megatron,
    // DeepSpeed, Meta's and the other frameworks of these runs use 1F1B or interleaved 1F1B.
    constraint.allow_dualpipe = run.framework == "HAI-LLM" || constraint.schedule == perf::Schedule::dualpipe;
    const auto batch_on = [&](std::int64_t n) {
      return run.global_batch_tokens.value_or(
          perf::default_global_batch_tokens(prof, tokens, setup.seq_len, c, n));
    };
    if (gpus == 0) {
      const auto days_on = [&](std::int64_t n) -> std::optional<double> {
        perf::TrainingSetup s = setup;
        s.global_batch_tokens = batch_on(n);
        const perf::SearchResult res = perf::search(prof, facts, perf::cluster_for(hw, n), s, c, 1, constraint);
        if (res.top.empty()) return std::nullopt;
        return perf::whole_run_days(tokens, res.top.front().tokens_per_s, n, prof.total_params, c);
      };
      const perf::AssumedCluster a = perf::size_for_deadline(
          prof.model_flops_per_token * tokens, hw.peak_flops_per_s(setup.precision), c, std::nullopt, days_on);
      gpus = a.gpus;
      r.gpus_note = a.rule;
      r.caveats.insert(r.caveats.begin(), r.gpus_note);
    }
    setup.global_batch_tokens = batch_on(gpus);
    perf::SearchResult res = perf::search(prof, facts, perf::cluster_for(hw, gpus), setup, c, 1, constraint);
    // A round published count ("10,000 V100s") may admit no exact decomposition: use the
    // largest count within 10% below it that does; the idle GPUs are still paid for.
    std::int64_t used = gpus;
    if (res.top.empty() && !res.closest_infeasible) {
      for (std::int64_t n = gpus - 1; n >= gpus * 9 / 10 && res.top.empty(); --n) {
        res = perf::search(prof, facts, perf::cluster_for(hw, n), setup, c, 1, constraint);
        used = n;
      }
      if (!res.top.empty())
        r.caveats.insert(r.caveats.begin(), fmt::format("no plan divides {} GPUs exactly; the model runs on {} and bills all {}", gpus, used, gpus));
    }
    // A run that publishes its layout down to the recompute setting ran it: when the memory
    // model puts that layout over the usable HBM, time it as published (the least-memory
    // plan of the published fields) and say by how much the memory model overstates it,
    // rather than time a recompute setting the run did not use.
    std::optional<perf::Evaluation> as_published;
    if (res.top.empty() && res.closest_infeasible && res.closest_infeasible->reason.empty() &&
        res.closest_infeasible->over_memory && constraint.recompute) {
      as_published = perf::evaluate_beyond_memory(prof, facts, perf::cluster_for(hw, used), setup,
                                                  res.closest_infeasible->plan, c);
      const perf::MemoryBreakdown& mem = as_published->memory;
      r.memory_note = fmt::format("the memory model puts the published layout at {:.1f} GB per GPU, {:.1f} GB over the "
                                  "{:.1f} GB it counts usable; the run ran it, so it is timed as published",
                                  mem.total() / 1e9, (mem.total() - mem.capacity) / 1e9, mem.capacity / 1e9);
      r.caveats.insert(r.caveats.begin(), r.memory_note);
    }
    if (res.top.empty() && !as_published)
      return skip(r, res.closest_infeasible ? "no plan fits: " + perf::reason_text(*res.closest_infeasible)
                                            : "no legal plan matches the published plan fields");
    const perf::Evaluation& best = as_published ? *as_published : res.top.front();
    r.plan = perf::to_string(best.plan);
    r.predicted_mfu = best.mfu;
    r.step_time_s = static_cast<double>(setup.global_batch_tokens) / best.tokens_per_s;
    r.gpus = gpus;
    if (hours) {
      const perf::Goodput g = perf::goodput(gpus, prof.total_params, c);
      r.goodput = g.goodput;
      const double per_token_gpu_hours =
          static_cast<double>(gpus) / best.tokens_per_s / 3600.0 / g.goodput / c.run_efficiency;
      const double gpu_hours = per_token_gpu_hours * tokens;
      if (const PublishedFigure* en = run.figure("energy_mwh"); en && run.tokens && hw.tdp_w) {
        r.energy_published_mwh = en->value;
        // A published "hours x TDP" formula is compared with the same formula; a measured or
        // PUE-inclusive figure with the estimator's own power model (Epoch AI method).
        const bool tdp_only = en->is_formula && en->basis.find("TDP") != std::string::npos &&
                              en->basis.find("PUE") != std::string::npos && en->basis.find("excludes") != std::string::npos;
        if (tdp_only) {
          r.energy_predicted_mwh = gpu_hours * *hw.tdp_w / 1e6;
          r.energy_basis = "GPU-hours x TDP (the source's own formula)";
        } else {
          const double pue = run.facility_pue.value_or(defaults::kPue);
          const double server = hw.server_power_multiplier.value_or(defaults::kServerPowerMultiplier);
          const double avg = hw.device_class == "tpu" ? defaults::kAvgPowerFractionTpu : defaults::kAvgPowerFractionGpu;
          r.energy_predicted_mwh = gpu_hours * *hw.tdp_w * server * avg * pue / 1e6;
          r.energy_basis = fmt::format("GPU-hours x TDP x {:.2f} server share x {:.2f} average power x PUE {:.2f}", server, avg, pue);
        }
      }
      if (r.metric == "energy_mwh") {
        if (!r.energy_predicted_mwh) return skip(r, "no TDP in the hardware profile");
        r.predicted = *r.energy_predicted_mwh;
      } else if (is_wall_clock_metric(r.metric)) {
        // Every published GPU is billed for the elapsed time.
        r.predicted = gpu_hours / static_cast<double>(gpus) / (r.metric == "wall_clock_days" ? 24.0 : 1.0);
      } else {
        r.predicted = per_token_gpu_hours * (r.metric == "gpu_hours" ? tokens : 1e12);
      }
      r.error = (r.predicted - r.published) / r.published;
    } else {
      // The source's FLOP convention: PaLM/Megatron count the full s x s attention, and
      // "hardware_incl_recompute" figures (Megatron-LM 2021 eq. 3) add the recomputed forward.
      FlopOptions o;
      o.seq_len = setup.seq_len;
      o.attention = fig->attention_convention == "causal" ? AttentionConvention::causal : AttentionConvention::full;
      o.recompute = fig->convention == "hardware_incl_recompute" ? best.plan.recompute : Recompute::none;
      const auto f = flops_per_token(model, o);
      const double per_gpu = f.hardware() * best.tokens_per_s / static_cast<double>(used);
      if (r.metric == "mfu") {
        r.predicted = per_gpu / facts.peak_bf16;
        r.error = (r.predicted - r.published) * 100.0;
        r.error_in_points = true;
      } else {
        r.predicted = per_gpu / 1e12;
        r.error = (r.predicted - r.published) * 1e12 / facts.peak_bf16 * 100.0;  // in points of the 16-bit peak
        r.error_in_points = true;
      }
    }
  } catch (const std::exception& e) {
    return skip(r, e.what());
  }
  return r;
}

std::vector<ValidationRow> validate_all(const std::vector<PublishedRun>& runs, const perf::Constants& c,
                                        const ProgressFn& progress) {
  std::vector<ValidationRow> out;
  for (const auto& run : runs) {
    out.push_back(validate_run(run, c));
    if (progress) progress(static_cast<double>(out.size()) / static_cast<double>(runs.size()));
  }
  return out;
}

ValidationStats summarize(const std::vector<ValidationRow>& rows, const std::string& family,
                          const std::string& model_class, const std::string& hardware) {
  std::vector<double> errs;
  ValidationStats s;
  for (const auto& r : rows) {
    if (r.skipped) continue;
    const bool is_hours = is_gpu_hours_metric(r.metric);
    const bool is_days = is_wall_clock_metric(r.metric);
    if (family == "energy") {
      if (!r.energy_published_mwh || !r.energy_predicted_mwh) continue;
      const double e = std::fabs(*r.energy_predicted_mwh / *r.energy_published_mwh - 1.0);
      errs.push_back(e);
      s.within_10 += e <= 0.10;
      s.within_25 += e <= 0.25;
      continue;
    }
    if (r.metric == "energy_mwh") continue;
    if (family == "days" ? !is_days : (family == "hours") != is_hours || is_days) continue;
    if (!model_class.empty() && r.model_class != model_class) continue;
    if (!hardware.empty() && r.hardware != hardware) continue;
    const double e = std::fabs(r.error);  // relative for hours; percentage points for MFU/TFLOPS
    errs.push_back(e);
    if (is_hours || is_days) {
      s.within_10 += e <= 0.10;
      s.within_25 += e <= 0.25;
    }
  }
  s.count = static_cast<int>(errs.size());
  if (errs.empty()) return s;
  std::sort(errs.begin(), errs.end());
  s.median_abs = median_of_sorted(errs);
  s.max_abs = errs.back();
  return s;
}

}  // namespace traincost
