#pragma once
// Training FLOPs per token.
//   matmul:    2 FLOPs per active GEMM weight per token, forward (input
//              embedding excluded, output head included);
//   attention: QK^T and PV, 2·n_h·(d_qk + d_v)·ctx per token per layer, with
//              ctx = s/2 under the causal convention (Megatron-LM
//              num_floating_point_operations, 2026) or s under PaLM's
//              non-causal convention (Chowdhery et al. 2022, App. B);
//   training = 3 × forward (forward, backward data-grad, backward weight-grad).
// Recomputation is kept apart: model FLOPs (MFU) never include it, hardware
// FLOPs (HFU) do (PaLM §4.1; Korthikanti et al. 2022 App. A).
#include <cstdint>
#include <string>

#include "traincost/model/spec.hpp"

namespace traincost {

enum class AttentionConvention { causal, full };
// Activation recomputation: none; selective = the core attention (and MLA's
// up-projections); moe = selective plus every MoE block (router, dispatch, routed and
// shared experts, combine), keeping only the block's input (Megatron-Core's
// --recompute-modules core_attn moe); full = the whole layer (8N instead of 6N).
enum class Recompute { none, selective, moe, full };

std::string to_string(AttentionConvention c);
std::string to_string(Recompute r);
Recompute parse_recompute(const std::string& s);  // throws UsageError
inline constexpr const char* kRecomputeChoices = "none, selective, moe, full";  // what parse_recompute accepts
// recompute=moe needs MoE blocks to recompute: throws UsageError naming the model otherwise.
void check_recompute_applies(const ModelSpec& s, Recompute r);

struct FlopOptions {
  std::int64_t seq_len = 4096;
  AttentionConvention attention = AttentionConvention::causal;
  Recompute recompute = Recompute::none;
  bool include_mtp = true;  // MTP modules run during training (DeepSeek-V3)
};

struct FlopsPerToken {
  // Forward-pass FLOPs per token, main model.
  double matmul_fwd = 0;     // 2 × active GEMM weights (head included)
  double attention_fwd = 0;  // score + context FLOPs over all layers
  // Forward-pass FLOPs per token of the MTP modules (block, projection, extra head).
  double mtp_matmul_fwd = 0;
  double mtp_attention_fwd = 0;
  // Non-GEMM token mixing of the other layer kinds, forward, per token: the
  // Mamba-2 SSD and Gated DeltaNet chunked scans, and the DeepSeek-V3.2
  // lightning indexer's scores (its projections are in matmul_fwd).
  double ssm_fwd = 0;
  double indexer_fwd = 0;

  double recompute_fwd = 0;  // extra forward FLOPs from activation recomputation
  double moe_block_fwd = 0;  // forward FLOPs of the MoE blocks (router, routed + shared experts), main model + MTP

  double forward() const { return matmul_fwd + attention_fwd + mtp_matmul_fwd + mtp_attention_fwd + ssm_fwd + indexer_fwd; }
  // Training model FLOPs per token: 3 × forward (the MFU numerator).
  double model() const { return 3.0 * forward(); }
  double model_matmul() const { return 3.0 * (matmul_fwd + mtp_matmul_fwd); }
  double model_attention() const { return 3.0 * (attention_fwd + mtp_attention_fwd); }
  // Hardware FLOPs per token: model + recomputation (the HFU numerator).
  double hardware() const { return model() + recompute_fwd; }
};

FlopsPerToken flops_per_token(const ModelSpec& spec, const FlopOptions& opt);

// Mean number of keys a query attends to, per the convention: s/2 for causal
// full attention; windows and chunks cap it (continuous approximation).
double effective_context(const AttentionSpec& a, std::int64_t seq_len, AttentionConvention c);

// Forward score + context FLOPs per token of one softmax-attention layer.
double attention_core_fwd_flops(const AttentionSpec& a, std::int64_t seq_len, AttentionConvention c);
// Forward FLOPs per token of the lightning indexer's scores (0 without one).
double indexer_fwd_flops(const AttentionSpec& a, std::int64_t seq_len, AttentionConvention c);
// Forward FLOPs per token of a Mamba-2 / Gated DeltaNet layer's chunked scan
// (0 for other layers); the projections are GEMMs, counted apart.
double ssm_scan_fwd_flops(const LayerSpec& l);
// Bytes a sequence keeps between tokens at inference in place of a KV cache:
// the SSM / delta-rule state (FP32) and the conv window (16-bit); 0 for attention.
double recurrent_state_bytes(const LayerSpec& l);
// KV-cache bytes per token of one attention layer (16-bit; MLA: the latent).
double kv_cache_bytes_per_token(const LayerSpec& l);

}  // namespace traincost
