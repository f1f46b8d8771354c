// JSON of the scaling-law results (econ/scaling_laws.hpp): a loss prediction and a
// compute-optimal allocation, as `compare` and the web API write them.
#include "traincost/report/scaling_laws_report.hpp"

namespace traincost::report {

using econ::Allocation;
using econ::LossPrediction;

nlohmann::ordered_json to_json(const LossPrediction& p) {
  nlohmann::ordered_json j;
  j["loss"] = p.loss;
  j["low"] = p.low;
  j["high"] = p.high;
  j["law"] = p.law;
  j["regime"] = p.regime;
  j["params_convention"] = p.params_convention;
  j["law_params"] = p.params;
  j["law_tokens"] = p.tokens;
  j["extrapolated"] = p.extrapolated;
  j["outside_regime"] = p.outside;
  return j;
}

nlohmann::ordered_json to_json(const Allocation& a) {
  nlohmann::ordered_json j;
  j["flops"] = a.flops;
  j["params"] = a.params;
  j["tokens"] = a.tokens;
  j["tokens_per_param"] = a.tokens_per_param;
  add_loss_fields(j, a.loss, false);
  return j;
}

void add_loss_fields(nlohmann::ordered_json& j, const LossPrediction& p, bool with_law_params) {
  j["predicted_loss"] = p.loss;
  j["loss_low"] = p.low;
  j["loss_high"] = p.high;
  j["law"] = p.law;
  j["regime"] = p.regime;
  if (with_law_params) j["law_params"] = p.params;
  j["params_convention"] = p.params_convention;
  j["extrapolated"] = p.extrapolated;
  j["outside_regime"] = p.outside;
}

}  // namespace traincost::report
