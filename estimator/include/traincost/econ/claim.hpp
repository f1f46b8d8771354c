#pragma once
// Checking a claimed training cost (`traincost check`): what the claim implies
// (FLOP/s per GPU, MFU, $/GPU-hour, wall-clock), what the estimator predicts
// for the same setup with an uncertainty range taken from its own leave-one-out
// errors on whole published runs, a verdict with reasons, and what the claim
// leaves out (research compute, owning the cluster, energy, staff).
//
// Thresholds and cost constants live in constants/claim_check.json, each with
// its source; the range comes from constants/calibrated.json (`residuals`,
// `leave_one_out_error`). Published runs are never an input to the prediction.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/cost/estimate.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/spec.hpp"

namespace traincost::econ {

// A published MFU the verdict refers to (copied into claim_check.json with its run id).
struct ReferenceMfu {
  double value = 0;
  std::string run;
  std::int64_t gpus = 0;
};

struct ClaimConstants {
  ReferenceMfu best_large_scale;  // best published MFU at >= 8,192 GPUs
  ReferenceMfu best_any_scale;
  ReferenceMfu reference;         // printed for context (Llama 3.1 405B)
  double implausible_mfu_margin_ratio = 1.1;
  double implausible_vs_predicted_ratio = 1.5;
  double days_tolerance = 0.05;
  double low_percentile = 0.1, high_percentile = 0.9;
  std::vector<std::string> range_metrics;
  // What a claim leaves out (Epoch AI, Cottier et al. 2024).
  double development_multiplier_low = 1.2, development_multiplier_high = 4.0;
  double server_overhead_default = 1.64;
  std::map<std::string, double> server_overhead_by_hardware;
  double interconnect_share = 0.19;
  double depreciation_oom_per_year = 0.14;
  double hours_per_year = 8760;
  double electricity_usd_per_kwh = 0.08;

  double implausible_mfu() const { return best_large_scale.value * implausible_mfu_margin_ratio; }
  double server_overhead(const std::string& hardware_id) const;
  // r · ln 10: the yearly amortisation rate of the hardware's value.
  double amortisation_per_year() const;
};

ClaimConstants claim_constants_from_json(const nlohmann::json& doc, const std::string& where);
// constants/claim_check.json in the data directory; read once, cached.
const ClaimConstants& claim_constants();

// The spread of whole-run leave-one-out errors, as ln(1 + error) percentiles.
struct ErrorRange {
  double log_low = 0;   // ln(1 + e) at the low percentile (the model over-predicted least / under-predicted most)
  double log_high = 0;  // ln(1 + e) at the high percentile
  int runs = 0;         // rows it was taken from
  std::string file;
};

// Percentile of sorted-or-not values, linear interpolation between order
// statistics (Hyndman-Fan type 7, numpy's default). `values` must be non-empty.
double percentile(std::vector<double> values, double p);

// From a calibration document (constants/calibrated.json): rows whose `metric`
// is one of c.range_metrics and that carry `leave_one_out_error` (a relative
// error). InputError naming the file when there are fewer than 3.
ErrorRange error_range_from_json(const nlohmann::json& calibration, const std::string& where, const ClaimConstants& c);
ErrorRange load_error_range(const ClaimConstants& c);  // constants/calibrated.json in the data directory

struct Claim {
  double gpu_hours = 0;
  std::optional<double> cost_usd;
  std::optional<double> days;
};

struct UsdRange {
  double low = 0, high = 0;
};

enum class Verdict { consistent, optimistic, implausible };
std::string to_string(Verdict v);

struct ClaimCheck {
  // the setup
  std::string model, hardware, hardware_name, precision;
  double tokens = 0;
  std::int64_t seq_len = 0;
  std::optional<std::int64_t> gpus;
  Claim claim;

  // what the claim implies
  double training_flops = 0;
  bool has_mtp = false;                            // MTP modules counted in the FLOPs
  double peak_flops_per_gpu_s = 0;                 // dense, at the precision
  std::optional<double> peak_16bit_flops_per_gpu_s;
  double implied_flops_per_gpu_s = 0;
  double implied_mfu = 0;                          // vs the precision's dense peak
  std::optional<double> implied_mfu_bf16_peak;     // vs the 16-bit dense peak
  std::optional<double> implied_usd_per_gpu_hour;
  std::optional<double> implied_wall_clock_days;   // hours / gpus / 24
  std::optional<double> implied_gpu_hours_from_days;  // gpus × days × 24
  std::optional<double> hours_over_hours_from_days;   // claimed / (gpus × days × 24)
  std::optional<double> implied_gpus;                 // hours / (days × 24), without --gpus

  // what traincost predicts
  double predicted_gpu_hours = 0;
  double predicted_gpu_hours_p10 = 0;
  double predicted_gpu_hours_p90 = 0;
  double predicted_mfu = 0;             // steady state of the best plan, or the default utilisation
  bool from_performance_model = false;  // false: default utilisation
  std::string prediction_source;
  std::string plan;                     // empty without the performance model
  std::optional<double> predicted_wall_clock_days;
  std::optional<std::int64_t> prediction_gpus;  // the cluster of the prediction (the claim's, or the sizing rule's)
  std::string prediction_gpus_rule;             // set when that cluster was assumed (perf/sizing.hpp)
  ErrorRange range;
  double low_percentile = 0.1, high_percentile = 0.9;

  // the verdict
  Verdict verdict = Verdict::consistent;
  std::vector<std::string> reasons;  // deciding reasons first

  // what the claim leaves out
  std::optional<double> cost_basis_usd;  // the claimed cost, or claimed hours × the profile's rental price
  std::string cost_basis;
  std::optional<UsdRange> research_compute_usd;     // research and ablations only (0.2–3× the run)
  std::optional<UsdRange> total_development_usd;    // the whole development compute (1.2–4× the run)
  double development_multiplier_low = 0, development_multiplier_high = 0;
  std::optional<double> hardware_usd_per_gpu;       // purchase × server overhead / (1 − interconnect share)
  double server_overhead = 0, interconnect_share = 0, amortisation_per_year = 0;
  std::optional<double> purchase_usd;
  double ownership_gpu_hours = 0;                   // GPU-hours the cluster is held
  std::optional<double> ownership_usd;
  std::optional<double> ownership_usd_per_gpu_hour;
  std::optional<double> cluster_capex_usd;
  std::optional<double> energy_mwh;
  std::optional<double> energy_usd;
  double electricity_usd_per_kwh = 0;

  std::vector<std::string> notes;
};

// Pure. `prediction` is the estimate for the same model, hardware and inputs
// (derived from the best plan when `in.gpus` is set and the profile has the
// facts; otherwise the default utilisation); `fallback_note` says why the
// performance model was not used, if it was not.
ClaimCheck check_claim(const ModelSpec& model, const Accelerator& hw, const EstimateInputs& in,
                       const Estimate& prediction, const Claim& claim, const ClaimConstants& c,
                       const ErrorRange& range, const std::string& fallback_note = "");

// Rendering: report/claim_report.hpp.

}  // namespace traincost::econ
