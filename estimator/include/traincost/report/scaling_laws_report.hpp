#pragma once
// JSON of the scaling-law results (econ::LossPrediction, econ::Allocation).
#include <nlohmann/json.hpp>

#include "traincost/econ/scaling_laws.hpp"

namespace traincost::report {

nlohmann::ordered_json to_json(const econ::LossPrediction& p);
nlohmann::ordered_json to_json(const econ::Allocation& a);

}  // namespace traincost::report
