#include "traincost/econ/scaling_laws.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "traincost/util/constants_file.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost::econ {

namespace {

// Coefficients are positive or signed within generous bounds; the bounds only
// catch a typo (a sign or a decimal point), not a judgement on the fit.
constexpr double kBig = 1e6;

double value_of(const JsonContext& law, const std::string& key, double min, double max) {
  // Either a bare number or {"value": x, "standard_error": ...}.
  if (law.has(key) && law.obj.at(key).is_object()) return law.child(key).get_real("value", min, max);
  return law.get_real(key, min, max);
}

Regime regime_from(const JsonContext& law) {
  const JsonContext r = law.child("regime");
  Regime g;
  g.params_min = r.opt_real("params_min", 1.0, 1e16);
  g.params_max = r.opt_real("params_max", 1.0, 1e16);
  if (r.has("active_params_max")) g.params_max = r.get_real("active_params_max", 1.0, 1e16);
  g.total_params_max = r.opt_real("total_params_max", 1.0, 1e16);
  g.tokens_min = r.opt_real("tokens_min", 1.0, 1e18);
  g.tokens_max = r.opt_real("tokens_max", 1.0, 1e18);
  g.experts_min = r.opt_real("experts_min", 1.0, 1e6);
  g.experts_max = r.opt_real("experts_max", 1.0, 1e6);
  g.granularity_min = r.opt_real("granularity_min", 1.0, 1e6);
  g.granularity_max = r.opt_real("granularity_max", 1.0, 1e6);
  g.text = r.get_string("text");
  g.quote = r.opt_string("quote").value_or("");
  if (g.params_min && g.params_max && *g.params_min >= *g.params_max) r.fail("params_min", "must be below params_max");
  if (g.tokens_min && g.tokens_max && *g.tokens_min >= *g.tokens_max) r.fail("tokens_min", "must be below tokens_max");
  return g;
}

void check_exponents(const PowerLaw& l, const std::string& what) {
  if (!(l.p > 0) || !(l.q > 0) || !(l.m > 0) || !(l.n > 0))
    throw InputError(fmt::format("{}: the law has a non-positive term (m {:g}, p {:g}, n {:g}, q {:g})", what, l.m,
                                 l.p, l.n, l.q));
}

GranularMoeLaw granular_from(const JsonContext& top, const std::string& key, bool moe) {
  const JsonContext j = top.child(key);
  GranularMoeLaw l;
  l.name = j.get_string("name");
  l.source = j.get_string("source");
  l.params_convention = j.get_string("params_convention");
  l.a = j.get_real("a", 0.0, kBig);
  l.alpha = j.get_real("alpha", 1e-3, 2.0);
  l.b = j.get_real("b", 0.0, kBig);
  l.beta = j.get_real("beta", 1e-3, 2.0);
  l.c = j.get_real("c", 0.0, 100.0);
  if (moe) {
    l.g = j.get_real("g", 0.0, kBig);
    l.gamma = j.get_real("gamma", 0.0, 5.0);
  }
  l.regime = regime_from(j);
  return l;
}

}  // namespace

double PowerLaw::operator()(double params, double tokens) const {
  return c + m * std::pow(params, -p) + n * std::pow(tokens, -q);
}

double JointMoeLaw::e_hat(double experts) const {
  const double offset = 1.0 / (1.0 / e_start - 1.0 / e_max);
  return 1.0 / (1.0 / (experts - 1.0 + offset) + 1.0 / e_max);
}

PowerLaw JointMoeLaw::at(double experts) const {
  const double eh = e_hat(experts);
  const double l = std::log(eh);
  PowerLaw r{c, a * std::pow(eh, delta), -(alpha + gamma * l), b * std::pow(eh, omega), -(beta + zeta * l)};
  check_exponents(r, fmt::format("{} at E = {:g}", name, experts));
  return r;
}

PowerLaw GranularMoeLaw::at(double granularity) const {
  return PowerLaw{c, g / std::pow(granularity, gamma) + a, alpha, b, beta};
}

