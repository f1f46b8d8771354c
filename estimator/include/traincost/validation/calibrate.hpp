#pragma once
// Calibration of the performance model's one free constant per hardware
// generation (the achievable fraction of the measured GEMM ceiling) by
// least squares over the published runs, with leave-one-out errors.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/perf/constants.hpp"
#include "traincost/validation/throughput.hpp"
#include "traincost/validation/validate.hpp"

namespace traincost {

// Default global batch B = a * F^f * D^d * S^s (tokens; F = model FLOPs per token,
// D = training tokens, S = stored over active parameters, 1 for dense), fitted by least
// squares of ln B over the training runs that publish their batch; an exponent stays 0
// when its regressor takes one value over those runs.
struct BatchRuleFit {
  double coefficient = 0, flops_per_token_exponent = 0, tokens_exponent = 0, sparsity_exponent = 0;
  int runs = 0;
  double median_abs_log_error = 0, loo_median_abs_log_error = 0, loo_max_abs_log_error = 0;
  std::vector<std::string> ids;
};

struct CalibrationResult {
  std::map<std::string, double> efficiency_by_generation;
  std::map<std::string, int> rows_by_generation;
  double default_efficiency = 0.85;  // one factor over all benchmarks, for generations without rows
  double run_efficiency = 1.0;  // fitted on whole-run GPU-hours
  int training_runs = 0;
  std::vector<ValidationRow> fitted;   // every run predicted with the full fit
  std::vector<ValidationRow> held_out; // each run predicted by a fit that did not see it
  double rms_log_error = 0;
  int iterations = 0;
  MoeOverheadFit moe_overheads;  // fitted on Megatron-Bridge MoE throughput (validation/throughput.hpp)
  BatchRuleFit batch_rule;    // the default global batch, fitted on published runs' batches
  // Share of whole runs whose published figure lies inside the P10-P90 of their own
  // leave-one-out prediction (spread: sd of the other runs' leave-one-out log errors).
  double interval_coverage = 0;
  int interval_runs = 0;
};

// The default-batch power law over the training runs that publish batch and tokens;
// coefficient 0 when fewer than 3 do.
BatchRuleFit fit_batch_rule(const std::vector<PublishedRun>& runs);
// The fit as the constants the default batch reads; a fit of too few runs (coefficient 0)
// leaves them as they are.
void apply_batch_rule(const BatchRuleFit& fit, perf::Constants& c);

// Share of runs k whose leave-one-out log error ln(pred/pub) lies within the P10-P90
// (+-1.2816 sigma) of a lognormal whose sigma is the sample sd of the other runs' errors.
double loo_interval_coverage(const std::vector<double>& loo_log_errors);

// Runs used for fitting: the throughput benchmarks validate_run can compare.
CalibrationResult calibrate(const std::vector<PublishedRun>& runs, const perf::Constants& base, bool leave_one_out);

nlohmann::ordered_json calibration_json(const CalibrationResult& r, const std::string& fitted_on);

// The generation of a run's hardware (profile field), or "" if unknown.
std::string generation_of(const PublishedRun& run);

}  // namespace traincost
