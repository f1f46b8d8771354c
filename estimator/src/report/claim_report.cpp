#include "traincost/report/claim_report.hpp"

#include <fmt/format.h>

#include "traincost/report/format.hpp"
#include "traincost/util/json_nullable.hpp"

namespace traincost::report {

namespace {
nlohmann::ordered_json range_json(const std::optional<econ::UsdRange>& r) {
  if (!r) return nullptr;
  return nlohmann::ordered_json{{"low", r->low}, {"high", r->high}};
}
}  // namespace

using econ::ClaimCheck;

nlohmann::ordered_json claim_json(const ClaimCheck& r) {
  nlohmann::ordered_json j;
  j["schema"] = "traincost.check.v1";
  j["model"] = r.model;
  j["hardware"] = r.hardware;
  j["precision"] = r.precision;
  j["tokens"] = r.tokens;
  j["seq_len"] = r.seq_len;
  j["gpus"] = nullable(r.gpus);
  j["claimed_gpu_hours"] = r.claim.gpu_hours;
  j["claimed_cost_usd"] = nullable(r.claim.cost_usd);
  j["claimed_days"] = nullable(r.claim.days);
  j["training_flops"] = r.training_flops;
  j["peak_flops_per_gpu_s"] = r.peak_flops_per_gpu_s;
  j["peak_bf16_flops_per_gpu_s"] = nullable(r.peak_16bit_flops_per_gpu_s);
  j["implied_flops_per_gpu_s"] = r.implied_flops_per_gpu_s;
  j["implied_mfu"] = r.implied_mfu;
  j["implied_mfu_bf16_peak"] = nullable(r.implied_mfu_bf16_peak);
  j["implied_usd_per_gpu_hour"] = nullable(r.implied_usd_per_gpu_hour);
  j["implied_wall_clock_days"] = nullable(r.implied_wall_clock_days);
  j["implied_gpu_hours_from_days"] = nullable(r.implied_gpu_hours_from_days);
  j["claimed_over_days_gpu_hours"] = nullable(r.hours_over_hours_from_days);
  j["implied_gpus"] = nullable(r.implied_gpus);
  j["predicted_gpu_hours"] = r.predicted_gpu_hours;
  j["predicted_gpu_hours_p10"] = r.predicted_gpu_hours_p10;
  j["predicted_gpu_hours_p90"] = r.predicted_gpu_hours_p90;
  j["predicted_mfu"] = r.predicted_mfu;
  j["predicted_wall_clock_days"] = nullable(r.predicted_wall_clock_days);
  j["plan"] = r.plan.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.plan);
  j["prediction_source"] = r.prediction_source;
  j["prediction_gpus"] = nullable(r.prediction_gpus);
  j["prediction_gpus_rule"] = r.prediction_gpus_rule.empty() ? nlohmann::ordered_json(nullptr)
                                                             : nlohmann::ordered_json(r.prediction_gpus_rule);
  j["range"] = {{"source", "leave_one_out_error of whole published training runs"},
                {"file", r.range.file},
                {"runs", r.range.runs},
                {"low_percentile", r.low_percentile},
                {"high_percentile", r.high_percentile},
                {"log_error_low", r.range.log_low},
                {"log_error_high", r.range.log_high}};
  j["verdict"] = econ::to_string(r.verdict);
  j["reasons"] = r.reasons;
  nlohmann::ordered_json x;
  x["cost_basis_usd"] = nullable(r.cost_basis_usd);
  x["cost_basis"] = r.cost_basis;
  x["research_compute_usd_range"] = range_json(r.research_compute_usd);
  x["total_development_compute_usd_range"] = range_json(r.total_development_usd);
  x["ownership_usd"] = nullable(r.ownership_usd);
  x["ownership_usd_per_gpu_hour"] = nullable(r.ownership_usd_per_gpu_hour);
  x["ownership_gpu_hours"] = r.ownership_gpu_hours;
  x["cluster_capex_usd"] = nullable(r.cluster_capex_usd);
  x["hardware_usd_per_gpu"] = nullable(r.hardware_usd_per_gpu);
  x["energy_mwh"] = nullable(r.energy_mwh);
  x["energy_usd"] = nullable(r.energy_usd);
  x["staff"] = "out of scope";
  x["basis"] = {
      {"research_compute",
       fmt::format("total development compute is {:g}x to {:g}x the final run (90% CI), Cottier et al. 2024; research "
                   "and ablations are the part beyond the run",
                   r.development_multiplier_low, r.development_multiplier_high)},
      {"ownership",
       fmt::format("Epoch AI method: purchase price x server overhead {:g} / (1 - interconnect share {:g}), amortised "
                   "at r ln 10 = {:.3f} per year (r = {:g} orders of magnitude per year) over the GPU-hours the "
                   "cluster is held; new hardware assumed",
                   r.server_overhead, r.interconnect_share, r.amortisation_per_year,
                   r.amortisation_per_year / std::log(10.0))},
      {"cluster_capex", "GPUs x purchase price x server overhead / (1 - interconnect share)"},
      {"energy", fmt::format("claimed GPU-hours x facility power per GPU (Epoch AI power model), at ${:g}/kWh; a "
                             "rental price already includes it",
                             r.electricity_usd_per_kwh)},
      {"staff", "not estimated: R&D staff were 29-49% of the development cost of four frontier models (Cottier et al. 2024)"}};
  j["excluded"] = x;
  j["notes"] = r.notes;
  return j;
}

