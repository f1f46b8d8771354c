// The Monte Carlo's inputs: the ranges of constants/uncertainty.json (the efficiency
// spread from the leave-one-out errors of the calibration file) and the
// distributions they give one estimate.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "traincost/cost/constants.hpp"
#include "traincost/econ/loo_errors.hpp"
#include "traincost/econ/uncertainty.hpp"
#include "traincost/util/sample_spread.hpp"
#include "traincost/util/constants_file.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost::econ {

// ---- constants -------------------------------------------------------------

UncertaintyConstants uncertainty_constants_from_json(const nlohmann::json& doc, const std::string& where,
                                                     const nlohmann::json& calibration,
                                                     const std::string& calibration_where) {
  const JsonContext top{doc, where, ""};
  UncertaintyConstants c;
  c.file = where;
  const double z90 = normal_quantile(0.9);

  const JsonContext eff = top.child("achievable_efficiency");
  if (!eff.has("metrics") || !eff.obj.at("metrics").is_array() || eff.obj.at("metrics").empty())
    eff.fail("metrics", "is required (a non-empty array of metric names)");
  for (const auto& m : eff.obj.at("metrics")) {
    if (!m.is_string()) eff.fail("metrics", "must hold strings");
    c.efficiency_metrics.push_back(m.get<std::string>());
  }
  c.efficiency_median = eff.child("median").get_real("value", 0.1, 10.0);
  c.residuals_file = eff.get_string("residuals_file");

  const std::vector<double> logs =
      loo_log_errors(calibration, calibration_where, c.efficiency_metrics, "the efficiency spread");
  const MeanSd spread = mean_and_sample_sd(logs);
  c.efficiency_mean_log = spread.mean;
  c.efficiency_sigma_log = spread.sd;
  c.efficiency_runs = static_cast<int>(logs.size());

  const JsonContext good = top.child("goodput");
  c.goodput_loss_multiplier_low = good.child("loss_multiplier_low").get_real("value", 0.0, 1.0);
  c.goodput_loss_multiplier_high = good.child("loss_multiplier_high").get_real("value", 1.0, 10.0);
  c.goodput_floor = good.child("floor").get_real("value", 0.01, 1.0);

  c.price_single_quote_spread =
      top.child("price").child("single_quote_relative_spread").get_real("value", 0.0, 0.99);

  const JsonContext pue = top.child("pue");
  c.pue_low = pue.child("low").get_real("value", 1.0, 3.0);
  c.pue_high = pue.child("high").get_real("value", 1.0, 3.0);
  if (c.pue_low > c.pue_high) pue.fail("low", "must not exceed pue.high");

  const JsonContext grid = top.child("grid_intensity");
  if (!grid.has("published_grids") || !grid.obj.at("published_grids").is_array() ||
      grid.obj.at("published_grids").size() < 2)
    grid.fail("published_grids", "is required (an array of at least 2 {run, kgco2_per_kwh, source})");
  const auto& grids = grid.obj.at("published_grids");
  for (std::size_t i = 0; i < grids.size(); ++i) {
    if (!grids[i].is_object()) grid.fail(fmt::format("published_grids[{}]", i), "must be a JSON object");
    const JsonContext g{grids[i], where, fmt::format("grid_intensity.published_grids[{}]", i)};
    const double v = g.get_real("kgco2_per_kwh", 0.001, 2.0);
    g.get_string("source");
    c.grid_min = i == 0 ? v : std::min(c.grid_min, v);
    c.grid_max = i == 0 ? v : std::max(c.grid_max, v);
  }
  c.grid_sigma_log = std::log(c.grid_max / c.grid_min) / (2.0 * z90);

  const JsonContext pf = top.child("average_power_fraction");
  c.power_fraction_low_relative = pf.child("low_relative").get_real("value", 0.0, 1.0);
  c.power_fraction_high_relative = pf.child("high_relative").get_real("value", 1.0, 2.0);
  return c;
}

const UncertaintyConstants& uncertainty_constants() {
  return load_once<UncertaintyConstants>("constants/uncertainty.json", [](const nlohmann::json& doc, const std::string& path) {
    // The leave-one-out errors live in the calibration file this one names.
    const std::string residuals = JsonContext{doc, path, ""}.child("achievable_efficiency").get_string("residuals_file");
    UncertaintyConstants r = parse_data_file(residuals, [&](const nlohmann::json& cal, const std::string& cal_path) {
      return uncertainty_constants_from_json(doc, path, cal, cal_path);
    });
    r.file = "constants/uncertainty.json";
    return r;
  });
}

// ---- the distributions of an estimate --------------------------------------

namespace {

// Numeric rental quotes of a profile: `rental.usd_per_gpu_hour` and every
// `other_rental_quotes[i].usd_per_accelerator_hour` (a quote that is only a
// range has none and is skipped).
std::vector<double> rental_quotes(const Accelerator& hw) {
  std::vector<double> q;
  const nlohmann::json& d = hw.document;
  if (!d.is_object()) {
    if (hw.rental) q.push_back(hw.rental->usd_per_gpu_hour);
    return q;
  }
  if (auto it = d.find("rental"); it != d.end() && it->is_object())
    if (auto p = it->find("usd_per_gpu_hour"); p != it->end() && p->is_number()) q.push_back(p->get<double>());
  if (auto it = d.find("other_rental_quotes"); it != d.end() && it->is_array())
    for (const auto& o : *it)
      if (o.is_object())
        if (auto p = o.find("usd_per_accelerator_hour"); p != o.end() && p->is_number() && p->get<double>() > 0)
          q.push_back(p->get<double>());
  return q;
}

Distribution triangular(std::string name, std::string applies_to, double low, double mode, double high,
                        std::string basis) {
  Distribution d;
  d.name = std::move(name);
  d.applies_to = std::move(applies_to);
  d.central = mode;
  d.low = std::min(low, mode);
  d.high = std::max(high, mode);
  d.kind = d.high > d.low ? DistributionKind::triangular : DistributionKind::fixed;
  d.basis = std::move(basis);
  return d;
}

}  // namespace

