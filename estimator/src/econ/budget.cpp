#include "traincost/econ/budget.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "traincost/cost/constants.hpp"
#include "traincost/model/flops.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/derive.hpp"
#include "traincost/perf/hints.hpp"
#include "traincost/perf/search.hpp"
#include "traincost/perf/sizing.hpp"
#include "traincost/util/constants_file.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"
#include "traincost/util/number_format.hpp"
#include "traincost/util/numeric.hpp"

namespace traincost::econ {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxClusterGpus = std::int64_t{1} << 20;

// The smallest power-of-two cluster (from `from` up) on which a plan of the
// performance model fits; without the facts it needs, the model-state floor
// (16 B/parameter, fully sharded) over the HBM. `basis` says which.
std::optional<std::int64_t> min_cluster_that_fits(const ModelSpec& model, const Accelerator& hw, Precision p,
                                                  std::int64_t seq_len, double tokens, std::int64_t from,
                                                  std::string* basis) {
  const perf::Constants& c = perf::constants();
  try {
    const perf::Hardware facts = perf::hardware_facts(hw, p, c);
    const perf::ModelProfile prof = perf::profile(model, seq_len, AttentionConvention::causal);
    perf::TrainingSetup setup;
    setup.seq_len = seq_len;
    setup.precision = p;
    const std::optional<std::int64_t> n =
        perf::smallest_pow2_cluster_that_fits(prof, facts, hw, setup, tokens, c, from, kMaxClusterGpus);
    if (basis)
      *basis = n ? "performance model: the smallest power-of-two cluster with a plan that fits"
                 : "performance model: no power-of-two cluster up to 1,048,576 GPUs fits";
    return n;
  } catch (const UsageError& e) {
    if (!hw.memory_bytes) {
      if (basis) *basis = fmt::format("unknown: {} (and no memory size in the profile)", e.what());
      return std::nullopt;
    }
    const double states = static_cast<double>(count_params(model).total_incl_mtp()) * defaults::kModelStateBytesPerParam;
    if (basis)
      *basis = fmt::format("model states only ({:.0f} B/parameter fully sharded; activations not counted): {}",
                           defaults::kModelStateBytesPerParam, e.what());
    return std::max(pow2_at_least(states / *hw.memory_bytes), std::max<std::int64_t>(from, 1));
  }
}

BudgetModel run_kind(const std::string& kind, const Accelerator& hw, const BudgetInputs& in, double peak,
                     const BudgetConstants& c) {
  BudgetModel m;
  m.kind = kind;
  const bool dense = kind == "dense";
  const double fallback_mfu = default_mfu(hw, in.precision);
  FlopOptions fo;
  fo.seq_len = c.seq_len;

  auto inputs_for = [&](double tokens) {
    EstimateInputs ei;
    ei.tokens = tokens;
    ei.gpus = in.gpus;
    ei.precision = in.precision;
    ei.flops = fo;
    ei.pue = defaults::kPue;
    ei.grid_kgco2_per_kwh = defaults::kGridKgCo2PerKwh;
    return ei;
  };

  std::optional<DerivedThroughput> used;  // the throughput the current size was computed with
  std::optional<DerivedThroughput> last;  // the throughput derived for the current size
  std::string fallback_why, not_fit;
  for (;;) {
    m.mfu = used ? used->mfu : fallback_mfu;
    m.goodput = used ? used->goodput : 1.0;
    m.run_efficiency = used ? used->run_efficiency : 1.0;
    m.compute_flops = in.gpu_hours * kSecondsPerHour * peak * m.mfu * m.goodput * m.run_efficiency;
    if (dense) {
      m.target_params = c.law.n_opt(m.compute_flops);
      m.law_tokens = c.law.d_opt(m.compute_flops);
      m.model = size_dense(c.dense, m.target_params);
    } else {
      m.target_params = std::sqrt(m.compute_flops / (6.0 * c.moe_tokens_per_active_param));
      m.law_tokens = c.moe_tokens_per_active_param * m.target_params;
      m.model = size_moe(c.moe, m.target_params);
    }
    m.flops_per_token = flops_per_token(m.model.spec, fo).model();
    m.tokens = m.compute_flops / m.flops_per_token;
    ++m.sizings;
    last.reset();
    if (!in.gpus) break;
    std::string why;
    try {
      last = perf::derive_throughput(m.model.spec, hw, inputs_for(m.tokens), "", std::nullopt, &why);
    } catch (const InputError& e) {
      not_fit = e.what();
      break;
    }
    if (!last) {
      fallback_why = perf::without_mfu_hint(why);
      break;
    }
    if (used && used->plan == last->plan && std::fabs(used->mfu - last->mfu) <= 1e-9 * last->mfu) break;  // settled
    if (m.sizings > c.max_rederivations) break;
    used = last;
  }
  const bool settled = last && used && used->plan == last->plan && std::fabs(used->mfu - last->mfu) <= 1e-9 * last->mfu;
  if (last && !settled) {
    // Not settled within the re-derivations: keep the last size, and train it on the
    // tokens the budget buys at its own plan's throughput.
    m.notes.push_back(fmt::format("the MFU had not settled after {} re-derivations (the size changes the best plan): the "
                                  "model was sized at MFU {:.1f}%; its own best plan runs at {:.1f}%, which sets the compute and tokens",
                                  c.max_rederivations, 100.0 * m.mfu, 100.0 * last->mfu));
    used = last;
    m.mfu = last->mfu;
    m.goodput = last->goodput;
    m.run_efficiency = last->run_efficiency;
    m.compute_flops = in.gpu_hours * kSecondsPerHour * peak * m.mfu * m.goodput * m.run_efficiency;
    m.tokens = m.compute_flops / m.flops_per_token;
    m.target_params = dense ? c.law.n_opt(m.compute_flops)
                            : std::sqrt(m.compute_flops / (6.0 * c.moe_tokens_per_active_param));
    m.law_tokens = dense ? c.law.d_opt(m.compute_flops) : c.moe_tokens_per_active_param * m.target_params;
  }
  m.mfu_source = used ? fmt::format("performance model: the best plan on {} GPUs for the sized model (steady state)", *in.gpus)
                      : fmt::format("default: {:.1f}% of the 16-bit dense peak (Epoch AI median utilisation)",
                                    100.0 * defaults::kMfuBf16Equivalent);
  m.size_ratio = static_cast<double>(dense ? m.model.params.total() : m.model.params.active_matmul()) / m.target_params;
  // Layer counts are whole, so the size misses the target by a few percent; far off only at the family's ends.
  if (m.size_ratio > 1.5)
    m.notes.push_back(fmt::format("the target ({} parameters) is below the smallest model of the shape family (1 layer, "
                                  "d_model {}): that one is reported ({:.1f}x the target) and trains on fewer tokens",
                                  util::count(m.target_params), m.model.spec.hidden_size, m.size_ratio));
  else if (m.size_ratio < 1.0 / 1.5)
    m.notes.push_back(fmt::format("the target ({} parameters) is beyond the largest model of the shape family that the spec "
                                  "format accepts (1e15 parameters): the largest one is reported and trains on more tokens",
                                  util::count(m.target_params)));
  if (!fallback_why.empty())
    m.notes.push_back(fmt::format("performance model not used: {}; the default utilisation sizes the model", fallback_why));

  if (dense) {
    m.loss = c.law.loss(static_cast<double>(m.model.params.total()), m.tokens);
    m.loss_extrapolated = c.law.extrapolated(static_cast<double>(m.model.params.total()), m.tokens);
  } else {
    m.notes.push_back("loss: see `traincost compare` (MoE scaling laws); none is predicted here");
  }

  // The run itself: GPU-hours, days, dollars, energy of the sized model.
  EstimateInputs ei = inputs_for(m.tokens);
  if (!not_fit.empty()) {
    m.fits = false;
    m.notes.push_back(not_fit);
    ei.gpus.reset();
  }
  if (last) ei.derived = last;
  try {
    const Estimate e = estimate(m.model.spec, hw, ei);
    m.gpu_hours = e.gpu_hours;
    m.wall_clock_days = e.wall_clock_days;
    m.cost_usd = e.cost_usd;
    m.energy_mwh = e.energy_mwh;
    for (const auto& n : e.notes)
      if (n.find("no --gpus") == std::string::npos && n.find("rental price") == std::string::npos) m.notes.push_back(n);
    if (in.gpus && m.fits != std::optional<bool>(false)) {
      m.fits = true;
      if (!last)
        m.notes.push_back(fmt::format("fit judged by the model states only ({:.0f} B/parameter fully sharded over {} GPUs); "
                                      "activations are not checked without the performance model",
                                      defaults::kModelStateBytesPerParam, *in.gpus));
    }
  } catch (const InputError& e) {  // model states alone exceed the cluster's HBM
    m.fits = false;
    m.notes.push_back(e.what());
    ei.gpus.reset();
    const Estimate e2 = estimate(m.model.spec, hw, ei);
    m.gpu_hours = e2.gpu_hours;
    m.cost_usd = e2.cost_usd;
    m.energy_mwh = e2.energy_mwh;
  }
  if (m.fits == std::optional<bool>(false) || !in.gpus) {
    std::string basis;
    m.min_gpus_to_fit = min_cluster_that_fits(m.model.spec, hw, in.precision, c.seq_len, m.tokens,
                                              in.gpus ? *in.gpus * 2 : 1, &basis);
    if (basis.rfind("performance model: the smallest", 0) != 0) m.notes.push_back("smallest cluster that fits: " + basis);
  }
  if (in.deadline_days && m.wall_clock_days) m.meets_deadline = *m.wall_clock_days <= *in.deadline_days * (1.0 + 1e-9);
  if (last) m.plan = last->plan;
  return m;
}

}  // namespace

