// check's constants (constants/claim_check.json) and the P10-P90 range of a
// prediction, from the leave-one-out errors of the calibration file.
#include <algorithm>
#include <cmath>

#include "traincost/econ/claim.hpp"
#include "traincost/econ/loo_errors.hpp"
#include "traincost/util/constants_file.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost::econ {

namespace {

ReferenceMfu reference_from(const JsonContext& c, const std::string& key) {
  const JsonContext r = c.child(key);
  ReferenceMfu m;
  m.value = r.get_real("value", 0.01, 1.0);
  m.run = r.get_string("run");
  m.gpus = r.get_int("gpus", 1, 10'000'000);
  return m;
}

}  // namespace

double ClaimConstants::server_overhead(const std::string& hardware_id) const {
  auto it = server_overhead_by_hardware.find(hardware_id);
  return it == server_overhead_by_hardware.end() ? server_overhead_default : it->second;
}

double ClaimConstants::amortisation_per_year() const { return depreciation_oom_per_year * std::log(10.0); }

ClaimConstants claim_constants_from_json(const nlohmann::json& doc, const std::string& where) {
  const JsonContext top{doc, where, ""};
  ClaimConstants c;
  const JsonContext v = top.child("verdict");
  c.best_large_scale = reference_from(v, "best_published_large_scale_mfu");
  c.best_any_scale = reference_from(v, "best_published_mfu_any_scale");
  c.reference = reference_from(v, "reference_mfu");
  c.implausible_mfu_margin_ratio = v.child("implausible_mfu_margin_ratio").get_real("value", 1.0, 2.0);
  c.implausible_vs_predicted_ratio = v.child("implausible_vs_predicted_mfu_ratio").get_real("value", 1.0, 10.0);
  c.days_tolerance = v.child("days_tolerance").get_real("value", 0.0, 1.0);
  const JsonContext range = v.child("prediction_range");
  c.low_percentile = range.get_real("low_percentile", 0.0, 0.5);
  c.high_percentile = range.get_real("high_percentile", 0.5, 1.0);
  if (!range.obj.contains("metrics") || !range.obj.at("metrics").is_array() || range.obj.at("metrics").empty())
    range.fail("metrics", "must be a non-empty array of metric names");
  for (const auto& m : range.obj.at("metrics")) {
    if (!m.is_string()) range.fail("metrics", "must contain strings only");
    c.range_metrics.push_back(m.get<std::string>());
  }

  const JsonContext x = top.child("excluded");
  const JsonContext dev = x.child("development_compute_multiplier");
  c.development_multiplier_low = dev.get_real("low", 1.0, 100.0);
  c.development_multiplier_high = dev.get_real("high", c.development_multiplier_low, 100.0);
  const JsonContext so = x.child("server_overhead_over_gpu_price");
  c.server_overhead_default = so.get_real("default", 1.0, 10.0);
  if (so.has("by_hardware")) {
    const JsonContext by = so.child("by_hardware");
    for (const auto& [id, _] : by.obj.items()) c.server_overhead_by_hardware[id] = by.get_real(id, 1.0, 10.0);
  }
  c.interconnect_share = x.child("interconnect_share_of_cluster_cost").get_real("value", 0.0, 0.9);
  c.depreciation_oom_per_year = x.child("depreciation_oom_per_year").get_real("value", 0.0, 2.0);
  c.hours_per_year = x.child("hours_per_year").get_real("value", 8000, 9000);
  c.electricity_usd_per_kwh = x.child("electricity_usd_per_kwh").get_real("value", 0.0, 10.0);
  return c;
}

const ClaimConstants& claim_constants() {
  return load_once<ClaimConstants>("constants/claim_check.json",
                                   [](const nlohmann::json& doc, const std::string& path) { return claim_constants_from_json(doc, path); });
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const double h = (static_cast<double>(values.size()) - 1.0) * std::clamp(p, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

ErrorRange error_range_from_json(const nlohmann::json& calibration, const std::string& where, const ClaimConstants& c) {
  const std::vector<double> logs = loo_log_errors(calibration, where, c.range_metrics, "a claim's P10-P90 range");
  ErrorRange r;
  r.log_low = percentile(logs, c.low_percentile);
  r.log_high = percentile(logs, c.high_percentile);
  r.runs = static_cast<int>(logs.size());
  r.file = where;
  return r;
}

ErrorRange load_error_range(const ClaimConstants& c) {
  ErrorRange r = parse_data_file("constants/calibrated.json", [&](const nlohmann::json& doc, const std::string& path) {
    return error_range_from_json(doc, path, c);
  });
  r.file = "constants/calibrated.json";
  return r;
}
}  // namespace traincost::econ
