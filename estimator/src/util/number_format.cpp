#include "traincost/util/number_format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace traincost::util {

std::string exact(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string count(double n) {
  const double a = std::fabs(n);
  if (a >= 1e12) return fmt::format("{:.2f}T", n / 1e12);
  if (a >= 1e9) return fmt::format("{:.2f}B", n / 1e9);
  if (a >= 1e6) return fmt::format("{:.2f}M", n / 1e6);
  if (a >= 1e4) return fmt::format("{:.1f}K", n / 1e3);
  return fmt::format("{:.0f}", n);
}

std::string sci(double x) { return fmt::format("{:.3e}", x); }

std::string usd(double x) {
  if (x == 0) x = 0.0;  // no "$-0.00"
  const double a = std::fabs(x);
  if (a >= 1e9) return fmt::format("${:.3f}B", x / 1e9);
  if (a >= 1e6) return fmt::format("${:.3f}M", x / 1e6);
  if (a >= 1e4) return fmt::format("${:.1f}K", x / 1e3);
  return fmt::format("${:.2f}", x);
}

std::string bytes(double b) {
  const double a = std::fabs(b);
  if (a >= 1e12) return fmt::format("{:.2f} TB", b / 1e12);
  if (a >= 1e9) return fmt::format("{:.1f} GB", b / 1e9);
  if (a >= 1e6) return fmt::format("{:.1f} MB", b / 1e6);
  return fmt::format("{:.0f} B", b);
}

std::string percent(double f) { return fmt::format("{:.1f}%", 100.0 * f); }

std::string precise(double x) {
  if (x >= 1e9) return fmt::format("{:.4g}B", x / 1e9);
  if (x >= 1e6) return fmt::format("{:.4g}M", x / 1e6);
  if (x >= 1e3) return fmt::format("{:.4g}K", x / 1e3);
  return fmt::format("{:.4g}", x);
}

std::string times(double ratio) { return fmt::format("{:.2f}x", ratio); }

std::string days_text(double days) { return fmt::format("{:.1f}", days); }

}  // namespace traincost::util
