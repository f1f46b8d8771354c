// Per-layer costs of one micro-batch on one GPU: GEMMs (tile-quantised, in the
// setup's precision), attention, element-wise work, recomputation, TP/CP
// collectives and, for MoE layers, the steps in moe_layer.cpp. Formulas: research
// formulas §4; constants and their sources in constants/performance.json.
#include <algorithm>
#include <cmath>

#include "layer_cost.hpp"
#include "traincost/perf/gemm.hpp"

namespace traincost::perf::detail {

Ctx context(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s, const Plan& p,
            const Constants& c) {
  return Ctx{m, hw, cl, s, p, c, static_cast<double>(p.micro_batch) * m.seq_len / p.cp,
             s.precision == Precision::fp8 || s.precision == Precision::fp4};
}

namespace {
// Bytes per operand element of the linear layers: BF16 2; FP8 (per-tensor or MXFP8's
// one E8M0 scale per 32 values) 1; NVFP4 half a byte plus one E4M3 scale per 16 values
// (NVIDIA, "Introducing NVFP4", 2025: "a micro-block size of 16 elements").
double operand_bytes(Precision p) {
  switch (p) {
    case Precision::fp8: return 1.0;
    case Precision::fp4: return 0.5 + 1.0 / 16.0;
    default: return 2.0;
  }
}
}  // namespace

// Forward + backward (data and weight gradients) of one GEMM: M tokens, N outputs, K inputs.
// The backward GEMMs are the forward's shape permuted: dX is M x K over N, dW is K x N over M.
// `groups` equal GEMMs run as one grouped kernel (MoE experts): one launch overhead.
double gemm3(const Ctx& x, double M, double N, double K, double ceiling, double bytes_per_elem, double groups) {
  if (M <= 0 || N <= 0 || K <= 0) return 0;
  const GemmTiming g{ceiling * x.hw.shape_efficiency, x.hw.hbm_bytes_per_s, bytes_per_elem, x.c.tile_size, 0.0};
  return groups * (gemm_time_s(M, N, K, g) + gemm_time_s(M, K, N, g) + gemm_time_s(K, N, M, g)) + 3.0 * x.c.kernel_overhead_s;
}

// A linear layer in the setup's precision, forward + backward. Low precision adds the
// quantisation of each GEMM input, an HBM pass (read 16-bit, write the quantised
// copies): the activation X for the forward and weight-gradient GEMMs and the output
// gradient dY for the data- and weight-gradient GEMMs, each rowwise and columnwise
// (TransformerEngine keeps both layouts: MXFP8/NVFP4 scale along the reduction axis).
// NVFP4 recipes keep a share of the linear layers in BF16 (NVIDIA, "Pretraining LLMs
// with NVFP4", arXiv:2509.25149 §4: the last layers stay in higher precision).
void linear(const Ctx& x, LayerTime& t, double M, double N, double K, double groups) {
  if (M <= 0 || N <= 0 || K <= 0) return;
  const Precision p = x.s.precision;
  if (!x.fp8) {
    t.gemm += gemm3(x, M, N, K, x.hw.gemm_ceiling_bf16, 2.0, groups);
    return;
  }
  const double q = operand_bytes(p);
  const double low = gemm3(x, M, N, K, x.hw.gemm_ceiling, q, groups);
  const double f16 = p == Precision::fp4 ? x.c.nvfp4_bf16_linear_fraction : 0.0;
  const double bf16 = f16 > 0 ? gemm3(x, M, N, K, x.hw.gemm_ceiling_bf16, 2.0, groups) : 0.0;
  t.gemm += (1.0 - f16) * low + f16 * bf16;
  t.elementwise += (1.0 - f16) * groups * M * (K + N) * (2.0 + x.c.quantize_copies * q) / x.hw.hbm_bytes_per_s;
}

void ffn(const Ctx& x, LayerTime& t, double M, double width, bool gated, double split, double groups, double io) {
  if (width <= 0) return;
  const double d = io > 0 ? io : x.m.hidden;
  const double w = width / split;
  linear(x, t, M, (gated ? 2.0 : 1.0) * w, d, groups);
  linear(x, t, M, d, w, groups);
}

// Per-GPU bandwidth of a data-parallel collective over `members` ranks laid `stride` GPUs
// apart. Inside one scale-up domain it runs over NVLink. Across domains NCCL builds one
// ring (channel) per NIC, so the k members that share a domain drive k NICs in parallel
// and each carries 1/k of the inter-domain traffic (NCCL's rings/trees over multi-rail
// nodes; nccl-tests PERFORMANCE.md "bus bandwidth"): min(NVLink, k x NIC).
double data_parallel_bandwidth(const Ctx& x, double members, double stride) {
  const double domain = static_cast<double>(x.cl.scale_up_domain);
  if (members * stride <= domain) return x.cl.scale_up_bytes_per_s;
  const double k = std::clamp(std::floor(domain / stride), 1.0, members);
  return std::min(x.cl.scale_up_bytes_per_s, k * x.cl.scale_out_bytes_per_s);
}

double bandwidth_for_group(const Ctx& x, double ranks_spanned) {
  return ranks_spanned <= static_cast<double>(x.cl.scale_up_domain) ? x.cl.scale_up_bytes_per_s
                                                                       : x.cl.scale_out_bytes_per_s;
}
// One layer, one micro-batch, forward + backward, on one GPU.
LayerTime layer_time(const Ctx& x, const LayerClass& L) {
  LayerTime t;
  if (L.count == 0) return t;
  const double d = x.m.hidden, tp = x.p.tp, M = x.tokens_mb;
  // A part only some of the class's layers have (hybrid patterns) costs its share;
  // a part every layer has is added directly (the same arithmetic as before hybrids).
  auto part = [&](double share, auto&& add) {
    if (share == 1.0) return add(t);
    if (share <= 0.0) return;
    LayerTime u;
    add(u);
    t.gemm += share * u.gemm;
    t.elementwise += share * u.elementwise;
  };
  // Attention projections: QKV column-parallel, output row-parallel; MLA down-projections
  // replicated; the DSA indexer's projections column-parallel over its heads.
  part(L.attn_share, [&](LayerTime& u) {
    linear(x, u, M, L.qkv_out / tp, L.qkv_in);
    linear(x, u, M, d, L.o_in / tp);
    linear(x, u, M, L.mla_down, d);
    linear(x, u, M, L.indexer_out / tp, d);
  });
  // SSM / linear-attention mixers: in_proj column-parallel, out_proj row-parallel
  // (Megatron-Core's MambaMixer splits both over tensor-parallel ranks by heads).
  part(L.ssm_share, [&](LayerTime& u) {
    linear(x, u, M, L.ssm_in_out / tp, d);
    linear(x, u, M, d, L.ssm_inner / tp);
  });
  part(L.ffn_share, [&](LayerTime& u) { ffn(x, u, M, L.ffn_width, L.ffn_gated, tp); });
  // The MoE block's balanced parts (shared experts, latent projections, router) in
  // `block`, the routed experts' share, which waits for the busiest rank, in `experts`;
  // both also set what recompute=moe replays.
  LayerTime block, experts;
  ffn(x, block, M, L.shared_width, L.expert_gated, tp);
  if (L.latent_proj > 0) {
    // Latent MoE: d -> r before the routed experts and r -> d after them, on the
    // sequence-parallel shard like the router.
    linear(x, block, M / tp, L.latent_proj, d);
    linear(x, block, M / tp, d, L.latent_proj);
  }
  const double imbalance = L.experts > 0 ? routing_imbalance(x) : 1.0;
  add_routed_experts(x, L, block, experts);
  t.gemm += block.gemm;
  t.elementwise += block.elementwise;
  if (L.heads <= 0) {
    // No softmax attention in this class (a hybrid's SSM / MLP / MoE-only blocks).
  } else if (x.p.attention_kernel == AttentionKernel::flash) {
    // FlashAttention at a fraction of the 16-bit peak; 3x forward for training.
    t.attention = 3.0 * L.attn_core_fwd_flops * M / tp / (x.hw.peak_bf16 * x.hw.flash_efficiency);
    // The DSA lightning indexer's scores: a dense causal score pass at the same rate.
    if (L.indexer_fwd_flops > 0)
      t.attention += 3.0 * L.indexer_fwd_flops * M / tp / (x.hw.peak_bf16 * x.hw.flash_efficiency);
  } else {
    // Materialised scores: the full s x s QK^T and PV run as batched GEMMs (the causal mask
    // is applied after computing every score), and softmax/mask/dropout stream the scores
    // through HBM.
    const double scores = L.heads / tp * x.m.seq_len / x.p.cp;  // per token
    const double gemm_flops = 3.0 * 2.0 * 2.0 * scores * (L.q_width / L.heads);
    t.attention = M * (gemm_flops / (x.hw.gemm_ceiling_bf16 * x.hw.shape_efficiency) +
                       scores * x.c.materialized_attention_bytes_per_score / x.hw.hbm_bytes_per_s);
    if (L.attn_share != 1.0) t.attention *= L.attn_share;
  }
  if (L.ssm_share > 0) {
    // The chunked scan of Mamba-2 (SSD) and Gated DeltaNet: its FLOPs (mixer_flops.cpp)
    // run as small tensor-core matmuls inside chunks, taken at FlashAttention's rate (the
    // Mamba-2 paper, arXiv:2405.21060, Figure 10: its SSD kernel is faster than
    // FlashAttention-2 from sequence length 2K on); it cannot beat one HBM pass over its
    // inputs and output per forward and two per backward (16-bit activations). Mamba-1's
    // scan runs on vector units; for it the HBM pass is the bound that binds.
    const double flops_s = 3.0 * L.ssm_scan_fwd_flops * M / tp / (x.hw.peak_bf16 * x.hw.flash_efficiency);
    const double bytes_s = L.ssm_share * 3.0 * 2.0 * L.ssm_io_width * M / tp / x.hw.hbm_bytes_per_s;
    t.attention += std::max(flops_s, bytes_s);
  }
  // Memory-bound element-wise work (norms, residuals, activations, rotary).
  const double ffn_width = L.ffn_share == 1.0 ? L.ffn_width : L.ffn_share * L.ffn_width;
  t.elementwise += M / tp * (x.c.elementwise_bytes_per_hidden * d + x.c.elementwise_bytes_per_ffn * ffn_width) / x.hw.hbm_bytes_per_s;
  const double shared_elementwise = M / tp * x.c.elementwise_bytes_per_ffn * L.shared_width / x.hw.hbm_bytes_per_s;
  block.elementwise += shared_elementwise;
  t.elementwise += shared_elementwise;
  experts.elementwise += M / tp * x.c.elementwise_bytes_per_ffn * L.top_k * L.expert_width / x.hw.hbm_bytes_per_s;
  // The step waits for the busiest expert-parallel rank: its expert GEMMs, activations and
  // permutation scale with its share of the routed tokens.
  t.gemm += imbalance * experts.gemm;
  t.elementwise += imbalance * experts.elementwise;
  t.permute = imbalance * experts.permute;
  switch (x.p.recompute) {
    case Recompute::none: break;
    case Recompute::selective:
    case Recompute::moe:
      // Core attention replayed (Korthikanti et al. 2022); with MLA, DeepSeek-V3's recipe
      // (report §3.3) also replays the up-projections from the cached latents.
      t.recompute = t.attention / 3.0;
      if (L.mla_latent > 0) {
        LayerTime up;
        linear(x, up, M, L.qkv_out / tp, L.qkv_in);
        t.recompute += (up.gemm + up.elementwise) / 3.0;
      }
      // recompute=moe (Megatron-Core --recompute-modules core_attn moe) also reruns the MoE
      // block's forward from its input: router, shared and routed experts, permutation
      // (its all-to-all and host share in add_moe_forward_replay / add_moe_host_time).
      if (x.p.recompute == Recompute::moe)
        t.recompute += (block.gemm + block.elementwise + imbalance * (experts.gemm + experts.elementwise) + t.permute) / 3.0;
      break;
    case Recompute::full: t.recompute = (t.gemm + t.attention + t.elementwise + t.permute) / 3.0; break;
  }
  // TP: 8·b·s·h·(t-1)/t elements per layer per micro-batch (Narayanan et al. 2021 §3.2), 16-bit.
  if (x.p.tp > 1) {
    const double bw = bandwidth_for_group(x, tp) * x.c.link_efficiency;
    // Four collectives per layer (two forward, two backward), two more when the forward is
    // replayed, one more when only the MoE block's forward is (recompute=moe, MoE layers).
    const double collectives = x.p.recompute == Recompute::full                          ? 6.0
                               : x.p.recompute == Recompute::moe && L.experts > 0 ? 5.0
                                                                                   : 4.0;
    double t_tp = 8.0 * M * d * 2.0 * (tp - 1.0) / tp / bw * (collectives / 4.0);
    // Two collectives per sub-block (mixer or FFN): a hybrid block with one sub-block has half.
    if (L.tp_sublayers != 1.0) t_tp *= L.tp_sublayers;
    // With overlap, collectives hide behind the GEMMs they feed (up to the GEMM time).
    t.tp = x.p.tp_overlap ? std::max(0.0, t_tp - t.gemm) : (1.0 - x.c.tp_overlap) * t_tp;
  }
  // CP: all-gather K and V over the cp ranks before attention, reduce-scatter their
  // gradients in the backward (Llama 3, arXiv:2407.21783 §3.3.2: all-gather based
  // context parallelism; "the all-gather communication latency is exposed in the
  // critical path"). Each GPU holds max(kv_heads/tp, 1) KV heads (replicated when tp
  // exceeds the KV heads); one more all-gather when the forward is replayed.
  if (x.p.cp > 1 && L.heads > 0) {
    const double cp = x.p.cp;
    const double kv_local = std::max(L.kv_width / tp, L.q_width / L.heads);
    const double bytes = M * (cp - 1.0) * 2.0 * kv_local * 2.0;  // K and V, 16-bit
    const double collectives = x.p.recompute == Recompute::full ? 3.0 : 2.0;
    t.cp = collectives * bytes / (bandwidth_for_group(x, tp * cp) * x.c.link_efficiency);
    if (L.attn_share != 1.0) t.cp *= L.attn_share;  // only attention layers gather K and V
  }
  t.ep = exposed_all_to_all_s(x, L, imbalance, t.gemm + t.attention + t.elementwise + t.permute, &t.ep_nic_busy);
  add_moe_forward_replay(x, t);
  return t;
}


}  // namespace traincost::perf::detail
