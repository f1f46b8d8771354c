#include "traincost/report/budget_report.hpp"

#include <cmath>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "traincost/report/format.hpp"
#include "traincost/util/json_nullable.hpp"

namespace traincost::report {

using econ::BudgetConstants;
using econ::BudgetModel;
using econ::BudgetResult;

namespace {

using OJson = nlohmann::ordered_json;

std::string budget_yes_no(const std::optional<bool>& b) { return !b ? "-" : (*b ? "yes" : "no"); }

OJson budget_model_json(const BudgetModel& m, const BudgetConstants& c) {
  const bool dense = m.kind == "dense";
  const ParamBreakdown& p = m.model.params;
  OJson j;
  j["kind"] = m.kind;
  j["shape_rule"] = dense ? c.dense.rule : c.moe.rule;
  j["compute_flops"] = m.compute_flops;
  j["mfu"] = m.mfu;  // of the reported run
  j["mfu_source"] = m.mfu_source;
  j["goodput"] = m.goodput;
  j["run_efficiency"] = m.run_efficiency;
  j["sizings"] = m.sizings;
  j["target_params"] = m.target_params;
  j["target_basis"] = dense ? "N_opt = G (C/6)^a: total parameters incl. embeddings"
                            : fmt::format("sqrt(C / (6 x {:g})): active GEMM parameters at {:g} tokens each",
                                          c.moe_tokens_per_active_param, c.moe_tokens_per_active_param);
  j["law_tokens"] = m.law_tokens;
  j["layers"] = m.model.layers;
  j["hidden_size"] = m.model.spec.hidden_size;
  j["params"] = p.total();
  j["active_params"] = p.active();
  j["active_matmul_params"] = p.active_matmul();
  j["tokens"] = m.tokens;
  j["tokens_per_param"] = m.tokens / static_cast<double>(dense ? p.total() : p.active_matmul());
  j["flops_per_token"] = m.flops_per_token;
  if (m.loss) {
    j["loss"] = OJson{{"value", *m.loss}, {"law", c.law.name}, {"extrapolated", m.loss_extrapolated},
                      {"fitted_params", {c.law.params_min, c.law.params_max}},
                      {"fitted_tokens", {c.law.tokens_min, c.law.tokens_max}}};
  } else {
    j["loss"] = nullptr;
    j["loss_note"] = "see traincost compare";
  }
  j["gpu_hours"] = nullable(m.gpu_hours);
  j["wall_clock_days"] = nullable(m.wall_clock_days);
  j["cost_usd"] = nullable(m.cost_usd);
  j["energy_mwh"] = nullable(m.energy_mwh);
  j["fits"] = nullable(m.fits);
  j["min_gpus_to_fit"] = nullable(m.min_gpus_to_fit);
  j["meets_deadline"] = nullable(m.meets_deadline);
  j["plan"] = m.plan.empty() ? OJson(nullptr) : OJson(m.plan);
  j["spec"] = OJson::parse(m.model.spec_json.dump());
  j["notes"] = m.notes;
  return j;
}

}  // namespace

OJson budget_json(const BudgetResult& r, const BudgetConstants& c) {
  OJson j;
  j["schema"] = "traincost.budget.v1";
  j["hardware"] = r.hardware;
  j["precision"] = to_string(r.in.precision);
  j["budget"] = OJson{{"usd", nullable(r.in.usd)},
                      {"gpu_hours", r.in.gpu_hours},
                      {"price_usd_per_gpu_hour", nullable(r.price_usd_per_gpu_hour)},
                      {"price_source", r.price_source.empty() ? OJson(nullptr) : OJson(r.price_source)}};
  j["gpus"] = nullable(r.in.gpus);
  j["gpus_source"] = r.in.gpus ? OJson(r.in.gpus_source) : OJson(nullptr);
  j["deadline_days"] = nullable(r.in.deadline_days);
  j["seq_len"] = r.seq_len;
  j["peak_flops_per_gpu_s"] = r.peak_flops_per_gpu_s;
  j["law"] = OJson{{"name", c.law.name}, {"form", c.law.form}, {"source", c.law.source},
                   {"E", c.law.E}, {"A", c.law.A}, {"B", c.law.B}, {"alpha", c.law.alpha}, {"beta", c.law.beta},
                   {"G", c.law.G()}, {"a", c.law.a()}, {"b", c.law.b()},
                   {"parameters_counted", c.law.parameters_counted}};
  j["dense"] = budget_model_json(r.dense, c);
  j["moe"] = budget_model_json(r.moe, c);
  j["notes"] = r.notes;
  j["constants_file"] = c.path;
  j["law_file"] = c.law_path;
  return j;
}

std::string budget_text(const BudgetResult& r, const BudgetConstants& c) {
  std::string out;
  const std::string money = r.in.usd ? fmt::format("{} = ", usd(*r.in.usd)) : "";
  out += fmt::format("What {}{} GPU-hours buy on {} ({}), {} GEMMs", money, count(r.in.gpu_hours), r.hardware,
                     r.hardware_name, to_string(r.in.precision));
  if (r.in.gpus) out += fmt::format(", {} GPUs", exact(*r.in.gpus));
  out += "\n";
  if (r.in.gpus) out += fmt::format("  GPUs: {}\n", r.in.gpus_source);
  if (r.price_usd_per_gpu_hour)
    out += fmt::format("  price: ${:.2f}/GPU-hour: {}\n", *r.price_usd_per_gpu_hour, r.price_source);
  out += fmt::format("  compute-optimal allocation: {}\n    N_opt = G (C/6)^a, D_opt = G^-1 (C/6)^b with G = {:.4f}, a = {:.4f}, b = {:.4f}"
                     " (E {}, A {}, B {}, alpha {}, beta {})\n",
                     c.law.name, c.law.G(), c.law.a(), c.law.b(), c.law.E, c.law.A, c.law.B, c.law.alpha, c.law.beta);
  out += fmt::format("  MoE: {} experts, top-{}, sized for {:g} tokens per active parameter\n\n", c.moe.experts, c.moe.top_k,
                     c.moe_tokens_per_active_param);

  const BudgetModel& d = r.dense;
  const BudgetModel& m = r.moe;
  auto num = [](const std::optional<double>& v, auto f) { return v ? f(*v) : std::string("-"); };
  auto days = [](double v) { return fmt::format("{:.1f}", v); };
  auto mwh = [](double v) { return fmt::format("{:.0f} MWh", v); };
  auto cnt = [](double v) { return count(std::round(v)); };
  std::vector<std::vector<std::string>> rows{{"quantity", "dense (compute-optimal)", "MoE (fixed shape)"}};
  rows.push_back({"compute C (model FLOPs)", sci(d.compute_flops), sci(m.compute_flops)});
  rows.push_back({"MFU (steady state)", percent(d.mfu), percent(m.mfu)});
  if (d.goodput != 1.0 || m.goodput != 1.0)
    rows.push_back({"goodput x run efficiency", fmt::format("{:.3f} x {:.3f}", d.goodput, d.run_efficiency),
                    fmt::format("{:.3f} x {:.3f}", m.goodput, m.run_efficiency)});
  rows.push_back({"target", "N_opt " + count(d.target_params), "active " + count(m.target_params)});
  rows.push_back({"layers x d_model", fmt::format("{} x {}", d.model.layers, d.model.spec.hidden_size),
                  fmt::format("{} x {}", m.model.layers, m.model.spec.hidden_size)});
  rows.push_back({"total params", count(static_cast<double>(d.model.params.total())),
                  count(static_cast<double>(m.model.params.total()))});
  rows.push_back({"active params", count(static_cast<double>(d.model.params.active())),
                  count(static_cast<double>(m.model.params.active()))});
  rows.push_back({"training tokens", count(d.tokens), count(m.tokens)});
  rows.push_back({"  law's tokens", "D_opt " + count(d.law_tokens),
                  fmt::format("{:g} x active {}", c.moe_tokens_per_active_param, count(m.law_tokens))});
  rows.push_back({"predicted loss", d.loss ? fmt::format("{:.3f}{}", *d.loss, d.loss_extrapolated ? " (extrapolated)" : "") : "-",
                  "see traincost compare"});
  rows.push_back({"GPU-hours", num(d.gpu_hours, cnt), num(m.gpu_hours, cnt)});
  rows.push_back({"wall-clock days", num(d.wall_clock_days, days), num(m.wall_clock_days, days)});
  rows.push_back({"cost", num(d.cost_usd, usd), num(m.cost_usd, usd)});
  rows.push_back({"energy", num(d.energy_mwh, mwh), num(m.energy_mwh, mwh)});
  rows.push_back({"fits in memory", budget_yes_no(d.fits), budget_yes_no(m.fits)});
  auto min_fit = [](const BudgetModel& x) { return x.min_gpus_to_fit ? exact(*x.min_gpus_to_fit) : std::string("-"); };
  if (d.min_gpus_to_fit || m.min_gpus_to_fit) rows.push_back({"smallest cluster that fits", min_fit(d), min_fit(m)});
  if (r.in.deadline_days)
    rows.push_back({fmt::format("meets {:g}-day deadline", *r.in.deadline_days), budget_yes_no(d.meets_deadline), budget_yes_no(m.meets_deadline)});
  out += table(rows, {false, true, true});
  auto plan_line = [&](const BudgetModel& x, const char* label) {
    if (!x.plan.empty()) out += fmt::format("  {} plan: {}\n", label, x.plan);
  };
  if (!d.plan.empty() || !m.plan.empty()) out += "\n";
  plan_line(d, "dense");
  plan_line(m, "MoE");

  out += "\nHow it was computed\n";
  out += fmt::format("  C = GPU-hours x 3600 x {} peak {:.3e} FLOP/s x MFU x goodput x run efficiency; MFU: {}\n",
                     to_string(r.in.precision), r.peak_flops_per_gpu_s, d.mfu_source);
  out += fmt::format("  dense: Llama 3 shape: d_model = {} x layers (to a multiple of {}), head_dim {}, {} KV heads, SwiGLU FFN "
                     "{:g} x d_model, vocabulary {}; the whole layer count nearest N_opt\n",
                     c.dense.d_per_layer, c.dense.d_multiple, c.dense.head_dim, c.dense.max_kv_heads, c.dense.ffn_ratio,
                     exact(c.dense.vocab));
  out += fmt::format("  MoE: OLMoE shape: d_model = {} x layers (to a multiple of {}), head_dim {}, MHA, {} experts, top-{}, "
                     "width {:g} x d_model, vocabulary {}; active GEMM params nearest sqrt(C / (6 x {:g}))\n",
                     c.moe.d_per_layer, c.moe.d_multiple, c.moe.head_dim, c.moe.experts, c.moe.top_k, c.moe.expert_ratio,
                     exact(c.moe.vocab), c.moe_tokens_per_active_param);
  out += fmt::format("  tokens = C / model FLOPs per token of the sized model (seq {}), so the run spends the budget\n", r.seq_len);
  out += fmt::format("  loss = E + A/N^alpha + B/D^beta with N = total parameters and D = training tokens; fitted on {}-{} "
                     "params and {}-{} tokens\n",
                     count(c.law.params_min), count(c.law.params_max), count(c.law.tokens_min),
                     count(c.law.tokens_max));
  auto notes = [&](const BudgetModel& x, const char* label) {
    for (const auto& n : x.notes) out += fmt::format("  {}: {}\n", label, n);
  };
  if (!d.notes.empty() || !m.notes.empty() || !r.notes.empty()) out += "\nNotes\n";
  notes(d, "dense");
  notes(m, "MoE");
  for (const auto& n : r.notes) out += fmt::format("  {}\n", n);
  out += "\nlaw and its source: constants/scaling_laws.json (chinchilla_besiroglu); shapes and theirs: constants/budget.json\n";
  return out;
}

}  // namespace traincost::report
