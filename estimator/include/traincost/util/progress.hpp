#pragma once
// Progress for long loops (plan search, Monte Carlo, validation). The loops
// take an optional callback; the CLI passes one that draws a bar on stderr
// only when stderr is a terminal, so JSON on stdout and redirected logs stay
// clean. Without a callback a loop pays one empty-std::function test per
// coarse step.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace traincost {

// Called with the finished share of the work, in [0, 1], non-decreasing.
using ProgressFn = std::function<void(double fraction)>;

// Pure: "label [#####.....] 53% 1.2 s" with `width` cells in the bar. The
// fraction is clamped to [0, 1] (NaN counts as 0).
std::string render_progress(std::string_view label, double fraction, int width, double elapsed_s);

class ProgressBar {
 public:
  struct Options {
    int fd = 2;                    // stderr (STDERR_FILENO; <unistd.h> stays out of this header)
    int width = 30;                // cells in the bar
    double min_interval_s = 0.1;   // at most 10 redraws a second
    double delay_s = 0.5;          // work done sooner never draws (no flicker on quick runs)
    bool force = false;            // draw even when `fd` is not a terminal (tests)
  };

  explicit ProgressBar(std::string label) : ProgressBar(std::move(label), Options{}) {}
  ProgressBar(std::string label, Options options);
  ~ProgressBar();  // clears the line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  bool enabled() const { return enabled_; }
  // Redraws when enabled, delay_s after construction, and at least
  // min_interval_s after the last redraw (a finished bar always draws).
  void update(double fraction);
  // Erases the bar; later updates draw nothing. Called by the destructor.
  void finish();
  // A callback for the loops; the bar must outlive it.
  ProgressFn callback() {
    return [this](double f) { update(f); };
  }

 private:
  void write_all(const std::string& s) const;

  std::string label_;
  Options options_;
  bool enabled_ = false;
  bool drawn_ = false;
  std::size_t drawn_length_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace traincost
