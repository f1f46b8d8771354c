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
      // DeepSeek-V3.2: V3 plus the DSA lightning indexer (index_* keys).
      {"deepseek_v32", deepseek},
      // Kimi K2 (Moonshot AI 2025): "architectures": ["DeepseekV3ForCausalLM"]; the
      // Kimi K2 technical report (arXiv:2507.20534, architecture section) describes it as DeepSeek-V3's
      // architecture with 384 experts, 64 heads and one dense layer.
      {"kimi_k2", deepseek},
      {"glm4_moe", glm4_moe},
      {"minimax_m2", minimax_m2},
      // Tencent's launch-time name ("hunyuan", Hunyuan-A13B models/config.json) and
      // the later transformers name.
      {"hunyuan", hunyuan_moe},
      {"hunyuan_v1_moe", hunyuan_moe},
      {"gemma3", gemma3},
      {"gemma3_text", gemma3},
      {"nemotron_h", nemotron_h},
      {"qwen3_next", qwen3_next},
      {"jamba", jamba},
  };
  return table;
}

// Families the project knows of but cannot count: each with the reason, so that
// params refuses by name rather than guessing.
const std::map<std::string, std::string>& refused_families() {
  static const std::map<std::string, std::string> table = {
      {"ernie4_5_moe", "no ERNIE 4.5 MoE config.json or architecture table has been sourced into models/hf, so its "
                       "expert placement keys (moe_layer_start_index, moe_layer_interval, ...) are unverified"},
      {"bailing_moe", "no Ling / Bailing MoE config.json or architecture table has been sourced into models/hf"},
      {"arctic", "no Snowflake Arctic config.json has been sourced into models/hf; its dense-MoE residual layout "
                 "(parallel_attn_mlp_res) is unverified"},
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

ModelSpec model_from_hf_config(const nlohmann::json& config, const std::string& where, const LoadOptions& opt) {
  const JsonContext c{config, where, ""};
  const std::string type = c.get_string("model_type");
  if (type.find_first_not_of(" \t") == std::string::npos)
    c.fail("model_type", "is empty; expected the family name a Hugging Face config carries, e.g. llama or mixtral");
  ModelSpec s;
  if (!opt.assume_family.empty()) {
    const auto it = adapters().find(opt.assume_family);
    if (it == adapters().end())
      throw UsageError(fmt::format("--assume-family: '{}' is not a supported family (supported: {})",
                                   opt.assume_family, fmt::join(supported_hf_families(), ", ")));
    s = it->second(c);
    if (opt.assume_family != type)
      s.warnings.push_back(fmt::format("model_type '{}' read as family '{}' (--assume-family); check the result",
                                       type, opt.assume_family));
  } else if (auto it = adapters().find(type); it != adapters().end()) {
    s = it->second(c);
  } else if (auto r = refused_families().find(type); r != refused_families().end()) {
    throw InputError(fmt::format("{}: model_type '{}' is refused: {}. Pass --assume-family NAME to read it with "
                                 "the adapter of a supported family of the same architecture",
                                 where, type, r->second));
  } else {
    // Unknown family: the generic dense reader, which refuses keys it cannot interpret.
    s = hf::generic_decoder(c, type);
  }
  s.family = type;
  validate(s, where);
  return s;
}

}  // namespace traincost
