#include "traincost/util/progress.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <unistd.h>

namespace traincost {

std::string render_progress(std::string_view label, double fraction, int width, double elapsed_s) {
  const double f = std::isnan(fraction) ? 0.0 : std::clamp(fraction, 0.0, 1.0);
  const int cells = std::max(width, 1);
  // Floor, so the bar is full only when the work is.
  const int done = std::min(cells, static_cast<int>(std::floor(f * cells)));
  const double secs = std::isfinite(elapsed_s) ? std::max(elapsed_s, 0.0) : 0.0;
  return fmt::format("{} [{}{}] {:.0f}% {:.1f} s", label, std::string(static_cast<std::size_t>(done), '#'),
                     std::string(static_cast<std::size_t>(cells - done), '.'), std::floor(100.0 * f), secs);
}

ProgressBar::ProgressBar(std::string label, Options options)
    : label_(std::move(label)),
      options_(options),
      enabled_(options.force || ::isatty(options.fd) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::write_all(const std::string& s) const {
  const char* p = s.data();
  std::size_t left = s.size();
  while (left > 0) {
    const ssize_t n = ::write(options_.fd, p, left);
    if (n <= 0) return;  // a closed or broken terminal: progress is not worth an error
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

void ProgressBar::update(double fraction) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool done = fraction >= 1.0;
  if (!drawn_ && std::chrono::duration<double>(now - start_).count() < options_.delay_s) return;
  if (drawn_ && !done && std::chrono::duration<double>(now - last_draw_).count() < options_.min_interval_s) return;
  const std::string line =
      render_progress(label_, fraction, options_.width, std::chrono::duration<double>(now - start_).count());
  // Pad over a longer previous line (the label never shrinks, the time can grow).
  const std::size_t pad = drawn_length_ > line.size() ? drawn_length_ - line.size() : 0;
  std::string out(1, '\r');  // built by appends: GCC 12 warns falsely (-Wrestrict) on "\r" + std::string
  out += line;
  out.append(pad, ' ');
  write_all(out);
  drawn_ = true;
  drawn_length_ = std::max(drawn_length_, line.size());
  last_draw_ = now;
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) {
    std::string out(1, '\r');
    out.append(drawn_length_, ' ');
    out += '\r';
    write_all(out);
  }
  enabled_ = false;
}

}  // namespace traincost
