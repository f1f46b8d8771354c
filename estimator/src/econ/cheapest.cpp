#include "traincost/econ/cheapest.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "traincost/report/format.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_nullable.hpp"

namespace traincost::econ {

using OJson = nlohmann::ordered_json;

std::string to_string(NotRankedWhy w) {
  switch (w) {
    case NotRankedWhy::no_peak: return "no_peak";
    case NotRankedWhy::no_performance_model: return "no_performance_model";
    case NotRankedWhy::no_plan_fits: return "no_plan_fits";
    case NotRankedWhy::misses_deadline: return "misses_deadline";
    case NotRankedWhy::no_price: return "no_price";
  }
  return "?";
}

namespace {

// "4,096 GPUs, 23.3 days, 2.29M GPU-hours": what was modelled, for a reason sentence.
std::string modelled(const HwRow& row) {
  std::vector<std::string> parts;
  if (row.gpus) parts.push_back(fmt::format("{} GPUs", report::exact(*row.gpus)));
  if (row.days) parts.push_back(fmt::format("{:.1f} days", *row.days));
  if (row.gpu_hours) parts.push_back(fmt::format("{} GPU-hours", report::count(*row.gpu_hours)));
  return fmt::format("{}", fmt::join(parts, ", "));
}

// The note compare_hardware left about the deadline ("no power-of-two cluster up to ...").
std::string deadline_note(const HwRow& row) {
  for (const auto& n : row.notes)
    if (n.rfind("no power-of-two cluster", 0) == 0 || n.rfind("no plan fits", 0) == 0 || n.find("even at 100% MFU") != std::string::npos)
      return n;
  return "no cluster meets the deadline";
}

std::vector<std::pair<NotRankedWhy, std::string>> reasons_for(const HwRow& row, const Accelerator& hw, double days) {
  std::vector<std::pair<NotRankedWhy, std::string>> out;
  if (!row.precision) {
    out.emplace_back(NotRankedWhy::no_peak, row.notes.empty() ? "no usable dense peak in its profile" : row.notes.front());
    return out;  // nothing else can be said
  }
  if (!row.performance_model) {
    // The gap reads "<id>: the profile has no ..."; the id is already the line's label.
    std::string gap = row.perf_model_gap;
    if (gap.rfind(row.id + ": ", 0) == 0) gap.erase(0, row.id.size() + 2);
    std::string s = fmt::format("the performance model cannot plan it ({}), so no plan is known to fit and meet the deadline",
                                gap);
    if (row.gpu_hours)
      s += fmt::format("; at the default utilisation: {}{}", modelled(row),
                       row.cost_usd ? fmt::format(", {}", report::usd(*row.cost_usd)) : std::string());
    out.emplace_back(NotRankedWhy::no_performance_model, s);
  } else if (!row.best) {
    // No plan at all: either the model fits on no cluster up to the cap, or the cap is below
    // the GPUs the deadline needs even at 100% MFU (then no cluster was tried).
    out.emplace_back(row.deadline_beyond_cap ? NotRankedWhy::misses_deadline : NotRankedWhy::no_plan_fits, deadline_note(row));
  } else if (row.meets_deadline != std::optional<bool>(true)) {
    out.emplace_back(NotRankedWhy::misses_deadline, deadline_note(row));
  }
  if (!hw.rental) {
    std::string s = fmt::format("no rental price in its profile (hwprofiles/{}.json)", hw.id);
    if (row.performance_model && row.best && row.meets_deadline == std::optional<bool>(true))
      s += fmt::format("; it meets {:g} days: {}", days, modelled(row));
    out.emplace_back(NotRankedWhy::no_price, s);
  }
  return out;
}


}  // namespace

CheapestResult cheapest_hardware(const ModelSpec& model, const std::vector<Accelerator>& hardware, const CheapestInputs& in,
                                 const HwCompareConstants& c) {
  if (!(in.deadline_days > 0) || !std::isfinite(in.deadline_days))
    throw UsageError(fmt::format("--days: {} must be a number of days > 0", in.deadline_days));
  if (hardware.empty()) throw UsageError("--hardware: no accelerators to compare");
  if (in.max_gpus && (*in.max_gpus < 1 || *in.max_gpus > c.max_cluster_gpus))
    throw UsageError(fmt::format("--max-gpus: {} is out of range; expected 1..{}", *in.max_gpus, c.max_cluster_gpus));
  CheapestResult r;
  r.in = in;
  HwCompareConstants capped = c;
  if (in.max_gpus) capped.max_cluster_gpus = *in.max_gpus;
  r.max_gpus = capped.max_cluster_gpus;

  HwCompareInputs hc;
  hc.tokens = in.tokens;
  hc.seq_len = in.seq_len;
  hc.precision = in.precision;
  hc.deadline_days = in.deadline_days;
  r.compared = compare_hardware(model, hardware, hc, capped);  // sizes every cluster for the deadline

  for (std::size_t i = 0; i < r.compared.rows.size(); ++i) {
    const HwRow& row = r.compared.rows[i];
    auto why = reasons_for(row, hardware[i], in.deadline_days);
    if (why.empty() && !row.cost_usd)  // priced, but the estimate gave no dollars: never rank a guess
      why.emplace_back(NotRankedWhy::no_price, "the estimate has no cost");
    if (!why.empty()) {
      r.not_ranked.push_back({i, std::move(why)});
      continue;
    }
    const RentalPrice& p = *hardware[i].rental;
    r.ranking.push_back({i, 1.0, fmt::format("{} {} {} ({})", p.provider, p.pricing, p.date, p.source)});
  }
  const auto& rows = r.compared.rows;
  std::stable_sort(r.ranking.begin(), r.ranking.end(), [&](const Ranked& a, const Ranked& b) {
    const HwRow& x = rows[a.row];
    const HwRow& y = rows[b.row];
    if (*x.cost_usd != *y.cost_usd) return *x.cost_usd < *y.cost_usd;
    if (*x.days != *y.days) return *x.days < *y.days;
    return x.id < y.id;
  });
  for (auto& k : r.ranking) k.cost_vs_cheapest = *rows[k.row].cost_usd / *rows[r.ranking.front().row].cost_usd;

  if (r.ranking.empty()) {
    r.answer = fmt::format("None of the {} accelerators meets {:g} days with a plan that fits and a rental price: see why below.",
                           rows.size(), in.deadline_days);
  } else {
    const HwRow& best = rows[r.ranking.front().row];
    r.answer = fmt::format("Cheapest: {}, {} on {} GPUs in {:.1f} days ({} GPU-hours at ${:.2f}/GPU-hour)", best.id,
                           report::usd(*best.cost_usd), report::exact(*best.gpus), *best.days,
                           report::count(*best.gpu_hours), *best.price_usd_per_gpu_hour);
    if (r.ranking.size() > 1) {
      const Ranked& next = r.ranking[1];
      r.answer += fmt::format("; next: {} at {} ({:.2f}x)", rows[next.row].id, report::usd(*rows[next.row].cost_usd),
                              next.cost_vs_cheapest);
    }
    r.answer += ".";
    // A chip the performance model could not plan may still look cheaper at the default
    // utilisation: say so rather than let the ranking hide it.
    for (const auto& n : r.not_ranked) {
      const HwRow& row = rows[n.row];
      if (!row.performance_model && row.cost_usd && *row.cost_usd < *best.cost_usd)
        r.notes.push_back(fmt::format("{} would cost {} at the default utilisation ({:.1f}% MFU), less than {}, but without "
                                      "a plan of the performance model that is not a like-for-like answer (see Not ranked)",
                                      row.id, report::usd(*row.cost_usd), 100.0 * row.mfu.value_or(0), best.id));
    }
  }
  r.notes.push_back(fmt::format("each cluster is the smallest of 8, 12, 16, 24, 32, ... GPUs (up to {}) on which the "
                                "performance model's best plan finishes within {:g} days; the next size down does not",
                                report::exact(r.max_gpus), in.deadline_days));
  r.notes.push_back("cost = GPU-hours x the profile's rental price (one quote per chip: provider, pricing and date differ, "
                    "see price_source); energy is not in the cost");
  return r;
}

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
                                r.compared.model, report::count(r.in.tokens), r.in.deadline_days, r.in.seq_len,
                                to_string(r.in.precision), rows.size());
  if (!r.ranking.empty()) {
    std::vector<std::vector<std::string>> t{
        {"#", "hardware", "prec", "GPUs", "plan", "days", "GPU-hours", "$/GPU-h", "cost", "x cheapest", "MWh", "MFU"}};
    for (std::size_t k = 0; k < r.ranking.size(); ++k) {
      const HwRow& row = rows[r.ranking[k].row];
      t.push_back({std::to_string(k + 1), row.id, to_string(*row.precision), report::exact(*row.gpus),
                   row.best ? compact_plan(row.best->plan) : row.plan, fmt::format("{:.1f}", *row.days),
                   report::count(*row.gpu_hours), fmt::format("{:.2f}", *row.price_usd_per_gpu_hour),
                   report::usd(*row.cost_usd), fmt::format("{:.2f}", r.ranking[k].cost_vs_cheapest),
                   row.energy_mwh ? fmt::format("{:.0f}", *row.energy_mwh) : "-",
                   row.mfu ? report::percent(*row.mfu) : "-"});
    }
    out += report::table(t, {true, false, false, true, false, true, true, true, true, true, true, true});
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

}  // namespace traincost::econ
