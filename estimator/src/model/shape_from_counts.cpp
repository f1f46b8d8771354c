#include "traincost/model/shape_from_counts.hpp"

#include <cmath>
#include <functional>
#include <iterator>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "traincost/util/error.hpp"

namespace traincost {

using nlohmann::json;

namespace {

// Layers tried when --experts fixes the expert count (the layer count fits the active).
constexpr std::int64_t kMaxFittedLayers = 1024;
// d_model tried for a given layer count: up to 131,072, 7x the widest preset (PaLM-540B, models/palm-540b.json: 18,432).
constexpr std::int64_t kMaxFittedDModel = 131072;
// A fitted shape further than this from either requested count is refused (the
// issue asks for a match within 1-2%; the layer count alone steps by 1/layers).
constexpr double kMaxCountError = 0.02;
// Sparsity accepted: a bound chosen here, far beyond published MoEs (DeepSeek-V3
// 671B / 37B = 18x, models/deepseek-v3.json; Llama 4 Scout 109B / 17B = 6.4x,
// models/llama-4-scout.json), before the spec format's caps (1,000,000 experts) refuse the shape.
constexpr double kMaxTotalOverActive = 1000.0;

// Hardware-friendly widths and counts: GEMM tiles are 64-256 wide (an expert width that is a
// multiple of 128 fills them; published MoEs use 2048, 1536, 768, 1408) and expert parallelism
// must divide the expert count (DeepSeek-V3 256, Qwen3 128, OLMoE 64). The aligned shape is kept
// when both counts stay within kAlignedCountError of the request; else the closest shape is.
constexpr std::int64_t kFfnAlignments[] = {256, 128, 64, 32, 16, 8};
constexpr std::int64_t kWidthAlignments[] = {128, 64, 32, 16, 8, 1};
constexpr std::int64_t kExpertAlignments[] = {64, 32, 16, 8, 4, 2, 1};
constexpr double kAlignedCountError = 0.005;
// Layers tried on each side of the rule's (or the bisection's) layer count for a better aligned
// shape: this share of it, at least one (4 at the 43 layers of a 400B-A20B).
constexpr double kLayerSlackShare = 0.1;
std::int64_t layer_slack(std::int64_t layers) {
  return std::max<std::int64_t>(1, std::llround(kLayerSlackShare * static_cast<double>(layers)));
}

double total_of(const json& j) { return static_cast<double>(sized_model(j).params.total()); }
double active_of(const json& j) { return static_cast<double>(sized_model(j).params.active()); }

// x with f(x) = target for a count linear in x, from two evaluations.
double solve_linear(const std::function<double(double)>& f, double x0, double x1, double target) {
  const double y0 = f(x0), y1 = f(x1);
  return x0 + (target - y0) * (x1 - x0) / (y1 - y0);
}

std::string name_for(const ShapeRequest& r) {
  auto b = [](double v) { return v >= 1e12 ? fmt::format("{:.4g}T", v / 1e12) : fmt::format("{:.4g}B", v / 1e9); };
  return r.total_params == r.active_params ? fmt::format("custom-{}", b(r.total_params))
                                           : fmt::format("custom-{}-A{}", b(r.total_params), b(r.active_params));
}

json moe_json(const MoeShapeRule& r, std::int64_t layers, std::int64_t d, std::int64_t experts, std::int64_t top_k,
              std::int64_t width) {
  json j = moe_spec_json(r, layers);
  j["hidden_size"] = d;
  j["attention"]["num_heads"] = d / r.head_dim;
  j["moe"] = json{{"num_experts", experts}, {"top_k", top_k}, {"expert_intermediate_size", width}};
  return j;
}

FittedShape fit_dense(const ShapeRequest& req, const DenseShapeRule& r) {
  if (req.experts) throw UsageError("--experts: only an MoE has experts; --total-params equal to --active-params means dense");
  if (req.top_k) throw UsageError("--top-k: only an MoE routes to experts; --total-params equal to --active-params means dense");
  const std::int64_t layers = req.layers ? *req.layers : size_dense(r, req.total_params).layers;
  json j = dense_spec_json(r, layers);
  const auto with_ffn = [&](double f) {
    json k = j;
    k["ffn"]["intermediate_size"] = static_cast<std::int64_t>(std::llround(f));
    return k;
  };
  const double f0 = r.ffn_ratio * j.at("hidden_size").get<double>();
  const double f = solve_linear([&](double x) { return total_of(with_ffn(x)); }, f0, 2 * f0, req.total_params);
  if (!(f >= 1))
    throw UsageError(fmt::format("--layers: {} layers of d_model {} already hold more than --total-params {:.4g}; "
                                 "give fewer layers or leave --layers out",
                                 layers, j.at("hidden_size").get<std::int64_t>(), req.total_params));
  // The FFN width: the coarsest multiple (Llama 3 rounds to 256: 14336, 28672, 53248) within
  // kAlignedCountError of the total, else the unrounded fit.
  double ffn = std::round(f);
  std::int64_t aligned_to = 1;
  for (const std::int64_t m : kFfnAlignments) {
    const double v = std::max(static_cast<double>(m), static_cast<double>(m) * std::round(f / static_cast<double>(m)));
    if (std::fabs(total_of(with_ffn(v)) / req.total_params - 1.0) <= kAlignedCountError) {
      ffn = v, aligned_to = m;
      break;
    }
  }
  FittedShape s;
  s.model = sized_model(with_ffn(ffn));
  s.rule = fmt::format("Llama 3 dense shape (constants/budget.json dense_shape): {}; FFN width refitted to the total "
                       "(nominal {:g} x d_model){}",
                       req.layers ? "layers given, d_model = 128 x layers" : "layers and d_model from the rule for the total",
                       r.ffn_ratio,
                       aligned_to > 1 ? fmt::format(", a multiple of {} (within {:g}% of the total)", aligned_to,
                                                    100.0 * kAlignedCountError)
                                      : std::string());
  s.source = r.source;
  return s;
}

// The largest of `alignments` dividing n.
std::int64_t alignment_of(std::int64_t n, const std::int64_t* first, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i)
    if (n % first[i] == 0) return first[i];
  return 1;
}

// Multiples of each alignment next to x (floor and ceil), at least `least`.
std::vector<std::int64_t> aligned_near(double x, const std::int64_t* first, std::size_t count, std::int64_t least) {
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < count; ++i) {
    const double m = static_cast<double>(first[i]);
    for (const double v : {std::floor(x / m) * m, std::ceil(x / m) * m})
      if (v >= static_cast<double>(least)) out.push_back(static_cast<std::int64_t>(v));
  }
  return out;
}

