// The default global batch: a power law in training compute fitted on the batches
// that published training runs report (validation/published_runs.json), because
// DeepSeek LLM's B_opt rule (0.292·C^0.3271, fitted on small-scale sweeps) gives
// 405B-class runs 4x the 16M tokens Meta used, which hands the plan search layouts
// (PP64 x DP1) that no real run of that size could use.
#include <algorithm>
#include <cmath>

#include "traincost/perf/evaluate.hpp"
#include "traincost/util/median.hpp"
#include "traincost/validation/calibrate.hpp"

namespace traincost {

namespace {
struct Point {
  std::string id;
  double ln_flops = 0, ln_batch = 0;
};

// Ordinary least squares of y on x: (intercept, slope).
std::pair<double, double> ols(const std::vector<Point>& p) {
  double mx = 0, my = 0;
  for (const auto& q : p) mx += q.ln_flops, my += q.ln_batch;
  mx /= static_cast<double>(p.size());
  my /= static_cast<double>(p.size());
  double sxx = 0, sxy = 0;
  for (const auto& q : p) sxx += (q.ln_flops - mx) * (q.ln_flops - mx), sxy += (q.ln_flops - mx) * (q.ln_batch - my);
  const double slope = sxx > 0 ? sxy / sxx : 0.0;
  return {my - slope * mx, slope};
}
}  // namespace

BatchRuleFit fit_batch_rule(const std::vector<PublishedRun>& runs) {
  std::vector<Point> pts;
  for (const auto& run : runs) {
    if (run.kind != "training_run" || !run.global_batch_tokens || !run.tokens || run.model.is_null()) continue;
    try {
      const perf::ModelProfile prof =
          perf::profile(model_for_run(run), run.seq_len.value_or(4096), AttentionConvention::causal);
      Point q{run.id, std::log(prof.model_flops_per_token * *run.tokens),
              std::log(static_cast<double>(*run.global_batch_tokens))};
      // One run under two records (DeepSeek-V3's pre-training and full-run figures) counts once.
      const bool seen = std::any_of(pts.begin(), pts.end(), [&](const Point& o) {
        return std::fabs(o.ln_flops - q.ln_flops) < 1e-9 && std::fabs(o.ln_batch - q.ln_batch) < 1e-9;
      });
      if (!seen) pts.push_back(std::move(q));
    } catch (const std::exception&) {
      continue;  // a run whose model cannot be built is not a batch data point
    }
  }
  BatchRuleFit f;
  f.runs = static_cast<int>(pts.size());
  if (pts.size() < 3) return f;  // too few points: the caller keeps the base rule
  const auto [a, b] = ols(pts);
  f.coefficient = std::exp(a);
  f.exponent = b;
  std::vector<double> fit_err, loo_err;
  for (std::size_t k = 0; k < pts.size(); ++k) {
    f.ids.push_back(pts[k].id);
    fit_err.push_back(std::fabs(a + b * pts[k].ln_flops - pts[k].ln_batch));
    std::vector<Point> rest = pts;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(k));
    const auto [ak, bk] = ols(rest);
    loo_err.push_back(std::fabs(ak + bk * pts[k].ln_flops - pts[k].ln_batch));
  }
  std::sort(fit_err.begin(), fit_err.end());
  std::sort(loo_err.begin(), loo_err.end());
  f.median_abs_log_error = median_of_sorted(fit_err);
  f.loo_median_abs_log_error = median_of_sorted(loo_err);
  f.loo_max_abs_log_error = loo_err.back();
  return f;
}

}  // namespace traincost
