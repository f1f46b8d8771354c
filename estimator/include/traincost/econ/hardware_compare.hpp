#pragma once
// One model, several accelerators (`traincost compare-hardware`): per chip the
// best plan of the performance model, whether it fits, days, GPU-hours,
// dollars, MWh, MFU, and what limits the run.
//
// Per chip:
//   * precision: the requested one if the chip has a dense peak for it, else
//     bf16, else fp16 (said in the row's notes);
//   * the performance model (perf::search) on --gpus N, or with --days D on the
//     smallest cluster of 8, 12, 16, 24, 32, ... GPUs that meets the deadline (perf/sizing.hpp);
//   * a chip whose profile lacks a fact the performance model needs (no
//     scale-out NIC, no scale-up bandwidth, no HBM bandwidth) falls back to the
//     default utilisation, and says so; one without any usable peak is reported
//     with the missing fact and no numbers;
//   * the limit (classify_limit): the largest non-compute share of the best
//     plan's step time when it reaches the threshold in
//     constants/hardware_compare.json, else "compute"; "memory capacity" when the
//     plan needed full recomputation or ZeRO-3 to fit and nothing else is named.
// Pairs of chips with the same peak, HBM bandwidth and memory but different
// links get the interconnect's effect isolated: the slower-linked chip is
// re-planned with the other chip's links.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/spec.hpp"
#include "traincost/perf/evaluate.hpp"

namespace traincost::econ {

struct HwCompareConstants {
  std::string path;
  double limit_share_threshold = 0.1;
  std::string limit_share_source;
  std::int64_t max_cluster_gpus = std::int64_t{1} << 20;
};
HwCompareConstants hardware_compare_constants_from_json(const nlohmann::json& doc, const std::string& where);
const HwCompareConstants& hardware_compare_constants();  // constants/hardware_compare.json, loaded once

// Shares of one optimizer step (they sum to 1).
struct TimeShares {
  double compute = 0;          // GEMMs, attention, recomputation
  double hbm = 0;              // element-wise work and the optimizer step (HBM-bandwidth bound)
  double scale_up = 0;         // TP collectives; EP all-to-all inside one scale-up domain
  double scale_out = 0;        // DP gradient sync; PP send/recv and EP all-to-all across domains
  double pipeline_bubble = 0;
};

struct LimitVerdict {
  std::string limit;   // "compute" | "HBM bandwidth" | "scale-up links" | "scale-out network" | "pipeline bubble" | "memory capacity"
  TimeShares shares;
  bool memory_bound = false;  // the plan uses full recomputation or ZeRO-3 (what a model that barely fits needs)
  std::string detail;         // the rule applied, in words
};
// Pure: the limit of an evaluated (feasible) plan on a cluster.
LimitVerdict classify_limit(const perf::Evaluation& e, const perf::Cluster& cl, double threshold);

struct HwCompareInputs {
  double tokens = 0;
  std::int64_t seq_len = 4096;
  Precision precision = Precision::bf16;  // requested
  std::optional<std::int64_t> gpus;       // --gpus
  std::optional<double> deadline_days;    // --days
};

struct HwRow {
  std::string id, name;
  std::optional<Precision> precision;  // used (nullopt: no usable peak)
  bool performance_model = false;      // false: the default utilisation
  std::string perf_model_gap;          // why the performance model could not be used (the missing fact)
  std::optional<perf::Evaluation> best;
  std::string plan;                    // full plan string (empty without the performance model)
  std::optional<bool> fits;
  std::optional<std::int64_t> gpus;
  std::optional<std::int64_t> min_gpus_to_fit;
  std::optional<double> days, gpu_hours, cost_usd, price_usd_per_gpu_hour, energy_mwh, mfu;
  std::string price_basis, price_source;  // as the estimate's (cost/estimate.hpp)
  std::string mfu_source;
  std::optional<LimitVerdict> limit;
  std::optional<bool> meets_deadline;
  bool deadline_beyond_cap = false;  // --days: even at 100% MFU it needs more GPUs than the cap (none was tried)
  std::vector<std::string> notes;
};

struct InterconnectEffect {
  std::string hardware, versus;  // `hardware` has the slower links
  double days = 0;               // as modelled
  double days_with_versus_links = 0;
  double versus_days = 0;
  double effect = 0;             // days / days_with_versus_links - 1
  std::string text;
};

struct HwCompareResult {
  std::string model;
  HwCompareInputs in;
  std::vector<HwRow> rows;
  std::vector<InterconnectEffect> interconnect;
  std::vector<std::string> notes;
};

// Throws UsageError when neither --gpus nor --days is given (or both are).
HwCompareResult compare_hardware(const ModelSpec& model, const std::vector<Accelerator>& hardware,
                                 const HwCompareInputs& in, const HwCompareConstants& c);

// Rendering: report/hardware_compare_report.hpp.

// "TP2 PP32 DP32 EP16 DualPipe ZeRO-1": the parts of a plan that are not defaults.
std::string compact_plan(const perf::Plan& p);

}  // namespace traincost::econ
