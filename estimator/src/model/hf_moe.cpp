// Mixture-of-experts Hugging Face families. Which layers are MoE follows each
// family's rule in research formulas §1.2 (transformers configuration files).
#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "hf_families.hpp"

namespace traincost::hf {

namespace {

MoeSpec read_moe(const JsonContext& c, const char* experts_key, const char* width_key) {
  MoeSpec m;
  m.num_experts = c.get_int(experts_key, 1, kMaxExperts);
  m.top_k = c.get_int("num_experts_per_tok", 1, kMaxExperts);
  if (m.top_k > m.num_experts)
    c.fail("num_experts_per_tok", fmt::format("= {} must be <= {} ({})", m.top_k, experts_key, m.num_experts));
  m.expert = MlpSpec{c.get_int(width_key, 1, kMaxWidth), is_gated_activation(c, true), false};
  return m;
}

void all_layers_moe(ModelSpec& s, const MoeSpec& m) {
  for (auto& l : s.layers) {
    l.dense.reset();
    l.moe = m;
  }
}

std::vector<std::int64_t> int_list(const JsonContext& c, const std::string& key, std::int64_t max) {
  std::vector<std::int64_t> out;
  if (!c.has(key)) return out;
  const auto& v = c.obj.at(key);
  if (!v.is_array()) c.fail(key, "must be a list of layer indices");
  for (const auto& e : v) {
    if (!e.is_number_integer() || e.get<std::int64_t>() < 0 || e.get<std::int64_t>() >= max)
      c.fail(key, fmt::format("entries must be layer indices in 0..{}", max - 1));
    out.push_back(e.get<std::int64_t>());
  }
  return out;
}

bool contains(const std::vector<std::int64_t>& v, std::int64_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Qwen2-MoE / Qwen3-MoE: layer i is sparse iff i is not in mlp_only_layers,
// num_experts > 0 and (i + 1) % decoder_sparse_step == 0.
void qwen_sparse_layers(ModelSpec& s, const JsonContext& c, const MoeSpec& m) {
  const std::int64_t step = c.get_int_or("decoder_sparse_step", 1, 1, kMaxLayers);
  const auto mlp_only = int_list(c, "mlp_only_layers", s.num_layers());
  for (std::int64_t i = 0; i < s.num_layers(); ++i) {
    if (contains(mlp_only, i) || (i + 1) % step != 0) continue;
    s.layers[i].dense.reset();
    s.layers[i].moe = m;
  }
}

}  // namespace

// Mixtral (Jiang et al. 2024): every layer is MoE, experts are SwiGLU of
// width intermediate_size, router d x E without bias.
ModelSpec mixtral(const JsonContext& c) {
  ModelSpec s = llama_like(c, {.sliding_window_key = true});
  all_layers_moe(s, read_moe(c, "num_local_experts", "intermediate_size"));
  return s;
}

// PhiMoE (Phi-3.5-MoE): Mixtral layout with LayerNorms and optional biases on
// attention and the LM head.
ModelSpec phimoe(const JsonContext& c) {
  ModelSpec s = mixtral(c);
  for (auto& l : s.layers) l.norm_params = 2 * layer_norm(s.hidden_size);
  s.final_norm_params = layer_norm(s.hidden_size);
  s.lm_head_bias = c.get_bool_or("lm_head_bias", false);
  return s;
}

// OLMoE (Muennighoff et al. 2024): QK-norm over the full projections, 64
// experts of width intermediate_size in every layer.
ModelSpec olmoe(const JsonContext& c) {
  ModelSpec s = llama_like(c, {.qk_norm_full = true});
  all_layers_moe(s, read_moe(c, "num_experts", "intermediate_size"));
  return s;
}

// Qwen2-MoE: Q/K/V biases; one shared expert of shared_expert_intermediate_size
// with a d->1 sigmoid gate.
ModelSpec qwen2_moe(const JsonContext& c) {
  LlamaOptions o{.sliding_window_key = true, .use_sliding_window_flag = "use_sliding_window"};
  o.qkv_bias_always = c.get_bool_or("qkv_bias", true);
  ModelSpec s = llama_like(c, o);
  MoeSpec m = read_moe(c, "num_experts", "moe_intermediate_size");
  const std::int64_t shared = c.get_int_or("shared_expert_intermediate_size", 0, 0, kMaxWidth);
  if (shared > 0) {
    m.num_shared = 1;
    m.shared = MlpSpec{shared, true, false};
    m.shared_gate = true;
  }
  qwen_sparse_layers(s, c, m);
  return s;
}

// Qwen3-MoE: per-head QK-norm, no shared experts.
ModelSpec qwen3_moe(const JsonContext& c) {
  ModelSpec s = llama_like(c, {.qk_norm_per_head = true, .sliding_window_key = true,
                               .use_sliding_window_flag = "use_sliding_window"});
  qwen_sparse_layers(s, c, read_moe(c, "num_experts", "moe_intermediate_size"));
  return s;
}

// Granite-MoE (IBM Granite 3.0): every layer MoE; granitemoeshared adds one
// shared expert of shared_intermediate_size.
ModelSpec granitemoe(const JsonContext& c) {
  ModelSpec s = llama_like(c, {});
  MoeSpec m = read_moe(c, "num_local_experts", "intermediate_size");
  const std::int64_t shared = c.get_int_or("shared_intermediate_size", 0, 0, kMaxWidth);
  if (shared > 0) {
    m.num_shared = 1;
    m.shared = MlpSpec{shared, true, false};
  }
  all_layers_moe(s, m);
  return s;
}

// gpt-oss (OpenAI 2025): biased attention with a learned sink per head,
// alternating sliding/full attention (layer_types), experts with biases
// (gate_up_proj_bias 2F, down_proj_bias d), router with bias.
ModelSpec gpt_oss(const JsonContext& c) {
  ModelSpec s = llama_like(c, {});
  // GptOssConfig defaults attention_bias to true (llama_like defaults it to false).
  const bool attn_bias = c.get_bool_or("attention_bias", true);
  for (auto& l : s.layers) l.attn.qkv_bias = l.attn.o_bias = attn_bias;
  MoeSpec m;
  m.num_experts = c.get_int("num_local_experts", 1, kMaxExperts);
  const char* k_key = c.has("num_experts_per_tok") ? "num_experts_per_tok" : "experts_per_token";
  m.top_k = c.get_int(k_key, 1, kMaxExperts);
  if (m.top_k > m.num_experts)
    c.fail(k_key, fmt::format("= {} must be <= num_local_experts ({})", m.top_k, m.num_experts));
  m.expert = MlpSpec{c.get_int("intermediate_size", 1, kMaxWidth), true, true};
  m.router_bias = true;
  all_layers_moe(s, m);
  const std::int64_t window = read_sliding_window(c);
  std::vector<std::string> types;
  if (c.has("layer_types")) {
    const auto& v = c.obj.at("layer_types");
    if (!v.is_array() || static_cast<std::int64_t>(v.size()) != s.num_layers())
      c.fail("layer_types", fmt::format("must be a list of {} strings", s.num_layers()));
    for (const auto& t : v) {
      if (!t.is_string()) c.fail("layer_types", "entries must be strings");
      types.push_back(t.get<std::string>());
    }
  }
  for (std::int64_t i = 0; i < s.num_layers(); ++i) {
    auto& a = s.layers[i].attn;
    a.sinks = true;
    // Without layer_types, gpt-oss alternates sliding (even) and full (odd) layers.
    const bool sliding = types.empty() ? (i % 2 == 0) : types[i] == "sliding_attention";
    a.sliding_window = sliding ? window : 0;
  }
  return s;
}

// Llama 4 text model: `text_config` when nested. MoE layers are moe_layers if
// given, else every interleave_moe_layer_step-th; MoE layers carry one shared
// expert of width intermediate_size, dense layers use intermediate_size_mlp.
// RoPE layers use chunked attention (attention_chunk_size); every 4th layer is
// NoPE with full attention unless no_rope_layers says otherwise.
ModelSpec llama4(const JsonContext& outer) {
  const JsonContext c = outer.has("text_config") ? outer.child("text_config") : outer;
  ModelSpec s = llama_like(c, {});
  const std::int64_t L = s.num_layers();
  MoeSpec m = read_moe(c, "num_local_experts", "intermediate_size");
  m.num_shared = 1;
  m.shared = m.expert;
  const MlpSpec dense{c.get_int_or("intermediate_size_mlp", m.expert.width, 1, kMaxWidth), true, false};
  std::vector<std::int64_t> moe_layers = int_list(c, "moe_layers", L);
  if (moe_layers.empty()) {
    const std::int64_t step = c.get_int_or("interleave_moe_layer_step", 1, 1, kMaxLayers);
    for (std::int64_t i = step - 1; i < L; i += step) moe_layers.push_back(i);
  }
  const std::int64_t chunk = c.get_int_or("attention_chunk_size", 0, 0, kMaxPositions);
  std::vector<std::int64_t> uses_rope;
  if (c.has("no_rope_layers")) {
    uses_rope = int_list(c, "no_rope_layers", 2);  // 1 = RoPE (chunked) layer, 0 = NoPE layer
    if (static_cast<std::int64_t>(uses_rope.size()) != L)
      c.fail("no_rope_layers", fmt::format("must list {} flags (one per layer)", L));
  }
  for (std::int64_t i = 0; i < L; ++i) {
    auto& l = s.layers[i];
    if (contains(moe_layers, i)) {
      l.dense.reset();
      l.moe = m;
    } else {
      l.dense = dense;
    }
    const bool rope = uses_rope.empty() ? ((i + 1) % 4 != 0) : uses_rope[i] != 0;
    l.attn.chunk_size = rope ? chunk : 0;
  }
  return s;
}

// DBRX (Databricks 2024): nested attn_config / ffn_config, LayerNorm without
// bias, 16 experts top-4 (GLU), untied head.
ModelSpec dbrx(const JsonContext& c) {
  Keys k;
  k.hidden = "d_model";
  k.layers = "n_layers";
  k.heads = "n_heads";
  const Dims d = read_dims(c, k);
  ModelSpec s;
  s.hidden_size = d.hidden;
  s.vocab_size = d.vocab;
  s.tie_word_embeddings = c.get_bool_or("tie_word_embeddings", false);
  if (s.tie_word_embeddings) c.fail("tie_word_embeddings", "must be false for DBRX");
  s.max_position_embeddings = c.get_int_or("max_seq_len", 0, 0, kMaxPositions);
  s.final_norm_params = rms(d.hidden);  // LayerNorm(bias=False): one weight vector
  const JsonContext attn = c.child("attn_config");
  const JsonContext ffn = c.child("ffn_config");
  AttentionSpec a;
  a.num_heads = c.get_int("n_heads", 1, kMaxHeads);
  a.num_kv_heads = attn.get_int_or("kv_n_heads", 1, 1, kMaxHeads);
  if (d.hidden % a.num_heads != 0) c.fail("n_heads", fmt::format("= {} must divide d_model ({})", a.num_heads, d.hidden));
  a.head_dim = d.hidden / a.num_heads;
  MoeSpec m;
  m.num_experts = ffn.get_int("moe_num_experts", 1, kMaxExperts);
  m.top_k = ffn.get_int("moe_top_k", 1, kMaxExperts);
  if (m.top_k > m.num_experts)
    ffn.fail("moe_top_k", fmt::format("= {} must be <= moe_num_experts ({})", m.top_k, m.num_experts));
  m.expert = MlpSpec{ffn.get_int("ffn_hidden_size", 1, kMaxWidth), true, false};
  for (std::int64_t i = 0; i < d.layers; ++i) {
    LayerSpec l;
    l.attn = a;
    l.moe = m;
    l.norm_params = 2 * d.hidden;
    s.layers.push_back(l);
  }
  return s;
}

}  // namespace traincost::hf
