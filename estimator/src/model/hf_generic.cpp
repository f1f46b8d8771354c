// The reader of last resort for a Hugging Face config whose model_type has no
// adapter: a llama-style dense decoder, used only when the config says nothing
// that such a decoder cannot represent. Experts, latent attention, SSM or
// linear-attention layers and hybrid layer patterns each change the parameter
// count by up to two orders of magnitude (issue 16: a 42B MoE read as 4.1B
// dense), so their keys are refused by name instead of being ignored.
#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "hf_families.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/util/error.hpp"

namespace traincost::hf {

namespace {
struct KeyKind {
  std::string_view fragment;  // a key containing it describes...
  std::string_view what;      // ...this
};
// Fragments of the keys the supported families use for what a dense decoder lacks
// (transformers configuration files of mixtral, qwen2/3_moe, deepseek_v2/v3, dbrx,
// gpt_oss, llama4, qwen3_next, nemotron_h, jamba, glm4_moe, minimax_m2, hunyuan, gemma3).
constexpr std::array<KeyKind, 23> kKinds{{
    {"expert", "experts"},           {"moe", "experts"},
    {"router", "experts"},           {"routed", "experts"},
    {"topk", "experts"},             {"n_group", "experts"},
    {"sparse_step", "experts"},      {"mlp_only_layers", "experts"},
    {"dense_replace", "experts"},    {"lora_rank", "latent attention (MLA)"},
    {"index_", "sparse-attention indexer"}, {"mamba", "SSM layers"},
    {"ssm", "SSM layers"},           {"conv_kernel", "SSM / linear-attention layers"},
    {"linear_", "linear-attention layers"}, {"hybrid", "hybrid layer pattern"},
    {"attn_layer", "hybrid layer pattern"}, {"full_attention_interval", "hybrid layer pattern"},
    {"attn_type", "hybrid layer pattern"},  {"nextn", "multi-token prediction modules"},
    {"mtp", "multi-token prediction modules"}, {"cla_", "cross-layer attention"},
    {"window_pattern", "sliding-window layer pattern"},
}};

// null, false, 0, "" and [] say "not used" in many configs (e.g. "num_experts": null).
bool says_nothing(const nlohmann::json& v) {
  return v.is_null() || (v.is_boolean() && !v.get<bool>()) || (v.is_number() && v.get<double>() == 0.0) ||
         (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty());
}

// A hint at the supported family that uses the same keys.
std::string hint(const JsonContext& c) {
  if (c.has("hybrid_override_pattern")) return "nemotron_h";
  if (c.has("linear_num_value_heads")) return "qwen3_next";
  if (c.has("kv_lora_rank") || c.has("n_routed_experts")) return "deepseek_v3";
  if (c.has("num_local_experts")) return "mixtral";
  if (c.has("num_experts")) return "qwen3_moe";
  return "";
}
}  // namespace

std::vector<std::string> uninterpretable_keys(const JsonContext& c) {
  std::vector<std::string> out;
  for (const auto& [key, value] : c.obj.items()) {
    if (says_nothing(value)) continue;
    if (key == "layer_types") {
      // Sliding and full attention are read; any other layer type is not.
      bool known = value.is_array();
      if (known)
        for (const auto& t : value)
          known = known && t.is_string() && (t == "full_attention" || t == "sliding_attention");
      if (!known) out.push_back("layer_types (layer kinds other than full_attention/sliding_attention)");
      continue;
    }
    for (const auto& k : kKinds)
      if (key.find(k.fragment) != std::string::npos) {
        out.push_back(fmt::format("{} ({})", key, k.what));
        break;
      }
  }
  return out;
}

ModelSpec generic_decoder(const JsonContext& c, const std::string& type) {
  const std::vector<std::string> bad = uninterpretable_keys(c);
  if (!bad.empty()) {
    const std::string h = hint(c);
    throw InputError(fmt::format(
        "{}: model_type '{}' is not a supported family, and the generic dense reader cannot interpret these keys: "
        "{}. Counting it as a dense decoder would give a wrong number. If its architecture is that of a supported "
        "family{}, pass --assume-family NAME (supported: {})",
        c.where, type, fmt::join(bad, "; "), h.empty() ? "" : fmt::format(" (these keys suggest {})", h),
        fmt::join(supported_hf_families(), ", ")));
  }
  for (const char* key : {"hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size", "intermediate_size"})
    if (!c.has(key))
      throw InputError(fmt::format(
          "{}: model_type '{}' is not supported and the config lacks the standard key '{}' "
          "needed for the generic decoder fallback (supported: {})",
          c.where, type, key, fmt::join(supported_hf_families(), ", ")));
  ModelSpec s = llama_like(c, {.sliding_window_key = true,
                               .use_sliding_window_flag = c.has("use_sliding_window") ? "use_sliding_window" : nullptr});
  apply_layer_types(s, c, read_sliding_window(c));
  s.warnings.push_back(fmt::format(
      "model_type '{}' is not a supported family; counted as a generic llama-style decoder "
      "(RMSNorm, {} MLP, no biases unless attention_bias/mlp_bias). Check the result.",
      type, s.layers.front().dense->gated ? "gated" : "2-matrix"));
  return s;
}

}  // namespace traincost::hf