ScalingLaws scaling_laws_from_json(const nlohmann::json& doc, const std::string& where) {
  const JsonContext top{doc, where, ""};
  ScalingLaws s;
  s.file = where;
  {
    const JsonContext j = top.child("chinchilla_besiroglu");
    ChinchillaLaw& l = s.chinchilla;
    l.name = j.get_string("name");
    l.form = j.get_string("form");
    l.source = j.get_string("source");
    l.quote = j.get_string("quote");
    l.params_convention = j.get_string("params_convention");
    l.E = value_of(j, "E", 0.0, 100.0);
    l.A = value_of(j, "A", 0.0, kBig);
    l.B = value_of(j, "B", 0.0, kBig);
    l.alpha = value_of(j, "alpha", 1e-3, 2.0);
    l.beta = value_of(j, "beta", 1e-3, 2.0);
    l.regime = regime_from(j);
  }
  {
    const JsonContext j = top.child("ludziejewski_joint");
    JointMoeLaw& l = s.joint;
    l.name = j.get_string("name");
    l.source = j.get_string("source");
    l.params_convention = j.get_string("params_convention");
    l.a = j.get_real("a", 0.0, kBig);
    l.alpha = j.get_real("alpha", -2.0, 0.0);
    l.delta = j.get_real("delta", -5.0, 5.0);
    l.gamma = j.get_real("gamma", -1.0, 1.0);
    l.b = j.get_real("b", 0.0, kBig);
    l.beta = j.get_real("beta", -2.0, 0.0);
    l.omega = j.get_real("omega", -5.0, 5.0);
    l.zeta = j.get_real("zeta", -1.0, 1.0);
    l.e_start = j.get_real("E_start", 1.0, 1e6);
    l.e_max = j.get_real("E_max", l.e_start + 1e-9, 1e9);
    l.c = j.get_real("c", 0.0, 100.0);
    l.regime = regime_from(j);
    (void)l.at(1.0);  // the dense end must be a valid law
  }
  s.krajewski_moe = granular_from(top, "krajewski_moe", true);
  s.krajewski_dense = granular_from(top, "krajewski_dense", false);
  {
    const JsonContext sel = top.child("selection");
    s.selection = sel.get_string("text");
    s.experts_definition = sel.get_string("experts_definition");
    s.granularity_definition = sel.get_string("granularity_definition");
  }
  {
    const JsonContext x = top.child("extrapolation");
    s.extrapolation.standard_errors = x.child("standard_errors").get_real("value", 0.0, 10.0);
    s.extrapolation.params_rel = x.child("params_exponent_relative_error").get_real("value", 0.0, 0.4);
    s.extrapolation.tokens_rel = x.child("tokens_exponent_relative_error").get_real("value", 0.0, 0.4);
    s.extrapolation.method = x.get_string("method");
    if (s.extrapolation.standard_errors * std::max(s.extrapolation.params_rel, s.extrapolation.tokens_rel) >= 1.0)
      x.fail("standard_errors", "times a relative exponent error must stay below 1 (the exponent would change sign)");
  }
  return s;
}

const ScalingLaws& scaling_laws() {
  return load_once<ScalingLaws>("constants/scaling_laws.json",
                                [](const nlohmann::json& doc, const std::string& path) { return scaling_laws_from_json(doc, path); });
}

double structural_distance(const Regime& r, double experts, double granularity) {
  auto outside = [](double x, const std::optional<double>& lo, const std::optional<double>& hi) {
    if (hi && x > *hi) return std::log(x / *hi);
    if (lo && x < *lo) return std::log(*lo / x);
    return 0.0;
  };
  return outside(experts, r.experts_min, r.experts_max) + outside(granularity, r.granularity_min, r.granularity_max);
}

LawAt chinchilla_at(const ScalingLaws& s) {
  LawAt r;
  r.name = s.chinchilla.name;
  r.family = "chinchilla";
  r.params_convention = s.chinchilla.params_convention;
  r.regime_text = s.chinchilla.regime.text;
  r.law = s.chinchilla.law();
  r.regime = s.chinchilla.regime;
  return r;
}

LawAt joint_at(const ScalingLaws& s, double experts, double granularity) {
  const JointMoeLaw& j = s.joint;
  LawAt r;
  r.family = "ludziejewski";
  r.name = experts == 1.0 ? fmt::format("{} at E = 1 (dense)", j.name) : fmt::format("{} at E = {:.3g}", j.name, experts);
  r.params_convention = j.params_convention;
  r.regime_text = j.regime.text;
  r.regime = j.regime;
  r.law = j.at(experts);
  if (j.regime.experts_max && experts > *j.regime.experts_max) {
    r.outside.push_back(fmt::format("E = {:.3g} experts, above the fitted {:g}", experts, *j.regime.experts_max));
    r.edge_alternatives.push_back(j.at(*j.regime.experts_max));
  }
  if (j.regime.granularity_max && granularity > *j.regime.granularity_max + 1e-9)
    r.outside.push_back(fmt::format(
        "granularity {:.3g} (the active FFN is {:.3g} expert-sized pieces), the fit has one full-width expert per token",
        granularity, granularity));
  return r;
}

LawAt krajewski_moe_at(const ScalingLaws& s, double experts, double granularity) {
  const GranularMoeLaw& k = s.krajewski_moe;
  LawAt r;
  r.family = "krajewski";
  r.name = fmt::format("{} at G = {:.3g}", k.name, granularity);
  r.params_convention = k.params_convention;
  r.regime_text = k.regime.text;
  r.regime = k.regime;
  r.law = k.at(granularity);
  if (k.regime.granularity_max && granularity > *k.regime.granularity_max) {
    r.outside.push_back(fmt::format("granularity {:.3g}, above the fitted {:g}", granularity, *k.regime.granularity_max));
    r.edge_alternatives.push_back(k.at(*k.regime.granularity_max));
  }
  if (k.regime.granularity_min && granularity < *k.regime.granularity_min)
    r.outside.push_back(fmt::format("granularity {:.3g}, below the fitted {:g}", granularity, *k.regime.granularity_min));
  if ((k.regime.experts_min && experts < *k.regime.experts_min - 1e-9) ||
      (k.regime.experts_max && experts > *k.regime.experts_max + 1e-9))
    r.outside.push_back(fmt::format("expansion E = {:.3g}, the fit held E = {:g}", experts,
                                    k.regime.experts_min.value_or(k.regime.experts_max.value_or(0))));
  return r;
}

LawAt krajewski_dense_at(const ScalingLaws& s) {
  const GranularMoeLaw& k = s.krajewski_dense;
  LawAt r;
  r.family = "krajewski";
  r.name = k.name;
  r.params_convention = k.params_convention;
  r.regime_text = k.regime.text;
  r.regime = k.regime;
  r.law = k.at(1.0);
  return r;
}

// Predictions, equal-loss solves and compute-optimal allocations: scaling_laws_predict.cpp.

}  // namespace traincost::econ
