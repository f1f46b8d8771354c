#include "traincost/econ/cheapest.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "traincost/util/error.hpp"
#include "traincost/util/number_format.hpp"

namespace traincost::econ {

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
  if (row.gpus) parts.push_back(fmt::format("{} GPUs", util::exact(*row.gpus)));
  if (row.days) parts.push_back(fmt::format("{:.1f} days", *row.days));
  if (row.gpu_hours) parts.push_back(fmt::format("{} GPU-hours", util::count(*row.gpu_hours)));
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
                       row.cost_usd ? fmt::format(", {}", util::usd(*row.cost_usd)) : std::string());
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
                           util::usd(*best.cost_usd), util::exact(*best.gpus), *best.days,
                           util::count(*best.gpu_hours), *best.price_usd_per_gpu_hour);
    if (r.ranking.size() > 1) {
      const Ranked& next = r.ranking[1];
      r.answer += fmt::format("; next: {} at {} ({:.2f}x)", rows[next.row].id, util::usd(*rows[next.row].cost_usd),
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
                                      row.id, util::usd(*row.cost_usd), 100.0 * row.mfu.value_or(0), best.id));
    }
  }
  r.notes.push_back(fmt::format("each cluster is the smallest of 8, 12, 16, 24, 32, ... GPUs (up to {}) on which the "
                                "performance model's best plan finishes within {:g} days; the next size down does not",
                                util::exact(r.max_gpus), in.deadline_days));
  r.notes.push_back("cost = GPU-hours x the profile's rental price (one quote per chip: provider, pricing and date differ, "
                    "see price_source); energy is not in the cost");
  return r;
}

}  // namespace traincost::econ
