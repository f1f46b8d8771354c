// budget's constants: the compute-optimal law it sizes dense models by, and the
// shape families and defaults of constants/budget.json.
#include <cmath>

#include <fmt/format.h>

#include "traincost/econ/budget.hpp"
#include "traincost/util/constants_file.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost::econ {

using nlohmann::json;

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

namespace {
// The fields both shape families (DenseShapeRule, MoeShapeRule) read, in the file's order.
template <class Rule>
void read_shape_width_fields(const JsonContext& j, Rule& r) {
  r.d_per_layer = j.get_int("d_model_per_layer", 1, 100'000);
  r.head_dim = j.get_int("head_dim", 1, 100'000);
  r.d_multiple = j.get_int("d_model_multiple", 1, 1'000'000);
  if (r.d_multiple % r.head_dim != 0)
    j.fail("head_dim", fmt::format("= {} must divide d_model_multiple ({})", r.head_dim, r.d_multiple));
}

template <class Rule>
void read_shape_vocab_and_source(const JsonContext& j, Rule& r) {
  r.vocab = j.get_int("vocab_size", 1, 10'000'000);
  r.tie_embeddings = j.get_bool_or("tie_word_embeddings", false);
  r.rule = j.get_string("rule");
  r.source = j.get_string("source");
}
}  // namespace

BudgetConstants budget_constants_from_json(const json& doc, const std::string& where, const ScalingLaws& laws) {
  const JsonContext top{doc, where, ""};
  BudgetConstants c;
  c.path = where;
  c.law_path = laws.file;
  c.law = compute_optimal_law(laws.chinchilla, laws.file);

  const JsonContext d = top.child("dense_shape");
  read_shape_width_fields(d, c.dense);
  c.dense.max_kv_heads = d.get_int("max_kv_heads", 1, 100'000);
  c.dense.ffn_ratio = d.get_real("ffn_over_d_model", 0.1, 100.0);
  read_shape_vocab_and_source(d, c.dense);

  const JsonContext m = top.child("moe_shape");
  read_shape_width_fields(m, c.moe);
  c.moe.experts = m.get_int("num_experts", 1, 1'000'000);
  c.moe.top_k = m.get_int("top_k", 1, c.moe.experts);
  c.moe.expert_ratio = m.get_real("expert_over_d_model", 0.001, 100.0);
  read_shape_vocab_and_source(m, c.moe);

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

}  // namespace traincost::econ
