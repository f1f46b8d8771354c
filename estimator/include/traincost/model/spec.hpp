#pragma once
// ModelSpec: one description of a decoder-only transformer, dense or MoE,
// that every loader (Hugging Face families, the project's own spec format)
// maps onto, and that all counting (parameters, FLOPs, memory) reads.
// Families differ in key names, not in physics.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace traincost {

enum class AttentionKind {
  standard,  // multi-head / grouped-query / multi-query (num_kv_heads decides)
  mla,       // DeepSeek multi-head latent attention (low-rank Q and KV)
};

struct AttentionSpec {
  AttentionKind kind = AttentionKind::standard;
  std::int64_t num_heads = 0;
  std::int64_t num_kv_heads = 0;  // standard only
  std::int64_t head_dim = 0;      // standard only: Q/K/V width per head
  // MLA (DeepSeek-V2/V3 report §2.1.1): q_lora_rank == 0 means no Q compression.
  std::int64_t q_lora_rank = 0;
  std::int64_t kv_lora_rank = 0;
  std::int64_t qk_nope_head_dim = 0;
  std::int64_t qk_rope_head_dim = 0;
  std::int64_t v_head_dim = 0;

  bool qkv_bias = false;            // biases on the Q, K and V projections
  bool o_bias = false;              // bias on the output projection
  std::int64_t qk_norm_params = 0;  // learnable weights of Q/K norms (Qwen3, OLMoE, OLMo2)
  bool sinks = false;               // one learned sink logit per head (gpt-oss)
  std::int64_t sliding_window = 0;  // 0 = attends to the whole causal context
  std::int64_t chunk_size = 0;      // 0 = none; >0: attention restricted to aligned chunks (Llama 4)
  // Qwen3-Next gated attention: q_proj also emits a per-head-dim output gate
  // (transformers Qwen3NextAttention: q_proj out = num_heads * head_dim * 2).
  bool output_gate = false;
  // DeepSeek-V3.2 sparse attention (DSA; DeepSeek-V3.2-Exp technical report,
  // github.com/deepseek-ai/DeepSeek-V3.2-Exp DeepSeek_V3_2.pdf §2.1): each query
  // attends to the index_topk keys a lightning indexer selects; 0 = dense.
  std::int64_t sparse_topk = 0;
  // The lightning indexer (DeepSeek-V3.2 inference/model.py, class Indexer):
  // wq_b (q_lora_rank -> n_heads*head_dim), wk (d -> head_dim), k_norm
  // LayerNorm(head_dim), weights_proj (d -> n_heads). 0 heads = none.
  std::int64_t indexer_heads = 0;
  std::int64_t indexer_head_dim = 0;

  // Width of one head's query/key and value vectors, used by the score FLOPs.
  std::int64_t qk_head_dim() const {
    return kind == AttentionKind::mla ? qk_nope_head_dim + qk_rope_head_dim : head_dim;
  }
  std::int64_t v_dim() const { return kind == AttentionKind::mla ? v_head_dim : head_dim; }
};

// One feed-forward block: a dense MLP or one expert.
struct MlpSpec {
  std::int64_t width = 0;  // intermediate size
  bool gated = true;       // SwiGLU/GeGLU: 3 matrices; GeLU/ReLU: 2
  bool bias = false;
};

struct MoeSpec {
  std::int64_t num_experts = 0;  // routed experts
  std::int64_t top_k = 0;        // routed experts per token
  MlpSpec expert;
  std::int64_t num_shared = 0;   // always-active shared experts
  MlpSpec shared;
  bool shared_gate = false;      // Qwen2-MoE: a d->1 sigmoid gate on the shared expert
  bool router_bias = false;      // router linear has a bias (gpt-oss)
  bool router_correction_bias = false;  // DeepSeek-V3 aux-loss-free e_score_correction_bias
  // Latent MoE (Nemotron 3 Super, config moe_latent_size): routed experts run in a
  // latent width r; a d -> r projection before and r -> d after them are shared
  // by all experts. 0 = experts take the hidden size.
  std::int64_t latent_size = 0;
  // Group-limited routing: a token's experts come from at most this many of
  // `routing_groups` expert groups (DeepSeek topk_group of n_group; V3 maps
  // groups to nodes, M = 4). 0 = unrestricted. No parameters; used by the
  // all-to-all model.
  std::int64_t routing_group_limit = 0;
  std::int64_t routing_groups = 0;
};

// Mamba-2 mixer (Dao & Gu 2024, arXiv:2405.21060 §7, Fig. 6 "parallel Mamba
// block"), as transformers NemotronHMamba2Mixer lays it out: in_proj
// d -> 2*d_inner + 2*G*N + H, depthwise conv1d over d_inner + 2*G*N channels,
// dt_bias/A_log/D per head, gated RMSNorm over d_inner, out_proj d_inner -> d.
struct Mamba2Spec {
  std::int64_t num_heads = 0;     // H (mamba_num_heads)
  std::int64_t head_dim = 0;      // P (mamba_head_dim); d_inner = H*P
  std::int64_t state_size = 0;    // N (ssm_state_size)
  std::int64_t n_groups = 1;      // G: groups sharing B and C
  std::int64_t conv_kernel = 4;
  bool conv_bias = true;
  bool proj_bias = false;
  std::int64_t chunk_size = 128;  // SSD chunk length Q
  std::int64_t inner() const { return num_heads * head_dim; }
  std::int64_t conv_channels() const { return inner() + 2 * n_groups * state_size; }
};

