#pragma once
// Text and JSON of `traincost budget --usd|--gpu-hours ... --hardware H` (econ::BudgetResult:
// what a budget buys), shared by the CLI and the web API. JSON schema: traincost.budget.v1.
#include <string>

#include <nlohmann/json.hpp>

#include "traincost/econ/budget.hpp"

namespace traincost::report {

nlohmann::ordered_json budget_json(const econ::BudgetResult& r, const econ::BudgetConstants& c);
std::string budget_text(const econ::BudgetResult& r, const econ::BudgetConstants& c);

}  // namespace traincost::report
