#pragma once
// One adapter per Hugging Face family (internal header). Each maps a config
// object onto a ModelSpec; validation of cross-field consistency happens after.
#include <string>
#include <vector>

#include "hf_common.hpp"

namespace traincost::hf {

struct LlamaOptions {
  bool qkv_bias_always = false;   // Qwen2: Q/K/V biases regardless of attention_bias
  bool qk_norm_per_head = false;  // Qwen3: RMSNorm(head_dim) on q and k
  bool qk_norm_full = false;      // OLMo2/OLMoE: RMSNorm over the whole q and k projections
  bool sliding_window_key = false;               // honour "sliding_window"
  const char* use_sliding_window_flag = nullptr;  // ...only when this flag is true (Qwen)
};

// Dense families (hf_dense.cpp).
ModelSpec llama_like(const JsonContext& c, const LlamaOptions& o);
ModelSpec bloom(const JsonContext& c);
ModelSpec gpt_neox(const JsonContext& c);
ModelSpec falcon(const JsonContext& c);
ModelSpec gpt_bigcode(const JsonContext& c);

// MoE families (hf_moe.cpp).
ModelSpec mixtral(const JsonContext& c);
ModelSpec phimoe(const JsonContext& c);
ModelSpec olmoe(const JsonContext& c);
ModelSpec qwen2_moe(const JsonContext& c);
ModelSpec qwen3_moe(const JsonContext& c);
ModelSpec granitemoe(const JsonContext& c);
ModelSpec gpt_oss(const JsonContext& c);
ModelSpec llama4(const JsonContext& c);
ModelSpec dbrx(const JsonContext& c);

// DeepSeek-V2/V3/V3.2 and Kimi K2 (hf_deepseek.cpp).
ModelSpec deepseek(const JsonContext& c);

// MoE families released 2025 (hf_moe2.cpp).
ModelSpec glm4_moe(const JsonContext& c);
ModelSpec minimax_m2(const JsonContext& c);
ModelSpec hunyuan_moe(const JsonContext& c);
ModelSpec gemma3(const JsonContext& c);

// Hybrid layer patterns: SSM / linear attention beside softmax attention (hf_hybrid.cpp).
ModelSpec nemotron_h(const JsonContext& c);
ModelSpec qwen3_next(const JsonContext& c);
ModelSpec jamba(const JsonContext& c);

// The generic dense reader of unknown families (hf_generic.cpp).
std::vector<std::string> uninterpretable_keys(const JsonContext& c);
ModelSpec generic_decoder(const JsonContext& c, const std::string& type);

}  // namespace traincost::hf
