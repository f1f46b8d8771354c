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

namespace {
// A dense family's adapter reads no expert or latent-attention keys: a config that carries them
// (an MoE labelled llama or mistral) would be counted as its dense trunk alone, several times too
// small (Mixtral 8x7B as 8B) and without a word. Refuse it, as the generic reader does.
void refuse_ignored_experts(const JsonContext& c, const ModelSpec& s, const std::string& type) {
  bool mla = false;
  for (const auto& l : s.layers) mla = mla || (l.mixer == MixerKind::attention && l.attn.kind == AttentionKind::mla);
  // The keys the MoE and MLA families count by (mixtral, qwen*_moe, deepseek_v2/v3, ...);
  // null, 0 and false say "not used".
  std::vector<std::string> ignored;
  auto used = [&](const char* key) {
    if (!c.has(key)) return false;
    const nlohmann::json& v = c.obj.at(key);
    return !(v.is_null() || (v.is_boolean() && !v.get<bool>()) || (v.is_number() && v.get<double>() == 0.0));
  };
  if (!s.is_moe())
    for (const char* key : {"num_local_experts", "num_experts", "n_routed_experts", "moe_intermediate_size"})
      if (used(key)) ignored.push_back(fmt::format("{} (experts)", key));
  if (!mla)
    for (const char* key : {"kv_lora_rank", "q_lora_rank"})
      if (used(key)) ignored.push_back(fmt::format("{} (latent attention)", key));
  if (ignored.empty()) return;
  throw InputError(fmt::format(
      "{}: model_type '{}' has no experts or latent attention in its reader, but the config has keys for them: {}. "
      "Counting it without them would give a wrong number: set model_type to the family of its architecture "
      "(e.g. mixtral, qwen3_moe, deepseek_v3) or pass --assume-family NAME",
      c.where, type, fmt::join(ignored, "; ")));
}
}  // namespace

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
    refuse_ignored_experts(c, s, type);
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
