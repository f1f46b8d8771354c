#pragma once
// JSON of the Monte Carlo ranges (econ::UncertaintyResult): percentiles of GPU-hours,
// days, cost, energy and CO2, and every input distribution with its basis.
#include <nlohmann/json.hpp>

#include "traincost/econ/uncertainty.hpp"

namespace traincost::report {

nlohmann::ordered_json uncertainty_json(const econ::UncertaintyResult& r);

}  // namespace traincost::report
