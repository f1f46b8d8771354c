#include "traincost/report/cheapest_report.hpp"

#include <vector>

#include <fmt/format.h>

#include "traincost/report/format.hpp"
#include "traincost/util/json_nullable.hpp"

namespace traincost::report {

namespace {
using OJson = nlohmann::ordered_json;
}  // namespace

using econ::CheapestResult;
using econ::compact_plan;
using econ::HwCompareConstants;
using econ::HwRow;

OJson cheapest_json(const CheapestResult& r, const HwCompareConstants& c) {
  const auto& rows = r.compared.rows;
  OJson j;
  j["schema"] = "traincost.cheapest_hardware.v1";
  j["model"] = r.compared.model;
  j["tokens"] = r.in.tokens;
  j["seq_len"] = r.in.seq_len;
  j["precision_requested"] = to_string(r.in.precision);
  j["deadline_days"] = r.in.deadline_days;
  j["max_gpus"] = r.max_gpus;
  OJson ids = OJson::array();
  for (const auto& row : rows) ids.push_back(row.id);
  j["candidates"] = ids;
  j["cheapest"] = r.ranking.empty() ? OJson(nullptr) : OJson(rows[r.ranking.front().row].id);
  j["answer"] = r.answer;
  OJson ranking = OJson::array();
  for (std::size_t k = 0; k < r.ranking.size(); ++k) {
    const HwRow& row = rows[r.ranking[k].row];
    OJson x;
    x["rank"] = k + 1;
    x["hardware"] = row.id;
    x["name"] = row.name;
    x["precision"] = to_string(*row.precision);
    x["gpus"] = *row.gpus;
    x["plan"] = row.plan;
    x["days"] = *row.days;
    x["gpu_hours"] = *row.gpu_hours;
    x["price_usd_per_gpu_hour"] = *row.price_usd_per_gpu_hour;
    x["price_source"] = r.ranking[k].price_source;
    x["cost_usd"] = *row.cost_usd;
    x["cost_vs_cheapest"] = r.ranking[k].cost_vs_cheapest;
    x["energy_mwh"] = nullable(row.energy_mwh);
    x["mfu"] = nullable(row.mfu);
    x["limit"] = row.limit ? OJson(row.limit->limit) : OJson(nullptr);
    x["notes"] = row.notes;
    ranking.push_back(x);
  }
  j["ranking"] = ranking;
  OJson not_ranked = OJson::array();
  for (const auto& n : r.not_ranked) {
    const HwRow& row = rows[n.row];
    OJson x;
    x["hardware"] = row.id;
    x["name"] = row.name;
    OJson why = OJson::array();
    for (const auto& [code, text] : n.reasons) why.push_back(OJson{{"code", to_string(code)}, {"text", text}});
    x["reasons"] = why;
    x["performance_model"] = row.performance_model;
    x["gpus"] = nullable(row.gpus);
    x["days"] = nullable(row.days);
    x["gpu_hours"] = nullable(row.gpu_hours);
    x["cost_usd"] = nullable(row.cost_usd);
    not_ranked.push_back(x);
  }
  j["not_ranked"] = not_ranked;
  j["notes"] = r.notes;
  j["constants_file"] = c.path;
  return j;
}

std::string cheapest_text(const CheapestResult& r) {
  const auto& rows = r.compared.rows;
  std::string out = fmt::format("Cheapest hardware: {}, {} tokens in {:g} days, seq {}, {} requested, {} candidates\n\n",
                                r.compared.model, count(r.in.tokens), r.in.deadline_days, r.in.seq_len,
                                to_string(r.in.precision), rows.size());
  if (!r.ranking.empty()) {
    std::vector<std::vector<std::string>> t{
        {"#", "hardware", "prec", "GPUs", "plan", "days", "GPU-hours", "$/GPU-h", "cost", "x cheapest", "MWh", "MFU"}};
    for (std::size_t k = 0; k < r.ranking.size(); ++k) {
      const HwRow& row = rows[r.ranking[k].row];
      t.push_back({std::to_string(k + 1), row.id, to_string(*row.precision), exact(*row.gpus),
                   row.best ? compact_plan(row.best->plan) : row.plan, fmt::format("{:.1f}", *row.days),
                   count(*row.gpu_hours), fmt::format("{:.2f}", *row.price_usd_per_gpu_hour),
                   usd(*row.cost_usd), fmt::format("{:.2f}", r.ranking[k].cost_vs_cheapest),
                   row.energy_mwh ? fmt::format("{:.0f}", *row.energy_mwh) : "-",
                   row.mfu ? percent(*row.mfu) : "-"});
    }
    out += table(t, {true, false, false, true, false, true, true, true, true, true, true, true});
    out += "\n";
  }
  out += r.answer + "\n";
  if (!r.not_ranked.empty()) {
    out += "\nNot ranked\n";
    for (const auto& n : r.not_ranked)
      for (const auto& [code, text] : n.reasons) out += fmt::format("  {}: {}\n", rows[n.row].id, text);
  }
  if (!r.ranking.empty()) {
    out += "\nPrices\n";
    for (const auto& k : r.ranking) out += fmt::format("  {}: {}\n", rows[k.row].id, k.price_source);
  }
  out += "\n";
  for (const auto& n : r.notes) out += n + "\n";
  return out;
}

}  // namespace traincost::report
