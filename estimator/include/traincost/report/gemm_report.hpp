#pragma once
// `traincost validate --gemm`: the GEMM unit of the step-time model against GEMMs timed on real GPUs.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/validation/gemm_check.hpp"

namespace traincost::report {
nlohmann::ordered_json gemm_check_json(const std::vector<GemmCheck>& checks);
std::string gemm_check_text(const std::vector<GemmCheck>& checks);
}  // namespace traincost::report
