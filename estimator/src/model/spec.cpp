#include "traincost/model/spec.hpp"

#include <fmt/format.h>

#include "traincost/util/error.hpp"

namespace traincost {

std::int64_t ModelSpec::num_moe_layers() const {
  std::int64_t n = 0;
  for (const auto& l : layers) n += l.moe ? 1 : 0;
  return n;
}

const MoeSpec* ModelSpec::first_moe() const {
  for (const auto& l : layers)
    if (l.moe) return &*l.moe;
  return nullptr;
}

namespace {
[[noreturn]] void bad(const std::string& where, const std::string& msg) {
  throw InputError(fmt::format("{}: {}", where, msg));
}

void validate_attention(const AttentionSpec& a, std::int64_t hidden, const std::string& where) {
  if (a.num_heads <= 0) bad(where, "attention heads must be > 0");
  if (a.kind == AttentionKind::standard) {
    if (a.head_dim <= 0) bad(where, "head_dim must be > 0");
    if (a.num_kv_heads <= 0 || a.num_kv_heads > a.num_heads)
      bad(where, fmt::format("num_key_value_heads = {} must be in 1..num_attention_heads ({})",
                             a.num_kv_heads, a.num_heads));
    if (a.num_heads % a.num_kv_heads != 0)
      bad(where, fmt::format("num_attention_heads ({}) must be a multiple of num_key_value_heads ({})",
                             a.num_heads, a.num_kv_heads));
  } else {
    if (a.kv_lora_rank <= 0 || a.qk_nope_head_dim < 0 || a.qk_rope_head_dim < 0 || a.v_head_dim <= 0 ||
        a.qk_nope_head_dim + a.qk_rope_head_dim <= 0)
      bad(where, "MLA needs kv_lora_rank > 0, v_head_dim > 0 and qk_nope_head_dim + qk_rope_head_dim > 0");
    if (a.q_lora_rank < 0) bad(where, "q_lora_rank must be >= 0 (0 or null = no Q compression)");
  }
  (void)hidden;
}
}  // namespace

void validate(const ModelSpec& s, const std::string& where) {
  if (s.hidden_size <= 0) bad(where, "hidden size must be > 0");
  if (s.vocab_size <= 0) bad(where, "vocab_size must be > 0");
  if (s.layers.empty()) bad(where, "the model has no layers");
  for (const auto& l : s.layers) {
    validate_attention(l.attn, s.hidden_size, where);
    if (!l.dense && !l.moe) bad(where, "a layer has neither a dense FFN nor an MoE block");
    if (l.dense && l.dense->width <= 0) bad(where, "intermediate_size must be > 0");
    if (l.moe) {
      const MoeSpec& m = *l.moe;
      if (m.num_experts <= 0) bad(where, "number of routed experts must be > 0");
      if (m.top_k <= 0 || m.top_k > m.num_experts)
        bad(where, fmt::format("num_experts_per_tok = {} must be in 1..number of experts ({})",
                               m.top_k, m.num_experts));
      if (m.expert.width <= 0) bad(where, "expert intermediate size must be > 0");
      if (m.num_shared < 0) bad(where, "number of shared experts must be >= 0");
      if (m.num_shared > 0 && m.shared.width <= 0) bad(where, "shared expert intermediate size must be > 0");
    }
  }
}

}  // namespace traincost
