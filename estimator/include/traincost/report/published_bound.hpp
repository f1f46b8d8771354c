#pragma once
// An estimate against a published figure that may be a bound: DeepSeek-V3's
// "less than two months" (wall_clock_days 60, bound "upper") is met by any
// estimate up to 60 days, not missed by -5%. Point and approximate ("~9.5 days")
// figures get a signed relative error; upper and lower bounds a verdict.
#include <optional>
#include <string>

#include "traincost/validation/published.hpp"

namespace traincost::report {

struct FigureComparison {
  std::string kind;              // "point", "approx", "upper" or "lower" (PublishedFigure::bound)
  std::optional<double> error;   // point and approx: predicted / published - 1
  std::optional<bool> within;    // bounds: the estimate satisfies the bound
  std::optional<double> beyond;  // bounds not met: |predicted / published - 1|
  std::string text;              // "+5.2%", "within bound", "exceeds bound by 2.0%", "below bound by 3.0%"
};

FigureComparison compare_to_figure(double predicted, const PublishedFigure& f);

// The published cell: "< 60.0" (upper), "> 15T" (lower), "~9.5" (approx), or the value as is.
std::string bounded_value(const std::string& bound, const std::string& formatted_value);

}  // namespace traincost::report