struct MoeCandidate {
  std::int64_t layers = 0, experts = 0, width = 0;
  double error = INFINITY;  // the larger |counted / requested - 1| of total and active
  std::int64_t expert_alignment = 1, width_alignment = 1, layer_shift = 0;
};

// Within kAlignedCountError: the better aligned (experts by 16, then the width, then experts by up to 64), then the nearer the rule's
// layer count, then the closer; beyond it, the closer.
bool better(const MoeCandidate& a, const MoeCandidate& b) {
  const bool a_ok = a.error <= kAlignedCountError, b_ok = b.error <= kAlignedCountError;
  if (a_ok != b_ok) return a_ok;
  if (!a_ok) return a.error < b.error;
  const auto key = [](const MoeCandidate& c) {  // experts by 16 and width by 128 first, then coarser experts
    return std::make_tuple(std::min<std::int64_t>(c.expert_alignment, 16), c.width_alignment, c.expert_alignment);
  };
  if (key(a) != key(b)) return key(a) > key(b);
  if (a.layer_shift != b.layer_shift) return a.layer_shift < b.layer_shift;
  return a.error < b.error;
}

FittedShape fit_moe(const ShapeRequest& req, const MoeShapeRule& rule) {
  MoeShapeRule r = rule;
  if (req.top_k) r.top_k = *req.top_k;
  if (req.experts) r.experts = *req.experts;
  if (r.top_k >= r.experts && req.experts)
    throw UsageError(fmt::format("--top-k: {} must be below --experts ({})", r.top_k, r.experts));
  if (r.top_k >= r.experts) r.experts = 2 * r.top_k;
  const std::int64_t L0 = req.layers ? *req.layers : size_moe(r, req.active_params).layers;
  std::int64_t d = family_d_model(r.d_per_layer, r.d_multiple, L0);
  if (req.layers) {  // given layers: the d_model (a multiple of the rule's) whose nominal shape is closest in active
    double best = INFINITY;
    for (std::int64_t x = r.d_multiple; x <= kMaxFittedDModel; x += r.d_multiple) {
      const auto w = std::max<std::int64_t>(1, std::llround(r.expert_ratio * static_cast<double>(x)));
      const double miss = std::fabs(std::log(active_of(moe_json(r, L0, x, r.experts, r.top_k, w)) / req.active_params));
      if (miss < best) best = miss, d = x;
    }
  }
  const double w_nominal = r.expert_ratio * static_cast<double>(d);
  const auto w_int = [](double w) { return std::max<std::int64_t>(1, std::llround(w)); };
  auto active_w = [&](std::int64_t layers, std::int64_t experts) {  // expert width for the active count
    return solve_linear([&](double x) { return active_of(moe_json(r, layers, d, experts, r.top_k, w_int(x))); },
                        w_nominal, 2 * w_nominal, req.active_params);
  };
  auto total_w = [&](std::int64_t layers, std::int64_t experts) {  // expert width for the total
    return solve_linear([&](double x) { return total_of(moe_json(r, layers, d, experts, r.top_k, w_int(x))); },
                        w_nominal, 2 * w_nominal, req.total_params);
  };
  auto total_e = [&](std::int64_t layers, std::int64_t width) {  // expert count for the total
    return solve_linear([&](double x) { return total_of(moe_json(r, layers, d, std::llround(x), r.top_k, width)); },
                        static_cast<double>(r.top_k), static_cast<double>(4 * r.top_k), req.total_params);
  };
  constexpr std::size_t kW = std::size(kWidthAlignments), kE = std::size(kExpertAlignments);
  MoeCandidate best;
  const auto consider = [&](std::int64_t layers, std::int64_t experts, std::int64_t width, std::int64_t center) {
    const SizedModel m = sized_model(moe_json(r, layers, d, experts, r.top_k, width));
    MoeCandidate c{layers, experts, width,
                   std::max(std::fabs(static_cast<double>(m.params.total()) / req.total_params - 1.0),
                            std::fabs(static_cast<double>(m.params.active()) / req.active_params - 1.0)),
                   req.experts ? kExpertAlignments[0] : alignment_of(experts, kExpertAlignments, kE),
                   alignment_of(width, kWidthAlignments, kW), std::abs(layers - center)};
    if (better(c, best)) best = c;
  };
  std::string what;
  std::int64_t center = L0;
  if (!req.experts) {
    what = "expert width refitted to the active parameters, expert count to the total";
    // The unrounded solution at the rule's layer count: refuses requests no width or count can meet.
    double w = w_nominal;
    std::int64_t E = r.experts;
    for (int it = 0; it < 3; ++it) {
      w = active_w(L0, E);
      if (!(w >= 1))
        throw UsageError(fmt::format("--layers: {} layers of d_model {} already hold more than --active-params {:.4g}; "
                                     "give fewer layers or leave --layers out", L0, d, req.active_params));
      const double e = total_e(L0, w_int(w));
      if (!(e > static_cast<double>(r.top_k) + 0.5))
        throw UsageError(fmt::format(
            "--total-params: {:.4g} is too close to --active-params ({:.4g}) for an MoE routing to top-{}: its least "
            "total (top-{} + 1 experts) is {:.4g}; give a larger total, an equal one (dense) or a smaller --top-k",
            req.total_params, req.active_params, r.top_k, r.top_k,
            total_of(moe_json(r, L0, d, r.top_k + 1, r.top_k, w_int(w)))));
      E = std::max<std::int64_t>(r.top_k + 1, std::llround(e));
    }
    const std::int64_t lo = req.layers ? L0 : std::max<std::int64_t>(1, L0 - layer_slack(L0));
    const std::int64_t hi = req.layers ? L0 : L0 + layer_slack(L0);
    for (std::int64_t L = lo; L <= hi; ++L) {
      const double wl = active_w(L, E);
      if (!(wl >= 1)) continue;
      for (const std::int64_t width : aligned_near(wl, kWidthAlignments, kW, 1)) {
        const double e = total_e(L, width);
        if (!(e > static_cast<double>(r.top_k) + 0.5)) continue;
        for (const std::int64_t experts : aligned_near(e, kExpertAlignments, kE, r.top_k + 1))
          consider(L, experts, width, center);
      }
    }
  } else {
    what = req.layers ? "expert width refitted to the total (experts and layers given)"
                      : "expert width refitted to the total, layer count to the active parameters (experts given)";
    const std::int64_t E = r.experts;
    if (!req.layers) {
      // active(L) with the width refitted to the total grows with L: the closest L by bisection.
      auto active_at = [&](std::int64_t layers) {
        const double x = total_w(layers, E);
        return x >= 1 ? active_of(moe_json(r, layers, d, E, r.top_k, w_int(x))) : INFINITY;
      };
      std::int64_t lo = 1, hi = kMaxFittedLayers;
      while (lo < hi) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        if (active_at(mid) >= req.active_params) hi = mid;
        else lo = mid + 1;
      }
      center = lo;
      if (lo > 1 && std::fabs(std::log(active_at(lo - 1) / req.active_params)) < std::fabs(std::log(active_at(lo) / req.active_params)))
        center = lo - 1;
    }
    const double w = total_w(center, E);
    if (!(w >= 1))
      throw UsageError(fmt::format("--experts: {} experts over {} layers of d_model {} already hold more than "
                                   "--total-params {:.4g}; give fewer experts or leave --experts out",
                                   E, center, d, req.total_params));
    const std::int64_t lo = req.layers ? center : std::max<std::int64_t>(1, center - layer_slack(center));
    const std::int64_t hi = req.layers ? center : center + layer_slack(center);
    for (std::int64_t L = lo; L <= hi; ++L) {
      const double wl = total_w(L, E);
      if (!(wl >= 1)) continue;
      for (const std::int64_t width : aligned_near(wl, kWidthAlignments, kW, 1)) consider(L, E, width, center);
    }
  }
  FittedShape s;
  s.dense = false;
  s.model = sized_model(moe_json(r, best.layers, d, best.experts, r.top_k, best.width));
  s.rule = fmt::format("OLMoE MoE shape (constants/budget.json moe_shape): d_model {} {} {} layers "
                       "(the rule: 128 x layers to a multiple of 1024), MHA, top-{}; {} (nominal width {:g} x d_model); "
                       "aligned{}: {} layers, {} experts (a multiple of {}, for expert parallelism), width {} (of {}, for GEMM tiles)",
                       d, req.layers ? "closest in active parameters at the given" : "from the rule at", L0, r.top_k,
                       what, r.expert_ratio,
                       best.error <= kAlignedCountError ? fmt::format(" within {:g}% of both counts", 100.0 * kAlignedCountError) : "",
                       best.layers, best.experts, alignment_of(best.experts, kExpertAlignments, kE), best.width,
                       alignment_of(best.width, kWidthAlignments, kW));
  s.source = r.source;
  return s;
}

}  // namespace

