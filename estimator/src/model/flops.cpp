#include "traincost/model/flops.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "traincost/model/params.hpp"
#include "traincost/util/error.hpp"

namespace traincost {

std::string to_string(AttentionConvention c) { return c == AttentionConvention::causal ? "causal" : "full"; }

std::string to_string(Recompute r) {
  switch (r) {
    case Recompute::none: return "none";
    case Recompute::selective: return "selective";
    case Recompute::moe: return "moe";
    case Recompute::full: return "full";
  }
  return "none";
}

Recompute parse_recompute(const std::string& s) {
  if (s == "none") return Recompute::none;
  if (s == "selective") return Recompute::selective;
  if (s == "moe") return Recompute::moe;
  if (s == "full") return Recompute::full;
  throw UsageError(fmt::format("--recompute: '{}' is not one of {}", s, kRecomputeChoices));
}

void check_recompute_applies(const ModelSpec& s, Recompute r) {
  if (r == Recompute::moe && !s.is_moe())
    throw UsageError(fmt::format("--recompute moe recomputes the MoE blocks, and {} has none (use selective or full)", s.name));
}

double effective_context(const AttentionSpec& a, std::int64_t seq_len, AttentionConvention c) {
  const double s = static_cast<double>(seq_len);
  // Area of the causal mask divided by s: s/2 for full attention (Megatron's
  // "only half of the mask is non-zero"), then the limits of a sliding window
  // or of aligned chunks.
  double area_over_s = s / 2.0;
  // DSA's top-k selection caps each query's keys like a window of k does (a
  // query at position i attends min(i, k) keys), so both share the formula.
  const std::int64_t window = a.sparse_topk > 0 && (a.sliding_window == 0 || a.sparse_topk < a.sliding_window)
                                  ? a.sparse_topk
                                  : a.sliding_window;
  if (window > 0 && window < seq_len) {
    const double w = static_cast<double>(window);
    area_over_s = w - w * w / (2.0 * s);
  } else if (a.chunk_size > 0 && a.chunk_size < seq_len) {
    const double cs = static_cast<double>(a.chunk_size);
    const double full = static_cast<double>(seq_len / a.chunk_size);
    const double rest = static_cast<double>(seq_len % a.chunk_size);
    area_over_s = (full * cs * cs / 2.0 + rest * rest / 2.0) / s;
  }
  // PaLM's convention counts the whole s x s matrix: twice the causal area.
  return c == AttentionConvention::causal ? area_over_s : 2.0 * area_over_s;
}

namespace {
double attention_fwd_per_token(const LayerSpec& l, const FlopOptions& opt) {
  if (l.mixer != MixerKind::attention) return 0;
  return attention_core_fwd_flops(l.attn, opt.seq_len, opt.attention);
}

// Active GEMM weights of a layer's MoE block: routed experts (top-k), latent
// projections, shared experts and their gate, router.
double moe_block_matmul_active(const LayerSpec& l, std::int64_t d) {
  if (!l.moe) return 0;
  const MoeSpec& m = *l.moe;
  double n = static_cast<double>(m.top_k * expert_params(m, d).active_matmul + latent_projection_params(m, d));
  n += static_cast<double>(m.num_shared * mlp_params(m.shared, d).active_matmul);
  if (m.num_shared > 0 && m.shared_gate) n += static_cast<double>(d);
  n += static_cast<double>(d * m.num_experts);  // router GEMM
  return n;
}

double layer_matmul_active(const LayerSpec& l, std::int64_t d) {
  double n = static_cast<double>(mixer_params(l, d).active_matmul);
  if (l.dense) n += static_cast<double>(mlp_params(*l.dense, d).active_matmul);
  return n + moe_block_matmul_active(l, d);
}
}  // namespace

FlopsPerToken flops_per_token(const ModelSpec& s, const FlopOptions& opt) {
  if (opt.seq_len <= 0) throw UsageError("--seq-len must be > 0");
  check_recompute_applies(s, opt.recompute);
  FlopsPerToken f;
  const std::int64_t d = s.hidden_size;
  const double head = static_cast<double>(s.vocab_size * d);
  f.matmul_fwd = 2.0 * head;
  for (const auto& l : s.layers) {
    f.matmul_fwd += 2.0 * layer_matmul_active(l, d);
    f.moe_block_fwd += 2.0 * moe_block_matmul_active(l, d);
    f.attention_fwd += attention_fwd_per_token(l, opt);
    f.ssm_fwd += ssm_scan_fwd_flops(l);
    if (l.mixer == MixerKind::attention) f.indexer_fwd += indexer_fwd_flops(l.attn, opt.seq_len, opt.attention);
  }
  if (opt.include_mtp) {
    for (const auto& m : s.mtp) {
      // Each MTP depth: its block, the 2d -> d projection, and one more pass
      // through the shared output head (Megatron-LM counts the same).
      f.mtp_matmul_fwd += 2.0 * (layer_matmul_active(m.block, d) + static_cast<double>(m.projection_params) + head);
      f.mtp_attention_fwd += attention_fwd_per_token(m.block, opt);
      f.moe_block_fwd += 2.0 * moe_block_matmul_active(m.block, d);
    }
  }
  switch (opt.recompute) {
    case Recompute::none: break;
    // Selective recompute replays the core attention (Korthikanti et al. 2022 §5).
    case Recompute::selective: f.recompute_fwd = f.attention_fwd + f.mtp_attention_fwd; break;
    // ... and the MoE blocks' forward (Megatron-Core's --recompute-modules moe).
    case Recompute::moe: f.recompute_fwd = f.attention_fwd + f.mtp_attention_fwd + f.moe_block_fwd; break;
    // Full recompute replays the whole forward pass: 8N instead of 6N (Narayanan et al. 2021 eq. 3).
    case Recompute::full: f.recompute_fwd = f.forward(); break;
  }
  return f;
}

}  // namespace traincost
