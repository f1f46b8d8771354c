#pragma once
// The step-time model against NVIDIA's measured Megatron-Bridge pre-training
// throughput (validation/megatron-bridge/rows.json: B200, B300, GB200, GB300;
// dense and MoE; each row with its published plan). One global constant is fitted
// to the MoE rows, the MoE layer's software costs (fit_moe_overheads below); the
// dense rows are fitted to nothing.
//
// Each row is evaluated with its published plan pinned (tp, pp, cp, ep, vp,
// micro-batch, FSDP); only activation recomputation is left free, and the
// fastest setting that fits is taken (the tables do not list it). A second
// check runs the full plan search on each (model, system, GPUs, batch) group, in
// Megatron-Core's plan space (no DualPipe), and compares its best plan with the best
// measured row: a search that finds plans far faster than NVIDIA's tuned recipes has
// found a bug in the model.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/perf/constants.hpp"

namespace traincost {

// The groups of rows kept out of the MoE host-overhead fit, each reported apart.
// One list, read by the row map (validation/throughput.cpp) and the summary lines
// (report/throughput_report.cpp), so a new group cannot be fitted by mistake or
// left out of the report.
struct HeldOutGroup {
  const char* id;     // ThroughputRow::held_out
  const char* label;  // the summary line's kind
};
inline constexpr HeldOutGroup kHybridRows{"hybrid", "MoE, hybrid (validation only)"};
inline constexpr HeldOutGroup kRecalledRows{"recalled", "MoE, recalled shapes (validation only)"};
inline constexpr HeldOutGroup kHeldOutGroups[] = {kHybridRows, kRecalledRows};

struct ThroughputRow {
  // As published (validation/megatron-bridge/rows.json).
  std::string release, system, model, precision_label;
  int gpus = 0, global_batch_sequences = 0, micro_batch = 0, seq_len = 0;
  int tp = 1, pp = 1, cp = 1, vp = 1, ep = 1;
  bool fsdp = false;
  double measured_tokens_per_s_per_gpu = 0;
  // How traincost reads it.
  std::string preset;    // models/<preset>.json; empty when the architecture is not supported
  std::string hardware;  // hwprofiles/<id>.json
  Precision precision = Precision::bf16;
  bool with_mtp = true;  // DeepSeek-V3 rows "w/o MTP" drop the MTP module
  bool is_moe = false;
  std::string held_out;  // rows kept out of the fit: their check group (kHeldOutGroups); empty when fitted
  std::string refused;   // a named reason the architecture is not evaluated (empty: none)
  // Result.
  bool evaluated = false;
  std::string why_not;  // when not evaluated
  std::string plan;     // the plan evaluated (recompute chosen)
  double predicted_tokens_per_s_per_gpu = 0;
  bool in_fit() const { return held_out.empty(); }  // used by fit_moe_overheads
  double error() const { return predicted_tokens_per_s_per_gpu / measured_tokens_per_s_per_gpu - 1.0; }
};

// The rows of the file, parsed (values in parentheses, an alternate FP8 recipe,
// and footnote marks are dropped). Throws InputError naming the row and field.
std::vector<ThroughputRow> load_throughput_rows(const std::string& path);
std::string throughput_rows_path();  // <data>/validation/megatron-bridge/rows.json

// Evaluates one row with its plan pinned (fills the result fields).
void evaluate_throughput_row(ThroughputRow& row, const perf::Constants& c);

struct SearchGroup {  // rows sharing model, system, GPU count, batch and sequence length
  ThroughputRow best;  // the group's fastest measured row: its model, hardware and precision are searched
  double searched_tokens_per_s_per_gpu = 0;  // 0 when the search found no plan
  std::string searched_plan;
  double ratio() const { return searched_tokens_per_s_per_gpu / best.measured_tokens_per_s_per_gpu; }
};
// Groups of the evaluated supported rows (precision: the best measured row's).
std::vector<SearchGroup> search_groups(const std::vector<ThroughputRow>& rows, const perf::Constants& c);

struct ThroughputSummary {
  int count = 0;        // evaluated rows
  int unevaluated = 0;  // rows of supported architectures that could not be evaluated
  double median_abs = 0, max_abs = 0;  // |error| over the evaluated rows
};
// Over the rows of supported architectures that `pick` admits (all when empty).
ThroughputSummary summarize_throughput(const std::vector<ThroughputRow>& rows,
                                       const std::function<bool(const ThroughputRow&)>& pick = {});

// The two constants these rows set, which no datasheet gives: the host-bound cost per
// MoE layer and micro-batch that dropless routing adds (Constants::moe_host_sync_s) and
// the host cost per expert held on the GPU (moe_host_per_local_expert_s). Fitted jointly
// on the MoE rows' ln(predicted / measured) (Huber, delta 0.1) over a grid of 0-20 ms
// (0.1 ms steps) x 0-200 us (2 us steps); each row's leave-one-out error is its error
// under the pair fitted to the other rows. Dense rows do not depend on them and stay an
// independent check.
struct MoeOverheadFit {
  double host_sync_s = 0;              // per layer of an MoE model and micro-batch
  double host_per_local_expert_s = 0;  // per MoE layer, micro-batch and local expert
  int rows = 0;
  double median_abs = 0, loo_median_abs = 0, loo_max_abs = 0;
};
MoeOverheadFit fit_moe_overheads(const perf::Constants& base);

}  // namespace traincost
