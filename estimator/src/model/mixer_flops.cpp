// FLOPs and state sizes of the token mixers other than dense softmax attention:
// Mamba-2's SSD scan, Gated DeltaNet's chunkwise delta rule, and DeepSeek-V3.2's
// lightning indexer. Their projections are GEMMs and are counted with the other
// weights (params.cpp); here is only what no weight matrix accounts for.
#include <algorithm>

#include "traincost/model/flops.hpp"

namespace traincost {

double attention_core_fwd_flops(const AttentionSpec& a, std::int64_t seq_len, AttentionConvention c) {
  const double width = static_cast<double>(a.num_heads * (a.qk_head_dim() + a.v_dim()));
  return 2.0 * width * effective_context(a, seq_len, c);
}

double indexer_fwd_flops(const AttentionSpec& a, std::int64_t seq_len, AttentionConvention c) {
  if (a.indexer_heads <= 0) return 0;
  // DeepSeek-V3.2-Exp technical report §2.1, eq. (1): I_{t,s} = sum_j w_{t,j} ReLU(q_{t,j} . k_s)
  // over the H_I indexer heads and every preceding token s: a dense causal score of
  // width d_I per head (2 FLOPs a multiply-add) plus the weighted sum over heads. The
  // indexer is not sparse, so its context is the dense one.
  AttentionSpec dense = a;
  dense.sparse_topk = 0;
  const double ctx = effective_context(dense, seq_len, c);
  return 2.0 * static_cast<double>(a.indexer_heads) * static_cast<double>(a.indexer_head_dim + 1) * ctx;
}

double ssm_scan_fwd_flops(const LayerSpec& l) {
  if (l.mamba) {
    // Mamba-2 SSD algorithm (Dao & Gu 2024, arXiv:2405.21060 §6): chunks of Q tokens;
    // within a chunk a masked quadratic form like causal attention (C B^T per group of
    // width N, mean Q/2 keys; then times X per head of width P), across chunks the
    // states: B^T X into each chunk's state (N x P per head) and C times the passed
    // state for the output, 2NP FLOPs each per token and head.
    const Mamba2Spec& m = *l.mamba;
    const double Q = static_cast<double>(m.chunk_size), N = static_cast<double>(m.state_size);
    const double P = static_cast<double>(m.head_dim), H = static_cast<double>(m.num_heads);
    const double G = static_cast<double>(m.n_groups);
    return 2.0 * (Q / 2.0) * (G * N + H * P) + 4.0 * H * N * P;
  }
  if (l.mamba1) {
    // Mamba-1 selective scan (Gu & Dao 2023, arXiv:2312.00752 §3.3: O(B L D N) work):
    // per channel and state, discretise exp(delta A) and delta B x, update h, and add
    // C h to the output: about 9 FLOPs (3 multiplies + exp + 2 for delta*B*x + 2 for C*h
    // + 1 add). It runs on vector units, not tensor cores; the perf model bounds it by HBM.
    const Mamba1Spec& m = *l.mamba1;
    return 9.0 * static_cast<double>(m.inner) * static_cast<double>(m.state_size);
  }
  if (l.deltanet) {
    // Gated DeltaNet chunkwise training (Yang et al. 2024, arXiv:2412.06464 §3.3, with
    // the WY/UT representation of arXiv:2406.06484 §3.2), per value head and token at
    // chunk C: K K^T for the UT transform and Q K^T (C/2 keys each, width d_k), the
    // triangular solve applied to K and V (C/2 each), the intra-chunk output (C/2, d_v),
    // and three d_k x d_v state products (W S, Q S, the K^T U update), 2 FLOPs a MAC.
    const DeltaNetSpec& g = *l.deltanet;
    const double C = static_cast<double>(g.chunk_size), dk = static_cast<double>(g.k_head_dim);
    const double dv = static_cast<double>(g.v_head_dim), H = static_cast<double>(g.num_v_heads);
    return H * (2.0 * (C / 2.0) * (3.0 * dk + 2.0 * dv) + 6.0 * dk * dv);
  }
  return 0;
}

double recurrent_state_bytes(const LayerSpec& l) {
  // FP32 recurrent state (Nemotron 3 configs: mamba_ssm_cache_dtype "float32") and the
  // last conv_kernel - 1 inputs of the depthwise conv in 16 bits.
  if (l.mamba) {
    const Mamba2Spec& m = *l.mamba;
    return 4.0 * static_cast<double>(m.num_heads * m.head_dim * m.state_size) +
           2.0 * static_cast<double>((m.conv_kernel - 1) * m.conv_channels());
  }
  if (l.mamba1) {
    const Mamba1Spec& m = *l.mamba1;
    return 4.0 * static_cast<double>(m.inner * m.state_size) + 2.0 * static_cast<double>((m.conv_kernel - 1) * m.inner);
  }
  if (l.deltanet) {
    const DeltaNetSpec& g = *l.deltanet;
    return 4.0 * static_cast<double>(g.num_v_heads * g.k_head_dim * g.v_head_dim) +
           2.0 * static_cast<double>((g.conv_kernel - 1) * (2 * g.key_dim() + g.value_dim()));
  }
  return 0;
}

double kv_cache_bytes_per_token(const LayerSpec& l) {
  if (l.mixer != MixerKind::attention) return 0;
  const AttentionSpec& a = l.attn;
  // MLA caches the compressed latent and the shared rotary key (DeepSeek-V2 §2.1.2).
  if (a.kind == AttentionKind::mla) return 2.0 * static_cast<double>(a.kv_lora_rank + a.qk_rope_head_dim);
  return 2.0 * 2.0 * static_cast<double>(a.num_kv_heads * a.head_dim);
}

}  // namespace traincost
