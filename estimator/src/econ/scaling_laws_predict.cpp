// What the laws are used for: a loss prediction with its extrapolation range, the
// dense size of equal loss, and the compute-optimal allocation of a FLOP budget.
// The laws themselves (coefficients, regimes, structure): scaling_laws.cpp.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "traincost/econ/scaling_laws.hpp"
#include "traincost/util/number_format.hpp"

namespace traincost::econ {

namespace {

// "1.29e8" -> "129M" style, for messages.
std::string short_count(double x) { return util::count(x); }

struct Edge {
  double value;
  bool outside;
};

// The edge a value is beyond, if any.
Edge edge_of(double x, const std::optional<double>& lo, const std::optional<double>& hi) {
  if (hi && x > *hi) return {*hi, true};
  if (lo && x < *lo) return {*lo, true};
  return {x, false};
}

double shifted_term(double coef, double exponent, double x, const Edge& e, double shift) {
  if (!e.outside) return coef * std::pow(x, -exponent);
  return coef * std::pow(e.value, -exponent) * std::pow(x / e.value, -exponent * (1.0 + shift));
}

}  // namespace

double evaluate_shifted(const PowerLaw& law, const Regime& regime, double params, double tokens,
                        const ExtrapolationRule& rule, int s_params, int s_tokens) {
  const Edge en = edge_of(params, regime.params_min, regime.params_max);
  const Edge ed = edge_of(tokens, regime.tokens_min, regime.tokens_max);
  return law.c + shifted_term(law.m, law.p, params, en, s_params * rule.standard_errors * rule.params_rel) +
         shifted_term(law.n, law.q, tokens, ed, s_tokens * rule.standard_errors * rule.tokens_rel);
}

LossPrediction predict(const LawAt& law, double params, double tokens, const ExtrapolationRule& rule,
                       std::optional<double> total_params) {
  LossPrediction p;
  p.law = law.name;
  p.regime = law.regime_text;
  p.params_convention = law.params_convention;
  p.params = params;
  p.tokens = tokens;
  p.loss = law.law(params, tokens);
  const Regime& g = law.regime;
  if (g.params_max && params > *g.params_max)
    p.outside.push_back(fmt::format("N = {} above the fitted {}", short_count(params), short_count(*g.params_max)));
  if (g.params_min && params < *g.params_min)
    p.outside.push_back(fmt::format("N = {} below the fitted {}", short_count(params), short_count(*g.params_min)));
  if (g.tokens_max && tokens > *g.tokens_max)
    p.outside.push_back(fmt::format("D = {} tokens above the fitted {}", short_count(tokens), short_count(*g.tokens_max)));
  if (g.tokens_min && tokens < *g.tokens_min)
    p.outside.push_back(fmt::format("D = {} tokens below the fitted {}", short_count(tokens), short_count(*g.tokens_min)));
  if (g.total_params_max && total_params && *total_params > *g.total_params_max)
    p.outside.push_back(fmt::format("{} total params above the fitted {}", short_count(*total_params),
                                    short_count(*g.total_params_max)));
  p.outside.insert(p.outside.end(), law.outside.begin(), law.outside.end());
  p.extrapolated = !p.outside.empty();
  p.low = p.high = p.loss;
  std::vector<const PowerLaw*> variants{&law.law};
  for (const auto& alt : law.edge_alternatives) variants.push_back(&alt);
  for (const PowerLaw* v : variants)
    for (int sn = -1; sn <= 1; ++sn)
      for (int sd = -1; sd <= 1; ++sd) {
        const double l = evaluate_shifted(*v, g, params, tokens, rule, sn, sd);
        p.low = std::min(p.low, l);
        p.high = std::max(p.high, l);
      }
  return p;
}

namespace {

// Dense N at which the shifted dense law reaches `target`; nullopt when the
// target is at or below the law's limit for N -> infinity.
std::optional<double> solve_params(const LawAt& dense, double target, double tokens, const ExtrapolationRule& rule,
                                   int sn, int sd) {
  auto f = [&](double n) { return evaluate_shifted(dense.law, dense.regime, n, tokens, rule, sn, sd) - target; };
  double lo = 0.0, hi = 20.0 * std::log(10.0);  // log N in [0, ln 1e20]
  if (f(std::exp(hi)) > 0) return std::nullopt;  // not reached even at 1e20 parameters
  if (f(std::exp(lo)) <= 0) return 1.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (f(std::exp(mid)) > 0 ? lo : hi) = mid;
  }
  return std::exp(0.5 * (lo + hi));
}

}  // namespace

EqualLoss equal_loss_dense_params(const LawAt& moe, double moe_params, const LawAt& dense, double tokens,
                                  const ExtrapolationRule& rule) {
  EqualLoss r;
  r.moe_loss = moe.law(moe_params, tokens);
  r.dense_limit = dense.law.c + dense.law.n * std::pow(tokens, -dense.law.q);
  if (r.moe_loss > r.dense_limit) r.params = solve_params(dense, r.moe_loss, tokens, rule, 0, 0);
  std::vector<const PowerLaw*> variants{&moe.law};
  for (const auto& alt : moe.edge_alternatives) variants.push_back(&alt);
  for (const PowerLaw* v : variants)
    for (int sn = -1; sn <= 1; ++sn)
      for (int sd = -1; sd <= 1; ++sd) {
        const double target = evaluate_shifted(*v, moe.regime, moe_params, tokens, rule, sn, sd);
        const auto n = solve_params(dense, target, tokens, rule, sn, sd);
        if (!n) {
          r.range_unbounded = true;
          continue;
        }
        r.params_low = r.params_low ? std::min(*r.params_low, *n) : *n;
        r.params_high = r.params_high ? std::max(*r.params_high, *n) : *n;
      }
  return r;
}

Allocation compute_optimal(const LawAt& law, double flops, const ExtrapolationRule& rule) {
  const PowerLaw& l = law.law;
  const double c6 = flops / 6.0;
  const double g = std::pow(l.p * l.m / (l.q * l.n), 1.0 / (l.p + l.q));
  Allocation a;
  a.flops = flops;
  a.params = g * std::pow(c6, l.q / (l.p + l.q));
  a.tokens = c6 / a.params;
  a.tokens_per_param = a.tokens / a.params;
  a.loss = predict(law, a.params, a.tokens, rule);
  return a;
}

}  // namespace traincost::econ
