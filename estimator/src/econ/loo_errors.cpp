#include "traincost/econ/loo_errors.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost::econ {

std::vector<double> loo_log_errors(const nlohmann::json& calibration, const std::string& where,
                                   const std::vector<std::string>& metrics, const std::string& purpose) {
  const JsonContext top{calibration, where, ""};
  if (!calibration.contains("residuals") || !calibration.at("residuals").is_array())
    top.fail("residuals", "is required (an array written by `traincost calibrate`)");
  std::vector<double> logs;
  const auto& rows = calibration.at("residuals");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].is_object()) top.fail(fmt::format("residuals[{}]", i), "must be a JSON object");
    const JsonContext row{rows[i], where, fmt::format("residuals[{}]", i)};
    const std::string metric = row.get_string("metric");
    if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) continue;
    if (!row.has("leave_one_out_error")) continue;
    if (row.opt_string("error_unit").value_or("relative") != "relative")
      row.fail("error_unit", "must be 'relative' for a GPU-hours row");
    // A relative error above -1: the prediction is positive.
    logs.push_back(std::log1p(row.get_real("leave_one_out_error", -0.999, 100.0)));
  }
  if (logs.size() < 3)
    throw InputError(fmt::format("{}: {} rows of `residuals` with metric {} carry a leave_one_out_error; {} needs at least 3 "
                                 "(run `traincost calibrate` without --no-loo)",
                                 where, logs.size(), fmt::join(metrics, " or "), purpose));
  return logs;
}

}  // namespace traincost::econ
