#include "traincost/econ/claim.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"
#include "traincost/util/json_nullable.hpp"
#include "traincost/util/number_format.hpp"
#include "traincost/util/numeric.hpp"

namespace traincost::econ {

namespace {

// The 16-bit dense peak (BF16, else FP16), if the profile has one.
std::optional<double> sixteen_bit_peak(const Accelerator& hw) {
  for (Precision p : {Precision::bf16, Precision::fp16})
    if (auto it = hw.peak_dense_flops_per_s.find(p); it != hw.peak_dense_flops_per_s.end()) return it->second;
  return std::nullopt;
}

bool below_16_bit(Precision p) { return p == Precision::fp8 || p == Precision::fp4; }

using util::days_text;
using util::precise;
using util::times;

}  // namespace

// The constants and the error range: claim_constants.cpp.

std::string to_string(Verdict v) {
  switch (v) {
    case Verdict::consistent: return "consistent";
    case Verdict::optimistic: return "optimistic";
    case Verdict::implausible: return "implausible";
  }
  return "?";
}

ClaimCheck check_claim(const ModelSpec& model, const Accelerator& hw, const EstimateInputs& in,
                       const Estimate& prediction, const Claim& claim, const ClaimConstants& c,
                       const ErrorRange& range, const std::string& fallback_note) {
  using util::count;
  using util::percent;
  using util::usd;
  ClaimCheck r;
  r.model = model.name;
  r.hardware = hw.id;
  r.hardware_name = hw.name;
  r.precision = to_string(in.precision);
  r.tokens = in.tokens;
  r.seq_len = in.flops.seq_len;
  r.gpus = in.gpus;
  r.claim = claim;
  const std::string prec = r.precision;

  // What the claim implies.
  r.training_flops = prediction.training_flops;
  r.has_mtp = prediction.flops_per_token.mtp_matmul_fwd > 0;
  r.peak_flops_per_gpu_s = prediction.peak_flops_per_gpu_s;
  r.peak_16bit_flops_per_gpu_s = sixteen_bit_peak(hw);
  r.implied_flops_per_gpu_s = r.training_flops / (claim.gpu_hours * kSecondsPerHour);
  r.implied_mfu = r.implied_flops_per_gpu_s / r.peak_flops_per_gpu_s;
  if (r.peak_16bit_flops_per_gpu_s) r.implied_mfu_bf16_peak = r.implied_flops_per_gpu_s / *r.peak_16bit_flops_per_gpu_s;
  if (claim.cost_usd) r.implied_usd_per_gpu_hour = *claim.cost_usd / claim.gpu_hours;
  const double gpus_d = in.gpus ? static_cast<double>(*in.gpus) : 0.0;
  if (in.gpus) r.implied_wall_clock_days = claim.gpu_hours / gpus_d / 24.0;
  if (claim.days && in.gpus) {
    r.implied_gpu_hours_from_days = gpus_d * *claim.days * 24.0;
    r.hours_over_hours_from_days = claim.gpu_hours / *r.implied_gpu_hours_from_days;
  }
  if (claim.days && !in.gpus) r.implied_gpus = claim.gpu_hours / (*claim.days * 24.0);

  // What traincost predicts, and the range its own leave-one-out errors give.
  r.predicted_gpu_hours = prediction.gpu_hours;
  r.predicted_mfu = prediction.mfu;
  r.plan = prediction.plan;
  r.from_performance_model = !prediction.plan.empty();
  r.prediction_source = r.from_performance_model
                            ? fmt::format("performance model: fastest plan that fits ({}){}, goodput {:.3f}, whole-run "
                                          "efficiency {:.3f}",
                                          r.plan, prediction.gpus_rule.empty() ? "" : " on the assumed cluster",
                                          prediction.goodput, prediction.run_efficiency)
                            : prediction.mfu_source;
  r.predicted_wall_clock_days = prediction.wall_clock_days;
  r.prediction_gpus = prediction.gpus;
  r.prediction_gpus_rule = prediction.gpus_rule;
  if (!r.prediction_gpus_rule.empty()) r.notes.push_back("prediction: " + r.prediction_gpus_rule);
  r.range = range;
  r.low_percentile = c.low_percentile;
  r.high_percentile = c.high_percentile;
  r.predicted_gpu_hours_p10 = r.predicted_gpu_hours / std::exp(range.log_high);
  r.predicted_gpu_hours_p90 = r.predicted_gpu_hours / std::exp(range.log_low);
  if (!fallback_note.empty())
    r.notes.push_back(fmt::format("performance model not used ({}); the prediction uses the default utilisation", fallback_note));
  if (!r.from_performance_model)
    r.notes.push_back(
        "the P10-P90 range measures the performance model's errors; the default utilisation is cruder, so the range "
        "understates the uncertainty (pass --gpus for a plan-based prediction)");

  // The verdict: implausible reasons, then optimistic, then consistent.
  std::vector<std::string> implausible, optimistic, consistent, context;
  const std::string best_ref =
      fmt::format("{} ({}, {} GPUs)", percent(c.best_large_scale.value), c.best_large_scale.run,
                  util::exact(c.best_large_scale.gpus));
  if (r.implied_mfu > 1.0)
    implausible.push_back(fmt::format(
        "the claim needs {:.3e} FLOP/s per GPU, {} the {} dense peak of {} ({:.3e}): more than the hardware can do",
        r.implied_flops_per_gpu_s, times(r.implied_mfu), prec, hw.id, r.peak_flops_per_gpu_s));
  if (r.implied_mfu > c.implausible_mfu())
    implausible.push_back(fmt::format(
        "implied MFU {} of the {} peak is far above the best published large-scale MFU, {} (threshold {} = {} that; "
        "the best at any scale is {}, {})",
        percent(r.implied_mfu), prec, best_ref, percent(c.implausible_mfu()), times(c.implausible_mfu_margin_ratio),
        percent(c.best_any_scale.value), c.best_any_scale.run));
  if (r.from_performance_model && r.implied_mfu > c.implausible_vs_predicted_ratio * r.predicted_mfu)
    implausible.push_back(fmt::format(
        "implied MFU {} is {} the steady-state MFU of the fastest plan traincost finds ({}), more than {}: the "
        "performance model has never under-predicted a published MFU by that much",
        percent(r.implied_mfu), times(r.implied_mfu / r.predicted_mfu), percent(r.predicted_mfu),
        times(c.implausible_vs_predicted_ratio)));
  if (r.hours_over_hours_from_days && *r.hours_over_hours_from_days > 1.0 + c.days_tolerance)
    implausible.push_back(fmt::format(
        "the claimed {} GPU-hours exceed what {} GPUs provide in the claimed {} days ({} GPU-hours)",
        precise(claim.gpu_hours), *in.gpus, days_text(*claim.days), count(*r.implied_gpu_hours_from_days)));
  if (below_16_bit(in.precision) && r.implied_mfu_bf16_peak && *r.implied_mfu_bf16_peak > c.best_large_scale.value &&
      r.implied_mfu <= 1.0)
    optimistic.push_back(fmt::format(
        "implied MFU is {} of the 16-bit peak, above every published large-scale 16-bit run (best {}): the claim "
        "needs {} GEMMs to speed up the whole step beyond anything in the validation data",
        percent(*r.implied_mfu_bf16_peak), best_ref, prec));
  if (claim.gpu_hours < r.predicted_gpu_hours_p10)
    optimistic.push_back(fmt::format(
        "the claimed {} GPU-hours are {:.0f}% below the prediction's P10 ({}; central {})", precise(claim.gpu_hours),
        100.0 * (1.0 - claim.gpu_hours / r.predicted_gpu_hours_p10), count(r.predicted_gpu_hours_p10),
        count(r.predicted_gpu_hours)));
  else if (claim.gpu_hours <= r.predicted_gpu_hours_p90)
    consistent.push_back(fmt::format(
        "the claimed {} GPU-hours lie within the prediction's P10-P90 range ({} to {}), {} the central {}",
        precise(claim.gpu_hours), count(r.predicted_gpu_hours_p10), count(r.predicted_gpu_hours_p90),
        times(claim.gpu_hours / r.predicted_gpu_hours), count(r.predicted_gpu_hours)));
  else
    consistent.push_back(fmt::format(
        "the claimed {} GPU-hours are above the prediction's P90 ({}): conservative, still consistent (extra phases, "
        "restarts or a slower setup than the best plan)",
        precise(claim.gpu_hours), count(r.predicted_gpu_hours_p90)));
  if (r.implied_mfu <= c.implausible_mfu()) {
    std::string s = fmt::format("implied MFU {} of the {} peak", percent(r.implied_mfu), prec);
    if (r.implied_mfu_bf16_peak && below_16_bit(in.precision))
      s += fmt::format(" ({} of the 16-bit peak)", percent(*r.implied_mfu_bf16_peak));
    s += fmt::format("; published large-scale runs: {} {} at {} GPUs, best {}", c.reference.run,
                     percent(c.reference.value), util::exact(c.reference.gpus), best_ref);
    if (r.from_performance_model)
      s += fmt::format("; the fastest plan traincost finds runs at {} steady state", percent(r.predicted_mfu));
    context.push_back(s);
  }
  if (r.hours_over_hours_from_days && *r.hours_over_hours_from_days <= 1.0 + c.days_tolerance)
    context.push_back(fmt::format(
        "{} GPUs for {} days give {} GPU-hours; the claim uses {} of them", *in.gpus, days_text(*claim.days),
        count(*r.implied_gpu_hours_from_days), percent(*r.hours_over_hours_from_days)));
  r.verdict = !implausible.empty() ? Verdict::implausible
              : !optimistic.empty() ? Verdict::optimistic
                                    : Verdict::consistent;
  for (auto* v : {&implausible, &optimistic, &consistent, &context})
    r.reasons.insert(r.reasons.end(), v->begin(), v->end());

  // What the claim leaves out.
  if (claim.cost_usd) {
    r.cost_basis_usd = claim.cost_usd;
    r.cost_basis = "the claimed cost";
  } else if (hw.rental) {
    r.cost_basis_usd = claim.gpu_hours * hw.rental->usd_per_gpu_hour;
    r.cost_basis = fmt::format("the claimed GPU-hours at {}'s rental price, ${:.2f}/GPU-hour", hw.id,
                               hw.rental->usd_per_gpu_hour);
  } else {
    r.cost_basis = "none: no --claimed-cost-usd and no rental price in the profile";
  }
  r.development_multiplier_low = c.development_multiplier_low;
  r.development_multiplier_high = c.development_multiplier_high;
  if (r.cost_basis_usd) {
    r.research_compute_usd = UsdRange{*r.cost_basis_usd * (c.development_multiplier_low - 1.0),
                                      *r.cost_basis_usd * (c.development_multiplier_high - 1.0)};
    r.total_development_usd =
        UsdRange{*r.cost_basis_usd * c.development_multiplier_low, *r.cost_basis_usd * c.development_multiplier_high};
  }
  r.server_overhead = c.server_overhead(hw.id);
  r.interconnect_share = c.interconnect_share;
  r.amortisation_per_year = c.amortisation_per_year();
  r.purchase_usd = hw.purchase_usd;
  // The cluster is held for the claimed days when they are given (at least the claimed hours), else for the hours.
  r.ownership_gpu_hours = claim.gpu_hours;
  if (r.implied_gpu_hours_from_days) r.ownership_gpu_hours = std::max(claim.gpu_hours, *r.implied_gpu_hours_from_days);
  if (hw.purchase_usd) {
    r.hardware_usd_per_gpu = *hw.purchase_usd * r.server_overhead / (1.0 - c.interconnect_share);
    r.ownership_usd_per_gpu_hour = *r.hardware_usd_per_gpu * r.amortisation_per_year / c.hours_per_year;
    r.ownership_usd = *r.ownership_usd_per_gpu_hour * r.ownership_gpu_hours;
    if (in.gpus) r.cluster_capex_usd = gpus_d * *r.hardware_usd_per_gpu;
  } else {
    r.notes.push_back(fmt::format("{} has no purchase price in its profile: ownership and capital cost not computed", hw.id));
  }
  r.electricity_usd_per_kwh = c.electricity_usd_per_kwh;
  if (prediction.power_per_gpu_w) {
    r.energy_mwh = claim.gpu_hours * *prediction.power_per_gpu_w / 1e6;
    r.energy_usd = *r.energy_mwh * 1000.0 * c.electricity_usd_per_kwh;
  } else {
    r.notes.push_back(fmt::format("{} has no TDP in its profile: energy not computed", hw.id));
  }
  if (r.implied_usd_per_gpu_hour && r.ownership_usd_per_gpu_hour) {
    std::string p = fmt::format("implied ${:.2f}/GPU-hour; owning new {} GPUs costs ${:.2f}/GPU-hour in amortisation",
                                *r.implied_usd_per_gpu_hour, hw.id, *r.ownership_usd_per_gpu_hour);
    if (prediction.power_per_gpu_w)
      p += fmt::format(" plus ${:.2f} in energy", *prediction.power_per_gpu_w / 1000.0 * c.electricity_usd_per_kwh);
    p += fmt::format(" (Epoch AI method, purchase price {})", usd(*hw.purchase_usd));
    if (hw.rental)
      p += fmt::format("; the profile's rental price is ${:.2f}: {}, {}", hw.rental->usd_per_gpu_hour,
                       hw.rental->provider, hw.rental->date);
    r.reasons.push_back(p);
  }
  for (const auto& n : prediction.notes)
    if (n.find("rental price") == std::string::npos) r.notes.push_back(n);
  return r;
}

}  // namespace traincost::econ
