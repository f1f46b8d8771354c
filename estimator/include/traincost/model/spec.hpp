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
  // Group-limited routing: a token's experts come from at most this many of
  // `routing_groups` expert groups (DeepSeek topk_group of n_group; V3 maps
  // groups to nodes, M = 4). 0 = unrestricted. No parameters; used by the
  // all-to-all model.
  std::int64_t routing_group_limit = 0;
  std::int64_t routing_groups = 0;
};

struct LayerSpec {
  AttentionSpec attn;
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
  std::vector<std::string> warnings;  // non-fatal notes from loading (e.g. generic fallback)

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

// Checks cross-field consistency (top-k <= experts, heads divide, ...).
// Throws InputError naming `where` and the field.
void validate(const ModelSpec& spec, const std::string& where);

}  // namespace traincost
