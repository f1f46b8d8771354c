// DeepSeek-V2 / V3 (and R1, same architecture): multi-head latent attention,
// fine-grained routed experts plus shared experts, the first
// first_k_dense_replace layers dense, and (V3) multi-token prediction modules.
// Sources: DeepSeek-V3 report §2.1–2.2; deepseek-ai/DeepSeek-V3 inference/model.py;
// research formulas §1.1–1.2.
#include <fmt/format.h>

#include "hf_families.hpp"

namespace traincost::hf {

ModelSpec deepseek(const JsonContext& c) {
  const Dims d = read_dims(c);
  ModelSpec s;
  fill_common(s, c, d, false);
  s.final_norm_params = rms(d.hidden);

  AttentionSpec a;
  a.num_heads = c.get_int("num_attention_heads", 1, kMaxHeads);
  if (c.has("kv_lora_rank")) {
    a.kind = AttentionKind::mla;
    a.q_lora_rank = c.get_int_or("q_lora_rank", 0, 0, kMaxWidth);  // null: no Q compression (V2-Lite)
    a.kv_lora_rank = c.get_int("kv_lora_rank", 1, kMaxWidth);
    a.qk_nope_head_dim = c.get_int("qk_nope_head_dim", 0, kMaxWidth);
    a.qk_rope_head_dim = c.get_int("qk_rope_head_dim", 0, kMaxWidth);
    a.v_head_dim = c.get_int("v_head_dim", 1, kMaxWidth);
  } else {
    a = read_attention(c, d.hidden);  // DeepSeek-MoE 16B / V1-style MHA
  }
  a.qkv_bias = a.o_bias = c.get_bool_or("attention_bias", false);
  // DeepSeek-V3.2 DSA: a lightning indexer of index_n_heads x index_head_dim picks
  // index_topk keys per query (DeepSeek-V3.2 config.json; inference/model.py Indexer).
  if (c.has("index_n_heads")) {
    if (a.kind != AttentionKind::mla) c.fail("index_n_heads", "the DSA indexer needs MLA (kv_lora_rank)");
    a.indexer_heads = c.get_int("index_n_heads", 1, kMaxHeads);
    a.indexer_head_dim = c.get_int("index_head_dim", 1, kMaxWidth);
    a.sparse_topk = c.get_int("index_topk", 1, kMaxPositions);
  }

  const MlpSpec dense{c.get_int("intermediate_size", 1, kMaxWidth), true, false};
  std::optional<MoeSpec> moe;
  std::int64_t first_dense = 0, freq = 1;
  if (c.has("n_routed_experts")) {
    MoeSpec m;
    m.num_experts = c.get_int("n_routed_experts", 1, kMaxExperts);
    m.top_k = c.get_int("num_experts_per_tok", 1, kMaxExperts);
    if (m.top_k > m.num_experts)
      c.fail("num_experts_per_tok", fmt::format("= {} must be <= n_routed_experts ({})", m.top_k, m.num_experts));
    m.expert = MlpSpec{c.get_int("moe_intermediate_size", 1, kMaxWidth), true, false};
    m.num_shared = c.get_int_or("n_shared_experts", 0, 0, kMaxExperts);
    m.shared = m.expert;  // shared experts have the routed width (model.py: n_shared_experts * moe_inter_dim)
    // Auxiliary-loss-free balancing keeps a learned per-expert bias (V3 report §2.1.2).
    m.router_correction_bias = c.opt_string("topk_method").value_or("") == "noaux_tc";
    const std::int64_t groups = c.get_int_or("n_group", 0, 0, kMaxExperts);
    if (groups > 1) {
      // Group-limited routing splits the experts into n_group equal groups (DeepSeek-V2 §2.1.3).
      if (m.num_experts % groups != 0)
        c.fail("n_group", fmt::format("= {} must divide the routed experts ({}) into equal groups", groups, m.num_experts));
      m.routing_groups = groups;
      m.routing_group_limit = c.get_int_or("topk_group", groups, 1, groups);
    }
    moe = m;
    first_dense = c.get_int_or("first_k_dense_replace", 0, 0, d.layers);
    freq = c.get_int_or("moe_layer_freq", 1, 1, kMaxLayers);
  }
  for (std::int64_t i = 0; i < d.layers; ++i) {
    LayerSpec l;
    l.attn = a;
    if (moe && i >= first_dense && i % freq == 0)
      l.moe = moe;
    else
      l.dense = dense;
    l.norm_params = 2 * rms(d.hidden);
    s.layers.push_back(l);
  }
  // MTP: each module is one more block of the last layer's type, a projection
  // M_k in R^{d x 2d}, and enorm + hnorm + its own final norm.
  const std::int64_t mtp = c.get_int_or("num_nextn_predict_layers", 0, 0, 64);
  for (std::int64_t i = 0; i < mtp; ++i)
    s.mtp.push_back(MtpModule{s.layers.back(), 2 * d.hidden * d.hidden, 3 * rms(d.hidden)});
  return s;
}

}  // namespace traincost::hf
