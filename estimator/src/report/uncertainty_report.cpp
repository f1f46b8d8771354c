// JSON of the Monte Carlo ranges (econ::UncertaintyResult), as `estimate --samples`,
// the report and the web API write them.
#include "traincost/report/uncertainty_report.hpp"

namespace traincost::report {

using econ::Distribution;
using econ::DistributionKind;
using econ::Percentiles;
using econ::UncertaintyResult;

nlohmann::ordered_json uncertainty_json(const UncertaintyResult& r) {
  auto pct = [](const std::optional<Percentiles>& p) -> nlohmann::ordered_json {
    if (!p) return nullptr;
    return nlohmann::ordered_json{{"p10", p->p10}, {"p50", p->p50}, {"p90", p->p90}};
  };
  nlohmann::ordered_json j;
  j["samples"] = r.samples;
  j["seed"] = r.seed;
  j["method"] =
      "Monte Carlo over independent inputs (constants/uncertainty.json), xoshiro256** seeded by SplitMix64, "
      "percentiles by linear interpolation between order statistics (Hyndman-Fan type 7)";
  j["gpu_hours"] = pct(r.gpu_hours);
  j["wall_clock_days"] = pct(r.wall_clock_days);
  j["cost_usd"] = pct(r.cost_usd);
  j["energy_mwh"] = pct(r.energy_mwh);
  j["co2_tonnes"] = pct(r.co2_tonnes);
  nlohmann::ordered_json ds = nlohmann::ordered_json::array();
  for (const Distribution* d : r.inputs.all()) {
    nlohmann::ordered_json p;
    switch (d->kind) {
      case DistributionKind::fixed: p = nlohmann::ordered_json{{"value", d->central}}; break;
      case DistributionKind::lognormal: p = nlohmann::ordered_json{{"median", d->central}, {"sigma_log", d->sigma_low}}; break;
      case DistributionKind::split_lognormal:
        p = nlohmann::ordered_json{{"median", d->central}, {"sigma_log_below", d->sigma_low}, {"sigma_log_above", d->sigma_high}};
        break;
      case DistributionKind::triangular: p = nlohmann::ordered_json{{"low", d->low}, {"mode", d->central}, {"high", d->high}}; break;
    }
    ds.push_back(nlohmann::ordered_json{{"name", d->name},
                      {"applies_to", d->applies_to},
                      {"distribution", to_string(d->kind)},
                      {"parameters", p},
                      {"p10", d->quantile(0.1)},
                      {"p90", d->quantile(0.9)},
                      {"basis", d->basis}});
  }
  j["distributions"] = ds;
  return j;
}

}  // namespace traincost::report
