#pragma once
// Reproducing published runs: for each record with a model, hardware and GPU
// count, find the best plan consistent with whatever plan fields were
// published, and compare the prediction with the published figure in the
// source's own convention (MFU with or without recomputation; GPU-hours or
// GPU-hours per trillion tokens).
#include <optional>
#include <string>
#include <vector>

#include "traincost/perf/constants.hpp"
#include "traincost/util/progress.hpp"
#include "traincost/validation/published.hpp"

namespace traincost {

struct ValidationRow {
  std::string id, title, kind, model_class, hardware;
  std::string metric;       // "mfu", "tflops_per_gpu", "gpu_hours", "gpu_hours_per_trillion_tokens", "wall_clock_days", "energy_mwh"
  double published = 0;
  double predicted = 0;
  double error = 0;         // signed: relative for hours/TFLOPS, percentage points for MFU
  bool error_in_points = false;
  std::string plan;         // the plan used
  double predicted_mfu = 0; // model FLOPs (causal) vs the precision's peak
  double goodput = 1;
  double step_time_s = 0;     // the plan's steady-state optimizer step
  std::int64_t gpus = 0;      // the GPU count used (published or assumed)
  std::string gpus_note;    // set when the GPU count was assumed
  std::string memory_note;  // set when the published layout is timed beyond the modelled memory (validate_run)
  // Energy, where the run publishes it: predicted with the estimator's own power model
  // (or, for a published TDP-only formula, the same formula on predicted GPU-hours).
  std::optional<double> energy_published_mwh, energy_predicted_mwh;
  std::string energy_basis;
  bool skipped = false;
  std::string skip_reason;
  std::vector<std::string> caveats;
};

// Published GPU-hours, whole or per trillion tokens.
inline bool is_gpu_hours_metric(const std::string& m) { return m == "gpu_hours" || m == "gpu_hours_per_trillion_tokens"; }
// Elapsed-time figures that count as GPU-hours on a published GPU count.
inline bool is_wall_clock_metric(const std::string& m) { return m == "wall_clock_days" || m == "wall_clock_hours"; }

ValidationRow validate_run(const PublishedRun& run, const perf::Constants& c);
std::vector<ValidationRow> validate_all(const std::vector<PublishedRun>& runs, const perf::Constants& c,
                                        const ProgressFn& progress = {});  // called after each run

struct ValidationStats {
  int count = 0;
  double median_abs = 0, max_abs = 0;
  int within_10 = 0, within_25 = 0;
};
// Over rows with the given metric family ("hours": GPU-hours rows; "days": wall-clock days on a
// published GPU count; "mfu": MFU and TFLOPS rows; "energy": rows with a published energy
// figure, relative error).
ValidationStats summarize(const std::vector<ValidationRow>& rows, const std::string& family,
                          const std::string& model_class = "", const std::string& hardware = "");

}  // namespace traincost
