// Hybrid layer patterns: Mamba-2 or Gated DeltaNet layers beside softmax
// attention, honoured layer by layer. Layer names from the transformers modeling
// files (NemotronH*, Qwen3Next*).
#include <algorithm>

#include <fmt/format.h>

#include "hf_families.hpp"

namespace traincost::hf {

namespace {
Mamba2Spec read_mamba2(const JsonContext& c, std::int64_t hidden) {
  Mamba2Spec m;
  m.num_heads = c.get_int("mamba_num_heads", 1, kMaxHeads);
  m.head_dim = c.get_int("mamba_head_dim", 1, kMaxWidth);
  m.state_size = c.get_int("ssm_state_size", 1, kMaxWidth);
  m.n_groups = c.get_int_or("n_groups", 1, 1, kMaxHeads);
  m.conv_kernel = c.get_int_or("conv_kernel", 4, 1, 1024);
  m.conv_bias = c.get_bool_or("use_conv_bias", true);
  m.proj_bias = c.get_bool_or("use_bias", false);  // NemotronHMamba2Mixer: in_proj/out_proj bias=config.use_bias
  m.chunk_size = c.get_int_or("chunk_size", 128, 1, kMaxPositions);
  // d_inner is mamba_num_heads x mamba_head_dim; the config's `expand` is not read
  // (NemotronHMamba2Mixer: intermediate_size = mamba_num_heads * mamba_head_dim;
  // Nemotron 3 Nano has expand 2 but 64 x 64 = 4096 != 2 x 2688).
  (void)hidden;
  return m;
}
}  // namespace

// Nemotron-H (NVIDIA 2025, arXiv:2504.03624) and Nemotron 3 (nemotron_h with MoE):
// one block per character of hybrid_override_pattern, each an RMSNorm and one mixer:
// 'M' Mamba-2, '*' self-attention, '-' MLP (up/down, relu2), 'E' MoE of
// n_routed_experts relu2 experts of moe_intermediate_size plus a shared one of
// moe_shared_expert_intermediate_size, router with e_score_correction_bias; with
// moe_latent_size, the routed experts run in that latent width (Nemotron 3 Super).
ModelSpec nemotron_h(const JsonContext& c) {
  const Dims d = read_dims(c);
  ModelSpec s;
  fill_common(s, c, d, false);
  s.final_norm_params = rms(d.hidden);  // norm_f
  s.hybrid = true;
  const std::string pattern = c.get_string("hybrid_override_pattern");
  if (static_cast<std::int64_t>(pattern.size()) != d.layers)
    c.fail("hybrid_override_pattern", fmt::format("has {} characters; num_hidden_layers is {}", pattern.size(), d.layers));
  AttentionSpec a = read_attention(c, d.hidden);
  if (c.has("attention_head_dim")) a.head_dim = c.get_int("attention_head_dim", 1, kMaxWidth);
  a.qkv_bias = a.o_bias = c.get_bool_or("attention_bias", false);
  const bool mlp_bias = c.get_bool_or("mlp_bias", false);
  const bool gated = false;  // NemotronHMLP is up_proj, act (relu2), down_proj: no gate
  std::optional<MoeSpec> moe;
  if (pattern.find('E') != std::string::npos) {
    MoeSpec m;
    m.num_experts = c.get_int("n_routed_experts", 1, kMaxExperts);
    m.top_k = c.get_int("num_experts_per_tok", 1, m.num_experts);
    m.expert = MlpSpec{c.get_int("moe_intermediate_size", 1, kMaxWidth), false, mlp_bias};
    m.num_shared = c.get_int_or("n_shared_experts", 0, 0, kMaxExperts) > 0 ? 1 : 0;
    if (m.num_shared > 0) m.shared = MlpSpec{c.get_int("moe_shared_expert_intermediate_size", 1, kMaxWidth), false, mlp_bias};
    m.router_correction_bias = true;  // NemotronHTopkRouter.e_score_correction_bias
    m.latent_size = c.get_int_or("moe_latent_size", 0, 0, kMaxWidth);
    const std::int64_t groups = c.get_int_or("n_group", 0, 0, kMaxExperts);
    if (groups > 1) {
      // Group-limited routing splits the experts into n_group equal groups (DeepSeek-V2 §2.1.3).
      if (m.num_experts % groups != 0)
        c.fail("n_group", fmt::format("= {} must divide the routed experts ({}) into equal groups", groups, m.num_experts));
      m.routing_groups = groups;
      m.routing_group_limit = c.get_int_or("topk_group", groups, 1, groups);
    }
    moe = m;
  }
  std::optional<Mamba2Spec> mamba;
  if (pattern.find('M') != std::string::npos) mamba = read_mamba2(c, d.hidden);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    LayerSpec l;
    l.norm_params = rms(d.hidden);
    l.mixer = MixerKind::none;
    switch (pattern[i]) {
      case 'M': l.mixer = MixerKind::mamba2; l.mamba = mamba; break;
      case '*': l.mixer = MixerKind::attention; l.attn = a; break;
      case '-': l.dense = MlpSpec{c.get_int("intermediate_size", 1, kMaxWidth), gated, mlp_bias}; break;
      case 'E': l.moe = moe; break;
      default:
        c.fail("hybrid_override_pattern", fmt::format("character {} is '{}'; allowed: M (Mamba-2), * (attention), "
                                                      "- (MLP), E (MoE)", i, pattern[i]));
    }
    s.layers.push_back(l);
  }
  if (c.get_int_or("num_nextn_predict_layers", 0, 0, 64) > 0)
    s.warnings.push_back("nemotron_h: the MTP layers (num_nextn_predict_layers, mtp_hybrid_override_pattern) are not counted");
  return s;
}

