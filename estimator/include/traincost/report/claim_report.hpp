#pragma once
// Text and JSON of `traincost check` (econ::ClaimCheck): the one renderer the CLI
// and the web API share. JSON schema: traincost.check.v1 (README, "Checking a claim").
#include <string>

#include <nlohmann/json.hpp>

#include "traincost/econ/claim.hpp"

namespace traincost::report {

nlohmann::ordered_json claim_json(const econ::ClaimCheck& r);
std::string claim_text(const econ::ClaimCheck& r);

}  // namespace traincost::report
