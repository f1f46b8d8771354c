#pragma once
// Mean and sample standard deviation (n - 1 in the denominator) of a list of errors:
// the spread the Monte Carlo ranges use (econ/uncertainty_inputs.cpp) and the one the
// leave-one-out coverage of those ranges is judged with (validation/calibrate.cpp).
#include <cmath>
#include <vector>

namespace traincost {

struct MeanSd {
  double mean = 0, sd = 0;
};

// Needs at least two values; sd is 0 for fewer.
inline MeanSd mean_and_sample_sd(const std::vector<double>& v) {
  MeanSd m;
  if (v.empty()) return m;
  for (double x : v) m.mean += x;
  m.mean /= static_cast<double>(v.size());
  if (v.size() < 2) return m;
  double ss = 0;
  for (double x : v) ss += (x - m.mean) * (x - m.mean);
  m.sd = std::sqrt(ss / static_cast<double>(v.size() - 1));
  return m;
}

}  // namespace traincost
