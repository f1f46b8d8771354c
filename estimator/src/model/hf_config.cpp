// Dispatch from a Hugging Face config's model_type to its family adapter.
#include <functional>
#include <map>

#include <fmt/format.h>

#include "hf_families.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/util/error.hpp"

namespace traincost {

namespace {
using Adapter = std::function<ModelSpec(const JsonContext&)>;

const std::map<std::string, Adapter>& adapters() {
  using namespace hf;
  static const std::map<std::string, Adapter> table = {
      {"llama", [](const JsonContext& c) { return llama_like(c, {}); }},
      {"mistral", [](const JsonContext& c) { return llama_like(c, {.sliding_window_key = true}); }},
      {"granite", [](const JsonContext& c) { return llama_like(c, {}); }},
      {"phi3", [](const JsonContext& c) { return llama_like(c, {.sliding_window_key = true}); }},
      {"qwen2", [](const JsonContext& c) {
         return llama_like(c, {.qkv_bias_always = true, .sliding_window_key = true,
                               .use_sliding_window_flag = "use_sliding_window"});
       }},
      {"qwen3", [](const JsonContext& c) {
         return llama_like(c, {.qk_norm_per_head = true, .sliding_window_key = true,
                               .use_sliding_window_flag = "use_sliding_window"});
       }},
      {"olmo2", [](const JsonContext& c) { return llama_like(c, {.qk_norm_full = true}); }},
      {"bloom", bloom},
      {"gpt_neox", gpt_neox},
      {"falcon", falcon},
      {"RefinedWeb", falcon},
      {"RefinedWebModel", falcon},
      {"gpt_bigcode", gpt_bigcode},
      {"mixtral", mixtral},
      {"phimoe", phimoe},
      {"olmoe", olmoe},
      {"qwen2_moe", qwen2_moe},
      {"qwen3_moe", qwen3_moe},
      {"granitemoe", granitemoe},
      {"granitemoeshared", granitemoe},
      {"gpt_oss", gpt_oss},
      {"llama4", llama4},
      {"llama4_text", llama4},
      {"dbrx", dbrx},
      {"deepseek_v2", deepseek},
      {"deepseek_v3", deepseek},
  };
  return table;
}
}  // namespace

const std::vector<std::string>& supported_hf_families() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [k, _] : adapters()) v.push_back(k);
    return v;
  }();
  return names;
}

ModelSpec model_from_hf_config(const nlohmann::json& config, const std::string& where) {
  const JsonContext c{config, where, ""};
  const std::string type = c.get_string("model_type");
  ModelSpec s;
  if (auto it = adapters().find(type); it != adapters().end()) {
    s = it->second(c);
  } else {
    // Unknown family: accept it only if it carries the standard decoder keys.
    for (const char* key : {"hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size", "intermediate_size"})
      if (!c.has(key))
        throw InputError(fmt::format(
            "{}: model_type '{}' is not supported and the config lacks the standard key '{}' "
            "needed for the generic decoder fallback (supported: {})",
            where, type, key, fmt::join(supported_hf_families(), ", ")));
    s = hf::llama_like(c, {});
    s.warnings.push_back(fmt::format(
        "model_type '{}' is not a supported family; counted as a generic llama-style decoder "
        "(RMSNorm, {} MLP, no biases unless attention_bias/mlp_bias). Check the result.",
        type, s.layers.front().dense->gated ? "gated" : "2-matrix"));
  }
  s.family = type;
  validate(s, where);
  return s;
}

}  // namespace traincost
