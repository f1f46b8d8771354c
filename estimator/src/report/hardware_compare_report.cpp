#include "traincost/report/hardware_compare_report.hpp"

#include <fmt/format.h>

#include "traincost/report/format.hpp"
#include "traincost/util/json_nullable.hpp"

namespace traincost::report {

namespace {
using OJson = nlohmann::ordered_json;
}  // namespace

using econ::compact_plan;
using econ::HwCompareConstants;
using econ::HwCompareResult;

OJson compare_hardware_json(const HwCompareResult& r, const HwCompareConstants& c) {
  OJson j;
  j["schema"] = "traincost.compare_hardware.v1";
  j["model"] = r.model;
  j["tokens"] = r.in.tokens;
  j["seq_len"] = r.in.seq_len;
  j["precision_requested"] = to_string(r.in.precision);
  j["gpus"] = nullable(r.in.gpus);
  j["deadline_days"] = nullable(r.in.deadline_days);
  j["limit_rule"] = OJson{{"threshold", c.limit_share_threshold}, {"source", c.limit_share_source}};
  OJson rows = OJson::array();
  for (const auto& row : r.rows) {
    OJson x;
    x["hardware"] = row.id;
    x["name"] = row.name;
    x["precision"] = row.precision ? OJson(to_string(*row.precision)) : OJson(nullptr);
    x["performance_model"] = row.performance_model;
    x["plan"] = row.plan.empty() ? OJson(nullptr) : OJson(row.plan);
    x["fits"] = nullable(row.fits);
    x["gpus"] = nullable(row.gpus);
    x["min_gpus_to_fit"] = nullable(row.min_gpus_to_fit);
    x["days"] = nullable(row.days);
    x["meets_deadline"] = nullable(row.meets_deadline);
    x["gpu_hours"] = nullable(row.gpu_hours);
    x["cost_usd"] = nullable(row.cost_usd);
    x["price_usd_per_gpu_hour"] = nullable(row.price_usd_per_gpu_hour);
    x["price_basis"] = row.price_basis.empty() ? OJson(nullptr) : OJson(row.price_basis);
    x["price_source"] = row.price_source.empty() ? OJson(nullptr) : OJson(row.price_source);
    x["energy_mwh"] = nullable(row.energy_mwh);
    x["mfu"] = nullable(row.mfu);
    x["mfu_source"] = row.mfu_source.empty() ? OJson(nullptr) : OJson(row.mfu_source);
    x["step_time_s"] = row.best ? OJson(row.best->time.step) : OJson(nullptr);
    if (row.limit) {
      x["limit"] = row.limit->limit;
      x["limit_detail"] = row.limit->detail;
      x["time_shares"] = OJson{{"compute", row.limit->shares.compute},
                               {"hbm", row.limit->shares.hbm},
                               {"scale_up", row.limit->shares.scale_up},
                               {"scale_out", row.limit->shares.scale_out},
                               {"pipeline_bubble", row.limit->shares.pipeline_bubble}};
    } else {
      x["limit"] = nullptr;
      x["limit_detail"] = nullptr;
      x["time_shares"] = nullptr;
    }
    x["notes"] = row.notes;
    if (!row.cost_usd && row.precision && row.gpu_hours)
      x["notes"].push_back(fmt::format("{} has no rental price in its profile: cost not computed", row.id));
    rows.push_back(x);
  }
  j["rows"] = rows;
  OJson ic = OJson::array();
  for (const auto& x : r.interconnect)
    ic.push_back(OJson{{"hardware", x.hardware}, {"versus", x.versus}, {"days", x.days},
                       {"days_with_versus_links", x.days_with_versus_links}, {"versus_days", x.versus_days},
                       {"interconnect_effect", x.effect}, {"text", x.text}});
  j["interconnect"] = ic;
  j["notes"] = r.notes;
  j["constants_file"] = c.path;
  return j;
}

std::string compare_hardware_text(const HwCompareResult& r, const HwCompareConstants& c) {
  std::string out = fmt::format("Hardware comparison: {}, {} tokens, seq {}, {} requested, ", r.model, count(r.in.tokens),
                                r.in.seq_len, to_string(r.in.precision));
  out += r.in.gpus ? fmt::format("{} GPUs each\n", exact(*r.in.gpus))
                   : fmt::format("each cluster sized to meet {:g} days\n", *r.in.deadline_days);
  out += "\n";
  std::vector<std::vector<std::string>> rows{
      {"hardware", "prec", "plan", "fits", "GPUs", "days", "GPU-hours", "cost", "MWh", "MFU", "limit"}};
  auto num = [](const std::optional<double>& v, auto f) { return v ? f(*v) : std::string("-"); };
  for (const auto& row : r.rows) {
    std::string fits = !row.fits ? "-" : (*row.fits ? "yes" : "no");
    if (row.fits == std::optional<bool>(false) && row.min_gpus_to_fit) fits += fmt::format(" (>={})", *row.min_gpus_to_fit);
    std::string days = num(row.days, [](double v) { return fmt::format("{:.1f}", v); });
    if (row.meets_deadline == std::optional<bool>(false) && row.days) days += " (late)";
    rows.push_back({row.id, row.precision ? to_string(*row.precision) : "-",
                    row.best ? compact_plan(row.best->plan) : (row.precision && row.gpu_hours ? "(default MFU)" : "-"), fits,
                    row.gpus ? exact(*row.gpus) : "-", days, num(row.gpu_hours, count),
                    num(row.cost_usd, usd), num(row.energy_mwh, [](double v) { return fmt::format("{:.0f}", v); }),
                    num(row.mfu, percent), row.limit ? row.limit->limit : "-"});
  }
  out += table(rows, {false, false, false, false, true, true, true, true, true, true, false});

  bool any = false;
  for (const auto& row : r.rows) {
    std::vector<std::string> lines = row.notes;
    if (row.limit) lines.insert(lines.begin(), "limit: " + row.limit->detail);
    if (!row.cost_usd && row.precision && row.gpu_hours)
      lines.push_back(fmt::format("{} has no rental price in its profile: cost not computed", row.id));
    if (lines.empty()) continue;
    if (!any) out += "\nPer chip\n";
    any = true;
    for (const auto& l : lines) out += fmt::format("  {}: {}\n", row.id, l);
  }
  if (!r.interconnect.empty()) {
    out += "\nInterconnect\n";
    for (const auto& x : r.interconnect) out += fmt::format("  {}\n", x.text);
  }
  for (const auto& n : r.notes) out += fmt::format("\n{}\n", n);
  out += fmt::format(
      "\nlimit: the largest non-compute share of the best plan's step (HBM: element-wise + optimizer; scale-up: TP and "
      "in-domain EP; scale-out: DP, cross-domain PP and EP; pipeline bubble) when >= {:.0f}%, else compute; memory capacity "
      "when the plan needs full recomputation or ZeRO-3 and nothing else is named (constants/hardware_compare.json)\n",
      100.0 * c.limit_share_threshold);
  return out;
}

}  // namespace traincost::report
