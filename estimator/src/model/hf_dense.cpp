// Dense Hugging Face families of the llama lineage and the older GPT-style
// families. Counting rules: research formulas §1.1; per-family layer names from
// the transformers modeling files cited inline.
#include "hf_families.hpp"

#include <fmt/format.h>

namespace traincost::hf {

// llama, mistral, granite, phi3, qwen2, qwen3, olmo2 and the generic fallback:
// RMSNorm before attention and MLP, gated MLP, optional biases.
ModelSpec llama_like(const JsonContext& c, const LlamaOptions& o) {
  const Dims d = read_dims(c);
  ModelSpec s;
  fill_common(s, c, d, false);
  s.final_norm_params = rms(d.hidden);
  const bool attn_bias = c.get_bool_or("attention_bias", false);
  const bool mlp_bias = c.get_bool_or("mlp_bias", false);
  AttentionSpec a = read_attention(c, d.hidden);
  a.qkv_bias = attn_bias || o.qkv_bias_always;
  a.o_bias = attn_bias;
  if (o.qk_norm_per_head) a.qk_norm_params = 2 * a.head_dim;  // Qwen3: RMSNorm(head_dim) on q and k
  if (o.qk_norm_full) a.qk_norm_params = (a.num_heads + a.num_kv_heads) * a.head_dim;  // OLMo2
  if (o.sliding_window_key) {
    bool use = o.use_sliding_window_flag == nullptr || c.get_bool_or(o.use_sliding_window_flag, false);
    if (use) a.sliding_window = read_sliding_window(c);
  }
  MlpSpec mlp{c.get_int("intermediate_size", 1, kMaxWidth), is_gated_activation(c, true), mlp_bias};
  add_dense_layers(s, d.layers, a, mlp, 2 * rms(d.hidden));
  return s;
}

// BLOOM (BigScience 2022): LayerNorm after the embedding, fused QKV with
// biases, 4h GeLU MLP with biases, tied head. Keys: n_embed, n_layer, n_head.
ModelSpec bloom(const JsonContext& c) {
  Keys k;
  k.hidden = c.has("n_embed") ? "n_embed" : "hidden_size";
  k.layers = c.has("n_layer") ? "n_layer" : "num_hidden_layers";
  k.heads = c.has("n_head") ? "n_head" : "num_attention_heads";
  const Dims d = read_dims(c, k);
  ModelSpec s;
  fill_common(s, c, d, true);
  s.embedding_norm_params = layer_norm(d.hidden);
  s.final_norm_params = layer_norm(d.hidden);
  AttentionSpec a = read_attention(c, d.hidden, k);
  a.num_kv_heads = a.num_heads;
  a.qkv_bias = a.o_bias = true;
  add_dense_layers(s, d.layers, a, MlpSpec{4 * d.hidden, false, true}, 2 * layer_norm(d.hidden));
  return s;
}

// GPT-NeoX (Black et al. 2022): LayerNorms, biased QKV/dense/MLP, untied embed_out.
ModelSpec gpt_neox(const JsonContext& c) {
  const Dims d = read_dims(c);
  ModelSpec s;
  fill_common(s, c, d, false);
  s.final_norm_params = layer_norm(d.hidden);
  AttentionSpec a = read_attention(c, d.hidden);
  a.num_kv_heads = a.num_heads;
  a.qkv_bias = a.o_bias = c.get_bool_or("attention_bias", true);
  const std::int64_t width = c.get_int_or("intermediate_size", 4 * d.hidden, 1, kMaxWidth);
  add_dense_layers(s, d.layers, a, MlpSpec{width, false, true}, 2 * layer_norm(d.hidden));
  return s;
}

// Falcon (TII 2023). new_decoder_architecture: grouped KV (num_kv_heads); the
// 7B-style multi_query layout has one KV head. FalconDecoderLayer norms: without
// parallel_attn, input_layernorm + post_attention_layernorm; with it, ln_attn +
// ln_mlp when num_ln_in_parallel_attn == 2 (its default under the new
// architecture), else a single input_layernorm (Falcon-7B, Falcon2-11B's
// num_ln_in_parallel_attn = 1).
ModelSpec falcon(const JsonContext& c) {
  Keys k;
  k.layers = c.has("n_layer") ? "n_layer" : "num_hidden_layers";
  k.heads = c.has("n_head") ? "n_head" : "num_attention_heads";
  // Legacy remote-code configs: "RefinedWeb" (Falcon-40B) is the grouped-KV
  // layout with n_head_kv; "RefinedWebModel" (Falcon-7B) is multi-query.
  k.kv_heads = c.has("n_head_kv") ? "n_head_kv" : "num_kv_heads";
  const Dims d = read_dims(c, k);
  ModelSpec s;
  fill_common(s, c, d, true);
  s.final_norm_params = layer_norm(d.hidden);
  const bool refined_web = c.opt_string("model_type").value_or("") == "RefinedWeb";
  const bool new_arch = c.get_bool_or("new_decoder_architecture", refined_web);
  const bool multi_query = c.get_bool_or("multi_query", true);
  const bool parallel = c.get_bool_or("parallel_attn", true);
  const bool bias = c.get_bool_or("bias", false);
  AttentionSpec a = read_attention(c, d.hidden, k);
  if (!new_arch) a.num_kv_heads = multi_query ? 1 : a.num_heads;
  a.qkv_bias = a.o_bias = bias;
  const std::int64_t width = c.get_int_or("ffn_hidden_size", 4 * d.hidden, 1, kMaxWidth);
  const std::int64_t ln_in_parallel = c.get_int_or("num_ln_in_parallel_attn", new_arch ? 2 : 1, 1, 2);
  const std::int64_t norms = parallel ? ln_in_parallel : 2;
  add_dense_layers(s, d.layers, a, MlpSpec{width, false, bias}, norms * layer_norm(d.hidden));
  return s;
}

// GPT-BigCode / StarCoder (Li et al. 2023): learned positions, multi-query
// attention, biases everywhere, tied head. Keys: n_embd, n_layer, n_head, n_inner.
ModelSpec gpt_bigcode(const JsonContext& c) {
  Keys k;
  k.hidden = "n_embd";
  k.layers = "n_layer";
  k.heads = "n_head";
  const Dims d = read_dims(c, k);
  ModelSpec s;
  fill_common(s, c, d, true);
  s.learned_position_embeddings = c.get_int("n_positions", 1, kMaxPositions);
  s.max_position_embeddings = s.learned_position_embeddings;
  s.final_norm_params = layer_norm(d.hidden);
  AttentionSpec a = read_attention(c, d.hidden, k);
  a.num_kv_heads = c.get_bool_or("multi_query", true) ? 1 : a.num_heads;
  a.qkv_bias = a.o_bias = true;
  const std::int64_t width = c.get_int_or("n_inner", 4 * d.hidden, 1, kMaxWidth);
  add_dense_layers(s, d.layers, a, MlpSpec{width, false, true}, 2 * layer_norm(d.hidden));
  return s;
}

}  // namespace traincost::hf
