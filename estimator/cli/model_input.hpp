#pragma once
// The model of estimate, plan, check and compare: --model (a preset, a file, or
// from the web API an inline model_config), or a shape derived from parameter
// counts (--total-params, --active-params, optionally --layers, --experts,
// --top-k; model/shape_from_counts.hpp). A derived shape is printed with the
// result and marked in the JSON ("model_shape"), as every number depends on it.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "traincost/model/shape_from_counts.hpp"

namespace traincost::cli {

// The option texts as given (empty: not given).
struct ModelCounts {
  std::string total, active, layers, experts, top_k;
  bool any() const { return !(total.empty() && active.empty() && layers.empty() && experts.empty() && top_k.empty()); }
};

struct ModelInput {
  ModelSpec spec;
  std::optional<ShapeRequest> request;  // set when the shape was derived from counts
  std::optional<FittedShape> shape;
};

// Exactly one of --model / model_config / the counts; a UsageError names the option.
// `assume_family` is --assume-family (an HF config's family when its model_type is unknown).
ModelInput resolve_model(const std::string& model, const std::optional<nlohmann::json>& model_config,
                         const ModelCounts& counts, const std::string& assume_family = "");

// {"derived_from": "total/active parameter counts", "rule": ..., "layers": ..., ...}
nlohmann::ordered_json model_shape_json(const ModelInput& m);
// Adds the shape to the result: "model_shape" in the JSON, a block above the table.
void mark_derived_shape(CommandResult& r, const ModelInput& m);

template <class A>
Option<A> model_option() {
  Option<A> o = value("model", &A::model, "Preset name or path to a config JSON (or give --total-params and --active-params)");
  o.local_path = true;
  return o;
}

// The count options, appended after a command's --model.
template <class A>
void add_count_options(std::vector<Option<A>>& options) {
  options.insert(options.begin() + 1,
                 {value("total-params", &A::total_params,
                        "Instead of --model: total parameters, 1e9..1e14, e.g. 400e9 (the shape is derived)"),
                  value("active-params", &A::active_params,
                        "With --total-params: parameters a token touches (= total for a dense model), e.g. 20e9"),
                  value("layers", &A::layers, "With --total-params: the layer count, 1..1024 (default: the shape rule's)"),
                  value("experts", &A::experts, "With --total-params (MoE): routed experts, 2..4096 (default: fitted)"),
                  value("top-k", &A::top_k, "With --total-params (MoE): experts per token, 1..64 (default 8, OLMoE)")});
}

template <class A>
ModelCounts counts_of(const A& a) {
  return ModelCounts{a.total_params, a.active_params, a.layers, a.experts, a.top_k};
}

}  // namespace traincost::cli
