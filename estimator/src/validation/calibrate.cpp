#include "traincost/validation/calibrate.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/util/sample_spread.hpp"

namespace traincost {

namespace {

// The comparable quantity of a row on a log scale: ln(predicted / published).
double log_residual(const ValidationRow& r) {
  if (r.error_in_points) {
    // MFU in points -> ratio of utilisations; TFLOPS rows carry points of the 16-bit peak.
    const double pub = r.metric == "mfu" ? r.published : r.published;  // same unit as predicted
    return std::log(r.predicted / pub);
  }
  return std::log1p(r.error);
}

struct Problem {
  std::vector<const PublishedRun*> runs;
  std::vector<std::string> gens;  // parameter order
  perf::Constants base;
  bool pooled = false;  // one factor for every generation (theta has one entry)

  perf::Constants with(const Eigen::VectorXd& theta) const {
    perf::Constants c = base;
    if (pooled) {
      c.training_shape_efficiency = theta[0];
      return c;
    }
    for (std::size_t i = 0; i < gens.size(); ++i) c.shape_efficiency_by_generation[gens[i]] = theta[static_cast<Eigen::Index>(i)];
    return c;
  }
  Eigen::VectorXd residuals(const Eigen::VectorXd& theta, std::vector<ValidationRow>* rows = nullptr) const {
    const perf::Constants c = with(theta);
    Eigen::VectorXd r(static_cast<Eigen::Index>(runs.size()));
    for (std::size_t i = 0; i < runs.size(); ++i) {
      ValidationRow row = validate_run(*runs[i], c);
      r[static_cast<Eigen::Index>(i)] = row.skipped ? 0.0 : log_residual(row);
      if (rows) rows->push_back(std::move(row));
    }
    return r;
  }
};

// Gauss-Newton on ln(predicted/published) with a numeric Jacobian; bounded steps.
Eigen::VectorXd fit(const Problem& p, Eigen::VectorXd theta, int* iterations) {
  // The efficiency is a fraction of the *measured* maximum matmul throughput (MAMF), so
  // it cannot exceed 1: a fit that wants more is absorbing an overhead the model overstates.
  constexpr double kLo = 0.2, kHi = 1.0, kStep = 1e-3, kHuber = 0.1;
  for (int it = 0; it < 20; ++it) {
    const Eigen::VectorXd r = p.residuals(theta);
    Eigen::MatrixXd J(r.size(), theta.size());
    for (Eigen::Index j = 0; j < theta.size(); ++j) {
      Eigen::VectorXd t = theta;
      t[j] += kStep;
      J.col(j) = (p.residuals(t) - r) / kStep;
    }
    // Huber weights (iteratively reweighted least squares): residuals beyond
    // kHuber in ln units count linearly, so one run whose published hours cover
    // far more than steady training cannot drag a whole generation.
    Eigen::VectorXd w(r.size());
    for (Eigen::Index i = 0; i < r.size(); ++i) w[i] = std::fabs(r[i]) <= kHuber ? 1.0 : kHuber / std::fabs(r[i]);
    const Eigen::MatrixXd A = J.transpose() * w.asDiagonal() * J + 1e-9 * Eigen::MatrixXd::Identity(theta.size(), theta.size());
    const Eigen::VectorXd delta = A.ldlt().solve(J.transpose() * w.asDiagonal() * r);
    theta -= delta;
    theta = theta.cwiseMax(kLo).cwiseMin(kHi);
    if (iterations) *iterations = it + 1;
    if (delta.cwiseAbs().maxCoeff() < 1e-4) break;
  }
  return theta;
}

// Huber location estimate of ln values (IRLS): the log of the run-efficiency factor.
double huber_mean(const std::vector<double>& x) {
  if (x.empty()) return 0.0;
  constexpr double kHuber = 0.1;
  double m = 0;
  for (double v : x) m += v;
  m /= static_cast<double>(x.size());
  for (int it = 0; it < 50; ++it) {
    double num = 0, den = 0;
    for (double v : x) {
      const double w = std::fabs(v - m) <= kHuber ? 1.0 : kHuber / std::fabs(v - m);
      num += w * v;
      den += w;
    }
    const double next = num / den;
    if (std::fabs(next - m) < 1e-12) break;
    m = next;
  }
  return m;
}

// Whole-run figures: GPU-hours, per-trillion-token rates, and wall-clock days on a published
// GPU count (days x GPUs are GPU-hours, so the same run efficiency scales them).
bool is_hours(const ValidationRow& r) {
  return is_gpu_hours_metric(r.metric) || is_wall_clock_metric(r.metric);
}

}  // namespace

double loo_interval_coverage(const std::vector<double>& loo_log_errors) {
  const std::size_t n = loo_log_errors.size();
  if (n < 3) return 0.0;
  constexpr double kZ90 = 1.2815515655446004;  // standard normal 90th percentile
  int inside = 0;
  for (std::size_t k = 0; k < n; ++k) {
    // The spread the estimator would quote for run k had it not seen run k: the
    // sample sd of the other runs' leave-one-out log errors (econ/uncertainty_inputs.cpp).
    std::vector<double> others = loo_log_errors;
    others.erase(others.begin() + static_cast<std::ptrdiff_t>(k));
    inside += std::fabs(loo_log_errors[k]) <= kZ90 * mean_and_sample_sd(others).sd;
  }
  return static_cast<double>(inside) / static_cast<double>(n);
}

std::string generation_of(const PublishedRun& run) {
  if (run.hardware.empty()) return "";
  try {
    return load_accelerator(run.hardware).generation;
  } catch (const std::exception&) {
    return "";
  }
}

CalibrationResult calibrate(const std::vector<PublishedRun>& all, const perf::Constants& base, bool leave_one_out) {
  CalibrationResult out;
  Problem p;
  p.base = base;
  // Stage 0: the default global batch, which every run without a published batch uses below.
  out.batch_rule = fit_batch_rule(all);
  apply_batch_rule(out.batch_rule, p.base);
  p.base.shape_efficiency_by_generation.clear();
  std::vector<std::string> run_gen;
  for (const auto& run : all) {
    // The constant is a steady-state kernel efficiency, so it is fitted to
    // steady-state throughput measurements only (benchmark tables, and training
    // runs whose compared figure is their published MFU or TFLOP/s); whole-run
    // GPU-hours (which also carry restarts, batch ramps and long-context
    // phases) stay out of this fit and set the run efficiency below.
    if (run.kind == "third_party_estimate") continue;
    const ValidationRow probe = validate_run(run, p.base);
    if (probe.skipped || (probe.metric != "mfu" && probe.metric != "tflops_per_gpu")) continue;
    const std::string g = generation_of(run);
    if (g.empty()) continue;
    p.runs.push_back(&run);
    run_gen.push_back(g);
    if (std::find(p.gens.begin(), p.gens.end(), g) == p.gens.end()) p.gens.push_back(g);
    ++out.rows_by_generation[g];
  }
  std::sort(p.gens.begin(), p.gens.end());
  const Eigen::VectorXd start = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(p.gens.size()), base.training_shape_efficiency);
  const Eigen::VectorXd theta = fit(p, start, &out.iterations);
  for (std::size_t i = 0; i < p.gens.size(); ++i) out.efficiency_by_generation[p.gens[i]] = theta[static_cast<Eigen::Index>(i)];
  // A generation without benchmarks (Volta, Blackwell, CDNA, TPU) gets the factor fitted to
  // every benchmark at once rather than an assumed starting value.
  {
    Problem all_gens = p;
    all_gens.pooled = true;
    out.default_efficiency = fit(all_gens, Eigen::VectorXd::Constant(1, base.training_shape_efficiency), nullptr)[0];
  }
  const Eigen::VectorXd r = p.residuals(theta, &out.fitted);
  out.rms_log_error = r.size() ? std::sqrt(r.squaredNorm() / static_cast<double>(r.size())) : 0.0;

