#include "traincost/cost/estimate.hpp"

#include <fmt/format.h>

#include "traincost/cost/constants.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/numeric.hpp"

namespace traincost {

namespace {

// The 16-bit dense peak the default utilisation refers to.
double sixteen_bit_peak(const Accelerator& hw) {
  for (Precision p : {Precision::bf16, Precision::fp16})
    if (auto it = hw.peak_dense_flops_per_s.find(p); it != hw.peak_dense_flops_per_s.end()) return it->second;
  return 0;
}
}  // namespace

double default_mfu(const Accelerator& hw, Precision p) {
  const double peak = hw.peak_flops_per_s(p);
  const double p16 = sixteen_bit_peak(hw);
  // 8- and 4-bit GEMMs are not assumed to speed up the whole step without a
  // performance model: the default holds the achieved rate at 37.5% of the
  // 16-bit peak, expressed against the requested precision's peak.
  if ((p == Precision::fp8 || p == Precision::fp4) && p16 > 0) return defaults::kMfuBf16Equivalent * p16 / peak;
  return defaults::kMfuBf16Equivalent;
}

Estimate estimate(const ModelSpec& model, const Accelerator& hw, const EstimateInputs& in) {
  Estimate e;
  e.params = count_params(model);
  // Recomputation is the plan's choice: a derived plan's recompute sets the hardware FLOPs.
  FlopOptions flops_in = in.flops;
  if (in.derived && in.derived->recompute) flops_in.recompute = *in.derived->recompute;
  e.recompute = flops_in.recompute;
  e.flops_per_token = flops_per_token(model, flops_in);
  e.training_flops = e.flops_per_token.model() * in.tokens;
  e.hardware_flops = e.flops_per_token.hardware() * in.tokens;
  e.peak_flops_per_gpu_s = hw.peak_flops_per_s(in.precision);
  // A chip that lists an 8- or 4-bit rate equal to its 16-bit one (TPU v5p: "FP8 459" = BF16
  // 459, hwprofiles/tpu-v5p.json) runs those GEMMs without a speed-up: say so, not silently.
  if ((in.precision == Precision::fp8 || in.precision == Precision::fp4) &&
      e.peak_flops_per_gpu_s <= sixteen_bit_peak(hw))
    e.notes.push_back(fmt::format("{}: its {} peak ({:.0f} TFLOPS) is its 16-bit rate, not a faster low-precision "
                                  "unit: {} gives no compute speed-up on this chip",
                                  hw.id, to_string(in.precision), e.peak_flops_per_gpu_s / 1e12, to_string(in.precision)));
  if (in.mfu) {
    e.mfu = *in.mfu;
    e.mfu_source = "given (--mfu)";
  } else if (in.derived) {
    e.mfu = in.derived->mfu;
    e.goodput = in.derived->goodput;
    e.run_efficiency = in.derived->run_efficiency;
    e.plan = in.derived->plan;
    e.mfu_source = fmt::format("derived, steady state: plan {}", e.plan);
    if (!in.gpus && !in.derived->gpus_rule.empty()) e.notes.push_back(in.derived->gpus_rule);
  } else {
    e.mfu = default_mfu(hw, in.precision);
    e.mfu_source = fmt::format("default: {:.1f}% of the 16-bit dense peak (Epoch AI median utilisation)",
                               100.0 * defaults::kMfuBf16Equivalent);
  }
  e.achieved_flops_per_gpu_s = e.peak_flops_per_gpu_s * e.mfu;
  const double steady_gpu_hours = e.training_flops / (e.achieved_flops_per_gpu_s * kSecondsPerHour);
  e.gpu_hours = steady_gpu_hours / (e.goodput * e.run_efficiency);
  e.gpu_hours_goodput_loss = e.gpu_hours - steady_gpu_hours;
  // The cluster: given, or the one the derived plan was sized for (perf/sizing.hpp).
  e.gpus = in.gpus;
  if (!e.gpus && in.derived && in.derived->gpus > 0) {
    e.gpus = in.derived->gpus;
    e.gpus_rule = in.derived->gpus_rule;
  }
  if (const auto gpus = e.gpus) {
    e.wall_clock_days = e.gpu_hours / static_cast<double>(*gpus) / 24.0;
    e.memory_floor_per_gpu_bytes =
        static_cast<double>(e.params.total_incl_mtp()) * defaults::kModelStateBytesPerParam / static_cast<double>(*gpus);
    if (hw.memory_bytes && *e.memory_floor_per_gpu_bytes > *hw.memory_bytes)
      throw InputError(fmt::format(
          "model does not fit: its weights, gradients and Adam states ({:.0f} B/param × {:.4g} params) need "
          "{:.1f} GB per GPU even fully sharded over {} GPUs, but {} has {:.0f} GB; use at least {} GPUs",
          defaults::kModelStateBytesPerParam, static_cast<double>(e.params.total_incl_mtp()),
          *e.memory_floor_per_gpu_bytes / 1e9, *gpus, hw.id, *hw.memory_bytes / 1e9,
          static_cast<std::int64_t>(static_cast<double>(e.params.total_incl_mtp()) *
                                    defaults::kModelStateBytesPerParam / *hw.memory_bytes) + 1));
  } else {
    e.notes.push_back("no --gpus and no derived plan: wall-clock days not computed");
  }

  if (in.price_usd_per_gpu_hour) {
    e.price_usd_per_gpu_hour = in.price_usd_per_gpu_hour;
    e.price_source = "given (--price-per-gpu-hour)";
    e.price_basis = "given";
  } else if (hw.rental) {
    e.price_usd_per_gpu_hour = hw.rental->usd_per_gpu_hour;
    e.price_source = fmt::format("{} {} {} ({})", hw.rental->provider, hw.rental->pricing, hw.rental->date,
                                 hw.rental->source);
    e.price_basis = hw.rental->pricing;
  } else {
    e.notes.push_back(fmt::format("{} has no rental price in its profile: pass --price-per-gpu-hour for dollars", hw.id));
  }
  if (e.price_usd_per_gpu_hour) e.cost_usd = e.gpu_hours * *e.price_usd_per_gpu_hour;

  if (hw.tdp_w) {
    const double server = hw.server_power_multiplier.value_or(defaults::kServerPowerMultiplier);
    const double avg = hw.device_class == "tpu" ? defaults::kAvgPowerFractionTpu : defaults::kAvgPowerFractionGpu;
    e.power_per_gpu_w = *hw.tdp_w * server * avg * in.pue;
    e.energy_mwh = e.gpu_hours * *e.power_per_gpu_w / 1e6;
    e.co2_tonnes = *e.energy_mwh * in.grid_kgco2_per_kwh;  // MWh × kg/kWh = t
  } else {
    e.notes.push_back(fmt::format("{} has no TDP in its profile: energy and CO2 not computed", hw.id));
  }
  return e;
}

}  // namespace traincost
