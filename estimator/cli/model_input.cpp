#include "model_input.hpp"

#include <fmt/format.h>

#include "traincost/econ/budget.hpp"
#include "traincost/report/format.hpp"
#include "traincost/util/error.hpp"

namespace traincost::cli {

namespace {

// 1B..100T: below 1B the embeddings of the shape families' vocabularies (128,256 and
// 50,304 tokens) are most of the model; above 100T nothing has been built (the spec
// format itself stops at 1e15).
constexpr double kMinCountParams = 1e9;
constexpr double kMaxCountParams = 1e14;

ShapeRequest parse_counts(const ModelCounts& c) {
  if (c.total.empty() || c.active.empty())
    throw UsageError(fmt::format("--{}: missing; a model by its counts needs both --total-params and --active-params "
                                 "(equal for a dense model)", c.total.empty() ? "total-params" : "active-params"));
  ShapeRequest r;
  r.total_params = parse_quantity("--total-params", c.total, kMinCountParams, kMaxCountParams);
  r.active_params = parse_quantity("--active-params", c.active, kMinCountParams, kMaxCountParams);
  if (!c.layers.empty()) r.layers = parse_count("--layers", c.layers, 1, 1024);
  if (!c.experts.empty()) r.experts = parse_count("--experts", c.experts, 2, 4096);
  if (!c.top_k.empty()) r.top_k = parse_count("--top-k", c.top_k, 1, 64);
  return r;
}

}  // namespace

ModelInput resolve_model(const std::string& model, const std::optional<nlohmann::json>& model_config,
                         const ModelCounts& counts, const std::string& assume_family) {
  ModelInput m;
  if (!counts.any()) {
    if (model.empty() && !model_config)
      throw UsageError("--model: missing; give a preset name (`traincost models`), a config path, or "
                       "--total-params and --active-params");
    m.spec = load_model_input(model, model_config, assume_family);
    return m;
  }
  if (!assume_family.empty())
    throw UsageError("--assume-family: reads an HF config's family; it has no effect with --total-params");
  if (!model.empty() || model_config)
    throw UsageError(fmt::format("--total-params: give either {} or the parameter counts, not both",
                                 model_config ? "model_config" : "--model"));
  m.request = parse_counts(counts);
  const econ::BudgetConstants& c = econ::budget_constants();
  m.shape = shape_from_counts(*m.request, c.dense, c.moe);
  m.spec = m.shape->model.spec;
  return m;
}

nlohmann::ordered_json model_shape_json(const ModelInput& m) {
  if (!m.shape) return nullptr;
  const FittedShape& s = *m.shape;
  const ModelSpec& spec = s.model.spec;
  nlohmann::ordered_json j;
  j["derived_from"] = "total/active parameter counts";
  j["note"] = "every number of this result depends on this derived shape, not on a published architecture";
  j["requested_total_params"] = m.request->total_params;
  j["requested_active_params"] = m.request->active_params;
  j["counted_total_params"] = s.model.params.total();
  j["counted_active_params"] = s.model.params.active();
  j["total_error"] = s.total_error;
  j["active_error"] = s.active_error;
  j["kind"] = s.dense ? "dense" : "moe";
  j["layers"] = spec.num_layers();
  j["d_model"] = spec.hidden_size;
  j["heads"] = s.model.spec_json.at("attention").at("num_heads");
  if (s.dense) {
    j["ffn_intermediate_size"] = s.model.spec_json.at("ffn").at("intermediate_size");
  } else {
    const auto& moe = s.model.spec_json.at("moe");
    j["experts"] = moe.at("num_experts");
    j["top_k"] = moe.at("top_k");
    j["expert_intermediate_size"] = moe.at("expert_intermediate_size");
  }
  j["rule"] = s.rule;
  j["source"] = s.source;
  j["spec"] = nlohmann::ordered_json::parse(s.model.spec_json.dump());
  return j;
}

void mark_derived_shape(CommandResult& r, const ModelInput& m) {
  if (!m.shape) return;
  const FittedShape& s = *m.shape;
  const nlohmann::ordered_json j = model_shape_json(m);
  if (r.format == Format::json) {
    if (r.json.is_object()) r.json["model_shape"] = j;
    return;
  }
  std::string shape = fmt::format("{} layers, d_model {}, {} heads", j["layers"].get<std::int64_t>(),
                                  j["d_model"].get<std::int64_t>(), j["heads"].get<std::int64_t>());
  if (s.dense)
    shape += fmt::format(", FFN {}", j["ffn_intermediate_size"].get<std::int64_t>());
  else
    shape += fmt::format(", {} experts, top-{}, expert FFN {}", j["experts"].get<std::int64_t>(),
                         j["top_k"].get<std::int64_t>(), j["expert_intermediate_size"].get<std::int64_t>());
  std::string head = fmt::format(
      "Model shape DERIVED from total/active parameter counts (every number below depends on it):\n"
      "  {} ({}): {}\n"
      "  counted {} total ({:+.2f}%), {} active ({:+.2f}%) vs requested {} / {}\n"
      "  rule: {}\n\n",
      s.model.spec.name, s.dense ? "dense" : "MoE", shape, report::count(static_cast<double>(s.model.params.total())),
      100.0 * s.total_error, report::count(static_cast<double>(s.model.params.active())), 100.0 * s.active_error,
      report::count(m.request->total_params), report::count(m.request->active_params), s.rule);
  r.text = head + r.text;
}

}  // namespace traincost::cli