// Jamba (AI21 2024, arXiv:2403.19887 §2; transformers jamba): every layer an RMSNorm'd
// mixer and an RMSNorm'd FFN; the mixer is attention where
// i % attn_layer_period == attn_layer_offset, else Mamba-1; the FFN is an MoE of
// num_experts SwiGLU experts (router d x E, no bias) where
// i % expert_layer_period == expert_layer_offset, else a dense SwiGLU MLP.
// JambaConfig defaults: periods 8 / 2, offsets 4 / 1, mamba_d_state 16, mamba_d_conv 4,
// mamba_expand 2, mamba_dt_rank "auto" = ceil(hidden / 16), conv bias on, proj bias off.
ModelSpec jamba(const JsonContext& c) {
  ModelSpec s = llama_like(c, {});
  const std::int64_t L = s.num_layers(), d = s.hidden_size;
  const std::int64_t attn_period = c.get_int_or("attn_layer_period", 8, 1, kMaxLayers);
  const std::int64_t attn_offset = c.get_int_or("attn_layer_offset", 4, 0, attn_period - 1);
  const std::int64_t expert_period = c.get_int_or("expert_layer_period", 2, 1, kMaxLayers);
  const std::int64_t expert_offset = c.get_int_or("expert_layer_offset", 1, 0, expert_period - 1);
  Mamba1Spec m;
  m.inner = c.get_int_or("mamba_expand", 2, 1, 1024) * d;
  m.state_size = c.get_int_or("mamba_d_state", 16, 1, kMaxWidth);
  m.conv_kernel = c.get_int_or("mamba_d_conv", 4, 1, 1024);
  m.conv_bias = c.get_bool_or("mamba_conv_bias", true);
  m.proj_bias = c.get_bool_or("mamba_proj_bias", false);
  const bool auto_rank = !c.has("mamba_dt_rank") || c.obj.at("mamba_dt_rank") == "auto";
  m.dt_rank = auto_rank ? (d + 15) / 16 : c.get_int("mamba_dt_rank", 1, kMaxWidth);
  MoeSpec moe;
  const std::int64_t experts = c.get_int_or("num_experts", 16, 1, kMaxExperts);
  if (experts > 1) {
    moe.num_experts = experts;
    moe.top_k = c.get_int_or("num_experts_per_tok", 2, 1, experts);
    moe.expert = MlpSpec{c.get_int("intermediate_size", 1, kMaxWidth), true, false};
  }
  for (std::int64_t i = 0; i < L; ++i) {
    auto& l = s.layers[i];
    if (i % attn_period != attn_offset) {
      l.mixer = MixerKind::mamba1;
      l.mamba1 = m;
    }
    if (experts > 1 && i % expert_period == expert_offset) {
      l.dense.reset();
      l.moe = moe;
    }
  }
  return s;
}

