#pragma once
// Small numeric helpers shared by the economics commands.
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace traincost {

inline constexpr double kSecondsPerHour = 3600.0;

// The smallest power of two >= x (at least 1, at most 2^40): cluster sizes are searched in doublings.
inline std::int64_t pow2_at_least(double x) {
  std::int64_t n = 1;
  while (static_cast<double>(n) < x && n < (std::int64_t{1} << 40)) n *= 2;
  return n;
}

// Equal to 1e-9 relative: two figures computed along different paths that should agree.
inline bool nearly_equal(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)); }

}  // namespace traincost