FittedShape shape_from_counts(const ShapeRequest& req, const DenseShapeRule& dense, const MoeShapeRule& moe) {
  if (!(req.active_params <= req.total_params))
    throw UsageError(fmt::format("--active-params: {:.4g} exceeds --total-params ({:.4g}); a token touches at most "
                                 "every parameter", req.active_params, req.total_params));
  if (req.total_params > kMaxTotalOverActive * req.active_params)
    throw UsageError(fmt::format("--total-params: {:.4g} is {:.0f}x --active-params ({:.4g}); at most {:g}x is accepted",
                                 req.total_params, req.total_params / req.active_params, req.active_params,
                                 kMaxTotalOverActive));
  FittedShape s;
  try {
    s = req.active_params == req.total_params ? fit_dense(req, dense) : fit_moe(req, moe);
  } catch (const InputError& e) {  // the spec format refuses a width or count the fit needs
    throw UsageError(fmt::format("{}: no shape of the family can hold these counts ({})",
                                 req.layers ? "--layers" : "--total-params", e.what()));
  }
  const std::string name = name_for(req);
  s.model.spec.name = name;
  s.model.spec_json["name"] = name;
  s.model.spec_json["description"] = "shape derived from total/active parameter counts (" + s.rule + ")";
  s.total_error = static_cast<double>(s.model.params.total()) / req.total_params - 1.0;
  s.active_error = static_cast<double>(s.model.params.active()) / req.active_params - 1.0;
  if (std::fabs(s.total_error) > kMaxCountError || std::fabs(s.active_error) > kMaxCountError) {
    const char* option = req.experts ? "--experts" : req.layers ? "--layers" : req.top_k ? "--top-k" : "--total-params";
    throw UsageError(fmt::format(
        "{}: no shape of the family matches {:.4g} total and {:.4g} active parameters within {:g}% with the options "
        "given (closest: {:.4g} total, {:+.1f}%; {:.4g} active, {:+.1f}%); an MoE of E experts routing to top-k holds at "
        "most about E/k times its active parameters: leave --experts, --layers or --top-k out to have them fitted",
        option, req.total_params, req.active_params, 100.0 * kMaxCountError, static_cast<double>(s.model.params.total()),
        100.0 * s.total_error, static_cast<double>(s.model.params.active()), 100.0 * s.active_error));
  }
  return s;
}

}  // namespace traincost
