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
#include "traincost/report/format.hpp"
#include "traincost/util/constants_file.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"
#include "traincost/util/json_nullable.hpp"
#include "traincost/util/numeric.hpp"

namespace traincost::econ {

using nlohmann::json;
using OJson = nlohmann::ordered_json;

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
    for (std::int64_t n = std::max<std::int64_t>(from, 1); n <= kMaxClusterGpus; n *= 2) {
      // At least one sequence per rank; a batch that splits over a cluster of n (odd factor of n).
      setup.global_batch_tokens =
          std::max(perf::default_global_batch_tokens(prof.model_flops_per_token * tokens, seq_len, c, n), n * seq_len);
      const perf::Cluster cl = perf::cluster_for(hw, n);
      if (!perf::search(prof, facts, cl, setup, c, 1).top.empty()) {
        if (basis) *basis = "performance model: the smallest power-of-two cluster with a plan that fits";
        return n;
      }
    }
    if (basis) *basis = "performance model: no power-of-two cluster up to 1,048,576 GPUs fits";
    return std::nullopt;
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
                                  report::count(m.target_params), m.model.spec.hidden_size, m.size_ratio));
  else if (m.size_ratio < 1.0 / 1.5)
    m.notes.push_back(fmt::format("the target ({} parameters) is beyond the largest model of the shape family that the spec "
                                  "format accepts (1e15 parameters): the largest one is reported and trains on more tokens",
                                  report::count(m.target_params)));
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

std::string yes_no(const std::optional<bool>& b) { return !b ? "-" : (*b ? "yes" : "no"); }

}  // namespace

// ---- the law

double ComputeOptimalLaw::G() const { return std::pow(alpha * A / (beta * B), 1.0 / (alpha + beta)); }
double ComputeOptimalLaw::a() const { return beta / (alpha + beta); }
double ComputeOptimalLaw::b() const { return alpha / (alpha + beta); }
double ComputeOptimalLaw::n_opt(double compute) const { return G() * std::pow(compute / 6.0, a()); }
double ComputeOptimalLaw::d_opt(double compute) const { return std::pow(compute / 6.0, b()) / G(); }
double ComputeOptimalLaw::loss(double params, double tokens) const {
  return E + A / std::pow(params, alpha) + B / std::pow(tokens, beta);
}
bool ComputeOptimalLaw::extrapolated(double params, double tokens) const {
  return params < params_min || params > params_max || tokens < tokens_min || tokens > tokens_max;
}

// ---- constants

ComputeOptimalLaw compute_optimal_law(const ChinchillaLaw& l, const std::string& where) {
  ComputeOptimalLaw law;
  law.name = l.name;
  law.form = l.form;
  law.source = l.source;
  law.quote = l.quote;
  law.parameters_counted = l.params_convention;
  law.E = l.E;
  law.A = l.A;
  law.B = l.B;
  law.alpha = l.alpha;
  law.beta = l.beta;
  const Regime& g = l.regime;
  if (!g.params_min || !g.params_max || !g.tokens_min || !g.tokens_max)
    throw InputError(fmt::format("{}: {}: regime needs params_min, params_max, tokens_min and tokens_max (budget flags a "
                                 "loss outside them)",
                                 where, l.name));
  law.params_min = *g.params_min;
  law.params_max = *g.params_max;
  law.tokens_min = *g.tokens_min;
  law.tokens_max = *g.tokens_max;
  return law;
}