UncertainInputs uncertain_inputs(const Estimate& e, const EstimateInputs& in, const Accelerator& hw,
                                 const UncertaintyConstants& c) {
  const double z90 = normal_quantile(0.9);
  UncertainInputs u;

  u.efficiency.name = "achievable_efficiency";
  u.efficiency.applies_to = "multiplier on GPU-hours";
  u.efficiency.kind = c.efficiency_sigma_log > 0 ? DistributionKind::lognormal : DistributionKind::fixed;
  u.efficiency.central = c.efficiency_median;
  u.efficiency.sigma_low = u.efficiency.sigma_high = c.efficiency_sigma_log;
  u.efficiency.basis = fmt::format("sd of ln(1 + e) over the leave-one-out errors e of {} whole published runs ({})",
                                   c.efficiency_runs, c.residuals_file);

  const bool modelled_goodput = !e.plan.empty();
  if (modelled_goodput) {
    const double g = e.goodput, loss = 1.0 - g;
    double low = 1.0 - c.goodput_loss_multiplier_high * loss;
    if (g > c.goodput_floor) low = std::max(low, c.goodput_floor);  // the reported floor, unless the model predicts less
    u.goodput = triangular("goodput", "GPU-hours x goodput / sampled goodput", low, g,
                           1.0 - c.goodput_loss_multiplier_low * loss,
                           fmt::format("mode = the model's goodput, the lost share {:g}x to {:g}x the model's, not below "
                                       "{:.2f} (Llama 3 and MegaScale: 'over 90%' effective training time at 10-16K GPUs)",
                                       c.goodput_loss_multiplier_low, c.goodput_loss_multiplier_high, c.goodput_floor));
  } else {
    u.goodput.name = "goodput";
    u.goodput.applies_to = "GPU-hours x goodput / sampled goodput";
    u.goodput.central = e.goodput;
    u.goodput.basis = "held: the utilisation is given or the default whole-run figure, with no goodput term";
  }

  u.price.name = "price_usd_per_gpu_hour";
  u.price.applies_to = "dollars = sampled GPU-hours x sampled price";
  if (!e.price_usd_per_gpu_hour) {
    u.price.basis = "no price: dollars not computed";
  } else {
    const double p = *e.price_usd_per_gpu_hour;
    u.price.central = p;
    std::vector<double> quotes;
    if (!in.price_usd_per_gpu_hour) quotes = rental_quotes(hw);
    quotes.push_back(p);
    const auto [lo, hi] = std::minmax_element(quotes.begin(), quotes.end());
    if (p <= 0) {
      u.price.basis = "a price of zero";
    } else if (*hi > *lo) {
      u.price.kind = DistributionKind::split_lognormal;
      u.price.sigma_low = std::log(p / *lo) / z90;
      u.price.sigma_high = std::log(*hi / p) / z90;
      u.price.basis = fmt::format("P10 ${:.2f} and P90 ${:.2f}: the lowest and highest of {} rental quotes in hwprofiles/{}.json",
                                  *lo, *hi, quotes.size() - 1, hw.id);
    } else {
      u.price.kind = DistributionKind::split_lognormal;
      u.price.sigma_low = -std::log(1.0 - c.price_single_quote_spread) / z90;
      u.price.sigma_high = std::log(1.0 + c.price_single_quote_spread) / z90;
      u.price.basis = fmt::format("{}: P10 and P90 at -{:.0f}% and +{:.0f}% (assumption)",
                                  in.price_usd_per_gpu_hour ? "given price, taken as one quote" : "one rental quote",
                                  100 * c.price_single_quote_spread, 100 * c.price_single_quote_spread);
    }
  }

  u.pue = triangular("pue", "energy x sampled PUE / PUE", c.pue_low, in.pue, c.pue_high,
                     fmt::format("{:.2f} (Epoch AI, hyperscaler) to {:.2f} (Uptime Institute 2023 industry average), mode "
                                 "= the estimate's PUE",
                                 c.pue_low, c.pue_high));

  u.grid.name = "grid_kgco2_per_kwh";
  u.grid.applies_to = "CO2 = sampled energy x sampled grid intensity";
  u.grid.central = in.grid_kgco2_per_kwh;
  u.grid.kind = c.grid_sigma_log > 0 && in.grid_kgco2_per_kwh > 0 ? DistributionKind::lognormal : DistributionKind::fixed;
  u.grid.sigma_low = u.grid.sigma_high = c.grid_sigma_log;
  u.grid.basis = fmt::format("sigma spans the published training-run grids {:.3f}-{:.3f} kgCO2e/kWh as P10-P90 "
                             "(Patterson et al. 2021, Table 4)",
                             c.grid_min, c.grid_max);

  const double f = hw.device_class == "tpu" ? defaults::kAvgPowerFractionTpu : defaults::kAvgPowerFractionGpu;
  u.power_fraction = triangular(
      "average_power_fraction", "energy x sampled fraction / fraction", c.power_fraction_low_relative * f, f,
      c.power_fraction_high_relative * f,
      fmt::format("{:.1f}x to {:.1f}x Epoch AI's {:.2f} of server TDP (assumption)", c.power_fraction_low_relative,
                  c.power_fraction_high_relative, f));
  return u;
}

}  // namespace traincost::econ
