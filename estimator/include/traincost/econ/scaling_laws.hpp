#pragma once
// Loss scaling laws (research formulas §6), their fitted regimes, and what a
// prediction outside a regime is worth:
//   * Chinchilla form with the Besiroglu et al. 2024 refit (dense);
//   * the joint MoE law of Ludziejewski et al. 2025 (MoE at E experts, dense at E = 1);
//   * Krajewski et al. 2024's fine-grained MoE law and its dense companion.
// Every coefficient, its source and its regime are in constants/scaling_laws.json.
//
// All three reduce, once the structural variables (experts E, granularity G)
// are fixed, to one separable form L(N, D) = c + m/N^p + n/D^q, which is what
// predictions, compute-optimal allocations and equal-loss solves work on.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace traincost::econ {

// L(N, D) = c + m / N^p + n / D^q, with p, q > 0.
struct PowerLaw {
  double c = 0, m = 0, p = 0, n = 0, q = 0;
  double operator()(double params, double tokens) const;
};

// The fitted range of a law; an absent bound was not stated in the sources.
struct Regime {
  std::optional<double> params_min, params_max;  // on the law's own N
  std::optional<double> tokens_min, tokens_max;
  std::optional<double> total_params_max;        // Ludziejewski: total as well as active
  std::optional<double> experts_min, experts_max;
  std::optional<double> granularity_min, granularity_max;
  std::string text;   // one line, for output
  std::string quote;  // from the research notes
};

struct ChinchillaLaw {
  std::string name, form, source, quote, params_convention;
  double E = 0, A = 0, B = 0, alpha = 0, beta = 0;
  Regime regime;
  PowerLaw law() const { return {E, A, alpha, B, beta}; }
};

struct JointMoeLaw {  // Ludziejewski et al. 2025, eq. 6 (exponents signed, natural log)
  std::string name, source, params_convention;
  double a = 0, alpha = 0, delta = 0, gamma = 0;
  double b = 0, beta = 0, omega = 0, zeta = 0;
  double e_start = 0, e_max = 0, c = 0;
  Regime regime;
  double e_hat(double experts) const;   // the saturating expert count Ê
  PowerLaw at(double experts) const;    // the law at E experts (E = 1: dense)
};

struct GranularMoeLaw {  // Krajewski et al. 2024; the dense law has g = 0
  std::string name, source, params_convention;
  double a = 0, alpha = 0, b = 0, beta = 0, g = 0, gamma = 0, c = 0;
  Regime regime;
  PowerLaw at(double granularity) const;
};

struct ExtrapolationRule {
  double standard_errors = 2;
  double params_rel = 0;  // relative uncertainty of the parameter exponent (one SE)
  double tokens_rel = 0;  // ... of the token exponent
  std::string method;
};

struct ScalingLaws {
  ChinchillaLaw chinchilla;
  JointMoeLaw joint;
  GranularMoeLaw krajewski_moe, krajewski_dense;
  ExtrapolationRule extrapolation;
  std::string selection, experts_definition, granularity_definition;
  std::string file;
};

ScalingLaws scaling_laws_from_json(const nlohmann::json& doc, const std::string& where);
const ScalingLaws& scaling_laws();  // constants/scaling_laws.json in the data directory; read once

// A law at fixed structure (E, G), with the regime its N and D are checked
// against and what is already outside it structurally.
struct LawAt {
  std::string name;        // e.g. "Ludziejewski et al. 2025 joint MoE law at E = 28.6"
  std::string family;      // "ludziejewski" | "krajewski" | "chinchilla"
  std::string params_convention;
  std::string regime_text;
  PowerLaw law;
  Regime regime;           // N and D bounds used for the range
  std::vector<PowerLaw> edge_alternatives;  // the law at a structural edge (E or G beyond the fit)
  std::vector<std::string> outside;         // structural reasons it is extrapolated
};

// How far (E, G) lie outside a regime's expert and granularity ranges: the
// sum of |ln(x / nearest bound)| over the two, 0 inside. Picks the law pair.
double structural_distance(const Regime& r, double experts, double granularity);

LawAt chinchilla_at(const ScalingLaws& s);
// `total_params` is checked against the joint law's 5B total when given.
LawAt joint_at(const ScalingLaws& s, double experts, double granularity);
LawAt krajewski_moe_at(const ScalingLaws& s, double experts, double granularity);
LawAt krajewski_dense_at(const ScalingLaws& s);

struct LossPrediction {
  double loss = 0;
  double low = 0, high = 0;  // equal to loss inside the regime
  bool extrapolated = false;
  std::vector<std::string> outside;  // why it is extrapolated
  std::string law, regime, params_convention;
  double params = 0, tokens = 0;     // the inputs, in the law's convention
};

// The one place a law is evaluated for output. `total_params` (optional) is
// checked against a total-parameter bound of the regime.
LossPrediction predict(const LawAt& law, double params, double tokens, const ExtrapolationRule& rule,
                       std::optional<double> total_params = std::nullopt);

// Exponent shift of the extrapolation rule: s_params, s_tokens in {-1, 0, +1}.
// Inside the regime the law is unchanged; beyond an edge each term continues
// from the edge with exponent p (1 + s k r).
double evaluate_shifted(const PowerLaw& law, const Regime& regime, double params, double tokens,
                        const ExtrapolationRule& rule, int s_params, int s_tokens);

// The dense N (in `dense`'s convention) whose loss at `tokens` equals
// `moe`'s loss at (`moe_params`, `tokens`), solved by bisection in log N.
struct EqualLoss {
  std::optional<double> params;              // nullopt: no dense model reaches that loss at these tokens
  std::optional<double> params_low, params_high;  // over the extrapolation rule's exponent shifts
  bool range_unbounded = false;              // some shift has no solution: the high end is open
  double moe_loss = 0;
  double dense_limit = 0;                    // the dense loss as N -> infinity at these tokens
};
EqualLoss equal_loss_dense_params(const LawAt& moe, double moe_params, const LawAt& dense, double tokens,
                                  const ExtrapolationRule& rule);

// Compute-optimal split of C = 6 N D for a separable law (closed form):
//   N_opt = G (C/6)^(q/(p+q)), D_opt = (C/6)/N_opt, G = (p m / (q n))^(1/(p+q)).
struct Allocation {
  double flops = 0;
  double params = 0, tokens = 0;
  double tokens_per_param = 0;
  LossPrediction loss;
};
Allocation compute_optimal(const LawAt& law, double flops, const ExtrapolationRule& rule);

// JSON: report/scaling_laws_report.hpp.

}  // namespace traincost::econ
