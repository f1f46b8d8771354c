#include "traincost/econ/compare.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "traincost/cost/constants.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/model/params.hpp"
#include "traincost/perf/derive.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_nullable.hpp"
#include "traincost/util/number_format.hpp"

namespace traincost::econ {

namespace {

constexpr std::int64_t kHeadDim = 128;      // head width of the dense equivalents (Llama, DeepSeek LLM, Qwen)
constexpr double kMaxDenseParams = 1e15;    // what model validation accepts
constexpr double kMaxHidden = 1e6;

using util::count;

// The law's N for a model: the joint law counts active parameters with
// embeddings, Krajewski's total non-embedding parameters (scaling_laws.json).
double law_params(const std::string& family, const ParamBreakdown& p) {
  if (family == "krajewski") return static_cast<double>(p.total_nonembedding());
  return static_cast<double>(p.active());  // joint law (MoE) and Chinchilla; dense: active = total
}

ParamCount law_count(const std::string& family) {
  return family == "krajewski" ? ParamCount::total_nonembedding : ParamCount::total;
}

// Parameters of a dense spec with hidden d, L layers, FFN width F.
double dense_count(std::int64_t vocab, bool tied, ParamCount c, double d, double layers, double ffn) {
  const double emb = c == ParamCount::total ? static_cast<double>(vocab) * d * (tied ? 1.0 : 2.0) : 0.0;
  return emb + layers * (4.0 * d * d + 3.0 * d * ffn + 2.0 * d) + d;
}


}  // namespace

MoeShape moe_shape(const ModelSpec& model) {
  const MoeSpec* e = model.first_moe();
  if (!e)
    throw UsageError(fmt::format("--model: '{}' is a dense model; compare needs an MoE model", model.name));
  const double pe = static_cast<double>(mlp_params(e->expert, model.hidden_size).total);
  const double ps = e->num_shared > 0 ? static_cast<double>(mlp_params(e->shared, model.hidden_size).total) : 0.0;
  const double shared = static_cast<double>(e->num_shared) * ps;
  const double active = static_cast<double>(e->top_k) * pe + shared;
  MoeShape s;
  s.routed = e->num_experts;
  s.top_k = e->top_k;
  s.shared = e->num_shared;
  s.experts = (static_cast<double>(e->num_experts) * pe + shared) / active;
  s.granularity = active / pe;
  return s;
}

nlohmann::ordered_json dense_spec_json(const ModelSpec& like, double target, ParamCount c, const std::string& name) {
  if (!(target > 0) || target > kMaxDenseParams)
    throw InputError(fmt::format("{}: a dense model of {} parameters is beyond what traincost builds (1e15)", name,
                                 count(target)));
  const double ratio = static_cast<double>(like.hidden_size) / static_cast<double>(like.num_layers());
  const std::int64_t vocab = like.vocab_size;
  const bool tied = like.tie_word_embeddings;
  // Continuous width first, with a llama-like FFN (8d/3) and L = d / ratio.
  auto approx = [&](double d) { return dense_count(vocab, tied, c, d, d / ratio, 8.0 * d / 3.0); };
  if (approx(kMaxHidden) < target)
    throw InputError(fmt::format("{}: {} parameters need a hidden size above 1e6", name, count(target)));
  double lo = 1.0, hi = kMaxHidden;
  for (int i = 0; i < 100; ++i) {
    const double mid = std::sqrt(lo * hi);
    (approx(mid) < target ? lo : hi) = mid;
  }
  // Then whole heads and layers, and the FFN width that hits the target.
  std::int64_t d = std::max<std::int64_t>(kHeadDim, std::llround(lo / static_cast<double>(kHeadDim)) * kHeadDim);
  for (; d >= kHeadDim; d -= kHeadDim) {
    const std::int64_t layers = std::max<std::int64_t>(1, std::llround(static_cast<double>(d) / ratio));
    const double fixed = dense_count(vocab, tied, c, static_cast<double>(d), static_cast<double>(layers), 0.0);
    const double ffn = (target - fixed) / (3.0 * static_cast<double>(d) * static_cast<double>(layers));
    if (ffn < static_cast<double>(kHeadDim)) continue;  // embeddings and attention leave no room: narrower
    nlohmann::ordered_json j;
    j["format"] = "traincost.model.v1";
    j["name"] = name;
    j["description"] = fmt::format(
        "Hypothetical dense equivalent of {} built by traincost compare: llama-style decoder (MHA, {}-wide heads, "
        "SwiGLU, RMSNorm) with the MoE's width/depth ratio d/L = {:.1f}, its vocabulary and embedding tying; FFN width "
        "solved for {} {} parameters",
        like.name, kHeadDim, ratio, count(target), c == ParamCount::total ? "total" : "non-embedding");
    j["hidden_size"] = d;
    j["num_layers"] = layers;
    j["vocab_size"] = vocab;
    j["tie_word_embeddings"] = tied;
    if (like.max_position_embeddings > 0) j["max_position_embeddings"] = like.max_position_embeddings;
    j["norm"] = "rmsnorm";
    j["linear_bias"] = false;
    j["attention"]["type"] = "mha";
    j["attention"]["num_heads"] = d / kHeadDim;
    j["attention"]["head_dim"] = kHeadDim;
    j["ffn"]["activation"] = "swiglu";
    j["ffn"]["intermediate_size"] = std::llround(ffn);
    return j;
  }
  throw InputError(fmt::format("{}: {} parameters are too few for a dense model with {}'s vocabulary ({})", name,
                               count(target), like.name, vocab));
}

namespace {

struct Context {
  const Accelerator& hw;
  const EstimateInputs& in;
};

RunCost cost_run(const ModelSpec& spec, const Context& cx, bool is_moe) {
  RunCost r;
  r.model = spec.name;
  EstimateInputs in = cx.in;
  in.mfu.reset();
  in.derived.reset();
  const ParamBreakdown pb = count_params(spec);
  r.total_params = static_cast<double>(pb.total());
  r.active_params = static_cast<double>(pb.active());
  r.tokens = in.tokens;
  if (cx.hw.memory_bytes)
    r.min_gpus_model_states = static_cast<std::int64_t>(
        std::ceil(static_cast<double>(pb.total_incl_mtp()) * defaults::kModelStateBytesPerParam / *cx.hw.memory_bytes));
  Estimate e;
  try {
    std::string why;
    in.derived = perf::derive_throughput(spec, cx.hw, in, "", std::nullopt, &why);
    e = estimate(spec, cx.hw, in);
    r.fits = true;
    if (in.derived)
      r.fit_note = in.derived->gpus_rule.empty()
                       ? fmt::format("plan {} fits on {} GPUs", in.derived->plan, in.derived->gpus)
                       : fmt::format("{}; plan {}", in.derived->gpus_rule, in.derived->plan);
    else
      r.fit_note = fmt::format("no plan search ({}): default utilisation", why);
  } catch (const InputError& ex) {
    if (is_moe || !in.gpus) throw;
    r.fits = false;
    r.fit_note = ex.what();
    r.notes.push_back(fmt::format("does not fit on {} x {}: costed at the default utilisation, no wall-clock days",
                                  *in.gpus, cx.hw.id));
    in.gpus.reset();
    in.derived.reset();
    e = estimate(spec, cx.hw, in);
  }
  r.training_flops = e.training_flops;
  r.gpu_hours = e.gpu_hours;
  r.wall_clock_days = e.wall_clock_days;
  r.cost_usd = e.cost_usd;
  r.energy_mwh = e.energy_mwh;
  r.mfu = e.mfu;
  r.mfu_source = e.mfu_source;
  r.plan = e.plan;
  return r;
}

RunCost dense_run(const ModelSpec& moe, const std::string& label, double target, ParamCount c, const Context& cx,
                  const LawAt& law, const LawAt& chin, const ExtrapolationRule& rule) {
  const std::string name = fmt::format("{}-dense-{}", moe.name, label);
  nlohmann::ordered_json doc = dense_spec_json(moe, target, c, name);
  ModelSpec spec = model_from_spec(nlohmann::json::parse(doc.dump()), name);
  spec.name = name;
  RunCost r = cost_run(spec, cx, false);
  r.label = label;
  r.spec = std::move(doc);
  r.target_params = target;
  const ParamBreakdown pb = count_params(spec);
  r.loss = predict(law, law_params(law.family, pb), cx.in.tokens, rule);
  r.chinchilla = predict(chin, static_cast<double>(pb.total()), cx.in.tokens, rule);
  return r;
}

}  // namespace

Comparison compare(const ModelSpec& moe, const Accelerator& hw, const EstimateInputs& in, const ScalingLaws& laws) {
  Comparison c;
  c.shape = moe_shape(moe);
  c.model = moe.name;
  c.hardware = hw.id;
  c.hardware_name = hw.name;
  c.precision = to_string(in.precision);
  c.tokens = in.tokens;
  c.seq_len = in.flops.seq_len;
  c.gpus = in.gpus;
  c.extrapolation_method = laws.extrapolation.method;
  const ExtrapolationRule& rule = laws.extrapolation;
  const double e = c.shape.experts, g = c.shape.granularity;

  // The law pair (constants/scaling_laws.json, `selection`): the fit whose
  // structure (E, G) is nearest the model's; a tie goes to the joint law.
  const double d_joint = structural_distance(laws.joint.regime, e, g);
  const double d_kraj = structural_distance(laws.krajewski_moe.regime, e, g);
  const bool joint_fits = d_joint <= d_kraj + 1e-9;
  c.pair = joint_fits ? "ludziejewski" : "krajewski";
  c.pair_reason = fmt::format(
      "nearest fitted structure: E = {:.3g}, G = {:.3g} lie {:.2f} (log-distance) outside the joint law's E 1-32, G = 1 "
      "and {:.2f} outside Krajewski et al.'s E = 64, G 1-16",
      e, g, d_joint, d_kraj);
  const LawAt joint_moe = joint_at(laws, e, g), joint_dense = joint_at(laws, 1.0, 1.0);
  const LawAt kraj_moe = krajewski_moe_at(laws, e, g), kraj_dense = krajewski_dense_at(laws);
  const LawAt& moe_law = joint_fits ? joint_moe : kraj_moe;
  const LawAt& dense_law = joint_fits ? joint_dense : kraj_dense;
  const LawAt chin = chinchilla_at(laws);

  const Context cx{hw, in};
  const ParamBreakdown pb = count_params(moe);
  c.moe = cost_run(moe, cx, true);
  c.moe.label = "moe";
  c.moe.target_params = c.moe.total_params;
  const double moe_n = law_params(moe_law.family, pb);
  c.moe.loss = predict(moe_law, moe_n, in.tokens, rule, static_cast<double>(pb.total()));
  if (!moe.mtp.empty())
    c.moe.notes.push_back(fmt::format("its {} MTP module(s) ({} params) are trained and costed; the dense equivalents "
                                      "have none",
                                      moe.mtp.size(), count(static_cast<double>(pb.mtp.total))));

  c.same_active = dense_run(moe, "same_active", static_cast<double>(pb.active()), ParamCount::total, cx, dense_law, chin, rule);
  c.same_total = dense_run(moe, "same_total", static_cast<double>(pb.total()), ParamCount::total, cx, dense_law, chin, rule);

  c.equal = equal_loss_dense_params(moe_law, moe_n, dense_law, in.tokens, rule);
  if (c.equal.params) {
    try {
      c.same_loss = dense_run(moe, "same_loss", *c.equal.params, law_count(dense_law.family), cx, dense_law, chin, rule);
      c.same_loss_note = fmt::format(
          "solved by bisection in log N: the {} reaches the MoE's predicted loss {:.4f} at N = {} (N: {}){}",
          dense_law.name, c.equal.moe_loss, count(*c.equal.params), dense_law.params_convention,
          c.equal.params_low && c.equal.params_high
              ? fmt::format("; under the extrapolation range N = {} to {}", count(*c.equal.params_low),
                            c.equal.range_unbounded ? "unbounded" : count(*c.equal.params_high))
              : "");
    } catch (const InputError& ex) {
      c.same_loss_note = fmt::format("the equal-loss dense model (N = {}) cannot be built: {}", count(*c.equal.params), ex.what());
    }
  } else {
    c.same_loss_note = fmt::format(
        "no dense model reaches the MoE's predicted loss {:.4f} at {} tokens: the {} tends to {:.4f} as N grows",
        c.equal.moe_loss, count(in.tokens), dense_law.name, c.equal.dense_limit);
  }

  for (RunCost* r : {&c.same_active, &c.same_total})
    r->cost_ratio_to_moe = r->gpu_hours / c.moe.gpu_hours;
  if (c.same_loss) c.same_loss->cost_ratio_to_moe = c.same_loss->gpu_hours / c.moe.gpu_hours;
  c.moe.cost_ratio_to_moe = 1.0;

  // Cross-check: the same-loss solve under the other pair.
  {
    const LawAt& om = joint_fits ? kraj_moe : joint_moe;
    const LawAt& od = joint_fits ? kraj_dense : joint_dense;
    CrossCheck x;
    x.pair = joint_fits ? "krajewski" : "ludziejewski";
    const double n = law_params(om.family, pb);
    x.moe_loss = predict(om, n, in.tokens, rule, static_cast<double>(pb.total()));
    x.equal = equal_loss_dense_params(om, n, od, in.tokens, rule);
    if (x.equal.params) {
      try {
        const std::string name = moe.name + "-dense-cross-check";
        const ModelSpec s = model_from_spec(
            nlohmann::json::parse(dense_spec_json(moe, *x.equal.params, law_count(od.family), name).dump()), name);
        x.dense_total_params = static_cast<double>(count_params(s).total());
        x.flops_ratio = *x.dense_total_params / static_cast<double>(pb.active());
      } catch (const InputError&) {
        // beyond what can be built: the solve still stands
      }
    }
    c.cross_checks.push_back(std::move(x));
  }

  // Compute-optimal use of the MoE's own training FLOPs.
  c.optimal_dense = compute_optimal(chin, c.moe.training_flops, rule);
  c.optimal_moe = compute_optimal(joint_moe, c.moe.training_flops, rule);

  c.notes.push_back(fmt::format(
      "losses of different laws are not comparable (different data and tokenizers): the MoE and its dense equivalents "
      "are compared under one pair; the Chinchilla (Besiroglu) loss of the dense models is shown beside them"));
  c.notes.push_back(fmt::format("dense equivalents: traincost.model.v1 specs, llama-style (MHA, {}-wide heads, SwiGLU, "
                                "RMSNorm), {}'s width/depth ratio d/L = {:.1f}, FFN width solved for the target count",
                                kHeadDim, moe.name,
                                static_cast<double>(moe.hidden_size) / static_cast<double>(moe.num_layers())));
  return c;
}

// ---------------------------------------------------------------- output

}  // namespace traincost::econ