  if (leave_one_out) {
    for (std::size_t k = 0; k < p.runs.size(); ++k) {
      Problem q = p;
      q.runs.erase(q.runs.begin() + static_cast<std::ptrdiff_t>(k));
      // A generation seen only in the held-out run falls back to the base constant.
      Eigen::VectorXd t = fit(q, theta, nullptr);
      const bool alone = out.rows_by_generation[run_gen[k]] == 1;
      if (alone)
        for (std::size_t i = 0; i < p.gens.size(); ++i)
          if (p.gens[i] == run_gen[k]) t[static_cast<Eigen::Index>(i)] = base.training_shape_efficiency;
      out.held_out.push_back(validate_run(*p.runs[k], q.with(t)));
    }
  }
  // Stage 2: the MoE models' host costs (per layer, per local expert), on NVIDIA's measured MoE throughput (with
  // the GEMM efficiencies just fitted), before the whole runs that include MoE models.
  perf::Constants fitted = p.with(theta);
  fitted.training_shape_efficiency = out.default_efficiency;
  out.moe_overheads = fit_moe_overheads(fitted);
  fitted.moe_host_sync_s = out.moe_overheads.host_sync_s;
  fitted.moe_host_per_local_expert_s = out.moe_overheads.host_per_local_expert_s;
  // Stage 3: whole training runs. With run_efficiency f, predicted hours scale by 1/f, so
  // ln(pred/pub) = b_i - ln f and the robust least-squares f is exp(huber_mean(b)).
  // An assumed cluster is sized with the run efficiency itself (perf/sizing.hpp), so the
  // fit is repeated at its own result until the sizes stop moving it (two passes suffice).
  std::vector<const PublishedRun*> whole;
  std::vector<double> b;
  fitted.run_efficiency = base.run_efficiency;
  for (int pass = 0; pass < 3; ++pass) {
    whole.clear();
    b.clear();
    for (const auto& run : all) {
      if (run.kind != "training_run") continue;
      const ValidationRow row = validate_run(run, fitted);
      if (row.skipped || !is_hours(row)) continue;
      whole.push_back(&run);
      b.push_back(std::log1p(row.error) + std::log(fitted.run_efficiency));  // ln(pred/pub) at efficiency 1
    }
    const double next = std::exp(huber_mean(b));
    const bool settled = std::fabs(next - fitted.run_efficiency) < 1e-4;
    fitted.run_efficiency = next;
    if (settled) break;
  }
  out.training_runs = static_cast<int>(whole.size());
  out.run_efficiency = fitted.run_efficiency;
  for (const PublishedRun* run : whole) out.fitted.push_back(validate_run(*run, fitted));
  if (leave_one_out) {  // each whole run predicted with f fitted on the others
    std::vector<double> loo_log;
    for (std::size_t k = 0; k < whole.size(); ++k) {
      std::vector<double> rest = b;
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(k));
      perf::Constants c = fitted;
      c.run_efficiency = std::exp(huber_mean(rest));
      out.held_out.push_back(validate_run(*whole[k], c));
      loo_log.push_back(std::log1p(out.held_out.back().error));
    }
    out.interval_runs = static_cast<int>(loo_log.size());
    out.interval_coverage = loo_interval_coverage(loo_log);
  }

  return out;
}

