#include "traincost/report/gemm_report.hpp"

#include <fmt/format.h>

#include "traincost/report/format.hpp"

namespace traincost::report {

nlohmann::ordered_json gemm_check_json(const std::vector<GemmCheck>& checks) {
  nlohmann::ordered_json out{{"schema", "traincost.gemm_check.v1"}, {"devices", nlohmann::ordered_json::array()}};
  for (const GemmCheck& c : checks) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const GemmCheckRow& r : c.rows)
      rows.push_back({{"label", r.measured.label}, {"precision", r.measured.precision}, {"pass", r.measured.pass},
                      {"m", r.measured.m}, {"n", r.measured.n}, {"k", r.measured.k},
                      {"measured_s", r.measured.measured_s}, {"predicted_s", r.predicted_s},
                      {"measured_flops_per_s", 2 * r.measured.m * r.measured.n * r.measured.k / r.measured.measured_s},
                      {"error", r.error()}, {"small", r.small}});
    const GemmCheckSummary& s = c.summary;
    out["devices"].push_back(
        {{"file", c.set.file}, {"hardware", c.set.hardware}, {"device_name", c.set.device_name},
         {"date", c.set.date}, {"software", c.set.software},
         {"measured_hbm_copy_bytes_per_s", c.set.hbm_copy_bytes_per_s},
         {"profile_hbm_bytes_per_s", c.profile_hbm_bytes_per_s},
         {"measured_bf16_max_flops_per_s", c.set.bf16_max_flops_per_s},
         {"profile_gemm_ceiling_bf16_flops_per_s", c.profile_gemm_ceiling_bf16_flops_per_s},
         {"shape_efficiency", c.shape_efficiency},
         {"summary",
          {{"count", s.count}, {"median_abs_error", s.median_abs}, {"max_abs_error", s.max_abs},
           {"mean_signed_error", s.mean_signed}, {"small_count", s.small_count},
           {"median_abs_error_large", s.median_abs_large}, {"median_abs_error_small", s.median_abs_small},
           {"implied_shape_efficiency_bf16", s.implied_shape_efficiency_bf16}}},
         {"rows", rows}});
  }
  return out;
}

std::string gemm_check_text(const std::vector<GemmCheck>& checks) {
  std::string out;
  for (const GemmCheck& c : checks) {
    out += fmt::format("GEMMs timed on {} ({}, {}, {})\n", c.set.device_name, c.set.hardware, c.set.software, c.set.date);
    out += fmt::format("  matmul ceiling: profile {:.0f} TFLOP/s x shape efficiency {:.3f} = {:.0f}; best measured {:.0f}\n",
                       c.profile_gemm_ceiling_bf16_flops_per_s / 1e12, c.shape_efficiency,
                       c.profile_gemm_ceiling_bf16_flops_per_s * c.shape_efficiency / 1e12, c.set.bf16_max_flops_per_s / 1e12);
    out += fmt::format("  HBM: profile {:.2f} TB/s; measured copy {:.2f} TB/s ({})\n\n", c.profile_hbm_bytes_per_s / 1e12,
                       c.set.hbm_copy_bytes_per_s / 1e12, percent(c.set.hbm_copy_bytes_per_s / c.profile_hbm_bytes_per_s));
    std::vector<std::vector<std::string>> rows{
        {"shape", "prec", "pass", "m", "n", "k", "measured TF/s", "model TF/s", "time error", ""}};
    for (const GemmCheckRow& r : c.rows) {
      const double flops = 2 * r.measured.m * r.measured.n * r.measured.k;
      rows.push_back({r.measured.label, r.measured.precision, r.measured.pass, fmt::format("{:.0f}", r.measured.m),
                      fmt::format("{:.0f}", r.measured.n), fmt::format("{:.0f}", r.measured.k),
                      fmt::format("{:.0f}", flops / r.measured.measured_s / 1e12),
                      fmt::format("{:.0f}", flops / r.predicted_s / 1e12), fmt::format("{:+.1f}%", 100 * r.error()),
                      r.small ? "small" : ""});
    }
    out += table(rows, {false, false, false, true, true, true, true, true, true, false});
    const GemmCheckSummary& s = c.summary;
    out += fmt::format(
        "\n  {} GEMMs: median |time error| {:.1f}%, max {:.1f}%, mean signed {:+.1f}% (negative: the model is faster "
        "than measured)\n  large shapes: median {:.1f}%; {} small shapes (< 128 output tiles or k < 1024): median {:.1f}%\n",
        s.count, 100 * s.median_abs, 100 * s.max_abs, 100 * s.mean_signed, 100 * s.median_abs_large, s.small_count,
        100 * s.median_abs_small);
  out += fmt::format("  the large BF16 shapes imply a shape efficiency of {:.3f} of the profile's ceiling (calibrated: {:.3f})\n\n",
                     s.implied_shape_efficiency_bf16, c.shape_efficiency);
  }
  return out;
}

}  // namespace traincost::report
