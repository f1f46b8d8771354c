#pragma once
// Global defaults of the cost model. Each carries its source; none is keyed
// to a model or a published run.

namespace traincost::defaults {

// Hardware utilisation when the user gives no --mfu and no performance model
// is used: Epoch AI's imputation value, "median of 33 known values"
// (epoch-research/training-cost-trends, MEDIAN_UTILIZATION = 0.375;
// Cottier et al. 2024, arXiv:2405.21015). The runs behind it trained in
// BF16/FP16, so it is applied to the 16-bit dense peak (see estimate.cpp).
inline constexpr double kMfuBf16Equivalent = 0.375;

// Average power drawn during training as a fraction of server TDP: 0.75 for
// GPUs, 0.43 for TPUs (Epoch AI cost code, `server_TDP_fraction`).
inline constexpr double kAvgPowerFractionGpu = 0.75;
inline constexpr double kAvgPowerFractionTpu = 0.43;

// Server power per accelerator over chip TDP when a profile gives none:
// Epoch AI cost code `chip_to_server_power` default 1.8 (H100 1.82, A100 2.03
// live in their profiles).
inline constexpr double kServerPowerMultiplier = 1.8;

// Data-centre PUE: Epoch AI uses 1.10 for hyperscalers and 1.25 otherwise
// (`power_usage_effectiveness`). An unnamed renter gets the non-hyperscaler value.
inline constexpr double kPue = 1.25;

// Grid carbon intensity, kgCO2e per kWh: US average used by Patterson et al.
// 2021 (arXiv:2104.10350) Table 4 for GPT-3.
inline constexpr double kGridKgCo2PerKwh = 0.429;

// Model-state bytes per parameter for mixed-precision Adam: 2 (16-bit weights)
// + 2 (16-bit grads) + 12 (fp32 master, momentum, variance) — ZeRO §3.1
// (Rajbhandari et al. 2020). Used for the "cannot fit even fully sharded" floor.
inline constexpr double kModelStateBytesPerParam = 16.0;

}  // namespace traincost::defaults
