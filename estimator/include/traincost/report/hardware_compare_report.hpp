#pragma once
// Text and JSON of `traincost compare-hardware` (econ::HwCompareResult), shared by the
// CLI and the web API. JSON schema: traincost.compare_hardware.v1.
#include <string>

#include <nlohmann/json.hpp>

#include "traincost/econ/hardware_compare.hpp"

namespace traincost::report {

nlohmann::ordered_json compare_hardware_json(const econ::HwCompareResult& r, const econ::HwCompareConstants& c);
std::string compare_hardware_text(const econ::HwCompareResult& r, const econ::HwCompareConstants& c);

}  // namespace traincost::report
