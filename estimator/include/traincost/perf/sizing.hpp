#pragma once
// The cluster a team would size for a job whose GPU count is not given: every
// question (estimate, check, compare) and the validation of published runs use
// this one rule, so they agree on days for the same inputs.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/perf/constants.hpp"
#include "traincost/perf/evaluate.hpp"
#include "traincost/perf/plan.hpp"

namespace traincost::perf {

// Cluster sizes as they are bought: powers of two and three times powers of two
// (8, 12, 16, 24, 32, ..., 16384, 24576, ...), at least one 8-GPU server.
std::int64_t next_cluster_size(std::int64_t gpus);
std::int64_t previous_cluster_size(std::int64_t gpus);  // 0 below 8

struct AssumedCluster {
  std::int64_t gpus = 0;
  double target_days = 0;
  std::optional<double> days;  // the modelled whole-run days on `gpus` (nullopt: no plan fits)
  std::string rule;            // one line saying how the count was chosen, for tables and JSON
};

// Whole-run days of `tokens` at a steady `tokens_per_s` (cluster-wide) on `gpus` GPUs:
// failure goodput and the fitted run efficiency applied, as `estimate` prices a run.
double whole_run_days(double tokens, double tokens_per_s, std::int64_t gpus, double total_params, const Constants& c);

// The model's whole-run days on n GPUs (goodput and run efficiency applied), or
// nullopt when no plan fits there.
using DaysOnCluster = std::function<std::optional<double>(std::int64_t gpus)>;

// Starts at the smallest size that trains `model_flops` within `target_days` (default
// Constants::typical_run_days) at Constants::sizing_mfu x run efficiency of the
// peak; then, with the model's own days, grows while the run is too long and
// growing still shortens it, or shrinks while a smaller cluster still makes the
// deadline; never beyond `max_gpus` (a cap the caller sets; default 2^24). Throws
// UsageError for a non-positive or non-finite target.
AssumedCluster size_for_deadline(double model_flops, double peak_flops_per_s, const Constants& c,
                                 std::optional<double> target_days, const DaysOnCluster& days_on,
                                 std::int64_t max_gpus = std::int64_t{1} << 24);

// The fit rule of budget and compare-hardware: the smallest of from, 2·from, 4·from, ...
// (up to `max_gpus`) GPUs of `hw` on which the performance model finds a plan, with
// `setup` (seq_len, precision) and the default batch for `tokens` on that cluster, grown
// to at least one sequence per rank; nullopt when none fits. Throws UsageError when the
// profile lacks a fact some cluster size needs (perf::cluster_for).
std::optional<std::int64_t> smallest_pow2_cluster_that_fits(const ModelProfile& prof, const Hardware& facts,
                                                            const Accelerator& hw, const TrainingSetup& setup,
                                                            double tokens, const Constants& c, std::int64_t from,
                                                            std::int64_t max_gpus);

}  // namespace traincost::perf
