#include "traincost/report/published_bound.hpp"

#include <cmath>

#include <fmt/format.h>

namespace traincost::report {

FigureComparison compare_to_figure(double predicted, const PublishedFigure& f) {
  FigureComparison c;
  c.kind = f.bound.empty() ? "point" : f.bound;
  const double rel = (predicted - f.value) / f.value;
  if (c.kind == "upper" || c.kind == "lower") {
    const bool upper = c.kind == "upper";
    c.within = upper ? predicted <= f.value : predicted >= f.value;
    if (*c.within) {
      c.text = "within bound";
    } else {
      c.beyond = std::fabs(rel);
      c.text = fmt::format("{} bound by {:.1f}%", upper ? "exceeds" : "below", 100.0 * *c.beyond);
    }
  } else {
    c.error = rel;
    c.text = fmt::format("{:+.1f}%", 100.0 * rel);
  }
  return c;
}

std::string bounded_value(const std::string& bound, const std::string& formatted_value) {
  if (bound == "upper") return "< " + formatted_value;
  if (bound == "lower") return "> " + formatted_value;
  if (bound == "approx") return "~" + formatted_value;
  return formatted_value;
}

}  // namespace traincost::report
