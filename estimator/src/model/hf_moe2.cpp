// MoE (and one dense) Hugging Face families released in 2025. Layer names and
// defaults from the transformers modeling/configuration files cited inline.
#include <fmt/format.h>

#include "hf_families.hpp"

namespace traincost::hf {

namespace {
MoeSpec routed(const JsonContext& c, const char* experts_key, const char* width_key, const char* topk_key) {
  MoeSpec m;
  m.num_experts = c.get_int(experts_key, 1, kMaxExperts);
  m.top_k = c.get_int(topk_key, 1, kMaxExperts);
  if (m.top_k > m.num_experts)
    c.fail(topk_key, fmt::format("= {} must be <= {} ({})", m.top_k, experts_key, m.num_experts));
  m.expert = MlpSpec{c.get_int(width_key, 1, kMaxWidth), true, false};
  return m;
}

// A per-layer list (Hunyuan writes moe_topk, moe_intermediate_size, num_shared_expert
// as one entry per layer) whose entries must all be equal: the value, else an error.
std::int64_t uniform(const JsonContext& c, const char* key, std::int64_t layers, std::int64_t min, std::int64_t max) {
  const auto& v = c.obj.at(key);
  if (!v.is_array()) return c.get_int(key, min, max);
  if (static_cast<std::int64_t>(v.size()) != layers) c.fail(key, fmt::format("must list {} values (one per layer)", layers));
  for (const auto& e : v)
    if (!e.is_number_integer() || e != v.front() || e.get<std::int64_t>() < min || e.get<std::int64_t>() > max)
      c.fail(key, fmt::format("entries must be equal whole numbers in {}..{} (per-layer differences are not modelled)", min, max));
  return v.front().get<std::int64_t>();
}
}  // namespace

// GLM-4.5 / 4.6 (zai-org; transformers glm4_moe): Q/K/V biases (attention_bias), no
// o_proj bias, optional per-head QK RMSNorm (use_qk_norm), the first
// first_k_dense_replace layers dense, then n_routed_experts of moe_intermediate_size
// with n_shared_experts shared ones (one MLP of n_shared x moe_intermediate_size),
// a router with e_score_correction_bias, and num_nextn_predict_layers MTP layers.
ModelSpec glm4_moe(const JsonContext& c) {
  ModelSpec s = llama_like(c, {});
  const bool bias = c.get_bool_or("attention_bias", false);
  const bool qk_norm = c.get_bool_or("use_qk_norm", false);
  MoeSpec m = routed(c, "n_routed_experts", "moe_intermediate_size", "num_experts_per_tok");
  m.num_shared = c.get_int_or("n_shared_experts", 0, 0, kMaxExperts);
  m.shared = m.expert;
  m.router_correction_bias = true;  // Glm4MoeTopkRouter.e_score_correction_bias
  const std::int64_t first_dense = c.get_int_or("first_k_dense_replace", 0, 0, s.num_layers());
  for (std::int64_t i = 0; i < s.num_layers(); ++i) {
    auto& l = s.layers[i];
    l.attn.qkv_bias = bias;
    l.attn.o_bias = false;
    l.attn.qk_norm_params = qk_norm ? 2 * l.attn.head_dim : 0;
    if (i >= first_dense) {
      l.dense.reset();
      l.moe = m;
    }
  }
  const std::int64_t mtp = c.get_int_or("num_nextn_predict_layers", 0, 0, 64);
  for (std::int64_t i = 0; i < mtp; ++i)
    s.mtp.push_back(MtpModule{s.layers.back(), 2 * s.hidden_size * s.hidden_size, 3 * rms(s.hidden_size)});
  return s;
}

// MiniMax-M2 (transformers minimax_m2): every layer MoE with num_local_experts of
// width intermediate_size (MiniMaxM2SparseMoeBlock), router with e_score_correction_bias
// (use_routing_bias), QK RMSNorm over all heads' q and k (qk_norm_type "per_layer":
// q_norm of num_heads*head_dim, k_norm of num_kv_heads*head_dim), no biases. The MTP
// modules (use_mtp, num_mtp_modules) are not in the published checkpoint and are not counted.
ModelSpec minimax_m2(const JsonContext& c) {
  ModelSpec s = llama_like(c, {});
  MoeSpec m = routed(c, "num_local_experts", "intermediate_size", "num_experts_per_tok");
  m.router_correction_bias = c.get_bool_or("use_routing_bias", true);
  if (c.get_int_or("shared_intermediate_size", 0, 0, kMaxWidth) > 0)
    c.fail("shared_intermediate_size", "> 0: MiniMax-M2 shared experts are not modelled");
  const bool qk_norm = c.get_bool_or("use_qk_norm", true);
  const std::string norm_type = c.opt_string("qk_norm_type").value_or("per_layer");
  if (qk_norm && norm_type != "per_layer") c.fail("qk_norm_type", "only \"per_layer\" is modelled");
  for (auto& l : s.layers) {
    l.dense.reset();
    l.moe = m;
    if (qk_norm) l.attn.qk_norm_params = (l.attn.num_heads + l.attn.num_kv_heads) * l.attn.head_dim;
  }
  if (c.get_bool_or("use_mtp", false))
    s.warnings.push_back("MiniMax-M2: the MTP modules (use_mtp) are not counted (they are not in the published weights)");
  return s;
}

// Hunyuan-A13B (Tencent-Hunyuan/Hunyuan-A13B models/modeling_hunyuan.py): GQA with
// attention_head_dim, per-head QK RMSNorm (use_qk_norm: query_layernorm,
// key_layernorm), every layer MoE with num_experts of moe_intermediate_size, top
// moe_topk, plus num_shared_expert shared MLPs of intermediate_size
// (use_mixed_mlp_moe), router wg d x E without bias.
ModelSpec hunyuan_moe(const JsonContext& c) {
  const Dims d = read_dims(c);
  ModelSpec s;
  fill_common(s, c, d, true);
  s.final_norm_params = rms(d.hidden);
  if (c.get_bool_or("use_mla", false)) c.fail("use_mla", "Hunyuan with MLA is not modelled");
  if (c.get_bool_or("use_cla", false)) c.fail("use_cla", "cross-layer attention (use_cla) is not modelled");
  if (c.get_int_or("moe_layer_num_skipped", 0, 0, d.layers) != 0)
    c.fail("moe_layer_num_skipped", "dense layers before the MoE ones are not modelled");
  AttentionSpec a = read_attention(c, d.hidden);
  if (c.has("attention_head_dim")) a.head_dim = c.get_int("attention_head_dim", 1, kMaxWidth);
  a.qkv_bias = a.o_bias = c.get_bool_or("attention_bias", false);
  if (c.get_bool_or("use_qk_norm", false)) a.qk_norm_params = 2 * a.head_dim;
  MoeSpec m;
  m.num_experts = c.get_int("num_experts", 1, kMaxExperts);
  m.top_k = uniform(c, "moe_topk", d.layers, 1, m.num_experts);
  m.expert = MlpSpec{uniform(c, "moe_intermediate_size", d.layers, 1, kMaxWidth), true, c.get_bool_or("mlp_bias", false)};
  if (c.get_bool_or("use_mixed_mlp_moe", false)) {
    m.num_shared = uniform(c, "num_shared_expert", d.layers, 0, kMaxExperts);
    m.shared = MlpSpec{c.get_int("intermediate_size", 1, kMaxWidth), true, m.expert.bias};
  }
  for (std::int64_t i = 0; i < d.layers; ++i) {
    LayerSpec l;
    l.attn = a;
    l.moe = m;
    l.norm_params = 2 * rms(d.hidden);
    s.layers.push_back(l);
  }
  return s;
}

// Gemma 3 (transformers gemma3; Gemma 3 technical report, arXiv:2503.19786 §2): the
// text model in text_config of the multimodal wrapper (the SigLIP vision tower is
// not counted), GeGLU MLP, four RMSNorms per block (input, post-attention,
// pre- and post-feedforward), per-head QK RMSNorm, tied embeddings, and local
// sliding-window layers interleaved 5:1 with global ones (layer_types, or
// sliding_window_pattern, default 6: every 6th layer global). Gemma3TextConfig
// defaults: vocab_size 262208, head_dim 256, sliding_window 4096.
ModelSpec gemma3(const JsonContext& outer) {
  const JsonContext c = outer.has("text_config") ? outer.child("text_config") : outer;
  Keys k;
  const Dims d{c.get_int(k.hidden, 1, kMaxHidden), c.get_int(k.layers, 1, kMaxLayers),
               c.get_int_or(k.vocab, 262208, 1, kMaxVocab)};
  ModelSpec s;
  fill_common(s, c, d, true);
  s.final_norm_params = rms(d.hidden);
  AttentionSpec a = read_attention(c, d.hidden);
  if (!c.has("head_dim")) a.head_dim = 256;
  a.qkv_bias = a.o_bias = c.get_bool_or("attention_bias", false);
  a.qk_norm_params = 2 * a.head_dim;
  const MlpSpec mlp{c.get_int("intermediate_size", 1, kMaxWidth), true, false};  // gate, up, down (GeGLU)
  add_dense_layers(s, d.layers, a, mlp, 4 * rms(d.hidden));
  const std::int64_t window = c.get_int_or("sliding_window", 4096, 1, kMaxPositions);
  if (c.has("layer_types")) {
    apply_layer_types(s, c, window);
  } else {
    const std::int64_t pattern = c.get_int_or("sliding_window_pattern", 6, 1, kMaxLayers);
    for (std::int64_t i = 0; i < d.layers; ++i) s.layers[i].attn.sliding_window = (i + 1) % pattern != 0 ? window : 0;
  }
  return s;
}

}  // namespace traincost::hf
