#pragma once
// What a budget buys (`traincost budget`): the compute C that a budget in
// GPU-hours (or dollars at the profile's rental price) buys on an accelerator,
// the largest compute-optimal dense model for C, and an MoE of a fixed shape
// family trained with the same compute.
//
//   C      = GPU-hours x 3600 x dense peak x MFU x goodput x run efficiency
//            (the default utilisation, or the performance model's best plan for
//            the sized model on --gpus: goodput and run efficiency as in `estimate`)
//   dense  : N_opt = G (C/6)^a, D_opt = G^-1 (C/6)^b (Chinchilla approach 3 as
//            refitted by Besiroglu et al. 2024), turned into a Llama-3-shaped
//            model whose total parameters are closest to N_opt
//   MoE    : OLMoE-shaped (64 experts, top-8) with active GEMM parameters
//            sqrt(C / (6 x 20)), i.e. 20 tokens per active parameter
//   tokens = C / (model FLOPs per token of the sized model), so the run spends the budget
//
// The MFU depends on the model and the model on the MFU: with --gpus the MFU is
// re-derived for the sized model and the model re-sized, up to max_rederivations
// times. The law's coefficients are read from constants/scaling_laws.json
// (`chinchilla_besiroglu`, shared with `traincost compare`); the shape rules and
// the MoE's tokens per parameter are in constants/budget.json, each with its source.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/cost/estimate.hpp"
#include "traincost/econ/scaling_laws.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/params.hpp"
#include "traincost/model/shape_rules.hpp"
#include "traincost/model/spec.hpp"

namespace traincost::econ {

// L(N, D) = E + A/N^alpha + B/D^beta and its compute-optimal allocation.
struct ComputeOptimalLaw {
  std::string name, form, source, quote, parameters_counted;
  double E = 0, A = 0, B = 0, alpha = 0, beta = 0;
  double params_min = 0, params_max = 0, tokens_min = 0, tokens_max = 0;  // the fitted regime

  double G() const;  // (alpha A / (beta B))^(1/(alpha+beta))
  double a() const;  // beta / (alpha+beta)
  double b() const;  // alpha / (alpha+beta)
  double n_opt(double compute) const;  // G (C/6)^a
  double d_opt(double compute) const;  // G^-1 (C/6)^b
  double loss(double params, double tokens) const;
  bool extrapolated(double params, double tokens) const;  // outside the fitted regime
};

// The shape families live in the model layer (model/shape_rules.hpp).
using traincost::DenseShapeRule;
using traincost::MoeShapeRule;
using traincost::SizedModel;
using traincost::dense_spec_json;
using traincost::moe_spec_json;
using traincost::size_dense;
using traincost::size_moe;

struct BudgetConstants {
  std::string path;      // constants/budget.json: shapes and the MoE rule
  std::string law_path;  // constants/scaling_laws.json: the law
  ComputeOptimalLaw law;
  DenseShapeRule dense;
  MoeShapeRule moe;
  double moe_tokens_per_active_param = 20;
  std::string moe_tokens_source;
  std::int64_t seq_len = 4096;
  std::string seq_len_source;
  int max_rederivations = 3;
};

// The compute-optimal law of a Chinchilla-form fit; InputError when the fit
// has no params or tokens regime (the loss is flagged outside it).
ComputeOptimalLaw compute_optimal_law(const ChinchillaLaw& law, const std::string& where);
// Reads and range-checks budget.json (`doc`, from `where`), with the law taken
// from `laws.chinchilla`; errors (InputError) name the file and field.
BudgetConstants budget_constants_from_json(const nlohmann::json& doc, const std::string& where, const ScalingLaws& laws);
// constants/budget.json under data_dir() with scaling_laws(), loaded once.
const BudgetConstants& budget_constants();

struct BudgetInputs {
  double gpu_hours = 0;                      // the budget in GPU-hours (converted from --usd if given)
  std::optional<double> usd;                 // the budget in dollars, when given so
  std::optional<std::int64_t> gpus;          // cluster size: --gpus, or sized from --days
  std::string gpus_source;                   // "given (--gpus)" | "from --days: ..." | ""
  std::optional<double> deadline_days;       // --days
  Precision precision = Precision::bf16;
};

struct BudgetModel {
  std::string kind;  // "dense" | "moe"
  SizedModel model;
  double compute_flops = 0;  // C: model FLOPs the budget buys at the MFU used for sizing
  double target_params = 0;  // dense: N_opt (total); MoE: active GEMM params sqrt(C / (6 x tokens per param))
  double law_tokens = 0;     // dense: D_opt; MoE: tokens per active param x target
  double tokens = 0;         // what the sized model trains on: C / model FLOPs per token
  double flops_per_token = 0;
  double mfu = 0;            // vs the precision's dense peak, as used for sizing
  std::string mfu_source;
  double goodput = 1, run_efficiency = 1;
  int sizings = 0;           // 1 + re-derivations done
  double size_ratio = 1;     // sized model / target (dense: total params; MoE: active GEMM params)
  std::string plan;          // best plan on --gpus (empty without the performance model)
  std::optional<double> loss;  // dense only
  bool loss_extrapolated = false;
  std::optional<double> gpu_hours, wall_clock_days, cost_usd, energy_mwh;  // of the sized run
  std::optional<bool> fits;              // on --gpus; nullopt without a GPU count
  std::optional<std::int64_t> min_gpus_to_fit;  // smallest power-of-two cluster that fits, when relevant
  std::optional<bool> meets_deadline;
  std::vector<std::string> notes;
};

struct BudgetResult {
  std::string hardware, hardware_name;
  BudgetInputs in;
  std::optional<double> price_usd_per_gpu_hour;
  std::string price_source;
  double peak_flops_per_gpu_s = 0;
  std::int64_t seq_len = 4096;
  BudgetModel dense, moe;
  std::vector<std::string> notes;
};

// Pure apart from reading the performance constants. Throws UsageError for a
// precision the chip has no peak for.
BudgetResult plan_budget(const Accelerator& hw, const BudgetInputs& in, const BudgetConstants& c);

// Rendering: report/budget_report.hpp.

}  // namespace traincost::econ