BudgetConstants budget_constants_from_json(const json& doc, const std::string& where, const ScalingLaws& laws) {
  const JsonContext top{doc, where, ""};
  BudgetConstants c;
  c.path = where;
  c.law_path = laws.file;
  c.law = compute_optimal_law(laws.chinchilla, laws.file);

  const JsonContext d = top.child("dense_shape");
  c.dense.d_per_layer = d.get_int("d_model_per_layer", 1, 100'000);
  c.dense.head_dim = d.get_int("head_dim", 1, 100'000);
  c.dense.d_multiple = d.get_int("d_model_multiple", 1, 1'000'000);
  if (c.dense.d_multiple % c.dense.head_dim != 0)
    d.fail("head_dim", fmt::format("= {} must divide d_model_multiple ({})", c.dense.head_dim, c.dense.d_multiple));
  c.dense.max_kv_heads = d.get_int("max_kv_heads", 1, 100'000);
  c.dense.ffn_ratio = d.get_real("ffn_over_d_model", 0.1, 100.0);
  c.dense.vocab = d.get_int("vocab_size", 1, 10'000'000);
  c.dense.tie_embeddings = d.get_bool_or("tie_word_embeddings", false);
  c.dense.rule = d.get_string("rule");
  c.dense.source = d.get_string("source");

  const JsonContext m = top.child("moe_shape");
  c.moe.d_per_layer = m.get_int("d_model_per_layer", 1, 100'000);
  c.moe.head_dim = m.get_int("head_dim", 1, 100'000);
  c.moe.d_multiple = m.get_int("d_model_multiple", 1, 1'000'000);
  if (c.moe.d_multiple % c.moe.head_dim != 0)
    m.fail("head_dim", fmt::format("= {} must divide d_model_multiple ({})", c.moe.head_dim, c.moe.d_multiple));
  c.moe.experts = m.get_int("num_experts", 1, 1'000'000);
  c.moe.top_k = m.get_int("top_k", 1, c.moe.experts);
  c.moe.expert_ratio = m.get_real("expert_over_d_model", 0.001, 100.0);
  c.moe.vocab = m.get_int("vocab_size", 1, 10'000'000);
  c.moe.tie_embeddings = m.get_bool_or("tie_word_embeddings", false);
  c.moe.rule = m.get_string("rule");
  c.moe.source = m.get_string("source");

  const JsonContext t = top.child("moe_tokens_per_active_param");
  c.moe_tokens_per_active_param = t.get_real("value", 1.0, 1e4);
  c.moe_tokens_source = t.get_string("source");
  const JsonContext s = top.child("seq_len");
  c.seq_len = s.get_int("value", 1, 100'000'000);
  c.seq_len_source = s.get_string("source");
  c.max_rederivations = static_cast<int>(top.child("max_rederivations").get_int("value", 0, 100));
  return c;
}

const BudgetConstants& budget_constants() {
  return load_once<BudgetConstants>("constants/budget.json", [](const json& doc, const std::string& path) {
    return budget_constants_from_json(doc, path, scaling_laws());
  });
}



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

// ---- reports

namespace {

OJson model_json(const BudgetModel& m, const BudgetConstants& c) {
  const bool dense = m.kind == "dense";
  const ParamBreakdown& p = m.model.params;
  OJson j;
  j["kind"] = m.kind;
  j["shape_rule"] = dense ? c.dense.rule : c.moe.rule;
  j["compute_flops"] = m.compute_flops;
  j["mfu"] = m.mfu;  // of the reported run
  j["mfu_source"] = m.mfu_source;
  j["goodput"] = m.goodput;
  j["run_efficiency"] = m.run_efficiency;
  j["sizings"] = m.sizings;
  j["target_params"] = m.target_params;
  j["target_basis"] = dense ? "N_opt = G (C/6)^a: total parameters incl. embeddings"
                            : fmt::format("sqrt(C / (6 x {:g})): active GEMM parameters at {:g} tokens each",
                                          c.moe_tokens_per_active_param, c.moe_tokens_per_active_param);
  j["law_tokens"] = m.law_tokens;
  j["layers"] = m.model.layers;
  j["hidden_size"] = m.model.spec.hidden_size;
  j["params"] = p.total();
  j["active_params"] = p.active();
  j["active_matmul_params"] = p.active_matmul();
  j["tokens"] = m.tokens;
  j["tokens_per_param"] = m.tokens / static_cast<double>(dense ? p.total() : p.active_matmul());
  j["flops_per_token"] = m.flops_per_token;
  if (m.loss) {
    j["loss"] = OJson{{"value", *m.loss}, {"law", c.law.name}, {"extrapolated", m.loss_extrapolated},
                      {"fitted_params", {c.law.params_min, c.law.params_max}},
                      {"fitted_tokens", {c.law.tokens_min, c.law.tokens_max}}};
  } else {
    j["loss"] = nullptr;
    j["loss_note"] = "see traincost compare";
  }
  j["gpu_hours"] = nullable(m.gpu_hours);
  j["wall_clock_days"] = nullable(m.wall_clock_days);
  j["cost_usd"] = nullable(m.cost_usd);
  j["energy_mwh"] = nullable(m.energy_mwh);
  j["fits"] = nullable(m.fits);
  j["min_gpus_to_fit"] = nullable(m.min_gpus_to_fit);
  j["meets_deadline"] = nullable(m.meets_deadline);
  j["plan"] = m.plan.empty() ? OJson(nullptr) : OJson(m.plan);
  j["spec"] = OJson::parse(m.model.spec_json.dump());
  j["notes"] = m.notes;
  return j;
}

}  // namespace

OJson budget_json(const BudgetResult& r, const BudgetConstants& c) {
  OJson j;
  j["schema"] = "traincost.budget.v1";
  j["hardware"] = r.hardware;
  j["precision"] = to_string(r.in.precision);
  j["budget"] = OJson{{"usd", nullable(r.in.usd)},
                      {"gpu_hours", r.in.gpu_hours},
                      {"price_usd_per_gpu_hour", nullable(r.price_usd_per_gpu_hour)},
                      {"price_source", r.price_source.empty() ? OJson(nullptr) : OJson(r.price_source)}};
  j["gpus"] = nullable(r.in.gpus);
  j["gpus_source"] = r.in.gpus ? OJson(r.in.gpus_source) : OJson(nullptr);
  j["deadline_days"] = nullable(r.in.deadline_days);
  j["seq_len"] = r.seq_len;
  j["peak_flops_per_gpu_s"] = r.peak_flops_per_gpu_s;
  j["law"] = OJson{{"name", c.law.name}, {"form", c.law.form}, {"source", c.law.source},
                   {"E", c.law.E}, {"A", c.law.A}, {"B", c.law.B}, {"alpha", c.law.alpha}, {"beta", c.law.beta},
                   {"G", c.law.G()}, {"a", c.law.a()}, {"b", c.law.b()},
                   {"parameters_counted", c.law.parameters_counted}};
  j["dense"] = model_json(r.dense, c);
  j["moe"] = model_json(r.moe, c);
  j["notes"] = r.notes;
  j["constants_file"] = c.path;
  j["law_file"] = c.law_path;
  return j;
}

std::string budget_text(const BudgetResult& r, const BudgetConstants& c) {
  std::string out;
  const std::string money = r.in.usd ? fmt::format("{} = ", report::usd(*r.in.usd)) : "";
  out += fmt::format("What {}{} GPU-hours buy on {} ({}), {} GEMMs", money, report::count(r.in.gpu_hours), r.hardware,
                     r.hardware_name, to_string(r.in.precision));
  if (r.in.gpus) out += fmt::format(", {} GPUs", report::exact(*r.in.gpus));
  out += "\n";
  if (r.in.gpus) out += fmt::format("  GPUs: {}\n", r.in.gpus_source);
  if (r.price_usd_per_gpu_hour)
    out += fmt::format("  price: ${:.2f}/GPU-hour: {}\n", *r.price_usd_per_gpu_hour, r.price_source);
  out += fmt::format("  compute-optimal allocation: {}\n    N_opt = G (C/6)^a, D_opt = G^-1 (C/6)^b with G = {:.4f}, a = {:.4f}, b = {:.4f}"
                     " (E {}, A {}, B {}, alpha {}, beta {})\n",
                     c.law.name, c.law.G(), c.law.a(), c.law.b(), c.law.E, c.law.A, c.law.B, c.law.alpha, c.law.beta);
  out += fmt::format("  MoE: {} experts, top-{}, sized for {:g} tokens per active parameter\n\n", c.moe.experts, c.moe.top_k,
                     c.moe_tokens_per_active_param);

  const BudgetModel& d = r.dense;
  const BudgetModel& m = r.moe;
  auto num = [](const std::optional<double>& v, auto f) { return v ? f(*v) : std::string("-"); };
  auto days = [](double v) { return fmt::format("{:.1f}", v); };
  auto mwh = [](double v) { return fmt::format("{:.0f} MWh", v); };
  auto cnt = [](double v) { return report::count(std::round(v)); };
  std::vector<std::vector<std::string>> rows{{"quantity", "dense (compute-optimal)", "MoE (fixed shape)"}};
  rows.push_back({"compute C (model FLOPs)", report::sci(d.compute_flops), report::sci(m.compute_flops)});
  rows.push_back({"MFU (steady state)", report::percent(d.mfu), report::percent(m.mfu)});
  if (d.goodput != 1.0 || m.goodput != 1.0)
    rows.push_back({"goodput x run efficiency", fmt::format("{:.3f} x {:.3f}", d.goodput, d.run_efficiency),
                    fmt::format("{:.3f} x {:.3f}", m.goodput, m.run_efficiency)});
  rows.push_back({"target", "N_opt " + report::count(d.target_params), "active " + report::count(m.target_params)});
  rows.push_back({"layers x d_model", fmt::format("{} x {}", d.model.layers, d.model.spec.hidden_size),
                  fmt::format("{} x {}", m.model.layers, m.model.spec.hidden_size)});
  rows.push_back({"total params", report::count(static_cast<double>(d.model.params.total())),
                  report::count(static_cast<double>(m.model.params.total()))});
  rows.push_back({"active params", report::count(static_cast<double>(d.model.params.active())),
                  report::count(static_cast<double>(m.model.params.active()))});
  rows.push_back({"training tokens", report::count(d.tokens), report::count(m.tokens)});
  rows.push_back({"  law's tokens", "D_opt " + report::count(d.law_tokens),
                  fmt::format("{:g} x active {}", c.moe_tokens_per_active_param, report::count(m.law_tokens))});
  rows.push_back({"predicted loss", d.loss ? fmt::format("{:.3f}{}", *d.loss, d.loss_extrapolated ? " (extrapolated)" : "") : "-",
                  "see traincost compare"});
  rows.push_back({"GPU-hours", num(d.gpu_hours, cnt), num(m.gpu_hours, cnt)});
  rows.push_back({"wall-clock days", num(d.wall_clock_days, days), num(m.wall_clock_days, days)});
  rows.push_back({"cost", num(d.cost_usd, report::usd), num(m.cost_usd, report::usd)});
  rows.push_back({"energy", num(d.energy_mwh, mwh), num(m.energy_mwh, mwh)});
  rows.push_back({"fits in memory", yes_no(d.fits), yes_no(m.fits)});
  auto min_fit = [](const BudgetModel& x) { return x.min_gpus_to_fit ? report::exact(*x.min_gpus_to_fit) : std::string("-"); };
  if (d.min_gpus_to_fit || m.min_gpus_to_fit) rows.push_back({"smallest cluster that fits", min_fit(d), min_fit(m)});
  if (r.in.deadline_days)
    rows.push_back({fmt::format("meets {:g}-day deadline", *r.in.deadline_days), yes_no(d.meets_deadline), yes_no(m.meets_deadline)});
  out += report::table(rows, {false, true, true});
  auto plan_line = [&](const BudgetModel& x, const char* label) {
    if (!x.plan.empty()) out += fmt::format("  {} plan: {}\n", label, x.plan);
  };
  if (!d.plan.empty() || !m.plan.empty()) out += "\n";
  plan_line(d, "dense");
  plan_line(m, "MoE");

  out += "\nHow it was computed\n";
  out += fmt::format("  C = GPU-hours x 3600 x {} peak {:.3e} FLOP/s x MFU x goodput x run efficiency; MFU: {}\n",
                     to_string(r.in.precision), r.peak_flops_per_gpu_s, d.mfu_source);
  out += fmt::format("  dense: Llama 3 shape: d_model = {} x layers (to a multiple of {}), head_dim {}, {} KV heads, SwiGLU FFN "
                     "{:g} x d_model, vocabulary {}; the whole layer count nearest N_opt\n",
                     c.dense.d_per_layer, c.dense.d_multiple, c.dense.head_dim, c.dense.max_kv_heads, c.dense.ffn_ratio,
                     report::exact(c.dense.vocab));
  out += fmt::format("  MoE: OLMoE shape: d_model = {} x layers (to a multiple of {}), head_dim {}, MHA, {} experts, top-{}, "
                     "width {:g} x d_model, vocabulary {}; active GEMM params nearest sqrt(C / (6 x {:g}))\n",
                     c.moe.d_per_layer, c.moe.d_multiple, c.moe.head_dim, c.moe.experts, c.moe.top_k, c.moe.expert_ratio,
                     report::exact(c.moe.vocab), c.moe_tokens_per_active_param);
  out += fmt::format("  tokens = C / model FLOPs per token of the sized model (seq {}), so the run spends the budget\n", r.seq_len);
  out += fmt::format("  loss = E + A/N^alpha + B/D^beta with N = total parameters and D = training tokens; fitted on {}-{} "
                     "params and {}-{} tokens\n",
                     report::count(c.law.params_min), report::count(c.law.params_max), report::count(c.law.tokens_min),
                     report::count(c.law.tokens_max));
  auto notes = [&](const BudgetModel& x, const char* label) {
    for (const auto& n : x.notes) out += fmt::format("  {}: {}\n", label, n);
  };
  if (!d.notes.empty() || !m.notes.empty() || !r.notes.empty()) out += "\nNotes\n";
  notes(d, "dense");
  notes(m, "MoE");
  for (const auto& n : r.notes) out += fmt::format("  {}\n", n);
  out += "\nlaw and its source: constants/scaling_laws.json (chinchilla_besiroglu); shapes and theirs: constants/budget.json\n";
  return out;
}

}  // namespace traincost::econ
