// Reduces a ModelSpec to the per-layer quantities the step-time and memory
// model reads, once per model and sequence length.
#include "traincost/model/flops.hpp"
#include "traincost/model/params.hpp"
#include "traincost/perf/evaluate.hpp"

namespace traincost::perf {

namespace {
void add_layer(LayerClass& c, const LayerSpec& l, double d, std::int64_t seq, AttentionConvention conv) {
  if (c.count == 0) {
    const AttentionSpec& a = l.attn;
    c.heads = static_cast<double>(a.num_heads);
    if (a.kind == AttentionKind::standard) {
      c.q_width = static_cast<double>(a.num_heads * a.head_dim);
      c.kv_width = static_cast<double>(a.num_kv_heads * a.head_dim);
      c.qkv_out = c.q_width + 2 * c.kv_width;
      c.qkv_in = d;
      c.o_in = c.q_width;
    } else {
      // MLA: the down-projections (d -> r_q, d -> r_kv + d_r) are small and
      // replicated; the up-projections are column-parallel over heads.
      const double h = static_cast<double>(a.num_heads);
      const double qk = static_cast<double>(a.qk_nope_head_dim + a.qk_rope_head_dim);
      const double rq = static_cast<double>(a.q_lora_rank), rkv = static_cast<double>(a.kv_lora_rank);
      c.mla_down = (rq > 0 ? rq : 0) + rkv + static_cast<double>(a.qk_rope_head_dim);
      c.mla_latent = c.mla_down;
      // Express the up-projections as one column-parallel GEMM of equal FLOPs with K = d.
      const double up = (rq > 0 ? rq * h * qk : d * h * qk) + rkv * h * static_cast<double>(a.qk_nope_head_dim + a.v_head_dim);
      c.qkv_out = up / d;
      c.qkv_in = d;
      c.q_width = h * qk;
      c.kv_width = h * static_cast<double>(a.v_head_dim);
      c.o_in = h * static_cast<double>(a.v_head_dim);
    }
    if (l.dense) {
      c.ffn_width = static_cast<double>(l.dense->width);
      c.ffn_gated = l.dense->gated;
    }
    if (l.moe) {
      const MoeSpec& m = *l.moe;
      c.experts = static_cast<double>(m.num_experts);
      c.top_k = static_cast<double>(m.top_k);
      c.expert_width = static_cast<double>(m.expert.width);
      c.expert_gated = m.expert.gated;
      c.shared_width = static_cast<double>(m.num_shared * m.shared.width);
      c.router = d * static_cast<double>(m.num_experts);
      c.routing_group_limit = static_cast<double>(m.routing_group_limit);
    }
  }
  c.count += 1;
  ParamComponent attn = attention_params(l.attn, static_cast<std::int64_t>(d));
  double params = static_cast<double>(attn.total + l.norm_params);
  double active_matmul = static_cast<double>(attn.active_matmul);
  if (l.dense) {
    const auto p = mlp_params(*l.dense, static_cast<std::int64_t>(d));
    params += static_cast<double>(p.total);
    active_matmul += static_cast<double>(p.active_matmul);
  }
  if (l.moe) {
    const MoeSpec& m = *l.moe;
    const auto e = mlp_params(m.expert, static_cast<std::int64_t>(d));
    const auto sh = mlp_params(m.shared, static_cast<std::int64_t>(d));
    c.expert_params += static_cast<double>(e.total * m.num_experts);
    params += static_cast<double>(sh.total * m.num_shared) + d * static_cast<double>(m.num_experts);
    active_matmul += static_cast<double>(e.active_matmul * m.top_k + sh.active_matmul * m.num_shared) +
                     d * static_cast<double>(m.num_experts);
  }
  c.params += params;
  const double attn_fwd = 2.0 * static_cast<double>(l.attn.num_heads * (l.attn.qk_head_dim() + l.attn.v_dim())) *
                          effective_context(l.attn, seq, conv);
  c.attn_core_fwd_flops += attn_fwd;  // summed here, averaged in finish()
  c.model_flops_per_token += 3.0 * (2.0 * active_matmul + attn_fwd);
}

void finish(LayerClass& c) {
  if (c.count == 0) return;
  c.attn_core_fwd_flops /= c.count;
  c.params /= c.count;
  c.expert_params /= c.count;
  c.model_flops_per_token /= c.count;
}
}  // namespace

ModelProfile profile(const ModelSpec& spec, std::int64_t seq_len, AttentionConvention conv) {
  ModelProfile m;
  const double d = static_cast<double>(spec.hidden_size);
  m.hidden = d;
  m.vocab = static_cast<double>(spec.vocab_size);
  m.seq_len = static_cast<double>(seq_len);
  for (const auto& l : spec.layers) add_layer(l.moe ? m.moe : m.dense, l, d, seq_len, conv);
  finish(m.dense);
  finish(m.moe);
  m.mtp_layers = static_cast<double>(spec.mtp.size());
  const ParamBreakdown p = count_params(spec);
  m.embedding_params = static_cast<double>(p.embedding.total + p.position_embedding.total);
  m.head_params = static_cast<double>(spec.vocab_size) * d;  // the head GEMM exists even when tied
  m.stored_head_params = static_cast<double>(p.output_head.total);
  FlopOptions o;
  o.seq_len = seq_len;
  o.attention = conv;
  m.model_flops_per_token = flops_per_token(spec, o).model();
  m.total_params = static_cast<double>(p.total_incl_mtp());
  m.is_moe = spec.is_moe();
  const auto& a = spec.layers.front().attn;
  m.num_heads = static_cast<int>(a.num_heads);
  m.num_kv_heads = static_cast<int>(a.kind == AttentionKind::mla ? a.num_heads : a.num_kv_heads);
  m.num_layers = static_cast<int>(spec.layers.size());
  if (const MoeSpec* moe = spec.first_moe()) m.num_experts = static_cast<int>(moe->num_experts);
  return m;
}

}  // namespace traincost::perf
