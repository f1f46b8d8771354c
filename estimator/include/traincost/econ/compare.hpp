#pragma once
// MoE vs dense at equal quality (`traincost compare`): an MoE model against
// three dense models trained on the same tokens,
//   * same active: N = the MoE's active parameters (what it computes per token);
//   * same total:  N = the MoE's total parameters (what it stores);
//   * same loss:   the N whose predicted loss equals the MoE's, under one
//                  paper's MoE law and the same paper's dense law;
// each costed by traincost's own model (FLOPs, performance model with --gpus,
// GPU-hours, days, dollars, energy, memory fit), with the loss, its law, regime
// and an `extrapolated` flag. Plus the compute-optimal allocation of the MoE's
// own training FLOPs (dense: Chinchilla/Besiroglu; MoE: Ludziejewski et al.).
//
// The dense models are built, not imagined: a traincost.model.v1 spec, a
// llama-style decoder (MHA with 128-wide heads, SwiGLU, RMSNorm, the MoE's
// vocabulary and embedding tying) with the MoE's width/depth ratio d/L, and
// the FFN width solved so that the parameter count hits the target.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/cost/estimate.hpp"
#include "traincost/econ/scaling_laws.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/spec.hpp"

namespace traincost::econ {

// The structural variables of an MoE, as the laws define them
// (constants/scaling_laws.json, `selection`).
struct MoeShape {
  double experts = 1;      // E: all expert parameters / the expert parameters a token uses
  double granularity = 1;  // G: active FFN width / one routed expert's width
  std::int64_t routed = 0, top_k = 0, shared = 0;
};
// Throws UsageError ("compare needs an MoE model") for a dense model.
MoeShape moe_shape(const ModelSpec& model);

enum class ParamCount { total, total_nonembedding };

// The traincost.model.v1 document of a dense model shaped like `like` with
// `target` parameters counted as `count`. Throws InputError when no such
// model can be built (target below the embeddings, or beyond 1e15).
nlohmann::ordered_json dense_spec_json(const ModelSpec& like, double target, ParamCount count, const std::string& name);

// One training run, costed.
struct RunCost {
  std::string label;        // "moe", "same_active", "same_total", "same_loss"
  std::string model;        // preset or spec name
  std::optional<nlohmann::ordered_json> spec;  // the dense spec, for the dense equivalents
  double target_params = 0;            // what the spec was built to (in its count)
  double total_params = 0, active_params = 0;
  double tokens = 0;
  double training_flops = 0;
  double gpu_hours = 0;
  std::optional<double> wall_clock_days, cost_usd, energy_mwh;
  double mfu = 0;
  std::string mfu_source, plan;
  std::optional<bool> fits;            // null without --gpus
  std::string fit_note;
  std::int64_t min_gpus_model_states = 0;  // 16 B/param, fully sharded
  LossPrediction loss;                 // under the comparison's law pair
  std::optional<LossPrediction> chinchilla;  // dense only: Besiroglu refit
  std::optional<double> cost_ratio_to_moe;   // GPU-hours of this run / the MoE's
  std::vector<std::string> notes;
};

// The same-loss solve under the other law pair, for a cross-check.
struct CrossCheck {
  std::string pair;
  LossPrediction moe_loss;
  EqualLoss equal;
  std::optional<double> dense_total_params;  // the solution, converted to total parameters
  std::optional<double> flops_ratio;         // 6ND of that dense model / 6·active·D of the MoE
};

struct Comparison {
  std::string model, hardware, hardware_name, precision;
  double tokens = 0;
  std::int64_t seq_len = 0;
  std::optional<std::int64_t> gpus;
  MoeShape shape;
  std::string pair;         // "ludziejewski" | "krajewski"
  std::string pair_reason;
  RunCost moe, same_active, same_total;
  std::optional<RunCost> same_loss;
  std::string same_loss_note;  // why there is none, or how it was found
  EqualLoss equal;
  std::vector<CrossCheck> cross_checks;
  Allocation optimal_dense, optimal_moe;
  std::string extrapolation_method;
  std::vector<std::string> notes;
};

// `in` as for estimate(): with in.gpus the performance model prices every run
// (perf::derive_throughput), else the default utilisation. `in.derived` and
// `in.mfu` are ignored.
Comparison compare(const ModelSpec& moe, const Accelerator& hw, const EstimateInputs& in, const ScalingLaws& laws);

// Rendering: report/compare_report.hpp.

}  // namespace traincost::econ
