// `traincost estimate` output, optionally beside a published run.
#include <fmt/format.h>

#include "traincost/econ/uncertainty.hpp"
#include "traincost/report/uncertainty_report.hpp"
#include "traincost/report/format.hpp"
#include "traincost/report/plan_report.hpp"
#include "traincost/report/published_bound.hpp"
#include "traincost/report/reports.hpp"
#include "traincost/util/json_nullable.hpp"

namespace traincost::report {

namespace {
// Where the derived plan's global batch came from, for table and JSON alike.
std::string batch_source_text(const DerivedThroughput& d) {
  return d.batch_from_rule ? "the default batch rule, a power law in FLOPs per token, tokens and stored/active "
                             "parameters fitted on published runs' batches (constants/calibrated.json)"
                           : "given (--global-batch-tokens)";
}

// A published figure and, when the estimate has the quantity, how the estimate
// compares with it (a bound is met or not; a point or approximate value has an error).
Json figure_json(const PublishedFigure* f, std::optional<double> predicted) {
  if (!f) return nullptr;
  Json j{{"value", f->value}, {"scope", f->scope}, {"source", f->source}, {"is_formula", f->is_formula},
         {"bound", f->bound.empty() ? Json(nullptr) : Json(f->bound)}};
  if (predicted) {
    const FigureComparison c = compare_to_figure(*predicted, *f);
    j["comparison"] = Json{{"kind", c.kind},
                           {"error", nullable(c.error)},
                           {"within_bound", nullable(c.within)},
                           {"beyond_bound", nullable(c.beyond)},
                           {"text", c.text}};
  }
  return j;
}
}  // namespace

Json estimate_json(const ModelSpec& m, const Accelerator& hw, const EstimateInputs& in, const Estimate& e,
                   const PublishedRun* published, const econ::UncertaintyResult* uncertainty) {
  Json j;
  j["schema"] = "traincost.estimate.v1";
  j["model"] = m.name;
  j["model_family"] = m.family;
  j["hardware"] = hw.id;
  j["precision"] = to_string(in.precision);
  j["tokens"] = in.tokens;
  j["gpus"] = nullable(e.gpus);
  j["gpus_assumed"] = !e.gpus_rule.empty();
  j["gpus_rule"] = e.gpus_rule.empty() ? Json(nullptr) : Json(e.gpus_rule);
  j["seq_len"] = in.flops.seq_len;
  j["attention_convention"] = to_string(in.flops.attention);
  j["recompute"] = to_string(e.recompute);
  j["total_params"] = e.params.total();
  j["active_params"] = e.params.active();
  j["active_params_excl_input_embedding"] = e.params.active_excl_input_embedding();
  j["active_params_nonembedding"] = e.params.active_nonembedding();
  j["mtp_params"] = e.params.mtp.total;
  j["model_flops_per_token"] = e.flops_per_token.model();
  j["flops_per_token_breakdown"] = Json{{"matmul", 3.0 * e.flops_per_token.matmul_fwd},
                                        {"attention", 3.0 * e.flops_per_token.attention_fwd},
                                        {"mtp", 3.0 * (e.flops_per_token.mtp_matmul_fwd + e.flops_per_token.mtp_attention_fwd)},
                                        {"recompute", e.flops_per_token.recompute_fwd}};
  j["training_flops"] = e.training_flops;
  j["hardware_flops"] = e.hardware_flops;
  j["peak_flops_per_gpu_s"] = e.peak_flops_per_gpu_s;
  j["mfu"] = e.mfu;
  j["mfu_source"] = e.mfu_source;
  j["achieved_flops_per_gpu_s"] = e.achieved_flops_per_gpu_s;
  j["gpu_hours"] = e.gpu_hours;
  j["gpu_hours_goodput_loss"] = e.gpu_hours_goodput_loss;
  j["goodput"] = e.goodput;
  j["run_efficiency"] = e.run_efficiency;
  j["plan"] = e.plan.empty() ? Json(nullptr) : Json(e.plan);
  if (m.is_moe() && in.derived) j["moe_assumptions"] = moe_assumptions_json(in.moe_imbalance);
  if (in.derived) {
    j["global_batch_tokens"] = in.derived->global_batch_tokens;
    j["global_batch_source"] = batch_source_text(*in.derived);
  }
  j["wall_clock_days"] = nullable(e.wall_clock_days);
  j["price_usd_per_gpu_hour"] = nullable(e.price_usd_per_gpu_hour);
  j["price_source"] = e.price_source;
  j["price_basis"] = e.price_basis.empty() ? Json(nullptr) : Json(e.price_basis);
  j["cost_usd"] = nullable(e.cost_usd);
  j["power_per_gpu_w"] = nullable(e.power_per_gpu_w);
  j["pue"] = in.pue;
  j["energy_mwh"] = nullable(e.energy_mwh);
  j["grid_kgco2_per_kwh"] = in.grid_kgco2_per_kwh;
  j["co2_tonnes"] = nullable(e.co2_tonnes);
  j["memory_floor_per_gpu_bytes"] = nullable(e.memory_floor_per_gpu_bytes);
  j["notes"] = e.notes;
  j["warnings"] = m.warnings;
  if (published) {
    Json p;
    p["id"] = published->id;
    p["title"] = published->title;
    p["gpu_hours"] = figure_json(published->figure("gpu_hours"), e.gpu_hours);
    p["cost_usd"] = figure_json(published->figure("cost_usd"), e.cost_usd);
    p["wall_clock_days"] = figure_json(published->figure("wall_clock_days"), e.wall_clock_days);
    p["training_flops"] = figure_json(published->figure("training_flops"), e.training_flops);
    p["mfu"] = figure_json(published->figure("mfu"), std::nullopt);  // a whole-run MFU convention differs
    p["co2_tonnes"] = figure_json(published->figure("co2_tonnes"), e.co2_tonnes);
    if (const auto* g = published->figure("gpu_hours"))
      p["implied_mfu"] = e.training_flops / (g->value * 3600.0 * e.peak_flops_per_gpu_s);
    j["published"] = p;
  }
  j["uncertainty"] = uncertainty ? uncertainty_json(*uncertainty) : Json(nullptr);
  return j;
}

std::string estimate_text(const ModelSpec& m, const Accelerator& hw, const EstimateInputs& in, const Estimate& e,
                          const PublishedRun* published, const econ::UncertaintyResult* uncertainty) {
  std::string out;
  out += fmt::format("Training-cost estimate: {} on {}{}{}\n", m.name, e.gpus ? fmt::format("{} x ", *e.gpus) : "", hw.name,
                     e.gpus_rule.empty() ? "" : " (GPU count assumed: see the notes)");
  out += fmt::format("  {} tokens, seq_len {}, {} GEMMs, MFU {} ({})\n\n", count(in.tokens), in.flops.seq_len,
                     to_string(in.precision), percent(e.mfu), e.mfu_source);
  std::vector<std::vector<std::string>> t{{"quantity", "estimate", "published", "error"}};
  if (uncertainty) t.front().insert(t.front().begin() + 2, "range (P10-P90)");
  auto fig = [&](const char* key) -> const PublishedFigure* { return published ? published->figure(key) : nullptr; };
  // The P10-P90 range of a row, formatted like its published figure.
  std::string range;
  auto ranged = [&](const std::optional<econ::Percentiles>& pc, auto fmt_value) {
    range = pc ? fmt::format("{} - {}", fmt_value(pc->p10), fmt_value(pc->p90)) : std::string();
  };
  auto row = [&](const std::string& label, const std::string& value, const PublishedFigure* pub,
                 std::optional<double> predicted, auto fmt_pub) {
    std::string p = "", err = "";
    if (pub) {
      p = bounded_value(pub->bound, fmt_pub(pub->value));
      if (predicted) err = compare_to_figure(*predicted, *pub).text;
    }
    if (uncertainty)
      t.push_back({label, value, range, p, err});
    else
      t.push_back({label, value, p, err});
    range.clear();
  };
  const PublishedFigure* none = nullptr;
  auto cnt = [](double v) { return count(v); };
  row("total params", count(static_cast<double>(e.params.total())), none, std::nullopt, cnt);
  row("active params / token", count(static_cast<double>(e.params.active())), none, std::nullopt, cnt);
  row("model FLOPs / token", sci(e.flops_per_token.model()), none, std::nullopt, cnt);
  row("training FLOPs", sci(e.training_flops), fig("training_flops"), e.training_flops,
      [](double v) { return sci(v); });
  row("achieved FLOP/s per GPU", sci(e.achieved_flops_per_gpu_s), none, std::nullopt, cnt);
  const auto one_decimal = [](double v) { return fmt::format("{:.1f}", v); };
  const auto whole = [](double v) { return fmt::format("{:.0f}", v); };
  if (uncertainty) ranged(uncertainty->gpu_hours, cnt);
  row("GPU-hours", count(e.gpu_hours), fig("gpu_hours"), e.gpu_hours, cnt);
  if (e.gpu_hours_goodput_loss > 0)
    row("  of which whole-run overheads", count(e.gpu_hours_goodput_loss), none, std::nullopt, cnt);
  if (uncertainty) ranged(uncertainty->wall_clock_days, one_decimal);
  row("wall-clock days", e.wall_clock_days ? fmt::format("{:.1f}", *e.wall_clock_days) : "n/a (no --gpus)",
      fig("wall_clock_days"), e.wall_clock_days, [](double v) { return fmt::format("{:.1f}", v); });
  if (uncertainty) ranged(uncertainty->cost_usd, [](double v) { return usd(v); });
  row("cost", e.cost_usd ? fmt::format("{} at ${:.2f}/GPU-h", usd(*e.cost_usd), *e.price_usd_per_gpu_hour) : "n/a (no price)",
      fig("cost_usd"), e.cost_usd, [](double v) { return usd(v); });
  if (uncertainty) ranged(uncertainty->energy_mwh, [&](double v) { return whole(v) + " MWh"; });
  row("energy", e.energy_mwh ? fmt::format("{:.0f} MWh", *e.energy_mwh) : "n/a (no TDP)", none, std::nullopt, cnt);
  if (uncertainty) ranged(uncertainty->co2_tonnes, [&](double v) { return whole(v) + " t"; });
  row("CO2", e.co2_tonnes ? fmt::format("{:.0f} t", *e.co2_tonnes) : "n/a", fig("co2_tonnes"),
      e.co2_tonnes, [](double v) { return fmt::format("{:.0f} t", v); });
  if (e.memory_floor_per_gpu_bytes)
    row("model states per GPU (fully sharded)", bytes(*e.memory_floor_per_gpu_bytes), none, std::nullopt, cnt);
  out += table(t, uncertainty ? std::vector<bool>{false, true, true, true, true} : std::vector<bool>{false, true, true, true});

  out += "\nHow it was computed\n";
  out += fmt::format("  FLOPs/token = 6 x {} active GEMM weights + attention {} ({} convention) + MTP {}\n",
                     count(static_cast<double>(e.params.active_matmul())), sci(3.0 * e.flops_per_token.attention_fwd),
                     to_string(in.flops.attention), sci(3.0 * (e.flops_per_token.mtp_matmul_fwd + e.flops_per_token.mtp_attention_fwd)));
  out += fmt::format("  GPU-hours   = {} FLOPs / ({} peak {} FLOP/s x MFU {:.3f} x 3600){}\n", sci(e.training_flops),
                     to_string(in.precision), sci(e.peak_flops_per_gpu_s), e.mfu,
                     in.derived ? fmt::format(" / (goodput {:.3f} x run efficiency {:.3f})", e.goodput, e.run_efficiency)
                     : in.mfu ? std::string(" (--mfu is taken as the whole-run average: no goodput or run efficiency applied)")
                              : std::string(" (the default MFU is a whole-run median: no goodput or run efficiency applied)"));
  if (in.derived)
    out += fmt::format("  batch       = {} tokens per step ({} x {}): {}\n", count(static_cast<double>(in.derived->global_batch_tokens)),
                       in.derived->global_batch_tokens / std::max<std::int64_t>(1, in.flops.seq_len), in.flops.seq_len,
                       batch_source_text(*in.derived));
  if (m.is_moe() && in.derived) out += fmt::format("  MoE plan    = {}\n", moe_assumptions_text(in.moe_imbalance));
  if (e.price_usd_per_gpu_hour) out += fmt::format("  price       = ${:.2f}/GPU-hour: {}\n", *e.price_usd_per_gpu_hour, e.price_source);
  if (e.power_per_gpu_w)
    out += fmt::format("  power       = {:.0f} W per GPU (TDP x server share x average-power fraction x PUE {:.2f}; Epoch AI method)\n",
                       *e.power_per_gpu_w, in.pue);
  if (e.co2_tonnes) out += fmt::format("  CO2         = energy x {:.3f} kgCO2e/kWh\n", in.grid_kgco2_per_kwh);
  if (uncertainty) {
    const auto& u = *uncertainty;
    out += fmt::format("\nUncertainty: {} Monte Carlo samples, seed {} (constants/uncertainty.json)\n", exact(u.samples), u.seed);
    std::string p50 = fmt::format("GPU-hours {}", count(u.gpu_hours.p50));
    if (u.wall_clock_days) p50 += fmt::format(", days {}", one_decimal(u.wall_clock_days->p50));
    if (u.cost_usd) p50 += fmt::format(", cost {}", usd(u.cost_usd->p50));
    if (u.energy_mwh) p50 += fmt::format(", energy {} MWh", whole(u.energy_mwh->p50));
    if (u.co2_tonnes) p50 += fmt::format(", CO2 {} t", whole(u.co2_tonnes->p50));
    out += fmt::format("  P50: {}\n", p50);
    std::vector<std::vector<std::string>> d{{"  input", "distribution", "P10", "P90"}};
    std::string bases;
    for (const econ::Distribution* x : u.inputs.all()) {
      std::string shape;
      switch (x->kind) {
        case econ::DistributionKind::fixed: shape = fmt::format("fixed at {:.3g}", x->central); break;
        case econ::DistributionKind::lognormal:
          shape = fmt::format("lognormal, median {:.3g}, sigma {:.3f}", x->central, x->sigma_low);
          break;
        case econ::DistributionKind::split_lognormal:
          shape = fmt::format("split lognormal, median {:.3g}, sigma {:.3f} below / {:.3f} above", x->central,
                              x->sigma_low, x->sigma_high);
          break;
        case econ::DistributionKind::triangular:
          shape = fmt::format("triangular {:.3g} / {:.3g} / {:.3g}", x->low, x->central, x->high);
          break;
      }
      d.push_back({"  " + x->name, shape, fmt::format("{:.3g}", x->quantile(0.1)), fmt::format("{:.3g}", x->quantile(0.9))});
      bases += fmt::format("  {}: {}\n", x->name, x->basis);
    }
    out += table(d, {false, false, true, true});
    out += bases;
  }
  if (published) {
    out += fmt::format("\nPublished: {}\n", published->title);
    if (const auto* g = published->figure("gpu_hours")) {
      const double implied = e.training_flops / (g->value * 3600.0 * e.peak_flops_per_gpu_s);
      out += fmt::format("  published GPU-hours cover: {}\n", g->scope);
      out += fmt::format("  implied MFU of the published GPU-hours: {} of {} peak ({} FLOP/s per GPU)\n", percent(implied),
                         to_string(in.precision), sci(implied * e.peak_flops_per_gpu_s));
    }
    for (const auto& n : published->caveats) out += fmt::format("  caveat: {}\n", n);
  }
  for (const auto& n : e.notes) out += fmt::format("note: {}\n", n);
  return out;
}

}  // namespace traincost::report
