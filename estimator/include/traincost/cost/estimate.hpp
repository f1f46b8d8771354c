#pragma once
// Cost of a training run at a given utilisation:
//   GPU-hours = training FLOPs / (dense peak at the precision × MFU × 3600)
//   days      = GPU-hours / GPUs / 24
//   dollars   = GPU-hours × $/GPU-hour
//   energy    = GPU-hours × TDP × server multiplier × average-power fraction × PUE  (Epoch AI method)
//   CO2       = energy × grid intensity
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/flops.hpp"
#include "traincost/model/params.hpp"
#include "traincost/model/spec.hpp"

namespace traincost {

// Throughput derived by the performance model for a plan (perf/search.hpp).
struct DerivedThroughput {
  double tokens_per_s = 0;  // cluster-wide, steady state
  double mfu = 0;           // model FLOPs vs the precision's dense peak
  double goodput = 1;       // useful fraction of wall-clock (failures, checkpoints, restarts)
  double run_efficiency = 1;  // whole-run share of steady-state throughput (calibrated, constants/calibrated.json)
  std::string plan;         // the plan, as text
  std::int64_t gpus = 0;    // the cluster the plan runs on
  std::string gpus_rule;    // set when that GPU count was assumed (perf/sizing.hpp), not given
  std::optional<Recompute> recompute;  // the plan's activation recomputation (its forward FLOPs are hardware FLOPs)
  std::int64_t global_batch_tokens = 0;  // tokens per optimizer step of the plan
  bool batch_from_rule = false;          // true when that batch is the default rule's, not given
};

struct EstimateInputs {
  double tokens = 0;                      // training tokens
  std::optional<std::int64_t> gpus;       // cluster size; needed for wall-clock and the memory floor
  std::optional<double> target_days;      // without gpus: the duration the assumed cluster is sized for
  std::optional<std::int64_t> global_batch_tokens;  // tokens per step of the derived plan (unset: the batch rule)
  Precision precision = Precision::bf16;  // GEMM precision the MFU refers to
  FlopOptions flops;                      // seq_len, attention convention, recompute
  std::optional<double> mfu;              // model FLOPs utilisation vs the precision's dense peak
  std::optional<DerivedThroughput> derived;  // used when mfu is not given
  std::optional<double> moe_imbalance;       // MoE routing balance for the derived plan (unset: the default)
  std::optional<Recompute> recompute_pin;    // --recompute given: the derived plan's recompute (unset: the search's choice)
  std::optional<double> price_usd_per_gpu_hour;
  double pue = 0;
  double grid_kgco2_per_kwh = 0;
};

struct Estimate {
  ParamBreakdown params;
  FlopsPerToken flops_per_token;
  double training_flops = 0;  // model FLOPs over all tokens (no recomputation)
  double hardware_flops = 0;  // incl. recomputation
  double peak_flops_per_gpu_s = 0;
  double mfu = 0;
  std::string mfu_source;
  double achieved_flops_per_gpu_s = 0;  // model FLOPs per second per GPU
  double gpu_hours = 0;                   // including goodput loss when derived
  double gpu_hours_goodput_loss = 0;      // the part of gpu_hours lost to failures and checkpoints
  double goodput = 1;                     // failures, checkpoints, restarts
  double run_efficiency = 1;              // ramps, evaluations, stalls (calibrated on whole runs)
  std::string plan;                       // the plan behind a derived MFU, if any
  Recompute recompute = Recompute::none;  // behind hardware_flops: the derived plan's, else the FLOPs inputs'

  std::optional<double> wall_clock_days;
  std::optional<std::int64_t> gpus;       // given, or assumed by the sizing rule (then gpus_rule says how)
  std::string gpus_rule;
  std::optional<double> price_usd_per_gpu_hour;
  std::string price_source;
  std::string price_basis;                // "given", or the profile's pricing ("on-demand", "capacity-block reservation", ...)
  std::optional<double> cost_usd;
  std::optional<double> power_per_gpu_w;  // facility power per GPU, incl. server share and PUE
  std::optional<double> energy_mwh;
  std::optional<double> co2_tonnes;
  std::optional<double> memory_floor_per_gpu_bytes;  // model states fully sharded over all GPUs
  std::vector<std::string> notes;
};

// Pure: no I/O. Throws InputError when the model cannot fit at all.
Estimate estimate(const ModelSpec& model, const Accelerator& hw, const EstimateInputs& in);

// The default MFU for a precision on an accelerator (see constants.hpp).
double default_mfu(const Accelerator& hw, Precision p);

}  // namespace traincost
