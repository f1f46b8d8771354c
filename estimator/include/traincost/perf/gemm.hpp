#pragma once
// The time of one GEMM on one GPU, the unit the step-time model is built from.
// Inline: evaluate() calls it a few dozen times per plan, in the search's hot loop.
#include <algorithm>
#include <cmath>

namespace traincost::perf {

struct GemmTiming {
  double flops_per_s;       // achievable rate: measured matmul ceiling x calibrated shape efficiency
  double hbm_bytes_per_s;   // HBM bandwidth
  double bytes_per_elem;    // 2 for BF16/FP16 operands, 1 for FP8
  double tile;              // output tile edge (constants: gemm.tile_size)
  double overhead_s;        // fixed launch + tail cost (constants: gemm.kernel_overhead_s)
};

// An m x n output with inner dimension k. Tile quantisation: the output is
// computed in whole tiles, so m and n count as if rounded up to the tile. The
// GEMM is compute-bound unless reading both operands and writing the output
// at HBM bandwidth takes longer (roofline), plus a fixed per-kernel cost.
inline double gemm_time_s(double m, double n, double k, const GemmTiming& g) {
  if (m <= 0 || n <= 0 || k <= 0) return 0;
  const double mq = std::ceil(m / g.tile) * g.tile, nq = std::ceil(n / g.tile) * g.tile;
  const double t_compute = 2.0 * mq * nq * k / g.flops_per_s;
  const double t_memory = (m * k + k * n + m * n) * g.bytes_per_elem / g.hbm_bytes_per_s;
  return std::max(t_compute, t_memory) + g.overhead_s;
}

}  // namespace traincost::perf
