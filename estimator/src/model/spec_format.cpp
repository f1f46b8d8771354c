// The project's own model format, "traincost.model.v1" (models/README.md),
// for models with no Hugging Face config.
#include <initializer_list>

#include <fmt/format.h>

#include "hf_common.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/util/error.hpp"

namespace traincost {


ModelSpec model_from_spec(const nlohmann::json& doc, const std::string& where) {
  using namespace hf;
  const JsonContext c{doc, where, ""};
  const std::string format = c.get_string("format");
  if (format != "traincost.model.v1")
    c.fail("format", fmt::format("= '{}' is not a known format (expected 'traincost.model.v1')", format));
  c.only_keys({"format", "name", "display_name", "description", "sources", "notes", "hidden_size",
                         "num_layers", "vocab_size", "tie_word_embeddings", "learned_position_embeddings",
                         "max_position_embeddings", "norm", "linear_bias", "attention", "ffn", "moe", "mtp_layers"});
  ModelSpec s;
  s.family = format;
  s.hidden_size = c.get_int("hidden_size", 1, kMaxHidden);
  const std::int64_t L = c.get_int("num_layers", 1, kMaxLayers);
  s.vocab_size = c.get_int("vocab_size", 1, kMaxVocab);
  s.tie_word_embeddings = c.get_bool_or("tie_word_embeddings", false);
  s.learned_position_embeddings = c.get_int_or("learned_position_embeddings", 0, 0, kMaxPositions);
  s.max_position_embeddings = c.get_int_or("max_position_embeddings", s.learned_position_embeddings, 0, kMaxPositions);

  const std::string norm = c.opt_string("norm").value_or("rmsnorm");
  std::int64_t norm_params = 0;
  if (norm == "rmsnorm") norm_params = rms(s.hidden_size);
  else if (norm == "layernorm") norm_params = layer_norm(s.hidden_size);
  else c.fail("norm", fmt::format("= '{}' must be 'rmsnorm' or 'layernorm'", norm));
  s.final_norm_params = norm_params;
  const bool bias = c.get_bool_or("linear_bias", false);

  const JsonContext ac = c.child("attention");
  ac.only_keys({"type", "num_heads", "num_kv_heads", "head_dim", "q_lora_rank", "kv_lora_rank",
                          "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim", "sliding_window"});
  AttentionSpec a;
  const std::string type = ac.get_string("type");
  a.num_heads = ac.get_int("num_heads", 1, kMaxHeads);
  if (type == "mla") {
    a.kind = AttentionKind::mla;
    a.q_lora_rank = ac.get_int_or("q_lora_rank", 0, 0, kMaxWidth);
    a.kv_lora_rank = ac.get_int("kv_lora_rank", 1, kMaxWidth);
    a.qk_nope_head_dim = ac.get_int("qk_nope_head_dim", 0, kMaxWidth);
    a.qk_rope_head_dim = ac.get_int("qk_rope_head_dim", 0, kMaxWidth);
    a.v_head_dim = ac.get_int("v_head_dim", 1, kMaxWidth);
  } else if (type == "mha" || type == "gqa" || type == "mqa") {
    const std::int64_t default_kv = type == "mqa" ? 1 : a.num_heads;
    // gqa has no default (models/README.md): without it the count would silently be MHA's.
    a.num_kv_heads = type == "gqa" ? ac.get_int("num_kv_heads", 1, kMaxHeads)
                                   : ac.get_int_or("num_kv_heads", default_kv, 1, kMaxHeads);
    if (type == "mha" && a.num_kv_heads != a.num_heads)
      ac.fail("num_kv_heads", fmt::format("= {} must equal num_heads ({}) for type 'mha'", a.num_kv_heads, a.num_heads));
    if (type == "mqa" && a.num_kv_heads != 1) ac.fail("num_kv_heads", "must be 1 for type 'mqa'");
    if (a.num_kv_heads > a.num_heads)
      ac.fail("num_kv_heads", fmt::format("= {} must be <= num_heads ({})", a.num_kv_heads, a.num_heads));
    if (a.num_heads % a.num_kv_heads != 0)
      ac.fail("num_kv_heads", fmt::format("= {} must divide num_heads ({})", a.num_kv_heads, a.num_heads));
    if (ac.has("head_dim")) {
      a.head_dim = ac.get_int("head_dim", 1, kMaxWidth);
    } else {
      if (s.hidden_size % a.num_heads != 0)
        ac.fail("num_heads", fmt::format("= {} does not divide hidden_size ({}); give head_dim", a.num_heads, s.hidden_size));
      a.head_dim = s.hidden_size / a.num_heads;
    }
  } else {
    ac.fail("type", fmt::format("= '{}' must be one of mha, gqa, mqa, mla", type));
  }
  a.qkv_bias = a.o_bias = bias;
  a.sliding_window = ac.get_int_or("sliding_window", 0, 0, kMaxPositions);

  const JsonContext fc = c.child("ffn");
  fc.only_keys({"activation", "intermediate_size"});
  const std::string act = fc.opt_string("activation").value_or("swiglu");
  bool gated = false;
  if (act == "swiglu" || act == "geglu") gated = true;
  else if (act != "gelu" && act != "relu")
    fc.fail("activation", fmt::format("= '{}' must be one of swiglu, geglu, gelu, relu", act));
  // intermediate_size is needed only if some layer is dense (checked below).
  const MlpSpec dense{fc.get_int_or("intermediate_size", 0, 0, kMaxWidth), gated, bias};

  std::optional<MoeSpec> moe;
  std::int64_t first_dense = 0, interval = 1;
  if (c.has("moe")) {
    const JsonContext mc = c.child("moe");
    mc.only_keys({"num_experts", "top_k", "expert_intermediate_size", "num_shared_experts",
                             "shared_intermediate_size", "first_dense_layers", "layer_interval"});
    MoeSpec m;
    m.num_experts = mc.get_int("num_experts", 1, kMaxExperts);
    m.top_k = mc.get_int("top_k", 1, kMaxExperts);
    if (m.top_k > m.num_experts)
      mc.fail("top_k", fmt::format("= {} must be <= num_experts ({})", m.top_k, m.num_experts));
    m.expert = MlpSpec{mc.get_int("expert_intermediate_size", 1, kMaxWidth), gated, bias};
    m.num_shared = mc.get_int_or("num_shared_experts", 0, 0, kMaxExperts);
    m.shared = MlpSpec{mc.get_int_or("shared_intermediate_size", m.expert.width, 1, kMaxWidth), gated, bias};
    first_dense = mc.get_int_or("first_dense_layers", 0, 0, L);
    interval = mc.get_int_or("layer_interval", 1, 1, L);
    moe = m;
  }
  for (std::int64_t i = 0; i < L; ++i) {
    LayerSpec l;
    l.attn = a;
    if (moe && i >= first_dense && (i - first_dense) % interval == 0) {
      l.moe = moe;
    } else {
      if (dense.width <= 0) fc.fail("intermediate_size", "is required (a whole number > 0): some layers are dense");
      l.dense = dense;
    }
    l.norm_params = 2 * norm_params;
    s.layers.push_back(l);
  }
  const std::int64_t mtp = c.get_int_or("mtp_layers", 0, 0, 64);
  for (std::int64_t i = 0; i < mtp; ++i)
    s.mtp.push_back(MtpModule{s.layers.back(), 2 * s.hidden_size * s.hidden_size, 3 * norm_params});
  validate(s, where);
  return s;
}

}  // namespace traincost
