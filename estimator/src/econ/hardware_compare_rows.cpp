// compare-hardware's row for one chip: the performance model on --gpus N or the
// --days sizing rule, else the default utilisation when the profile lacks a fact.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "hardware_compare_setup.hpp"
#include "traincost/cost/constants.hpp"
#include "traincost/model/params.hpp"
#include "traincost/perf/hints.hpp"
#include "traincost/perf/sizing.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/number_format.hpp"
#include "traincost/util/numeric.hpp"

namespace traincost::econ::detail {

namespace {

void take_estimate(HwRow& row, const Estimate& e) {
  row.days = e.wall_clock_days;
  row.gpu_hours = e.gpu_hours;
  row.cost_usd = e.cost_usd;
  row.price_usd_per_gpu_hour = e.price_usd_per_gpu_hour;
  row.price_basis = e.price_basis;
  row.price_source = e.price_source;
  row.energy_mwh = e.energy_mwh;
  row.mfu = e.mfu;
  row.mfu_source = e.mfu_source;
  for (const auto& n : e.notes)
    if (n.find("no --gpus") == std::string::npos && n.find("rental price") == std::string::npos) row.notes.push_back(n);
}

void take_perf(HwRow& row, const PerfRun& r, const HwCompareConstants& c) {
  row.performance_model = true;
  row.best = r.best;
  row.plan = perf::to_string(r.best.plan);
  row.fits = true;
  row.gpus = r.cluster.gpus;
  take_estimate(row, r.estimate);
  row.limit = classify_limit(r.best, r.cluster, c.limit_share_threshold);
}

// Performance model rows. Throws UsageError when the profile lacks a fact it needs.
void perf_row(HwRow& row, const PerfSetup& ps, const HwCompareInputs& in, const HwCompareConstants& c) {
  if (in.gpus) {
    if (auto r = ps.run(*in.gpus)) {
      take_perf(row, *r, c);
      return;
    }
    row.performance_model = true;
    row.fits = false;
    row.gpus = *in.gpus;
    row.min_gpus_to_fit = ps.min_fit(*in.gpus * 2, c.max_cluster_gpus);
    row.notes.push_back(row.min_gpus_to_fit
                            ? fmt::format("no plan fits on {} GPUs; the smallest power-of-two cluster that fits is {} GPUs",
                                          *in.gpus, *row.min_gpus_to_fit)
                            : fmt::format("no plan fits on {} GPUs, nor on any power-of-two cluster up to {}", *in.gpus,
                                          c.max_cluster_gpus));
    return;
  }
  // --days: the sizing rule every question shares (perf/sizing.hpp): the smallest of
  // 8, 12, 16, 24, ... GPUs whose modelled whole run meets the deadline, up to the cap.
  // No cluster below FLOPs / (peak x 86400 x D) can (that would need an MFU above 1).
  const double flops = ps.prof.model_flops_per_token * in.tokens;
  const double floor_gpus = flops / (ps.facts.peak * 86400.0 * *in.deadline_days);
  row.performance_model = true;
  row.meets_deadline = false;
  if (floor_gpus <= static_cast<double>(c.max_cluster_gpus)) {
    std::map<std::int64_t, std::optional<PerfRun>> runs;
    const auto days_on = [&](std::int64_t n) -> std::optional<double> {
      if (n > c.max_cluster_gpus) return std::nullopt;
      auto& r = runs[n];
      r = ps.run(n);
      return r ? r->estimate.wall_clock_days : std::nullopt;
    };
    const perf::AssumedCluster a =
        perf::size_for_deadline(flops, ps.facts.peak, ps.c, *in.deadline_days, days_on, c.max_cluster_gpus);
    if (a.days) {
      take_perf(row, *runs.at(a.gpus), c);
      row.meets_deadline = *a.days <= *in.deadline_days;
      if (!*row.meets_deadline)
        row.notes.push_back(fmt::format("no cluster up to {} GPUs meets {:g} days; the fastest: {:.1f} days on {} GPUs, "
                                        "where growing the cluster stops shortening the run",
                                        util::exact(c.max_cluster_gpus), *in.deadline_days, *row.days,
                                        util::exact(*row.gpus)));
      return;
    }
  }
  if (pow2_at_least(floor_gpus) > c.max_cluster_gpus) {
    row.deadline_beyond_cap = true;
    // floor_gpus can exceed any integer (a deadline of 1e-300 days): exact only where it fits.
    const std::string need = floor_gpus < 1e15 ? util::exact(static_cast<std::int64_t>(std::ceil(floor_gpus)))
                                               : fmt::format("{:.3g}", floor_gpus);
    row.notes.push_back(fmt::format("{:g} days need at least {} GPUs even at 100% MFU, beyond {}", *in.deadline_days, need,
                                    util::exact(c.max_cluster_gpus)));
  } else {
    row.notes.push_back(fmt::format("no plan fits on any cluster up to {} GPUs", c.max_cluster_gpus));
  }
}

// Default-utilisation rows: fit judged by the model states alone.
void default_row(HwRow& row, const ModelSpec& model, const Accelerator& hw, const HwCompareInputs& in, Precision p,
                 const HwCompareConstants& c) {
  EstimateInputs ei = hw_compare_base_inputs(in, p);
  const double states = static_cast<double>(count_params(model).total_incl_mtp()) * defaults::kModelStateBytesPerParam;
  std::optional<std::int64_t> floor_gpus;
  if (hw.memory_bytes) floor_gpus = pow2_at_least(states / *hw.memory_bytes);
  if (in.gpus) {
    ei.gpus = *in.gpus;
  } else {
    const Estimate e0 = estimate(model, hw, ei);
    const std::int64_t n = std::max(pow2_at_least(e0.gpu_hours / (24.0 * *in.deadline_days)), floor_gpus.value_or(1));
    if (n > c.max_cluster_gpus) {
      take_estimate(row, e0);
      row.meets_deadline = false;
      row.notes.push_back(fmt::format("{:g} days would need {} GPUs, beyond {}", *in.deadline_days, n, c.max_cluster_gpus));
      return;
    }
    ei.gpus = n;
  }
  row.gpus = ei.gpus;
  try {
    take_estimate(row, estimate(model, hw, ei));
    if (hw.memory_bytes) {
      row.fits = true;
      row.notes.push_back(fmt::format("fit judged by the model states only ({:.0f} B/parameter fully sharded); activations "
                                      "are not checked without the performance model",
                                      defaults::kModelStateBytesPerParam));
    } else {
      row.notes.push_back("no memory size in the profile: fit unknown");
    }
    if (in.deadline_days) row.meets_deadline = row.days && *row.days <= *in.deadline_days * (1.0 + 1e-9);
  } catch (const InputError& e) {
    row.fits = false;
    row.min_gpus_to_fit = floor_gpus;
    row.notes.push_back(e.what());
  }
}

}  // namespace

HwRow compare_one(const ModelSpec& model, const Accelerator& hw, const HwCompareInputs& in, const HwCompareConstants& c) {
  HwRow row;
  row.id = hw.id;
  row.name = hw.name;
  for (Precision p : {in.precision, Precision::bf16, Precision::fp16})
    if (hw.peak_dense_flops_per_s.count(p)) {
      row.precision = p;
      break;
    }
  if (!row.precision) {
    row.notes.push_back(
        hw.peak_dense_flops_per_s.empty()
            ? fmt::format("{} has no published dense peak in its profile: nothing can be computed", hw.id)
            : fmt::format("{} has no dense {}, bf16 or fp16 peak in its profile", hw.id, to_string(in.precision)));
    return row;
  }
  if (*row.precision != in.precision)
    row.notes.push_back(fmt::format("{} has no dense {} peak: {} used", hw.id, to_string(in.precision), to_string(*row.precision)));
  try {
    const PerfSetup ps(model, hw, in, *row.precision);
    HwRow trial = row;
    perf_row(trial, ps, in, c);
    return trial;
  } catch (const UsageError& e) {
    row.perf_model_gap = perf::without_mfu_hint(e.what());
    row.notes.push_back(fmt::format("performance model not used: {}; default utilisation ({:.1f}% of the 16-bit dense peak, "
                                    "Epoch AI median)",
                                    perf::without_mfu_hint(e.what()), 100.0 * defaults::kMfuBf16Equivalent));
  }
  default_row(row, model, hw, in, *row.precision, c);
  return row;
}

}  // namespace traincost::econ::detail
