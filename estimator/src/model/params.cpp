#include "traincost/model/params.hpp"

namespace traincost {

namespace {
// A block every token passes through: all of it is active.
ParamComponent dense_block(std::int64_t matmul, std::int64_t other) {
  return ParamComponent{matmul + other, matmul + other, matmul};
}

ParamComponent scaled(const ParamComponent& c, std::int64_t stored_copies, std::int64_t active_copies) {
  // c describes one fully-active copy (total == active).
  return ParamComponent{c.total * stored_copies, c.active * active_copies, c.active_matmul * active_copies};
}

struct LayerParams {
  ParamComponent attention, indexer, ssm, dense_ffn, routed, shared, router, norms;
  ParamComponent sum() const {
    ParamComponent s;
    s += attention;
    s += indexer;
    s += ssm;
    s += dense_ffn;
    s += routed;
    s += shared;
    s += router;
    s += norms;
    return s;
  }
};

LayerParams layer_params(const LayerSpec& l, std::int64_t d) {
  LayerParams p;
  if (l.mixer == MixerKind::attention) {
    p.attention = attention_params(l.attn, d);
    p.indexer = indexer_params(l.attn, d);
  }
  if (l.mamba) p.ssm += mamba2_params(*l.mamba, d);
  if (l.mamba1) p.ssm += mamba1_params(*l.mamba1, d);
  if (l.deltanet) p.ssm += deltanet_params(*l.deltanet, d);
  if (l.dense) p.dense_ffn = mlp_params(*l.dense, d);
  if (l.moe) {
    const MoeSpec& m = *l.moe;
    p.routed = scaled(expert_params(m, d), m.num_experts, m.top_k);
    p.routed += dense_block(latent_projection_params(m, d), 0);
    if (m.num_shared > 0) {
      p.shared = scaled(mlp_params(m.shared, d), m.num_shared, m.num_shared);
      if (m.shared_gate) p.shared += dense_block(d, 0);  // Qwen2-MoE shared_expert_gate: d -> 1
    }
    // Router: a d x E linear that every token runs in full.
    std::int64_t router_other = (m.router_bias ? m.num_experts : 0) +
                                (m.router_correction_bias ? m.num_experts : 0);
    p.router = dense_block(d * m.num_experts, router_other);
  }
  p.norms = dense_block(0, l.norm_params);
  return p;
}
}  // namespace

ParamComponent expert_params(const MoeSpec& m, std::int64_t d) { return mlp_params(m.expert, expert_io_width(m, d)); }

// Nemotron 3 Super latent MoE (transformers NemotronHMoE with moe_latent_size):
// fc1_latent_proj d -> r and fc2_latent_proj r -> d, no biases.
std::int64_t latent_projection_params(const MoeSpec& m, std::int64_t d) {
  return m.latent_size > 0 ? 2 * d * m.latent_size : 0;
}

ParamComponent indexer_params(const AttentionSpec& a, std::int64_t d) {
  if (a.indexer_heads <= 0) return {};
  // DeepSeek-V3.2 inference/model.py Indexer: wq_b reads the compressed query
  // (q_lora_rank; d when Q is not compressed), wk d -> head_dim, k_norm LayerNorm
  // (weight + bias), weights_proj d -> n_heads.
  const std::int64_t q_in = a.q_lora_rank > 0 ? a.q_lora_rank : d;
  const std::int64_t matmul = q_in * a.indexer_heads * a.indexer_head_dim + d * a.indexer_head_dim + d * a.indexer_heads;
  return dense_block(matmul, 2 * a.indexer_head_dim);
}

ParamComponent mamba2_params(const Mamba2Spec& m, std::int64_t d) {
  const std::int64_t inner = m.inner(), H = m.num_heads;
  const std::int64_t in_out = 2 * inner + 2 * m.n_groups * m.state_size + H;  // z, x, B, C, dt
  std::int64_t matmul = d * in_out + inner * d;                             // in_proj, out_proj
  std::int64_t other = m.conv_channels() * m.conv_kernel + (m.conv_bias ? m.conv_channels() : 0);
  other += 3 * H;      // dt_bias, A_log, D
  other += inner;      // gated RMSNorm over d_inner
  if (m.proj_bias) other += in_out + d;
  // The depthwise conv is not a GEMM: its weights are counted but not in active_matmul.
  return dense_block(matmul, other);
}

ParamComponent mamba1_params(const Mamba1Spec& m, std::int64_t d) {
  const std::int64_t di = m.inner, N = m.state_size, r = m.dt_rank;
  // GEMMs: in_proj, x_proj, dt_proj, out_proj.
  const std::int64_t matmul = d * 2 * di + di * (r + 2 * N) + r * di + di * d;
  std::int64_t other = di * m.conv_kernel + (m.conv_bias ? di : 0);  // depthwise conv1d
  other += di;                                   // dt_proj bias
  other += di * N + di;                          // A_log, D
  if (m.dt_bc_norms) other += r + 2 * N;         // dt/B/C RMSNorms
  if (m.proj_bias) other += 2 * di + d;          // in_proj and out_proj biases
  return dense_block(matmul, other);
}

ParamComponent deltanet_params(const DeltaNetSpec& g, std::int64_t d) {
  const std::int64_t kd = g.key_dim(), vd = g.value_dim(), Hv = g.num_v_heads;
  const std::int64_t matmul = d * (2 * kd + 2 * vd) + d * 2 * Hv + vd * d;  // in_proj_qkvz, in_proj_ba, out_proj
  const std::int64_t conv_channels = 2 * kd + vd;
  const std::int64_t other = conv_channels * g.conv_kernel + 2 * Hv + g.v_head_dim;  // conv1d, dt_bias + A_log, norm
  return dense_block(matmul, other);
}

ParamComponent mixer_params(const LayerSpec& l, std::int64_t d) {
  ParamComponent p;
  if (l.mixer == MixerKind::attention) {
    p += attention_params(l.attn, d);
    p += indexer_params(l.attn, d);
  }
  if (l.mamba) p += mamba2_params(*l.mamba, d);
  if (l.mamba1) p += mamba1_params(*l.mamba1, d);
  if (l.deltanet) p += deltanet_params(*l.deltanet, d);
  return p;
}

ParamComponent attention_params(const AttentionSpec& a, std::int64_t d) {
  std::int64_t matmul = 0, other = 0;
  const std::int64_t h = a.num_heads;
  if (a.kind == AttentionKind::standard) {
    const std::int64_t q = h * a.head_dim, kv = a.num_kv_heads * a.head_dim;
    matmul = d * q * (a.output_gate ? 2 : 1) + 2 * d * kv + q * d;
    if (a.qkv_bias) other += q + 2 * kv;
  } else {
    // DeepSeek-V3 inference/model.py: wq_a, q_norm, wq_b, wkv_a, kv_norm, wkv_b, wo.
    const std::int64_t qk = a.qk_nope_head_dim + a.qk_rope_head_dim;
    if (a.q_lora_rank > 0) {
      matmul += d * a.q_lora_rank + a.q_lora_rank * h * qk;
      other += a.q_lora_rank;  // q_norm
    } else {
      matmul += d * h * qk;
    }
    matmul += d * (a.kv_lora_rank + a.qk_rope_head_dim) + a.kv_lora_rank * h * (a.qk_nope_head_dim + a.v_head_dim);
    other += a.kv_lora_rank;  // kv_norm
    matmul += h * a.v_head_dim * d;
    // DeepseekV2Attention: biases (attention_bias) sit on q_a_proj, kv_a_proj_with_mqa
    // and o_proj; the up-projections q_b_proj/q_proj and kv_b_proj have none.
    if (a.qkv_bias) other += a.q_lora_rank + a.kv_lora_rank + a.qk_rope_head_dim;
  }
  if (a.o_bias) other += d;
  other += a.qk_norm_params;
  if (a.sinks) other += h;
  return dense_block(matmul, other);
}

ParamComponent mlp_params(const MlpSpec& m, std::int64_t d) {
  const std::int64_t matrices = m.gated ? 3 : 2;
  std::int64_t other = 0;
  if (m.bias) other = (m.gated ? 2 : 1) * m.width + d;  // up(+gate) biases, down bias
  return dense_block(matrices * d * m.width, other);
}

ParamBreakdown count_params(const ModelSpec& s) {
  const std::int64_t d = s.hidden_size, V = s.vocab_size;
  ParamBreakdown b;
  // The embedding is a lookup, not a GEMM: active but never in active_matmul.
  b.embedding = ParamComponent{V * d, V * d, 0};
  b.position_embedding = ParamComponent{s.learned_position_embeddings * d, s.learned_position_embeddings * d, 0};
  // The head is a V x d GEMM for every token whether or not its weight is tied.
  const std::int64_t head_bias = s.lm_head_bias ? V : 0;
  b.output_head = ParamComponent{(s.tie_word_embeddings ? 0 : V * d) + head_bias,
                                 (s.tie_word_embeddings ? 0 : V * d) + head_bias, V * d};
  b.norms = dense_block(0, s.embedding_norm_params + s.final_norm_params);
  for (const auto& l : s.layers) {
    LayerParams p = layer_params(l, d);
    b.attention += p.attention;
    b.indexer += p.indexer;
    b.ssm += p.ssm;
    b.dense_ffn += p.dense_ffn;
    b.routed_experts += p.routed;
    b.shared_experts += p.shared;
    b.router += p.router;
    b.norms += p.norms;
  }
  for (const auto& m : s.mtp) {
    b.mtp += layer_params(m.block, d).sum();
    b.mtp += dense_block(m.projection_params, m.norm_params);
  }
  return b;
}

std::int64_t ParamBreakdown::total() const {
  return embedding.total + position_embedding.total + output_head.total + attention.total + indexer.total + ssm.total + dense_ffn.total +
         routed_experts.total + shared_experts.total + router.total + norms.total;
}

std::int64_t ParamBreakdown::active() const {
  return embedding.active + position_embedding.active + output_head.active + attention.active + indexer.active + ssm.active +
         dense_ffn.active + routed_experts.active + shared_experts.active + router.active + norms.active;
}

std::int64_t ParamBreakdown::active_excl_input_embedding() const {
  return active() - embedding.active - position_embedding.active;
}

std::int64_t ParamBreakdown::active_nonembedding() const {
  return active_excl_input_embedding() - output_head.active;
}

std::int64_t ParamBreakdown::total_nonembedding() const {
  return total() - embedding.total - position_embedding.total - output_head.total;
}

std::int64_t ParamBreakdown::active_matmul() const {
  return output_head.active_matmul + attention.active_matmul + indexer.active_matmul + ssm.active_matmul + dense_ffn.active_matmul +
         routed_experts.active_matmul + shared_experts.active_matmul + router.active_matmul;
}

}  // namespace traincost
