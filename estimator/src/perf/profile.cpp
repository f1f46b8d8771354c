// Reduces a ModelSpec to the per-layer quantities the step-time and memory
// model reads, once per model and sequence length.
#include <algorithm>

#include "traincost/model/flops.hpp"
#include "traincost/model/params.hpp"
#include "traincost/perf/evaluate.hpp"

namespace traincost::perf {

namespace {
void add_attention_shape(LayerClass& c, const AttentionSpec& a, double d) {
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
  // Qwen3-Next gated attention: q_proj also emits the output gate.
  if (a.output_gate) c.qkv_out += c.q_width;
  if (a.indexer_heads > 0) {
    const double q_in = a.q_lora_rank > 0 ? static_cast<double>(a.q_lora_rank) : d;
    const double hi = static_cast<double>(a.indexer_heads), di = static_cast<double>(a.indexer_head_dim);
    c.indexer_out = (q_in * hi * di + d * di + d * hi) / d;  // equal FLOPs at K = d
  }
}

void add_ssm_shape(LayerClass& c, const LayerSpec& l, double d) {
  if (l.mamba) {
    const Mamba2Spec& m = *l.mamba;
    const double inner = static_cast<double>(m.inner()), gn = static_cast<double>(m.n_groups * m.state_size);
    c.ssm_in_out = 2.0 * inner + 2.0 * gn + static_cast<double>(m.num_heads);
    c.ssm_inner = inner;
    c.ssm_heads = static_cast<double>(m.num_heads);
    c.ssm_io_width = 2.0 * inner + 2.0 * gn + static_cast<double>(m.num_heads);  // x, B, C, dt in; y out
    c.ssm_act_width = c.ssm_in_out + static_cast<double>(m.conv_channels()) + 2.0 * inner;  // + y and its gated norm
  } else if (l.mamba1) {
    const Mamba1Spec& m = *l.mamba1;
    const double di = static_cast<double>(m.inner), N = static_cast<double>(m.state_size);
    const double r = static_cast<double>(m.dt_rank);
    // x_proj and dt_proj are small; folded into in_proj as one GEMM of equal FLOPs at K = d.
    c.ssm_in_out = 2.0 * di + (di * (r + 2.0 * N) + r * di) / d;
    c.ssm_inner = di;
    c.ssm_heads = di;  // channels: tensor parallelism splits d_inner
    c.ssm_io_width = 3.0 * di + 2.0 * N + r;  // x, delta, B, C, z in; y out
    c.ssm_act_width = 2.0 * di + di + (r + 2.0 * N) + 2.0 * di;
  } else if (l.deltanet) {
    const DeltaNetSpec& g = *l.deltanet;
    const double kd = static_cast<double>(g.key_dim()), vd = static_cast<double>(g.value_dim());
    c.ssm_in_out = 2.0 * kd + 2.0 * vd + 2.0 * static_cast<double>(g.num_v_heads);
    c.ssm_inner = vd;
    c.ssm_heads = static_cast<double>(g.num_k_heads);
    c.ssm_io_width = 2.0 * kd + 2.0 * vd + 2.0 * static_cast<double>(g.num_v_heads);  // q, k, v, beta, g in; o out
    c.ssm_act_width = c.ssm_in_out + (2.0 * kd + vd) + 2.0 * vd;
  }
  (void)d;
}

void add_layer(LayerClass& c, const LayerSpec& l, double d, std::int64_t seq, AttentionConvention conv) {
  if (l.mixer == MixerKind::attention && c.attn_layers == 0) add_attention_shape(c, l.attn, d);
  if (l.has_ssm() && c.ssm_layers == 0) add_ssm_shape(c, l, d);
  if (l.dense && c.ffn_layers == 0) {
    c.ffn_width = static_cast<double>(l.dense->width);
    c.ffn_gated = l.dense->gated;
  }
  if (c.count == 0) {
    c.expert_io = d;
    if (l.moe) {
      const MoeSpec& m = *l.moe;
      c.experts = static_cast<double>(m.num_experts);
      c.top_k = static_cast<double>(m.top_k);
      c.expert_width = static_cast<double>(m.expert.width);
      c.expert_gated = m.expert.gated;
      c.shared_width = static_cast<double>(m.num_shared * m.shared.width);
      c.router = d * static_cast<double>(m.num_experts);
      c.routing_group_limit = static_cast<double>(m.routing_group_limit);
      c.expert_io = static_cast<double>(expert_io_width(m, static_cast<std::int64_t>(d)));
      c.latent_proj = static_cast<double>(m.latent_size);
    }
  }
  c.count += 1;
  c.attn_layers += l.mixer == MixerKind::attention ? 1 : 0;
  c.ssm_layers += l.has_ssm() ? 1 : 0;
  c.ffn_layers += l.dense ? 1 : 0;
  c.sublayers += (l.mixer != MixerKind::none ? 1 : 0) + ((l.dense || l.moe) ? 1 : 0);
  ParamComponent attn = mixer_params(l, static_cast<std::int64_t>(d));
  double params = static_cast<double>(attn.total + l.norm_params);
  double active_matmul = static_cast<double>(attn.active_matmul);
  if (l.dense) {
    const auto p = mlp_params(*l.dense, static_cast<std::int64_t>(d));
    params += static_cast<double>(p.total);
    active_matmul += static_cast<double>(p.active_matmul);
  }
  if (l.moe) {
    const MoeSpec& m = *l.moe;
    const auto e = expert_params(m, static_cast<std::int64_t>(d));
    const auto sh = mlp_params(m.shared, static_cast<std::int64_t>(d));
    const double latent = static_cast<double>(latent_projection_params(m, static_cast<std::int64_t>(d)));
    c.expert_params += static_cast<double>(e.total * m.num_experts);
    params += static_cast<double>(sh.total * m.num_shared) + d * static_cast<double>(m.num_experts) + latent;
    active_matmul += static_cast<double>(e.active_matmul * m.top_k + sh.active_matmul * m.num_shared) +
                     d * static_cast<double>(m.num_experts) + latent;
  }
  c.params += params;
  const bool has_attn = l.mixer == MixerKind::attention;
  const double attn_fwd = has_attn ? attention_core_fwd_flops(l.attn, seq, conv) : 0.0;
  const double indexer_fwd = has_attn ? indexer_fwd_flops(l.attn, seq, conv) : 0.0;
  const double scan_fwd = ssm_scan_fwd_flops(l);
  c.attn_core_fwd_flops += attn_fwd;  // summed here, averaged in finish()
  c.indexer_fwd_flops += indexer_fwd;
  c.ssm_scan_fwd_flops += scan_fwd;
  c.model_flops_per_token += 3.0 * (2.0 * active_matmul + attn_fwd + indexer_fwd + scan_fwd);
}

void finish(LayerClass& c) {
  if (c.count == 0) return;
  c.attn_core_fwd_flops /= c.count;
  c.indexer_fwd_flops /= c.count;
  c.ssm_scan_fwd_flops /= c.count;
  c.attn_share = c.attn_layers / c.count;
  c.ffn_share = c.ffn_layers > 0 ? c.ffn_layers / c.count : 1.0;  // no FFN: ffn_width stays 0
  c.ssm_share = c.ssm_layers / c.count;
  c.tp_sublayers = c.sublayers / (2.0 * c.count);
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
  const FlopsPerToken f = flops_per_token(spec, o);
  m.model_flops_per_token = f.model();
  m.moe_block_fwd_flops_per_token = f.moe_block_fwd;
  m.total_params = static_cast<double>(p.total_incl_mtp());
  if (p.active() > 0) m.params_per_active_param = static_cast<double>(p.total()) / static_cast<double>(p.active());
  m.is_moe = spec.is_moe();
  if (const AttentionSpec* a = spec.first_attention()) {
    m.num_heads = static_cast<int>(a->num_heads);
    m.num_kv_heads = static_cast<int>(a->kind == AttentionKind::mla ? a->num_heads : a->num_kv_heads);
  }
  m.ssm_heads = static_cast<int>(std::max(m.dense.ssm_heads, m.moe.ssm_heads));
  m.num_layers = static_cast<int>(spec.layers.size());
  if (const MoeSpec* moe = spec.first_moe()) m.num_experts = static_cast<int>(moe->num_experts);
  return m;
}

}  // namespace traincost::perf
