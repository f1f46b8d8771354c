#include "traincost/econ/export_control.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "traincost/cost/constants.hpp"
#include "traincost/util/error.hpp"

// The question: how many of each accelerator fit under a TPP cap, and how long the
// reference runs take on them. The rules file: export_rules.cpp; one chip's
// classes: export_classify.cpp.
namespace traincost::econ {

CapTable accelerators_under_cap(double cap_tpp, const std::vector<Accelerator>& all, const std::vector<ModelSpec>& models,
                                const ExportRules& r) {
  if (!(cap_tpp > 0) || !std::isfinite(cap_tpp)) throw UsageError(fmt::format("cap: {} must be a positive TPP", cap_tpp));
  if (models.size() != r.reference_runs.size())
    throw std::logic_error("accelerators_under_cap: one model per reference run is needed");
  CapTable t;
  t.cap_tpp = cap_tpp;
  for (const auto& a : all) {
    ExportAssessment x = assess(a, r);
    if (!x.tpp || *x.tpp <= 0) {
      t.skipped.push_back({a.id, x.notes.empty() ? "TPP unknown" : x.notes.front()});
      continue;
    }
    CapRow row;
    row.id = a.id;
    row.name = a.name;
    row.tpp = *x.tpp;
    const double n = std::floor(cap_tpp / *x.tpp);
    row.count_under_cap = n >= static_cast<double>(std::numeric_limits<std::int64_t>::max())
                              ? std::numeric_limits<std::int64_t>::max()
                              : static_cast<std::int64_t>(n);
    row.assessment = std::move(x);
    for (std::size_t i = 0; i < r.reference_runs.size(); ++i) {
      const ReferenceRun& run = r.reference_runs[i];
      CapRunResult out;
      out.model = run.model;
      for (Precision p : run.precisions)
        if (a.peak_dense_flops_per_s.count(p)) {
          out.precision = p;
          break;
        }
      if (!out.precision) {
        std::vector<std::string> names;
        for (Precision p : run.precisions) names.push_back(to_string(p));
        out.reason = fmt::format("{} has no dense peak at {}", a.id, fmt::join(names, ", "));
      } else if (row.count_under_cap < 1) {
        out.reason = fmt::format("the cap is below one {}'s TPP", a.id);
      } else {
        EstimateInputs in;
        in.tokens = run.tokens;
        in.gpus = row.count_under_cap;
        in.precision = *out.precision;
        in.flops.seq_len = run.seq_len;
        in.pue = defaults::kPue;
        in.grid_kgco2_per_kwh = defaults::kGridKgCo2PerKwh;
        try {
          const Estimate e = estimate(models[i], a, in);  // no MFU: the default utilisation
          out.wall_clock_days = e.wall_clock_days;
          out.gpu_hours = e.gpu_hours;
        } catch (const InputError& e) {
          out.reason = e.what();
        } catch (const UsageError& e) {
          out.reason = e.what();
        }
      }
      row.runs.push_back(out);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace traincost::econ