// Gated DeltaNet mixer (Yang, Kautz & Hatamizadeh 2024, arXiv:2412.06464), as
// transformers Qwen3NextGatedDeltaNet lays it out: in_proj_qkvz
// d -> 2*key_dim + 2*value_dim, in_proj_ba d -> 2*H_v, depthwise conv1d over
// 2*key_dim + value_dim channels (no bias), dt_bias and A_log per value head,
// gated RMSNorm(head_v_dim), out_proj value_dim -> d.
struct DeltaNetSpec {
  std::int64_t num_k_heads = 0, num_v_heads = 0;
  std::int64_t k_head_dim = 0, v_head_dim = 0;
  std::int64_t conv_kernel = 4;
  std::int64_t chunk_size = 64;  // chunkwise-parallel training chunk (flash-linear-attention default 64)
  std::int64_t key_dim() const { return num_k_heads * k_head_dim; }
  std::int64_t value_dim() const { return num_v_heads * v_head_dim; }
};

// Mamba-1 selective-SSM mixer (Gu & Dao 2023, arXiv:2312.00752 §3), as transformers
// JambaMambaMixer lays it out: in_proj d -> 2*d_inner, depthwise conv1d over d_inner,
// x_proj d_inner -> dt_rank + 2N, dt_proj dt_rank -> d_inner (with bias), A_log
// d_inner x N, D d_inner, out_proj d_inner -> d; Jamba adds RMSNorms on dt, B and C.
struct Mamba1Spec {
  std::int64_t inner = 0;       // d_inner = mamba_expand * d
  std::int64_t state_size = 0;  // N (mamba_d_state)
  std::int64_t dt_rank = 0;     // mamba_dt_rank
  std::int64_t conv_kernel = 4;
  bool conv_bias = true;
  bool proj_bias = false;
  bool dt_bc_norms = true;      // Jamba's dt_layernorm, b_layernorm, c_layernorm
};

// What mixes tokens in a layer: softmax attention (`attn`), a Mamba-1 or Mamba-2
// SSM, a Gated DeltaNet, or nothing (a Nemotron-H MLP-only or MoE-only layer).
enum class MixerKind { attention, mamba1, mamba2, gated_deltanet, none };

struct LayerSpec {
  MixerKind mixer = MixerKind::attention;
  AttentionSpec attn;  // read only when mixer == attention
  std::optional<Mamba2Spec> mamba;
  std::optional<Mamba1Spec> mamba1;
  std::optional<DeltaNetSpec> deltanet;
  bool has_ssm() const { return mamba || mamba1 || deltanet; }  // a recurrent (SSM / linear-attention) mixer
  std::optional<MlpSpec> dense;  // a dense FFN (or a dense residual branch beside the MoE)
  std::optional<MoeSpec> moe;
  std::int64_t norm_params = 0;  // learnable weights of the block's norms (not Q/K norms)
};

// DeepSeek-V3 multi-token prediction module (report §2.2): a transformer
// block, a projection M_k in R^{d x 2d}, and norms. Embedding and output head
// are shared with the main model.
struct MtpModule {
  LayerSpec block;
  std::int64_t projection_params = 0;  // 2 d^2
  std::int64_t norm_params = 0;        // enorm + hnorm + final norm
};

struct ModelSpec {
  std::string name;    // preset name or file stem
  std::string family;  // HF model_type or "traincost.model.v1"
  std::int64_t hidden_size = 0;
  std::int64_t vocab_size = 0;
  bool tie_word_embeddings = false;
  bool lm_head_bias = false;
  std::int64_t learned_position_embeddings = 0;  // rows of a learned absolute position table
  std::int64_t embedding_norm_params = 0;        // a norm right after the embedding (BLOOM)
  std::int64_t final_norm_params = 0;
  std::int64_t max_position_embeddings = 0;       // 0 = unknown
  std::vector<LayerSpec> layers;
  std::vector<MtpModule> mtp;
  // A hybrid layer pattern (Nemotron-H): a layer may hold only a mixer or only an FFN.
  bool hybrid = false;
  std::vector<std::string> warnings;  // non-fatal notes from loading (e.g. generic fallback)

  bool has_attention() const {
    for (const auto& l : layers)
      if (l.mixer == MixerKind::attention) return true;
    return false;
  }
  // The first softmax-attention layer (for summaries); nullptr if there is none.
  const AttentionSpec* first_attention() const {
    for (const auto& l : layers)
      if (l.mixer == MixerKind::attention) return &l.attn;
    return nullptr;
  }
  bool is_moe() const {
    for (const auto& l : layers)
      if (l.moe) return true;
    return false;
  }
  std::int64_t num_layers() const { return static_cast<std::int64_t>(layers.size()); }
  std::int64_t num_moe_layers() const;
  // The MoE settings of the first MoE layer (for summaries); nullptr if dense.
  const MoeSpec* first_moe() const;
};

// The width an expert's GEMMs read and write: the latent size or d.
inline std::int64_t expert_io_width(const MoeSpec& m, std::int64_t hidden) {
  return m.latent_size > 0 ? m.latent_size : hidden;
}

// Checks cross-field consistency (top-k <= experts, heads divide, ...).
// Throws InputError naming `where` and the field.
void validate(const ModelSpec& spec, const std::string& where);

}  // namespace traincost