std::string claim_text(const ClaimCheck& r) {
  // Rows of (label, value, note), aligned per section: values right-aligned.
  using Rows = std::vector<std::array<std::string, 3>>;
  auto block = [](const Rows& rows) {
    std::size_t wl = 0, wv = 0;
    for (const auto& row : rows) {
      wl = std::max(wl, row[0].size());
      wv = std::max(wv, row[1].size());
    }
    std::string out;
    for (const auto& row : rows)
      out += fmt::format("  {:<{}}  {:>{}}{}\n", row[0], wl, row[1], wv, row[2].empty() ? "" : "  " + row[2]);
    return out;
  };
  std::string s;
  s += fmt::format("Claim check: {}, {} tokens on {}{}, {} GEMMs, seq_len {}\n", r.model, count(r.tokens),
                   r.gpus ? fmt::format("{} x ", *r.gpus) : std::string(), r.hardware_name, r.precision, r.seq_len);
  s += fmt::format("  claimed: {} GPU-hours", precise(r.claim.gpu_hours));
  if (r.claim.cost_usd) s += fmt::format(", {}", usd(*r.claim.cost_usd));
  if (r.claim.days) s += fmt::format(", {} days", days_text(*r.claim.days));
  s += "\n\nWhat the claim implies\n";
  Rows implied;
  implied.push_back({"training FLOPs", sci(r.training_flops),
                     r.has_mtp ? "model FLOPs: causal attention, MTP included" : "model FLOPs: causal attention"});
  implied.push_back({"FLOP/s per GPU", sci(r.implied_flops_per_gpu_s), ""});
  implied.push_back({fmt::format("MFU vs the {} dense peak", r.precision), percent(r.implied_mfu),
                     fmt::format("peak {:.3e} FLOP/s", r.peak_flops_per_gpu_s)});
  if (r.implied_mfu_bf16_peak && r.peak_16bit_flops_per_gpu_s && *r.peak_16bit_flops_per_gpu_s != r.peak_flops_per_gpu_s)
    implied.push_back({"MFU vs the 16-bit dense peak", percent(*r.implied_mfu_bf16_peak),
                       fmt::format("peak {:.3e} FLOP/s", *r.peak_16bit_flops_per_gpu_s)});
  if (r.implied_usd_per_gpu_hour) implied.push_back({"$/GPU-hour", fmt::format("${:.2f}", *r.implied_usd_per_gpu_hour), ""});
  if (r.implied_wall_clock_days)
    implied.push_back({fmt::format("wall-clock days on {} GPUs", *r.gpus), days_text(*r.implied_wall_clock_days), ""});
  if (r.implied_gpu_hours_from_days)
    implied.push_back({"GPU-hours in the claimed days", count(*r.implied_gpu_hours_from_days),
                       fmt::format("{} GPUs x {} days x 24; the claim uses {}", *r.gpus, days_text(*r.claim.days),
                                   percent(*r.hours_over_hours_from_days))});
  if (r.implied_gpus) implied.push_back({"GPUs busy over the claimed days", fmt::format("{:.0f}", *r.implied_gpus), ""});
  s += block(implied);

  s += "\nWhat traincost predicts\n";
  Rows pred;
  pred.push_back({"MFU", percent(r.predicted_mfu),
                  r.from_performance_model ? fmt::format("of the {} peak, steady state of the fastest plan", r.precision)
                                           : fmt::format("of the {} peak, default utilisation", r.precision)});
  pred.push_back({"GPU-hours", count(r.predicted_gpu_hours),
                  fmt::format("P{:.0f} {}, P{:.0f} {}", 100 * r.low_percentile, count(r.predicted_gpu_hours_p10),
                              100 * r.high_percentile, count(r.predicted_gpu_hours_p90))});
  if (r.predicted_wall_clock_days)
    pred.push_back({r.prediction_gpus ? fmt::format("wall-clock days on {} GPUs{}", *r.prediction_gpus,
                                                    r.prediction_gpus_rule.empty() ? "" : " (assumed)")
                                      : std::string("wall-clock days"),
                    days_text(*r.predicted_wall_clock_days), ""});
  s += block(pred);
  if (!r.plan.empty()) s += fmt::format("  plan: {}\n", r.plan);
  s += fmt::format("  range: the leave-one-out errors of {} published training runs' GPU-hours ({})\n", r.range.runs,
                   r.range.file);

  s += fmt::format("\nVerdict: {}\n", econ::to_string(r.verdict));
  for (const auto& reason : r.reasons) s += "  - " + reason + "\n";

  s += "\nWhat the claim leaves out\n";
  Rows out;
  if (r.research_compute_usd)
    out.push_back({"research and ablations",
                   fmt::format("{} to {}", usd(r.research_compute_usd->low), usd(r.research_compute_usd->high)),
                   fmt::format("whole development {:g}x to {:g}x the run, 90% CI (Cottier et al. 2024): {} to {}",
                               r.development_multiplier_low, r.development_multiplier_high,
                               usd(r.total_development_usd->low), usd(r.total_development_usd->high))});
  else
    out.push_back({"research and ablations", "n/a",
                   fmt::format("{:g}x to {:g}x the run's compute; no cost basis ({})", r.development_multiplier_low - 1.0,
                               r.development_multiplier_high - 1.0, r.cost_basis)});
  if (r.ownership_usd)
    out.push_back({"owning the cluster for the run", usd(*r.ownership_usd),
                   fmt::format("{} GPU-hours x ${:.2f}: {} per GPU amortised at {:.1f}%/yr (Epoch AI)",
                               precise(r.ownership_gpu_hours), *r.ownership_usd_per_gpu_hour, usd(*r.hardware_usd_per_gpu),
                               100 * r.amortisation_per_year)});
  else
    out.push_back({"owning the cluster for the run", "n/a", "no purchase price in the profile"});
  if (r.cluster_capex_usd)
    out.push_back({"buying the cluster outright", usd(*r.cluster_capex_usd),
                   fmt::format("{} x {} x {:g} server / (1 - {:g}) interconnect", *r.gpus, usd(*r.purchase_usd),
                               r.server_overhead, r.interconnect_share)});
  else if (r.hardware_usd_per_gpu)
    out.push_back({"buying the cluster outright", "n/a", fmt::format("pass --gpus ({} per GPU)", usd(*r.hardware_usd_per_gpu))});
  if (r.energy_mwh)
    out.push_back({"energy", fmt::format("{:.0f} MWh", *r.energy_mwh),
                   fmt::format("{} at ${:g}/kWh; a rental price includes it", usd(*r.energy_usd), r.electricity_usd_per_kwh)});
  out.push_back({"staff", "out of scope", "R&D staff: 29-49% of development cost (Cottier et al. 2024)"});
  s += block(out);
  if (r.cost_basis_usd && r.cost_basis != "the claimed cost") s += fmt::format("  cost basis: {}\n", r.cost_basis);
  if (!r.notes.empty()) {
    s += "\nNotes\n";
    for (const auto& n : r.notes) s += "  " + n + "\n";
  }
  return s;
}

}  // namespace traincost::report
