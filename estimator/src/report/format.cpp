#include "traincost/report/format.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace traincost::report {

std::string table(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right_align) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size(), 0);
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (std::size_t ri = 0; ri < rows.size(); ++ri) {
    const auto& r = rows[ri];
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      const bool right = i < right_align.size() && right_align[i];
      if (i > 0) line += "  ";
      line += right ? fmt::format("{:>{}}", r[i], width[i]) : fmt::format("{:<{}}", r[i], width[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    if (ri == 0 && rows.size() > 1) {
      std::size_t total = 0;
      for (std::size_t i = 0; i < width.size(); ++i) total += width[i] + (i > 0 ? 2 : 0);
      out += std::string(total, '-') + "\n";
    }
  }
  return out;
}

}  // namespace traincost::report