// The law and the constants: budget_constants.cpp.

BudgetResult plan_budget(const Accelerator& hw, const BudgetInputs& input, const BudgetConstants& c) {
  if (!(input.gpu_hours > 0) || !std::isfinite(input.gpu_hours))
    throw UsageError(fmt::format("budget: {} GPU-hours must be a positive number", input.gpu_hours));
  BudgetResult r;
  r.hardware = hw.id;
  r.hardware_name = hw.name;
  r.in = input;
  r.seq_len = c.seq_len;
  r.peak_flops_per_gpu_s = hw.peak_flops_per_s(input.precision);  // throws UsageError naming --precision
  if (hw.rental) {
    r.price_usd_per_gpu_hour = hw.rental->usd_per_gpu_hour;
    r.price_source = fmt::format("{} {} {} ({})", hw.rental->provider, hw.rental->pricing, hw.rental->date, hw.rental->source);
  } else {
    r.notes.push_back(fmt::format("{} has no rental price in its profile: dollars not computed", hw.id));
  }
  if (!r.in.gpus && r.in.deadline_days) {
    const double need = r.in.gpu_hours / (24.0 * *r.in.deadline_days);
    r.in.gpus = std::min(pow2_at_least(need), kMaxClusterGpus);
    r.in.gpus_source = fmt::format("from --days {:g}: the smallest power of two >= {:.4g} GPU-hours / ({:g} days x 24 h) = {:.4g}",
                                   *r.in.deadline_days, r.in.gpu_hours, *r.in.deadline_days, need);
    if (static_cast<double>(*r.in.gpus) < need)
      r.notes.push_back(fmt::format("the deadline needs {:.4g} GPUs; capped at {}", need, kMaxClusterGpus));
  } else if (r.in.gpus && r.in.gpus_source.empty()) {
    r.in.gpus_source = "given (--gpus)";
  }
  if (!r.in.gpus)
    r.notes.push_back("no --gpus or --days: the default utilisation sizes the models, and days are not computed");
  r.dense = run_kind("dense", hw, r.in, r.peak_flops_per_gpu_s, c);
  r.moe = run_kind("moe", hw, r.in, r.peak_flops_per_gpu_s, c);
  r.notes.push_back("the cheapest accelerator for a given model and deadline: `traincost budget --model M --tokens T "
                    "--days D [--hardware a,b,c]`");
  return r;
}

}  // namespace traincost::econ
