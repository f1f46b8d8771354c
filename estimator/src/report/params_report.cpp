// `traincost params` and `traincost flops` outputs.
#include <fmt/format.h>

#include "traincost/report/format.hpp"
#include "traincost/report/reports.hpp"

namespace traincost::report {

namespace {
struct Row {
  const char* key;
  const char* label;
  const ParamComponent* c;
};

std::vector<Row> rows(const ParamBreakdown& p) {
  return {{"embedding", "input embedding", &p.embedding},
          {"position_embedding", "position embedding", &p.position_embedding},
          {"output_head", "output head", &p.output_head},
          {"attention", "attention", &p.attention},
          {"indexer", "sparse-attention indexer", &p.indexer},
          {"ssm", "SSM / linear attention", &p.ssm},
          {"dense_ffn", "dense FFN", &p.dense_ffn},
          {"routed_experts", "routed experts", &p.routed_experts},
          {"shared_experts", "shared experts", &p.shared_experts},
          {"router", "router", &p.router},
          {"norms", "norms", &p.norms},
          {"mtp", "MTP modules (not in totals)", &p.mtp}};
}

Json architecture_json(const ModelSpec& m) {
  Json a;
  a["family"] = m.family;
  a["hidden_size"] = m.hidden_size;
  a["num_layers"] = m.num_layers();
  a["num_moe_layers"] = m.num_moe_layers();
  a["vocab_size"] = m.vocab_size;
  a["tie_word_embeddings"] = m.tie_word_embeddings;
  if (const AttentionSpec* found = m.first_attention()) {
    const auto& attn = *found;
    a["attention"] = attn.kind == AttentionKind::mla ? "mla" : (attn.num_kv_heads == attn.num_heads ? "mha" : (attn.num_kv_heads == 1 ? "mqa" : "gqa"));
    a["num_heads"] = attn.num_heads;
    if (attn.kind == AttentionKind::standard) {
      a["num_kv_heads"] = attn.num_kv_heads;
      a["head_dim"] = attn.head_dim;
    }
  } else {
    a["attention"] = "none";
  }
  std::int64_t mamba = 0, deltanet = 0, attention = 0;
  for (const auto& l : m.layers) {
    mamba += (l.mamba || l.mamba1) ? 1 : 0;
    deltanet += l.deltanet ? 1 : 0;
    attention += l.mixer == MixerKind::attention ? 1 : 0;
  }
  if (mamba + deltanet > 0) {
    a["num_attention_layers"] = attention;
    a["num_mamba_layers"] = mamba;
    a["num_gated_deltanet_layers"] = deltanet;
  }
  if (const MoeSpec* moe = m.first_moe()) {
    a["num_experts"] = moe->num_experts;
    a["experts_per_token"] = moe->top_k;
    a["expert_intermediate_size"] = moe->expert.width;
    a["num_shared_experts"] = moe->num_shared;
  }
  a["mtp_modules"] = m.mtp.size();
  return a;
}
}  // namespace

Json params_json(const ModelSpec& m, const ParamBreakdown& p) {
  Json j;
  j["schema"] = "traincost.params.v1";
  j["model"] = m.name;
  j["architecture"] = architecture_json(m);
  j["total_params"] = p.total();
  j["active_params"] = p.active();
  j["active_params_excl_input_embedding"] = p.active_excl_input_embedding();
  j["active_params_nonembedding"] = p.active_nonembedding();
  j["total_params_nonembedding"] = p.total_nonembedding();
  j["active_matmul_params"] = p.active_matmul();
  j["mtp_params"] = p.mtp.total;
  j["total_params_incl_mtp"] = p.total_incl_mtp();
  Json b;
  for (const auto& r : rows(p)) {
    // The components of other layer kinds appear only in models that have them.
    const std::string key = r.key;
    if ((key == "indexer" || key == "ssm") && r.c->total == 0) continue;
    b[r.key] = Json{{"total", r.c->total}, {"active", r.c->active}};
  }
  j["breakdown"] = b;
  j["warnings"] = m.warnings;
  return j;
}

std::string params_text(const ModelSpec& m, const ParamBreakdown& p) {
  std::string out = fmt::format("{} ({}, {} layers{}, d={})\n\n", m.name, m.family, m.num_layers(),
                                m.is_moe() ? fmt::format(", {} MoE", m.num_moe_layers()) : "", m.hidden_size);
  std::vector<std::vector<std::string>> t{{"component", "total", "active / token", "exact total"}};
  for (const auto& r : rows(p)) {
    if (r.c->total == 0 && r.c->active == 0) continue;
    t.push_back({r.label, count(static_cast<double>(r.c->total)), count(static_cast<double>(r.c->active)), exact(r.c->total)});
  }
  out += table(t, {false, true, true, true});
  out += "\n";
  std::vector<std::vector<std::string>> s{{"headline", "params", "exact"}};
  auto add = [&](const char* label, std::int64_t v) { s.push_back({label, count(static_cast<double>(v)), exact(v)}); };
  add("total (MTP excluded)", p.total());
  add("active, incl. embedding and head", p.active());
  add("active, excl. input embedding", p.active_excl_input_embedding());
  add("active, non-embedding", p.active_nonembedding());
  add("active GEMM weights (6ND's N)", p.active_matmul());
  if (p.mtp.total > 0) add("MTP modules (reported apart)", p.mtp.total);
  out += table(s, {false, true, true});
  return out;
}

Json flops_json(const ModelSpec& m, const FlopsPerToken& f, const FlopOptions& o) {
  Json j;
  j["schema"] = "traincost.flops.v1";
  j["model"] = m.name;
  j["seq_len"] = o.seq_len;
  j["attention_convention"] = to_string(o.attention);
  j["recompute"] = to_string(o.recompute);
  j["model_flops_per_token"] = f.model();
  j["hardware_flops_per_token"] = f.hardware();
  j["matmul_flops_per_token"] = 3.0 * f.matmul_fwd;
  j["attention_flops_per_token"] = 3.0 * f.attention_fwd;
  j["mtp_flops_per_token"] = 3.0 * (f.mtp_matmul_fwd + f.mtp_attention_fwd);
  j["recompute_flops_per_token"] = f.recompute_fwd;
  j["forward_flops_per_token"] = f.forward();
  // Only for models with those layer kinds (the other models' output is unchanged).
  if (f.indexer_fwd > 0) j["indexer_score_flops_per_token"] = 3.0 * f.indexer_fwd;
  if (f.ssm_fwd > 0) {
    j["ssm_scan_flops_per_token"] = 3.0 * f.ssm_fwd;
    double state = 0, kv = 0;
    for (const auto& l : m.layers) {
      state += recurrent_state_bytes(l);
      kv += kv_cache_bytes_per_token(l);
    }
    // At inference the SSM layers keep a fixed state per sequence where attention keeps a KV cache per token.
    j["recurrent_state_bytes_per_sequence"] = state;
    j["kv_cache_bytes_per_token"] = kv;
  }
  return j;
}

std::string flops_text(const ModelSpec& m, const FlopsPerToken& f, const FlopOptions& o) {
  std::string out = fmt::format("{}: training FLOPs per token at seq_len {} ({} attention, recompute {})\n\n",
                                m.name, o.seq_len, to_string(o.attention), to_string(o.recompute));
  const double model = f.model();
  std::vector<std::vector<std::string>> t{{"part", "FLOPs/token", "share"}};
  t.push_back({"matmul (6 x active GEMM weights)", sci(3.0 * f.matmul_fwd), percent(3.0 * f.matmul_fwd / model)});
  t.push_back({"attention scores + context", sci(3.0 * f.attention_fwd), percent(3.0 * f.attention_fwd / model)});
  if (f.indexer_fwd > 0)
    t.push_back({"sparse-attention indexer scores", sci(3.0 * f.indexer_fwd), percent(3.0 * f.indexer_fwd / model)});
  if (f.ssm_fwd > 0) t.push_back({"SSM / linear-attention scan", sci(3.0 * f.ssm_fwd), percent(3.0 * f.ssm_fwd / model)});
  if (f.mtp_matmul_fwd > 0)
    t.push_back({"MTP modules", sci(3.0 * (f.mtp_matmul_fwd + f.mtp_attention_fwd)),
                 percent(3.0 * (f.mtp_matmul_fwd + f.mtp_attention_fwd) / model)});
  t.push_back({"model FLOPs (MFU numerator)", sci(model), "100.0%"});
  if (f.recompute_fwd > 0) t.push_back({"+ recomputation", sci(f.recompute_fwd), percent(f.recompute_fwd / model)});
  t.push_back({"hardware FLOPs (HFU numerator)", sci(f.hardware()), percent(f.hardware() / model)});
  out += table(t, {false, true, true});
  if (f.ssm_fwd > 0) {
    double state = 0, kv = 0;
    for (const auto& l : m.layers) {
      state += recurrent_state_bytes(l);
      kv += kv_cache_bytes_per_token(l);
    }
    out += fmt::format("\nInference memory per sequence: recurrent state {:.1f} MB (fixed), KV cache {:.1f} KB per token\n",
                       state / 1e6, kv / 1e3);
  }
  return out;
}

Json models_list_json(const std::vector<PresetInfo>& presets) {
  Json j;
  j["schema"] = "traincost.models.v1";
  Json arr = Json::array();
  for (const auto& p : presets) arr.push_back(Json{{"name", p.name}, {"display_name", p.display_name}, {"description", p.description}});
  j["presets"] = arr;
  return j;
}

std::string models_list_text(const std::vector<PresetInfo>& presets) {
  std::vector<std::vector<std::string>> t{{"preset", "description"}};
  for (const auto& p : presets) t.push_back({p.name, p.description});
  return table(t);
}

}  // namespace traincost::report
