#pragma once
// Text and JSON of `traincost budget --model M --tokens T --days D` (econ::CheapestResult:
// the cheapest accelerator for a model and a deadline), shared by the CLI and the web API.
// JSON schema: traincost.cheapest_hardware.v1.
#include <string>

#include <nlohmann/json.hpp>

#include "traincost/econ/cheapest.hpp"

namespace traincost::report {

nlohmann::ordered_json cheapest_json(const econ::CheapestResult& r, const econ::HwCompareConstants& c);
std::string cheapest_text(const econ::CheapestResult& r);

}  // namespace traincost::report
