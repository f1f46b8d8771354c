#pragma once
// Text and JSON of `traincost compare` (econ::Comparison: an MoE against its dense
// equivalents), shared by the CLI and the web API. JSON schema: traincost.compare.v1.
#include <string>

#include <nlohmann/json.hpp>

#include "traincost/econ/compare.hpp"

namespace traincost::report {

nlohmann::ordered_json comparison_json(const econ::Comparison& c);
std::string comparison_text(const econ::Comparison& c);

}  // namespace traincost::report
