// The default global batch: a power law fitted on the batches that published training
// runs report (validation/published_runs.json). DeepSeek LLM's B_opt rule (0.292·C^0.3271,
// fitted on small dense sweeps) gives 405B-class runs 4x the 16M tokens Meta used, which
// hands the plan search layouts (PP64 x DP1) that no real run of that size could use.
// The regressors, each in logs:
// - tokens D and FLOPs per token F apart, not only their product C: the critical batch
//   grows mainly with the data, little with the model (Zhang et al. 2024, "How Does
//   Critical Batch Size Scale in Pre-training?", arXiv:2410.21676), and the runs agree
//   (the fit puts ~0.31 on D and ~0.09 on F);
// - stored over active parameters S, 1 for dense: at one compute DeepSeek's MoE runs
//   used 3-5x the batch of dense runs (DeepSeek-V3 63M tokens at 3.9e24 FLOPs, DeepSeek
//   LLM 67B 19M at 2.4e24). Both MoE points are DeepSeek's, so s also carries that lab's
//   habit of large batches.
// Median |ln error| over the 15 runs: 0.48 with C alone, 0.13 with F, D and S.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "traincost/perf/evaluate.hpp"
#include "traincost/util/median.hpp"
#include "traincost/validation/calibrate.hpp"

namespace traincost {

namespace {
struct Point {
  std::string id;
  double ln_flops_per_token = 0, ln_tokens = 0, ln_sparsity = 0, ln_batch = 0;
};

struct Coefficients {
  double ln_a = 0, f = 0, d = 0, s = 0;
  double predict(const Point& q) const {
    return ln_a + f * q.ln_flops_per_token + d * q.ln_tokens + s * q.ln_sparsity;
  }
};

// Least squares of ln B on (1, ln F, ln D, ln S). A regressor that takes one value over
// the points (one model, one token count, or no MoE run) carries no information: its
// exponent stays 0 and the intercept absorbs it.
Coefficients least_squares(const std::vector<Point>& p) {
  struct Regressor {
    double Point::*value;
    double Coefficients::*exponent;
  };
  const Regressor regressors[] = {{&Point::ln_flops_per_token, &Coefficients::f},
                                  {&Point::ln_tokens, &Coefficients::d},
                                  {&Point::ln_sparsity, &Coefficients::s}};
  std::vector<Regressor> used;
  for (const Regressor& r : regressors)
    if (std::any_of(p.begin(), p.end(), [&](const Point& q) { return std::fabs(q.*r.value - p.front().*r.value) > 1e-9; }))
      used.push_back(r);
  Eigen::MatrixXd x(static_cast<Eigen::Index>(p.size()), static_cast<Eigen::Index>(used.size() + 1));
  Eigen::VectorXd y(static_cast<Eigen::Index>(p.size()));
  for (std::size_t i = 0; i < p.size(); ++i) {
    const auto row = static_cast<Eigen::Index>(i);
    x(row, 0) = 1.0;
    for (std::size_t k = 0; k < used.size(); ++k) x(row, static_cast<Eigen::Index>(k + 1)) = p[i].*used[k].value;
    y(row) = p[i].ln_batch;
  }
  const Eigen::VectorXd beta = x.colPivHouseholderQr().solve(y);
  Coefficients c;
  c.ln_a = beta(0);
  for (std::size_t k = 0; k < used.size(); ++k) c.*used[k].exponent = beta(static_cast<Eigen::Index>(k + 1));
  return c;
}
}  // namespace

void apply_batch_rule(const BatchRuleFit& fit, perf::Constants& c) {
  if (fit.coefficient <= 0) return;
  c.batch_coefficient = fit.coefficient;
  c.batch_flops_per_token_exponent = fit.flops_per_token_exponent;
  c.batch_tokens_exponent = fit.tokens_exponent;
  c.batch_sparsity_exponent = fit.sparsity_exponent;
}

BatchRuleFit fit_batch_rule(const std::vector<PublishedRun>& runs) {
  std::vector<Point> pts;
  for (const auto& run : runs) {
    if (run.kind != "training_run" || !run.global_batch_tokens || !run.tokens || run.model.is_null()) continue;
    try {
      const perf::ModelProfile prof =
          perf::profile(model_for_run(run), run.seq_len.value_or(4096), AttentionConvention::causal);
      Point q{run.id, std::log(prof.model_flops_per_token), std::log(*run.tokens), std::log(prof.params_per_active_param),
              std::log(static_cast<double>(*run.global_batch_tokens))};
      // One run under two records (DeepSeek-V3's pre-training and full-run figures) counts once.
      const bool seen = std::any_of(pts.begin(), pts.end(), [&](const Point& o) {
        return std::fabs(o.ln_flops_per_token - q.ln_flops_per_token) < 1e-9 &&
               std::fabs(o.ln_tokens - q.ln_tokens) < 1e-9 && std::fabs(o.ln_batch - q.ln_batch) < 1e-9;
      });
      if (!seen) pts.push_back(std::move(q));
    } catch (const std::exception&) {
      continue;  // a run whose model cannot be built is not a batch data point
    }
  }
  BatchRuleFit f;
  f.runs = static_cast<int>(pts.size());
  if (pts.size() < 3) return f;  // too few points: the caller keeps the base rule
  const Coefficients all = least_squares(pts);
  f.coefficient = std::exp(all.ln_a);
  f.flops_per_token_exponent = all.f;
  f.tokens_exponent = all.d;
  f.sparsity_exponent = all.s;
  std::vector<double> fit_err, loo_err;
  for (std::size_t k = 0; k < pts.size(); ++k) {
    f.ids.push_back(pts[k].id);
    fit_err.push_back(std::fabs(all.predict(pts[k]) - pts[k].ln_batch));
    std::vector<Point> rest = pts;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(k));
    loo_err.push_back(std::fabs(least_squares(rest).predict(pts[k]) - pts[k].ln_batch));
  }
  std::sort(fit_err.begin(), fit_err.end());
  std::sort(loo_err.begin(), loo_err.end());
  f.median_abs_log_error = median_of_sorted(fit_err);
  f.loo_median_abs_log_error = median_of_sorted(loo_err);
  f.loo_max_abs_log_error = loo_err.back();
  return f;
}

}  // namespace traincost
