// `traincost validate` output: every run, then summaries.
#include "traincost/report/validation_report.hpp"

#include <fmt/format.h>

#include "traincost/report/format.hpp"

namespace traincost::report {

using Json = nlohmann::ordered_json;

namespace {
std::string fmt_value(const ValidationRow& r, double v) {
  if (r.metric == "mfu") return percent(v);
  if (r.metric == "tflops_per_gpu") return fmt::format("{:.0f} TF", v);
  if (r.metric == "energy_mwh") return fmt::format("{:.0f} MWh", v);
  if (r.metric == "wall_clock_days") return fmt::format("{:.1f} d", v);
  if (r.metric == "wall_clock_hours") return fmt::format("{:.0f} h", v);
  return count(v);
}
std::string fmt_error(const ValidationRow& r) {
  return r.error_in_points ? fmt::format("{:+.1f} pt", r.error) : fmt::format("{:+.1f}%", 100.0 * r.error);
}
Json stats_json(const ValidationStats& s, bool hours) {
  Json j{{"count", s.count}, {"median_abs_error", s.median_abs}, {"max_abs_error", s.max_abs}};
  j["unit"] = hours ? "relative" : "percentage_points";
  if (hours) {
    j["within_10pct"] = s.within_10;
    j["within_25pct"] = s.within_25;
  }
  return j;
}
std::string stats_line(const char* label, const ValidationStats& s, bool hours) {
  if (s.count == 0) return fmt::format("  {:<34} no runs\n", label);
  if (hours)
    return fmt::format("  {:<34} n={:<3} median |error| {:5.1f}%  max {:5.1f}%  within 10%: {}  within 25%: {}\n", label,
                       s.count, 100 * s.median_abs, 100 * s.max_abs, s.within_10, s.within_25);
  return fmt::format("  {:<34} n={:<3} median |error| {:4.1f} pt  max {:4.1f} pt\n", label, s.count, s.median_abs, s.max_abs);
}
}  // namespace

Json validation_json(const std::vector<ValidationRow>& rows) {
  Json j;
  j["schema"] = "traincost.validation.v1";
  Json arr = Json::array();
  for (const auto& r : rows) {
    Json x{{"id", r.id}, {"kind", r.kind}, {"model_class", r.model_class}, {"hardware", r.hardware}, {"metric", r.metric}};
    if (r.skipped) {
      x["skipped"] = true;
      x["reason"] = r.skip_reason;
    } else {
      x["published"] = r.published;
      x["predicted"] = r.predicted;
      x["error"] = r.error;
      x["error_unit"] = r.error_in_points ? "percentage_points" : "relative";
      x["plan"] = r.plan;
      x["predicted_mfu"] = r.predicted_mfu;
      x["step_time_s"] = r.step_time_s;
      x["gpus"] = r.gpus;
      x["goodput"] = r.goodput;
      if (!r.gpus_note.empty()) x["gpus_note"] = r.gpus_note;
      if (!r.memory_note.empty()) x["memory_note"] = r.memory_note;
      if (r.energy_published_mwh && r.energy_predicted_mwh)
        x["energy_mwh"] = Json{{"published", *r.energy_published_mwh}, {"predicted", *r.energy_predicted_mwh},
                               {"error", *r.energy_predicted_mwh / *r.energy_published_mwh - 1.0}, {"basis", r.energy_basis}};
    }
    arr.push_back(x);
  }
  j["runs"] = arr;
  Json s;
  s["hours_all"] = stats_json(summarize(rows, "hours"), true);
  s["hours_dense"] = stats_json(summarize(rows, "hours", "dense"), true);
  s["hours_moe"] = stats_json(summarize(rows, "hours", "moe"), true);
  s["days_all"] = stats_json(summarize(rows, "days"), true);
  s["mfu_all"] = stats_json(summarize(rows, "mfu"), false);
  s["energy"] = stats_json(summarize(rows, "energy"), true);
  for (const char* hw : {"a100-80gb", "h100-sxm", "h800"}) s[std::string("hours_") + hw] = stats_json(summarize(rows, "hours", "", hw), true);
  j["summary"] = s;
  return j;
}

std::string validation_text(const std::vector<ValidationRow>& rows) {
  std::vector<std::vector<std::string>> t{{"run", "class", "hardware", "metric", "published", "predicted", "error", "plan"}};
  std::vector<std::vector<std::string>> skipped{{"run", "why not compared"}};
  for (const auto& r : rows) {
    if (r.skipped) {
      skipped.push_back({r.id, r.skip_reason});
      continue;
    }
    t.push_back({r.id, r.model_class, r.hardware, r.metric, fmt_value(r, r.published), fmt_value(r, r.predicted),
                 fmt_error(r), r.plan});
  }
  std::string out = table(t, {false, false, false, false, true, true, true, false});
  std::string notes;
  for (const auto& r : rows)
    if (!r.skipped && !r.memory_note.empty()) notes += fmt::format("  {}: {}\n", r.id, r.memory_note);
  if (!notes.empty()) out += "\nPublished layouts over the modelled memory\n" + notes;
  std::vector<std::vector<std::string>> en{{"run", "published MWh", "predicted MWh", "error", "how predicted"}};
  for (const auto& r : rows)
    if (!r.skipped && r.energy_published_mwh && r.energy_predicted_mwh)
      en.push_back({r.id, fmt::format("{:.0f}", *r.energy_published_mwh), fmt::format("{:.0f}", *r.energy_predicted_mwh),
                    fmt::format("{:+.1f}%", 100.0 * (*r.energy_predicted_mwh / *r.energy_published_mwh - 1.0)), r.energy_basis});
  if (en.size() > 1) out += "\nEnergy\n" + table(en, {false, true, true, true, false});
  out += "\nSummary\n";
  out += stats_line("GPU-hours, all runs", summarize(rows, "hours"), true);
  out += stats_line("GPU-hours, dense", summarize(rows, "hours", "dense"), true);
  out += stats_line("GPU-hours, MoE", summarize(rows, "hours", "moe"), true);
  out += stats_line("GPU-hours, A100", summarize(rows, "hours", "", "a100-80gb"), true);
  out += stats_line("GPU-hours, H100", summarize(rows, "hours", "", "h100-sxm"), true);
  out += stats_line("GPU-hours, H800", summarize(rows, "hours", "", "h800"), true);
  out += stats_line("wall-clock days, published GPUs", summarize(rows, "days"), true);
  out += stats_line("energy (own power model)", summarize(rows, "energy"), true);
  out += stats_line("MFU / TFLOPS benchmarks", summarize(rows, "mfu"), false);
  out += stats_line("MFU / TFLOPS, A100", summarize(rows, "mfu", "", "a100-80gb"), false);
  out += stats_line("MFU / TFLOPS, H100", summarize(rows, "mfu", "", "h100-sxm"), false);
  out += "\nNot compared\n" + table(skipped);
  return out;
}

}  // namespace traincost::report