nlohmann::ordered_json calibration_json(const CalibrationResult& r, const std::string& fitted_on) {
  using Json = nlohmann::ordered_json;
  Json j;
  j["schema"] = "traincost.calibration.v1";
  j["about"] = "Written by `traincost calibrate`: the achievable fraction of the measured GEMM ceiling per hardware "
               "generation, fitted by Gauss-Newton iteratively reweighted least squares (Huber, delta = 0.1 in ln units) "
               "on ln(predicted/published) over every published steady-state throughput figure (benchmark tables and "
               "training-run MFUs in validation/published_runs.json), bounded to [0.2, 1] (a fraction of the measured "
               "matmul ceiling cannot exceed 1). Nothing here is keyed to a model or a run.";
  j["fitted_on"] = fitted_on;
  j["shape_efficiency_by_generation"] = r.efficiency_by_generation;
  j["rows_by_generation"] = r.rows_by_generation;
  j["shape_efficiency_default"] = r.default_efficiency;
  j["shape_efficiency_default_about"] = "For generations with no benchmark row: one factor fitted to all benchmark rows "
                                        "together (same loss and bounds).";
  j["run_efficiency"] = r.run_efficiency;
  j["run_efficiency_about"] = "Fraction of modelled steady-state throughput sustained over a whole run beyond failure "
                              "goodput, fitted (Huber) on the published whole-run GPU-hours, per-trillion-token rates "
                              "and wall-clock times (on a published GPU count) of training runs.";
  j["training_runs"] = r.training_runs;
  j["interval_coverage"] = r.interval_coverage;
  j["interval_coverage_about"] = fmt::format(
      "Share of the {} whole runs whose published figure lies inside the P10-P90 of their own leave-one-out prediction "
      "(lognormal, sigma = sample sd of the other runs' leave-one-out log errors).", r.interval_runs);

  j["rms_log_error"] = r.rms_log_error;
  j["iterations"] = r.iterations;
  Json res = Json::array();
  for (std::size_t i = 0; i < r.fitted.size(); ++i) {
    const auto& f = r.fitted[i];
    Json x{{"id", f.id}, {"metric", f.metric}, {"published", f.published}, {"predicted", f.predicted},
           {"error", f.error}, {"error_unit", f.error_in_points ? "percentage_points" : "relative"}};
    if (i < r.held_out.size()) x["leave_one_out_error"] = r.held_out[i].error;
    res.push_back(x);
  }
  j["residuals"] = res;
  const BatchRuleFit& br = r.batch_rule;
  const std::string batch_source = fmt::format(
      "Fitted by `traincost calibrate`: least squares of ln(global batch tokens) on ln(model FLOPs per token), "
      "ln(training tokens) and ln(stored / active parameters, 1 for dense) over the {} "
      "training runs in validation/published_runs.json that publish their batch ({}); median |ln error| {:.3f}, "
      "leave-one-out median {:.3f}, max {:.3f}. Replaces DeepSeek LLM's B_opt rule of constants/performance.json.",
      br.runs, fmt::join(br.ids, ", "), br.median_abs_log_error, br.loo_median_abs_log_error, br.loo_max_abs_log_error);
  const MoeOverheadFit& hf = r.moe_overheads;
  const std::string host_source = fmt::format(
      "Fitted by `traincost calibrate` jointly with the other MoE host constant on NVIDIA's measured Megatron-Bridge MoE "
      "throughput (validation/megatron-bridge/, force-balanced routing, published plans pinned; {} rows): Huber on "
      "ln(predicted/measured) over a grid of 0-20 ms (0.1 ms steps) x 0-200 us per local expert (2 us steps); median "
      "|error| {:.3f}, leave-one-out median {:.3f}, max {:.3f}.",
      hf.rows, hf.median_abs, hf.loo_median_abs, hf.loo_max_abs);
  auto host_entry = [&](double value) {
    return Json{{"value", value},
                {"source", host_source},
                {"rows", hf.rows},
                {"median_abs_error", hf.median_abs},
                {"leave_one_out_median_abs_error", hf.loo_median_abs},
                {"leave_one_out_max_abs_error", hf.loo_max_abs}};
  };
  j["constants"] = Json{{"moe", {{"host_sync_s_per_layer", host_entry(hf.host_sync_s)},
                                 {"host_s_per_local_expert_per_layer", host_entry(hf.host_per_local_expert_s)}}}};
  if (br.coefficient > 0)
    j["constants"]["batch"] =
        Json{{"optimal_batch_tokens_coefficient", {{"value", br.coefficient}, {"source", batch_source}}},
             {"optimal_batch_tokens_flops_per_token_exponent",
              {{"value", br.flops_per_token_exponent}, {"source", batch_source}}},
             {"optimal_batch_tokens_tokens_exponent", {{"value", br.tokens_exponent}, {"source", batch_source}}},
             {"optimal_batch_tokens_sparsity_exponent", {{"value", br.sparsity_exponent}, {"source", batch_source}}}};
  return j;
}

}  // namespace traincost
