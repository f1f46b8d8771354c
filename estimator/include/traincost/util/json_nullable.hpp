#pragma once
// An optional value as JSON: the value, or null when absent. Every report that
// writes "unknown" as null uses this one helper.
#include <optional>

#include <nlohmann/json.hpp>

namespace traincost {

template <typename T>
nlohmann::ordered_json nullable(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

}  // namespace traincost
