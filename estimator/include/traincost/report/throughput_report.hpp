#pragma once
// `traincost validate --throughput`: measured Megatron-Bridge throughput against
// the step-time model with each published plan pinned, and the search's best
// plan against the best measured one per (model, system, GPUs, batch).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/validation/throughput.hpp"

namespace traincost::report {
nlohmann::ordered_json throughput_json(const std::vector<ThroughputRow>& rows, const std::vector<SearchGroup>& groups);
std::string throughput_text(const std::vector<ThroughputRow>& rows, const std::vector<SearchGroup>& groups);
}  // namespace traincost::report
