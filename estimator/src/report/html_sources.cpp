// The HTML report's "Sources and method" section: each figure with its formula, inputs
// and source, read from the same JSON objects the other sections draw.
#include "html_parts.hpp"

#include <cmath>

#include <fmt/format.h>

#include "traincost/report/format.hpp"
#include "traincost/report/published_bound.hpp"

namespace traincost::report::html {

std::string sources_section(const Json& e, const Json* plan, const Json* compare, const Json* hw, const Json* val) {
  std::vector<std::string> items;
  const auto fpt = number(e, "model_flops_per_token"), tokens = number(e, "tokens"), flops = number(e, "training_flops");
  if (fpt && tokens && flops) {
    std::string s = fmt::format("Training FLOPs = model FLOPs per token \u00d7 training tokens = {} \u00d7 {} = {}.",
                                sci(*fpt), sci(*tokens), sci(*flops));
    if (const Json* b = child(e, "flops_per_token_breakdown"))
      s += fmt::format(" Per token: matmuls {} (6 \u00d7 GEMM weights), attention {} ({} convention), multi-token "
                       "prediction {}; recomputation is hardware work, not model FLOPs.",
                       or_dash(number(*b, "matmul"), sci), or_dash(number(*b, "attention"), sci),
                       str(e, "attention_convention"), or_dash(number(*b, "mtp"), sci));
    items.push_back(s);
  }
  const auto peak = number(e, "peak_flops_per_gpu_s"), mfu = number(e, "mfu"), hours = number(e, "gpu_hours");
  const double goodput = number(e, "goodput").value_or(1), run_eff = number(e, "run_efficiency").value_or(1);
  if (flops && peak && mfu && hours)
    items.push_back(fmt::format(
        "GPU-hours = training FLOPs / (dense {} peak per GPU \u00d7 MFU) / 3600 / (goodput \u00d7 run efficiency) = "
        "{} / ({} FLOP/s \u00d7 {}) / 3600 / ({} \u00d7 {}) = {}. MFU: {}. Goodput covers failures, checkpoints and "
        "restarts (Young/Daly, Llama 3's failure rate); run efficiency is calibrated on whole published runs.",
        str(e, "precision"), sci(*flops), sci(*peak), percent(*mfu), percent(goodput), percent(run_eff), count(*hours),
        str(e, "mfu_source")));
  if (const Json* moe = child(e, "moe_assumptions"))
    items.push_back(fmt::format(
        "MoE plan: the busiest expert-parallel rank gets {:.2f}\u00d7 the mean routed tokens ({}); each layer and "
        "micro-batch adds {:.1f} ms of host-bound time (the MoE layers read token counts back, so the host cannot queue "
        "past the next one and every layer's launches wait) and each MoE layer {:.3f} ms more per "
        "expert held on the GPU (one GEMM launch per local expert), both fitted on NVIDIA's measured Megatron-Core MoE "
        "throughput.",
        number(*moe, "imbalance").value_or(1.0),
        moe->contains("imbalance_is_default") && moe->at("imbalance_is_default").get<bool>() ? "the default for real routing"
                                                                                              : "given",
        number(*moe, "host_time_s_per_layer").value_or(0.0) * 1e3,
        number(*moe, "host_time_s_per_layer_per_local_expert").value_or(0.0) * 1e3));
  if (const auto d = number(e, "wall_clock_days"); d && hours && number(e, "gpus"))
    items.push_back(fmt::format("Wall-clock days = GPU-hours / GPUs / 24 = {} / {} / 24 = {}.", count(*hours),
                                exact(static_cast<std::int64_t>(*number(e, "gpus"))), days(*d)));
  if (const auto c = number(e, "cost_usd"), p = number(e, "price_usd_per_gpu_hour"); c && p && hours)
    items.push_back(fmt::format("Cost = GPU-hours \u00d7 price per GPU-hour = {} \u00d7 {} = {}. Price: {}.", count(*hours),
                                usd(*p), usd(*c), str(e, "price_source")));
  if (const auto en = number(e, "energy_mwh"), w = number(e, "power_per_gpu_w"); en && w && hours)
    items.push_back(fmt::format(
        "Energy = GPU-hours \u00d7 facility power per GPU = {} \u00d7 {:.0f} W = {}; the power is TDP \u00d7 server "
        "share \u00d7 average-power fraction \u00d7 PUE {} (Epoch AI method).",
        count(*hours), *w, mwh(*en), or_dash(number(e, "pue"), [](double v) { return fmt::format("{:.2f}", v); })));
  if (const auto co2 = number(e, "co2_tonnes"), en = number(e, "energy_mwh"), g = number(e, "grid_kgco2_per_kwh"); co2 && en && g)
    items.push_back(fmt::format("CO2 = energy \u00d7 grid intensity = {} \u00d7 {:.3f} kgCO2e/kWh = {}.", mwh(*en), *g,
                                tonnes(*co2)));
  if (const Json* pub = child(e, "published")) {
    // The published column's citations, as text (a source may quote a URL; the page links nothing).
    const std::pair<const char*, const char*> figures[] = {{"gpu_hours", "GPU-hours"}, {"cost_usd", "cost"},
                                                           {"wall_clock_days", "wall-clock days"},
                                                           {"training_flops", "training FLOPs"}, {"mfu", "MFU"},
                                                           {"co2_tonnes", "CO2"}};
    for (const auto& [key, name] : figures)
      if (const Json* f = child(*pub, key); f && number(*f, "value"))
        items.push_back(fmt::format("Published {} ({}): {}{}", name, str(*pub, "id"),
                                    str(*f, "scope").empty() ? "" : str(*f, "scope") + ". Source: ", str(*f, "source")));
  }
  if (const Json* u = child(e, "uncertainty")) {
    items.push_back("P10\u2013P90 ranges: " + str(*u, "method") + ".");
    if (const Json* ds = child(*u, "distributions", true))
      for (const auto& d : *ds)
        items.push_back(fmt::format("Uncertain input {} ({}, {}): {}.", str(d, "name"), str(d, "distribution"),
                                    str(d, "applies_to"), str(d, "basis")));
  }
  if (plan)
    items.push_back(
        "Plan: every legal layout (TP, PP, DP, CP, EP, schedule, ZeRO stage, micro-batch, recomputation) is evaluated; "
        "the step time is the per-GPU critical path (compute plus exposed communication and the pipeline bubble), and "
        "MFU = tokens/s \u00d7 model FLOPs per token / (GPUs \u00d7 peak). The plan's GPU-hours include goodput but not "
        "the calibrated run efficiency that the estimate applies.");
  if (compare) {
    const std::string m = str(*compare, "extrapolation_method");
    if (!m.empty()) items.push_back("MoE vs dense, beyond the laws' fitted range: " + m);
  }
  if (hw)
    if (const Json* rule = child(*hw, "limit_rule"))
      items.push_back("Hardware limit: " + str(*rule, "source"));
  if (val)
    items.push_back(
        "Validation: each published run is re-planned with whatever plan fields were published and compared in the "
        "source's own convention; error = predicted / published \u2212 1 for hours and energy, percentage points for "
        "MFU. Published runs are validation data only: no per-model factors.");
  return section("sources", "Sources &amp; method notes", list(items, "sources"));
}

}  // namespace traincost::report::html
