#pragma once
// Medians of error lists (validation summaries): the middle value, or the mean
// of the two middle values for an even count; 0 for an empty list.
#include <algorithm>
#include <vector>

namespace traincost {

inline double median_of_sorted(const std::vector<double>& sorted) {
  const std::size_t n = sorted.size();
  if (n == 0) return 0;
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return median_of_sorted(v);
}

}  // namespace traincost
