#include "hf_common.hpp"

#include <fmt/format.h>

namespace traincost::hf {

Dims read_dims(const JsonContext& c, const Keys& k) {
  Dims d;
  d.hidden = c.get_int(k.hidden, 1, kMaxHidden);
  d.layers = c.get_int(k.layers, 1, kMaxLayers);
  d.vocab = c.get_int(k.vocab, 1, kMaxVocab);
  return d;
}

AttentionSpec read_attention(const JsonContext& c, std::int64_t hidden, const Keys& k) {
  AttentionSpec a;
  a.num_heads = c.get_int(k.heads, 1, kMaxHeads);
  a.num_kv_heads = c.get_int_or(k.kv_heads, a.num_heads, 1, kMaxHeads);
  if (a.num_kv_heads > a.num_heads)
    c.fail(k.kv_heads, fmt::format("= {} must be <= {} ({})", a.num_kv_heads, k.heads, a.num_heads));
  if (c.has("head_dim")) {
    a.head_dim = c.get_int("head_dim", 1, kMaxWidth);
  } else {
    if (hidden % a.num_heads != 0)
      c.fail(k.heads, fmt::format("= {} does not divide the hidden size {} and no head_dim is given",
                                  a.num_heads, hidden));
    a.head_dim = hidden / a.num_heads;
  }
  return a;
}

bool is_gated_activation(const JsonContext& c, bool fallback) {
  auto act = c.opt_string("hidden_act");
  if (!act) return fallback;
  // silu/swish in a llama-style MLP means SwiGLU (gate, up, down).
  if (*act == "silu" || *act == "swish" || *act == "swiglu" || *act == "geglu") return true;
  if (act->rfind("gelu", 0) == 0 || *act == "relu" || *act == "relu2") return false;
  return fallback;
}

void fill_common(ModelSpec& s, const JsonContext& c, const Dims& d, bool tie_default) {
  s.hidden_size = d.hidden;
  s.vocab_size = d.vocab;
  s.tie_word_embeddings = c.get_bool_or("tie_word_embeddings", tie_default);
  s.max_position_embeddings = c.get_int_or("max_position_embeddings", 0, 0, kMaxPositions);
}

std::int64_t read_sliding_window(const JsonContext& c) {
  return c.get_int_or("sliding_window", 0, 0, kMaxPositions);
}

void apply_layer_types(ModelSpec& s, const JsonContext& c, std::int64_t window) {
  if (!c.has("layer_types")) return;
  const auto& v = c.obj.at("layer_types");
  if (!v.is_array() || static_cast<std::int64_t>(v.size()) != s.num_layers())
    c.fail("layer_types", fmt::format("must be a list of {} strings (one per layer)", s.num_layers()));
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool sliding = v[i] == "sliding_attention";
    if (!sliding && v[i] != "full_attention")
      c.fail("layer_types", fmt::format("entry {} is {}; allowed here: \"full_attention\", \"sliding_attention\"", i, v[i].dump()));
    s.layers[i].attn.sliding_window = sliding ? window : 0;
  }
}

void add_dense_layers(ModelSpec& s, std::int64_t n, const AttentionSpec& a, const MlpSpec& mlp, std::int64_t norm_params) {
  LayerSpec l;
  l.attn = a;
  l.dense = mlp;
  l.norm_params = norm_params;
  s.layers.insert(s.layers.end(), static_cast<std::size_t>(n), l);
}

}  // namespace traincost::hf
