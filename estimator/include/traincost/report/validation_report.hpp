#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/validation/validate.hpp"

namespace traincost::report {
nlohmann::ordered_json validation_json(const std::vector<ValidationRow>& rows);
std::string validation_text(const std::vector<ValidationRow>& rows);
}  // namespace traincost::report
