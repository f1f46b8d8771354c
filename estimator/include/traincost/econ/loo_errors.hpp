#pragma once
// The leave-one-out errors that `traincost calibrate` writes into
// constants/calibrated.json (`residuals[i].leave_one_out_error`, a relative
// error e > -1), read as ln(1 + e). `check` takes percentiles of them (the
// P10-P90 range of a claim) and the Monte Carlo ranges their spread (the
// achievable-efficiency distribution): both read them here.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace traincost::econ {

// ln(1 + e) of every row of `residuals` whose metric is one of `metrics` and
// that carries a leave_one_out_error (rows without one are skipped). Throws
// InputError naming `where` and the field for a malformed row, and when fewer
// than 3 rows carry one (`purpose` says what needs them).
std::vector<double> loo_log_errors(const nlohmann::json& calibration, const std::string& where,
                                   const std::vector<std::string>& metrics, const std::string& purpose);

}  // namespace traincost::econ
