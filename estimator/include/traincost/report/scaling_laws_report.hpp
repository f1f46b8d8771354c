#pragma once
// JSON of the scaling-law results (econ::LossPrediction, econ::Allocation).
#include <nlohmann/json.hpp>

#include "traincost/econ/scaling_laws.hpp"

namespace traincost::report {

nlohmann::ordered_json to_json(const econ::LossPrediction& p);
nlohmann::ordered_json to_json(const econ::Allocation& a);
// The loss fields a result row carries beside its own (predicted_loss, loss_low, loss_high,
// law, regime, [law_params], params_convention, extrapolated, outside_regime), in that order:
// compare's runs name the law's parameter count, allocations (whose params it is) do not.
void add_loss_fields(nlohmann::ordered_json& j, const econ::LossPrediction& p, bool with_law_params);

}  // namespace traincost::report
