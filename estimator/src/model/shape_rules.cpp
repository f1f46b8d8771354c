#include "traincost/model/shape_rules.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "traincost/model/loader.hpp"
#include "traincost/util/error.hpp"

namespace traincost {

using nlohmann::json;

namespace {

// Layer counts tried for a shape family; the spec format's own bound (1e15
// parameters) stops it earlier.
constexpr std::int64_t kMaxFamilyLayers = 4096;

std::int64_t largest_divisor_at_most(std::int64_t n, std::int64_t cap) {
  for (std::int64_t k = std::min(n, cap); k > 1; --k)
    if (n % k == 0) return k;
  return 1;
}

SizedModel build_sized(const json& spec_json) {
  SizedModel s;
  s.layers = spec_json.at("num_layers").get<std::int64_t>();
  s.spec_json = spec_json;
  s.spec = model_from_spec(spec_json, spec_json.at("name").get<std::string>());
  s.spec.name = spec_json.at("name").get<std::string>();
  s.params = count_params(s.spec);
  return s;
}

// The member whose `measure` is closest in log to `target`; `measure` grows with
// the layer count. The largest member is the largest the spec format accepts.
template <class Make, class Measure>
SizedModel closest_member(double target, Make make, Measure measure) {
  auto buildable = [&](std::int64_t L) {
    try {
      build_sized(make(L));
      return true;
    } catch (const InputError&) {
      return false;
    }
  };
  std::int64_t top = 1, bad = kMaxFamilyLayers + 1;
  if (buildable(kMaxFamilyLayers)) top = kMaxFamilyLayers, bad = top + 1;
  while (bad - top > 1) {  // the largest buildable layer count
    const std::int64_t mid = top + (bad - top) / 2;
    (buildable(mid) ? top : bad) = mid;
  }
  std::int64_t lo = 1, hi = top;
  if (measure(build_sized(make(hi))) < target) return build_sized(make(hi));
  while (lo < hi) {  // smallest L with measure >= target
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (measure(build_sized(make(mid))) >= target) hi = mid;
    else lo = mid + 1;
  }
  SizedModel above = build_sized(make(lo));
  if (lo == 1) return above;
  SizedModel below = build_sized(make(lo - 1));
  return std::fabs(std::log(measure(below) / target)) <= std::fabs(std::log(measure(above) / target)) ? below : above;
}

}  // namespace

SizedModel sized_model(const json& spec_json) { return build_sized(spec_json); }

std::int64_t family_d_model(std::int64_t per_layer, std::int64_t multiple, std::int64_t layers) {
  const double units = std::round(static_cast<double>(per_layer * layers) / static_cast<double>(multiple));
  return multiple * std::max<std::int64_t>(1, static_cast<std::int64_t>(units));
}

json dense_spec_json(const DenseShapeRule& r, std::int64_t layers) {
  const std::int64_t d = family_d_model(r.d_per_layer, r.d_multiple, layers);
  const std::int64_t heads = d / r.head_dim;
  const std::int64_t kv = largest_divisor_at_most(heads, r.max_kv_heads);
  const auto ffn = static_cast<std::int64_t>(std::llround(r.ffn_ratio * static_cast<double>(d)));
  return json{{"format", "traincost.model.v1"},
              {"name", fmt::format("budget-dense-{}L", layers)},
              {"description", "compute-optimal dense model sized by `traincost budget` (Llama 3 shape rule, constants/budget.json)"},
              {"hidden_size", d},
              {"num_layers", layers},
              {"vocab_size", r.vocab},
              {"tie_word_embeddings", r.tie_embeddings},
              {"norm", "rmsnorm"},
              {"attention", {{"type", kv == heads ? "mha" : "gqa"}, {"num_heads", heads}, {"num_kv_heads", kv}, {"head_dim", r.head_dim}}},
              {"ffn", {{"activation", "swiglu"}, {"intermediate_size", ffn}}}};
}

json moe_spec_json(const MoeShapeRule& r, std::int64_t layers) {
  const std::int64_t d = family_d_model(r.d_per_layer, r.d_multiple, layers);
  const std::int64_t heads = d / r.head_dim;
  const auto width = std::max<std::int64_t>(1, std::llround(r.expert_ratio * static_cast<double>(d)));
  return json{{"format", "traincost.model.v1"},
              {"name", fmt::format("budget-moe-{}L", layers)},
              {"description", "MoE sized by `traincost budget` (OLMoE shape rule, constants/budget.json)"},
              {"hidden_size", d},
              {"num_layers", layers},
              {"vocab_size", r.vocab},
              {"tie_word_embeddings", r.tie_embeddings},
              {"norm", "rmsnorm"},
              {"attention", {{"type", "mha"}, {"num_heads", heads}, {"head_dim", r.head_dim}}},
              {"ffn", {{"activation", "swiglu"}}},
              {"moe", {{"num_experts", r.experts}, {"top_k", r.top_k}, {"expert_intermediate_size", width}}}};
}

SizedModel size_dense(const DenseShapeRule& r, double target) {
  return closest_member(target, [&](std::int64_t L) { return dense_spec_json(r, L); },
                 [](const SizedModel& s) { return static_cast<double>(s.params.total()); });
}

SizedModel size_moe(const MoeShapeRule& r, double target) {
  return closest_member(target, [&](std::int64_t L) { return moe_spec_json(r, L); },
                 [](const SizedModel& s) { return static_cast<double>(s.params.active_matmul()); });
}

}  // namespace traincost