// Qwen3-Next (Qwen 2025; transformers qwen3_next): layer_types, or every
// full_attention_interval-th layer full (gated) attention and the others Gated
// DeltaNet; gated attention's q_proj also emits an output gate; per-head QK
// RMSNorm; MoE as Qwen2-MoE (shared expert with a sigmoid gate) on the layers
// decoder_sparse_step and mlp_only_layers select.
ModelSpec qwen3_next(const JsonContext& c) {
  ModelSpec s = llama_like(c, {.qk_norm_per_head = true});
  const std::int64_t L = s.num_layers();
  std::vector<std::string> types;
  if (c.has("layer_types")) {
    const auto& v = c.obj.at("layer_types");
    if (!v.is_array() || static_cast<std::int64_t>(v.size()) != L)
      c.fail("layer_types", fmt::format("must be a list of {} strings (one per layer)", L));
    for (const auto& t : v) {
      if (t != "linear_attention" && t != "full_attention")
        c.fail("layer_types", fmt::format("{} is not one of \"linear_attention\", \"full_attention\"", t.dump()));
      types.push_back(t.get<std::string>());
    }
  } else {
    const std::int64_t interval = c.get_int_or("full_attention_interval", 4, 1, kMaxLayers);
    for (std::int64_t i = 0; i < L; ++i) types.push_back((i + 1) % interval == 0 ? "full_attention" : "linear_attention");
  }
  DeltaNetSpec g;
  g.num_k_heads = c.get_int("linear_num_key_heads", 1, kMaxHeads);
  g.num_v_heads = c.get_int("linear_num_value_heads", 1, kMaxHeads);
  g.k_head_dim = c.get_int("linear_key_head_dim", 1, kMaxWidth);
  g.v_head_dim = c.get_int("linear_value_head_dim", 1, kMaxWidth);
  g.conv_kernel = c.get_int_or("linear_conv_kernel_dim", 4, 1, 1024);
  MoeSpec m;
  const std::int64_t experts = c.get_int_or("num_experts", 0, 0, kMaxExperts);
  if (experts > 0) {
    m.num_experts = experts;
    m.top_k = c.get_int("num_experts_per_tok", 1, experts);
    m.expert = MlpSpec{c.get_int("moe_intermediate_size", 1, kMaxWidth), true, false};
    const std::int64_t shared = c.get_int_or("shared_expert_intermediate_size", 0, 0, kMaxWidth);
    if (shared > 0) {
      m.num_shared = 1;
      m.shared = MlpSpec{shared, true, false};
      m.shared_gate = true;
    }
  }
  const std::int64_t step = c.get_int_or("decoder_sparse_step", 1, 1, kMaxLayers);
  std::vector<std::int64_t> mlp_only;
  if (c.has("mlp_only_layers"))
    for (const auto& e : c.obj.at("mlp_only_layers")) {
      if (!e.is_number_integer() || e.get<std::int64_t>() < 0 || e.get<std::int64_t>() >= L)
        c.fail("mlp_only_layers", fmt::format("entries must be layer indices in 0..{}", L - 1));
      mlp_only.push_back(e.get<std::int64_t>());
    }
  for (std::int64_t i = 0; i < L; ++i) {
    auto& l = s.layers[i];
    if (types[i] == "linear_attention") {
      l.mixer = MixerKind::gated_deltanet;
      l.deltanet = g;
    } else {
      l.attn.output_gate = true;
    }
    const bool dense_only = std::find(mlp_only.begin(), mlp_only.end(), i) != mlp_only.end();
    if (experts > 0 && !dense_only && (i + 1) % step == 0) {
      l.dense.reset();
      l.moe = m;
    }
  }
  return s;
}

}  // namespace traincost::hf
