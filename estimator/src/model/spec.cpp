#include "traincost/model/spec.hpp"

#include <algorithm>

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

// Each size may be within its own bound while their products are not: a
// model beyond 1e15 parameters is a typo or a unit mistake, and would also
// overflow the exact 64-bit counts.
constexpr double kMaxParams = 1e15;

double rough_layer_params(const LayerSpec& l, double d) {
  const auto& a = l.attn;
  double n = 0;
  if (l.mixer == MixerKind::attention) {
    n += d * static_cast<double>(a.num_heads) *
         static_cast<double>(std::max({a.head_dim, a.qk_nope_head_dim + a.qk_rope_head_dim, a.v_head_dim})) * 4.0;
    n += static_cast<double>(a.kv_lora_rank + a.q_lora_rank) * (d + static_cast<double>(a.num_heads) * 512.0);
    n += static_cast<double>(a.indexer_heads) * static_cast<double>(a.indexer_head_dim) * (d + static_cast<double>(a.q_lora_rank));
  }
  if (l.mamba)
    n += 3.0 * d * (static_cast<double>(l.mamba->num_heads) * static_cast<double>(l.mamba->head_dim) +
                    static_cast<double>(l.mamba->n_groups) * static_cast<double>(l.mamba->state_size));
  if (l.mamba1) n += 3.0 * d * static_cast<double>(l.mamba1->inner) +
                    static_cast<double>(l.mamba1->inner) * static_cast<double>(l.mamba1->state_size);
  if (l.deltanet)
    n += 3.0 * d * (static_cast<double>(l.deltanet->num_k_heads) * static_cast<double>(l.deltanet->k_head_dim) +
                    static_cast<double>(l.deltanet->num_v_heads) * static_cast<double>(l.deltanet->v_head_dim));
  if (l.dense) n += 3.0 * d * static_cast<double>(l.dense->width);
  if (l.moe)
    n += 3.0 * d * (static_cast<double>(l.moe->num_experts) * static_cast<double>(l.moe->expert.width) +
                    static_cast<double>(l.moe->num_shared) * static_cast<double>(l.moe->shared.width));
  return n;
}

void validate(const ModelSpec& s, const std::string& where) {
  if (s.hidden_size <= 0) bad(where, "hidden size must be > 0");
  if (s.vocab_size <= 0) bad(where, "vocab_size must be > 0");
  if (s.layers.empty()) bad(where, "the model has no layers");
  for (const auto& l : s.layers) {
    if (l.mixer == MixerKind::attention) validate_attention(l.attn, s.hidden_size, where);
    if (l.mixer == MixerKind::none && !l.dense && !l.moe)
      bad(where, "a layer has neither a token mixer nor a dense FFN nor an MoE block");
    if (l.mixer == MixerKind::attention && !l.dense && !l.moe && !s.hybrid)
      bad(where, "a layer has neither a dense FFN nor an MoE block");
    if ((l.mixer == MixerKind::mamba2) != l.mamba.has_value() || (l.mixer == MixerKind::mamba1) != l.mamba1.has_value() ||
        (l.mixer == MixerKind::gated_deltanet) != l.deltanet.has_value())
      bad(where, "a layer's mixer kind does not match its SSM fields");
    if (l.mamba) {
      const Mamba2Spec& m = *l.mamba;
      if (m.num_heads <= 0 || m.head_dim <= 0 || m.state_size <= 0 || m.n_groups <= 0 || m.conv_kernel <= 0 || m.chunk_size <= 0)
        bad(where, "Mamba-2 needs mamba_num_heads, mamba_head_dim, ssm_state_size, n_groups, conv_kernel and chunk_size > 0");
      if (m.num_heads % m.n_groups != 0)
        bad(where, fmt::format("mamba_num_heads ({}) must be a multiple of n_groups ({})", m.num_heads, m.n_groups));
    }
    if (l.mamba1) {
      const Mamba1Spec& m = *l.mamba1;
      if (m.inner <= 0 || m.state_size <= 0 || m.dt_rank <= 0 || m.conv_kernel <= 0)
        bad(where, "Mamba-1 needs d_inner (mamba_expand x hidden), mamba_d_state, mamba_dt_rank and mamba_d_conv > 0");
    }
    if (l.deltanet) {
      const DeltaNetSpec& g = *l.deltanet;
      if (g.num_k_heads <= 0 || g.num_v_heads <= 0 || g.k_head_dim <= 0 || g.v_head_dim <= 0 || g.conv_kernel <= 0 || g.chunk_size <= 0)
        bad(where, "Gated DeltaNet needs linear_num_key_heads, linear_num_value_heads, linear_key_head_dim, "
                   "linear_value_head_dim and linear_conv_kernel_dim > 0");
      if (g.num_v_heads % g.num_k_heads != 0)
        bad(where, fmt::format("linear_num_value_heads ({}) must be a multiple of linear_num_key_heads ({})",
                               g.num_v_heads, g.num_k_heads));
    }
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
  const double d = static_cast<double>(s.hidden_size);
  double total = 2.0 * d * static_cast<double>(s.vocab_size + s.learned_position_embeddings);
  for (const auto& l : s.layers) total += rough_layer_params(l, d);
  for (const auto& m : s.mtp) total += rough_layer_params(m.block, d) + 2.0 * d * d;
  if (total > kMaxParams)
    bad(where, fmt::format("the sizes multiply to about {:.2g} parameters; allowed up to {:.0g} "
                           "(check hidden_size, head_dim, intermediate sizes and layer counts)", total, kMaxParams));
}

}  // namespace traincost
