#pragma once
// Reports: one function per output, a table for people and a JSON object for
// programs. Schemas are documented in README.md ("JSON output") and versioned
// by their "schema" key.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/cost/estimate.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/flops.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/model/params.hpp"
#include "traincost/model/spec.hpp"
#include "traincost/validation/published.hpp"

namespace traincost::econ {
struct UncertaintyResult;  // traincost/econ/uncertainty.hpp
}

namespace traincost::report {

using Json = nlohmann::ordered_json;

Json params_json(const ModelSpec& m, const ParamBreakdown& p);
std::string params_text(const ModelSpec& m, const ParamBreakdown& p);

Json flops_json(const ModelSpec& m, const FlopsPerToken& f, const FlopOptions& o);
std::string flops_text(const ModelSpec& m, const FlopsPerToken& f, const FlopOptions& o);

// `uncertainty` (from `--samples`) adds the P10-P90 ranges; JSON `uncertainty` is null without it.
Json estimate_json(const ModelSpec& m, const Accelerator& hw, const EstimateInputs& in, const Estimate& e,
                   const PublishedRun* published, const econ::UncertaintyResult* uncertainty = nullptr);
std::string estimate_text(const ModelSpec& m, const Accelerator& hw, const EstimateInputs& in, const Estimate& e,
                          const PublishedRun* published, const econ::UncertaintyResult* uncertainty = nullptr);

Json hardware_list_json(const std::vector<Accelerator>& all);
std::string hardware_list_text(const std::vector<Accelerator>& all);
Json hardware_show_json(const Accelerator& a);
std::string hardware_show_text(const Accelerator& a);

Json models_list_json(const std::vector<PresetInfo>& presets);
std::string models_list_text(const std::vector<PresetInfo>& presets);

}  // namespace traincost::report
