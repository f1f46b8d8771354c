#pragma once
// The GEMM unit of the step-time model against GEMMs timed on real GPUs
// (validation/gemm/*.json, measured with bench/device/gemm_throughput.py).
// Nothing is fitted to them: they show how far the tile-quantised roofline
// (perf/gemm.hpp) with the profile's matmul ceiling and the calibrated shape
// efficiency is from cuBLAS on the shapes that training runs actually issue.
#include <string>
#include <vector>

#include "traincost/perf/constants.hpp"

namespace traincost {

struct GemmMeasurement {
  std::string label;      // where the shape comes from, e.g. "llama405b-tp8-up-gate"
  std::string precision;  // "bf16" | "fp8"
  std::string pass;       // "fwd" (X W^T) | "dgrad" (dY W) | "wgrad" (dY^T X)
  double m = 0, n = 0, k = 0;  // output m x n, inner k, as this pass computes it
  double measured_s = 0;
};

struct GemmMeasurementSet {
  std::string file, hardware, device_name, date, software;
  double hbm_copy_bytes_per_s = 0;      // measured device-to-device copy, bytes read + written per second
  double bf16_max_flops_per_s = 0;      // best of the square-ish sweep
  std::vector<GemmMeasurement> rows;
};

struct GemmCheckRow {
  GemmMeasurement measured;
  double predicted_s = 0;
  bool small = false;  // fewer output tiles than the GPU has multiprocessors would fill (< 64 tiles) or k < 1024
  double error() const { return predicted_s / measured.measured_s - 1.0; }  // > 0: the model is slower
};

struct GemmCheckSummary {
  int count = 0;
  double median_abs = 0, max_abs = 0, mean_signed = 0;
  int small_count = 0;
  double median_abs_large = 0, median_abs_small = 0;
  // The shape efficiency the large BF16 GEMMs imply: median over them of
  // (tile-quantised compute time at the profile's ceiling) / (measured time - kernel overhead).
  double implied_shape_efficiency_bf16 = 0;
};

struct GemmCheck {
  GemmMeasurementSet set;
  double profile_gemm_ceiling_bf16_flops_per_s = 0;  // the profile's measured matmul ceiling (MAMF)
  double profile_hbm_bytes_per_s = 0;
  double shape_efficiency = 0;
  std::vector<GemmCheckRow> rows;
  GemmCheckSummary summary;
};

GemmMeasurementSet load_gemm_measurements(const std::string& path);  // throws InputError naming the field
std::vector<std::string> gemm_measurement_files();                 // validation/gemm/*.json, sorted
GemmCheck check_gemms(const GemmMeasurementSet& set, const perf::Constants& c);

}  // namespace traincost
