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
  HostSyncFit moe_host_sync;  // fitted on Megatron-Bridge MoE throughput (validation/throughput.hpp)
};

// Runs used for fitting: the throughput benchmarks validate_run can compare.
CalibrationResult calibrate(const std::vector<PublishedRun>& runs, const perf::Constants& base, bool leave_one_out);

nlohmann::ordered_json calibration_json(const CalibrationResult& r, const std::string& fitted_on);

// The generation of a run's hardware (profile field), or "" if unknown.
std::string generation_of(const PublishedRun& run);

}  // namespace traincost
