#include "traincost/report/compare_report.hpp"
#include "traincost/report/scaling_laws_report.hpp"

#include <fmt/format.h>

#include "traincost/econ/scaling_laws.hpp"
#include "traincost/report/format.hpp"
#include "traincost/util/json_nullable.hpp"

namespace traincost::report {

using econ::Comparison;
using econ::Allocation;
using econ::LossPrediction;
using econ::RunCost;

namespace {

nlohmann::ordered_json run_json(const RunCost& r) {
  nlohmann::ordered_json j;
  j["model"] = r.model;
  j["params"] = r.total_params;
  j["active_params"] = r.active_params;
  j["target_params"] = r.target_params;
  j["tokens"] = r.tokens;
  j["training_flops"] = r.training_flops;
  j["gpu_hours"] = r.gpu_hours;
  j["wall_clock_days"] = nullable(r.wall_clock_days);
  j["cost_usd"] = nullable(r.cost_usd);
  j["energy_mwh"] = nullable(r.energy_mwh);
  j["mfu"] = r.mfu;
  j["mfu_source"] = r.mfu_source;
  j["plan"] = r.plan.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.plan);
  j["fits"] = nullable(r.fits);
  j["fit_note"] = r.fit_note;
  j["min_gpus_model_states"] = r.min_gpus_model_states;
  add_loss_fields(j, r.loss, true);
  j["chinchilla"] = r.chinchilla ? to_json(*r.chinchilla) : nlohmann::ordered_json(nullptr);
  j["cost_ratio_to_moe"] = nullable(r.cost_ratio_to_moe);
  j["spec"] = r.spec ? *r.spec : nlohmann::ordered_json(nullptr);
  j["notes"] = r.notes;
  return j;
}

std::string display(const std::string& label) {
  if (label == "moe") return "MoE";
  std::string s = label;
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::string days(const std::optional<double>& d) { return d ? fmt::format("{:.1f}", *d) : "-"; }
std::string money(const std::optional<double>& d) { return d ? usd(*d) : "-"; }
std::string mwh(const std::optional<double>& d) { return d ? fmt::format("{:.0f}", *d) : "-"; }
std::string fits(const std::optional<bool>& f) { return f ? (*f ? "yes" : "no") : "?"; }

std::string loss_cell(const LossPrediction& p) {
  if (!p.extrapolated) return fmt::format("{:.3f}", p.loss);
  return fmt::format("{:.3f} [{:.3f}-{:.3f}]*", p.loss, p.low, p.high);
}

std::string loss_line(const std::string& who, const LossPrediction& p) {
  std::string s = fmt::format("  {:<12} {:.4f}", who, p.loss);
  if (p.extrapolated) s += fmt::format(" (range {:.4f}-{:.4f})", p.low, p.high);
  s += fmt::format(": {}, N = {}", p.law, count(p.params));
  s += p.extrapolated ? fmt::format("; EXTRAPOLATED: {}\n", fmt::join(p.outside, "; ")) : "; within its regime\n";
  return s;
}

}  // namespace

nlohmann::ordered_json comparison_json(const Comparison& c) {
  nlohmann::ordered_json j;
  j["schema"] = "traincost.compare.v1";
  j["model"] = c.model;
  j["hardware"] = c.hardware;
  j["precision"] = c.precision;
  j["tokens"] = c.tokens;
  j["seq_len"] = c.seq_len;
  j["gpus"] = nullable(c.gpus);
  j["moe_shape"] = {{"routed_experts", c.shape.routed},
                    {"top_k", c.shape.top_k},
                    {"shared_experts", c.shape.shared},
                    {"experts", c.shape.experts},
                    {"granularity", c.shape.granularity}};
  j["law_pair"] = c.pair;
  j["law_pair_reason"] = c.pair_reason;
  j["moe"] = run_json(c.moe);
  nlohmann::ordered_json d;
  d["same_active"] = run_json(c.same_active);
  d["same_total"] = run_json(c.same_total);
  if (c.same_loss) {
    d["same_loss"] = run_json(*c.same_loss);
  } else {
    nlohmann::ordered_json s;
    for (const char* k : {"params", "tokens", "gpu_hours", "cost_usd", "energy_mwh", "cost_ratio_to_moe"}) s[k] = nullptr;
    s["predicted_loss"] = c.equal.moe_loss;
    s["law"] = c.moe.loss.law;
    s["extrapolated"] = c.moe.loss.extrapolated;
    d["same_loss"] = s;
  }
  d["same_loss"]["solve"] = {{"method", c.same_loss_note},
                             {"moe_loss", c.equal.moe_loss},
                             {"dense_limit_loss", c.equal.dense_limit},
                             {"law_params", nullable(c.equal.params)},
                             {"law_params_low", nullable(c.equal.params_low)},
                             {"law_params_high", c.equal.range_unbounded ? nlohmann::ordered_json(nullptr)
                                                                         : nullable(c.equal.params_high)},
                             {"range_unbounded", c.equal.range_unbounded}};
  j["dense_equivalents"] = d;
  nlohmann::ordered_json xs = nlohmann::ordered_json::array();
  for (const auto& x : c.cross_checks)
    xs.push_back({{"law_pair", x.pair},
                  {"moe_loss", to_json(x.moe_loss)},
                  {"same_loss_law_params", nullable(x.equal.params)},
                  {"same_loss_params", nullable(x.dense_total_params)},
                  {"flops_ratio_6nd", nullable(x.flops_ratio)},
                  {"dense_limit_loss", x.equal.dense_limit}});
  j["cross_check"] = xs;
  j["compute_optimal"] = {{"flops", c.moe.training_flops},
                          {"flops_basis", "the MoE's training FLOPs as traincost counts them (attention and MTP "
                                          "included), spent as C = 6 N D"},
                          {"dense", to_json(c.optimal_dense)},
                          {"moe", to_json(c.optimal_moe)}};
  j["extrapolation_method"] = c.extrapolation_method;
  j["notes"] = c.notes;
  return j;
}

std::string comparison_text(const Comparison& c) {
  std::string s = fmt::format("MoE vs dense at equal quality: {} on {}{}, {} tokens, seq_len {}, {} GEMMs\n", c.model,
                              c.gpus ? fmt::format("{} x ", *c.gpus) : "", c.hardware_name, count(c.tokens), c.seq_len,
                              c.precision);
  s += fmt::format("  MoE shape: {} routed experts top-{}{}: E = {:.3g} (expert parameters stored / used per token), "
                   "granularity G = {:.3g}\n",
                   c.shape.routed, c.shape.top_k, c.shape.shared ? fmt::format(" + {} shared", c.shape.shared) : "",
                   c.shape.experts, c.shape.granularity);
  s += fmt::format("  loss laws: {} + {} dense law ({})\n    regime: {}\n    N: {}\n", c.moe.loss.law,
                   c.pair == "ludziejewski" ? "its E = 1" : "its", c.pair_reason, c.moe.loss.regime,
                   c.moe.loss.params_convention);
  s += "\n";

  std::vector<std::vector<std::string>> rows{
      {"run", "params", "active", "training FLOPs", "GPU-hours", "days", "cost", "MWh", "fits", "loss", "vs MoE"}};
  auto add = [&](const std::string& label, const RunCost& r) {
    rows.push_back({label, count(r.total_params), count(r.active_params), sci(r.training_flops), count(r.gpu_hours),
                    days(r.wall_clock_days), money(r.cost_usd), mwh(r.energy_mwh), fits(r.fits), loss_cell(r.loss),
                    r.cost_ratio_to_moe ? fmt::format("{:.2f}x", *r.cost_ratio_to_moe) : "-"});
  };
  add("MoE", c.moe);
  add("same active", c.same_active);
  add("same total", c.same_total);
  if (c.same_loss) add("same loss", *c.same_loss);
  else rows.push_back({"same loss", "none", "-", "-", "-", "-", "-", "-", "-", fmt::format("{:.3f}", c.equal.moe_loss), "-"});
  s += table(rows, {false, true, true, true, true, true, true, true, false, true, true});
  s += "  * extrapolated: outside the law's fitted regime; [range] as described below\n";

  s += "\nPredicted losses (law, N in its convention, regime)\n";
  s += loss_line("MoE", c.moe.loss);
  s += loss_line("same active", c.same_active.loss);
  s += loss_line("same total", c.same_total.loss);
  if (c.same_loss) s += loss_line("same loss", c.same_loss->loss);
  s += fmt::format("  same loss: {}\n", c.same_loss_note);
  const LossPrediction& ch = *c.same_active.chinchilla;
  s += fmt::format("  dense runs under {} (regime {}; not comparable with the losses above):\n", ch.law, ch.regime);
  for (const RunCost* r : {&c.same_active, &c.same_total, c.same_loss ? &*c.same_loss : nullptr}) {
    if (!r) continue;
    const LossPrediction& p = *r->chinchilla;
    s += fmt::format("    {:<12} {:.4f}{}\n", display(r->label), p.loss,
                     p.extrapolated ? fmt::format(" (range {:.4f}-{:.4f}; EXTRAPOLATED: {})", p.low, p.high,
                                                  fmt::join(p.outside, "; "))
                                    : " (within its regime)");
  }
  for (const auto& x : c.cross_checks) {
    s += fmt::format("  cross-check, {}: MoE loss {:.4f}{}; ", x.moe_loss.law, x.moe_loss.loss,
                     x.moe_loss.extrapolated ? " (extrapolated)" : "");
    if (x.equal.params)
      s += fmt::format("equal-loss dense N = {}{}\n", count(*x.equal.params),
                       x.dense_total_params
                           ? fmt::format(": a dense model of {} params, {:.2f}x the MoE's active params (6ND ratio)",
                                         count(*x.dense_total_params), *x.flops_ratio)
                           : "");
    else
      s += fmt::format("no dense model reaches it (limit {:.4f})\n", x.equal.dense_limit);
  }

  s += "\nDense equivalents built (traincost.model.v1)\n";
  for (const RunCost* r : {&c.same_active, &c.same_total, c.same_loss ? &*c.same_loss : nullptr}) {
    if (!r || !r->spec) continue;
    const auto& j = *r->spec;
    s += fmt::format("  {:<12} d {}, {} layers, {} heads, FFN {}: {} params (target {}{}); {}\n", display(r->label),
                     j.at("hidden_size").get<std::int64_t>(), j.at("num_layers").get<std::int64_t>(),
                     j.at("attention").at("num_heads").get<std::int64_t>(),
                     j.at("ffn").at("intermediate_size").get<std::int64_t>(), count(r->total_params),
                     count(r->target_params), r->label == "same_loss" && c.pair == "krajewski" ? " non-embedding" : "",
                     r->fit_note);
    for (const auto& n : r->notes) s += fmt::format("    note: {}\n", n);
  }
  s += fmt::format("  MoE: {}; MFU {}\n", c.moe.fit_note, percent(c.moe.mfu));
  for (const auto& n : c.moe.notes) s += fmt::format("    note: {}\n", n);

  s += fmt::format("\nCompute-optimal use of the MoE's {} FLOPs (C = 6ND)\n", sci(c.optimal_dense.flops));
  auto alloc = [&](const std::string& who, const Allocation& a) {
    std::string line = fmt::format("  {:<5} N {}, D {} ({:.1f} tokens/param), loss {:.4f}", who, count(a.params),
                                   count(a.tokens), a.tokens_per_param, a.loss.loss);
    if (a.loss.extrapolated) line += fmt::format(" (range {:.4f}-{:.4f})", a.loss.low, a.loss.high);
    line += fmt::format(": {}; regime {}", a.loss.law, a.loss.regime);
    line += a.loss.extrapolated ? fmt::format("; EXTRAPOLATED: {}\n", fmt::join(a.loss.outside, "; ")) : "\n";
    return line;
  };
  s += alloc("dense", c.optimal_dense);
  s += alloc("MoE", c.optimal_moe);
  s += "  (MoE: N = active parameters)\n";

  s += fmt::format("\nExtrapolation range: {}\n", c.extrapolation_method);
  for (const auto& n : c.notes) s += fmt::format("Note: {}\n", n);
  return s;
}

}  // namespace traincost::report
