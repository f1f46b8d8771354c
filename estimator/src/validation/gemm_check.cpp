#include "traincost/validation/gemm_check.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/perf/evaluate.hpp"
#include "traincost/perf/gemm.hpp"
#include "traincost/util/data_dir.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"
#include "traincost/util/median.hpp"

namespace traincost {

namespace {

// A shape under one wave of 128 x 128 tiles on a 108-132-SM GPU, or with a
// short inner dimension, is where launch, wave and pipeline-fill effects the
// roofline ignores dominate; the summary reports those apart.
constexpr double kSmallTiles = 128, kSmallInner = 1024;

void read_rows(const JsonContext& top, const std::string& precision, GemmMeasurementSet& set) {
  if (!top.has(precision)) return;
  const auto& arr = top.obj.at(precision);
  if (!arr.is_array()) top.fail(precision, "must be an array of measured shapes");
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_object()) top.fail(fmt::format("{}[{}]", precision, i), "must be an object");
    const JsonContext r{arr[i], top.where, fmt::format("{}[{}]", precision, i)};
    const std::string label = r.get_string("label");
    const double m = static_cast<double>(r.get_int("m", 1, 1 << 20));
    const double n = static_cast<double>(r.get_int("n", 1, 1 << 20));
    const double k = static_cast<double>(r.get_int("k", 1, 1 << 20));
    // Each pass is the forward shape permuted as nn.Linear's backward computes it.
    const struct { const char* pass; double m, n, k; } passes[] = {{"fwd", m, n, k}, {"dgrad", m, k, n}, {"wgrad", n, k, m}};
    for (const auto& p : passes) {
      const std::string key = std::string(p.pass) + "_s";
      if (!r.has(key)) continue;
      set.rows.push_back({label, precision, p.pass, p.m, p.n, p.k, r.get_real(key, 1e-9, 10.0)});
    }
  }
}

}  // namespace

GemmMeasurementSet load_gemm_measurements(const std::string& path) {
  const nlohmann::json doc = read_json_object_file(path);
  const JsonContext top{doc, path, ""};
  if (top.get_string("schema") != "traincost.gemm_measurement.v1")
    top.fail("schema", "must be \"traincost.gemm_measurement.v1\"");
  GemmMeasurementSet s;
  s.file = path;
  s.hardware = top.get_string("hardware");
  s.device_name = top.get_string("device_name");
  s.date = top.get_string("date_utc");
  s.software = fmt::format("torch {}, CUDA {}", top.get_string("torch"), top.get_string("cuda"));
  s.hbm_copy_bytes_per_s = top.get_real("hbm_copy_bytes_per_s", 1e9, 1e14);
  s.bf16_max_flops_per_s = top.child("bf16_max_sweep").get_real("tflops", 1.0, 1e5) * 1e12;
  read_rows(top, "bf16", s);
  read_rows(top, "fp8", s);
  if (s.rows.empty()) top.fail("bf16", "no measured shapes");
  return s;
}

std::vector<std::string> gemm_measurement_files() {
  std::vector<std::string> files;
  const auto dir = data_dir() / "validation" / "gemm";
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

GemmCheck check_gemms(const GemmMeasurementSet& set, const perf::Constants& c) {
  GemmCheck out;
  out.set = set;
  const Accelerator a = load_accelerator(set.hardware);
  const perf::Hardware bf16 = perf::hardware_facts(a, Precision::bf16, c);
  out.profile_gemm_ceiling_bf16_flops_per_s = bf16.gemm_ceiling;
  out.profile_hbm_bytes_per_s = bf16.hbm_bytes_per_s;
  out.shape_efficiency = bf16.shape_efficiency;
  std::vector<double> all, large, small, implied;
  double signed_sum = 0;
  for (const GemmMeasurement& g : set.rows) {
    const bool fp8 = g.precision == "fp8";
    const perf::Hardware hw = fp8 ? perf::hardware_facts(a, Precision::fp8, c) : bf16;
    const perf::GemmTiming t{hw.gemm_ceiling * hw.shape_efficiency, hw.hbm_bytes_per_s, fp8 ? 1.0 : 2.0, c.tile_size,
                             c.kernel_overhead_s};
    GemmCheckRow row{g, perf::gemm_time_s(g.m, g.n, g.k, t), false};
    const double tiles = std::ceil(g.m / c.tile_size) * std::ceil(g.n / c.tile_size);
    row.small = tiles < kSmallTiles || g.k < kSmallInner;
    if (!row.small && !fp8) {
      const perf::GemmTiming at_ceiling{hw.gemm_ceiling, hw.hbm_bytes_per_s, 2.0, c.tile_size, 0.0};
      implied.push_back(perf::gemm_time_s(g.m, g.n, g.k, at_ceiling) / (g.measured_s - c.kernel_overhead_s));
    }
    const double e = std::abs(row.error());
    all.push_back(e);
    (row.small ? small : large).push_back(e);
    signed_sum += row.error();
    out.rows.push_back(row);
  }
  GemmCheckSummary& s = out.summary;
  s.count = static_cast<int>(all.size());
  s.median_abs = median(all);
  s.max_abs = *std::max_element(all.begin(), all.end());
  s.mean_signed = signed_sum / s.count;
  s.small_count = static_cast<int>(small.size());
  s.median_abs_large = median(large);
  s.median_abs_small = median(small);
  s.implied_shape_efficiency_bf16 = median(implied);
  return out;
}

}  // namespace traincost
