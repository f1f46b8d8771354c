#pragma once
// `traincost plan` output: the search summary and the best plans with their
// time and memory breakdowns.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "traincost/model/spec.hpp"
#include "traincost/perf/search.hpp"

namespace traincost::report {

struct PlanReportInputs {
  const ModelSpec& model;
  std::string hardware_id;
  const perf::Cluster& cluster;
  const perf::TrainingSetup& setup;
  double tokens = 0;
  perf::Goodput goodput;
  double run_efficiency = 1;  // whole-run share of steady state beyond goodput (Constants::run_efficiency)
};

nlohmann::ordered_json evaluation_json(const perf::Evaluation& e);
// The MoE assumptions a plan's step time rests on, for `imbalance` as the setup gives it
// (unset: the default for real routing); `plan`, `estimate` and the report show them.
nlohmann::ordered_json moe_assumptions_json(std::optional<double> imbalance);
std::string moe_assumptions_text(std::optional<double> imbalance);
nlohmann::ordered_json plan_json(const PlanReportInputs& in, const perf::SearchResult& r);
std::string plan_text(const PlanReportInputs& in, const perf::SearchResult& r);

}  // namespace traincost::report
