#pragma once
// `traincost report`: one self-contained HTML5 file (inline CSS and SVG, no
// script, no URL) rendered from the JSON objects the commands print with
// `--format json`. The renderer recomputes nothing: every number comes from
// those objects, so the page says exactly what the commands say.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace traincost::report {

// One point of the cost-vs-tokens curve (the same run at another token count).
struct CostPoint {
  double tokens = 0;
  double cost_usd = 0;
  double gpu_hours = 0;
};

struct HtmlReportInputs {
  nlohmann::ordered_json estimate;                        // required: `estimate --format json` (traincost.estimate.v1)
  std::optional<nlohmann::ordered_json> plan;             // `plan --format json` (traincost.plan.v1)
  std::optional<nlohmann::ordered_json> compare;          // `compare --format json`, MoE models only
  std::optional<nlohmann::ordered_json> compare_hardware; // `compare-hardware --format json`
  std::optional<nlohmann::ordered_json> validation;       // `validate --format json` (traincost.validation.v1)
  std::vector<CostPoint> cost_vs_tokens;                  // empty: no curve
  std::string version;       // e.g. "traincost 0.1.0"
  std::string date;          // e.g. "2026-11-27 15:00 UTC"
  std::string command_line;  // as typed
};

// Token counts for the cost curve around a run of `tokens`: 1/4, 1/2, 1, 2 and 4 times it.
std::vector<double> cost_curve_token_counts(double tokens);

// Pure. Throws InputError naming the field when `estimate` lacks a required
// number (model, hardware, tokens, training_flops, gpu_hours) or an optional
// object has the wrong schema. Optional inputs that are absent or null leave
// their section out.
std::string html_report(const HtmlReportInputs& in);

}  // namespace traincost::report
