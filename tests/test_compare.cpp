// `traincost compare` and the scaling laws behind it (econ/scaling_laws,
// econ/compare): hand-derived law values, the papers' own checks, the
// extrapolation range, the dense equivalents, and the seed claims
// (DeepSpeed-MoE's 5x, DeepSeek-V2's 42.5%).
#include <algorithm>
#include <cmath>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "test_laws.hpp"
#include "test_support.hpp"
#include "traincost/cost/estimate.hpp"
#include "traincost/econ/compare.hpp"
#include "traincost/econ/scaling_laws.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/model/params.hpp"
#include "traincost/perf/derive.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

using nlohmann::json;
using test_support::CliResult;
using test_support::run_cli;
using namespace traincost;

namespace {

json compare_json(const std::string& args) {
  const CliResult r = run_cli("compare " + args + " --format json");
  INFO(args << "\nstderr: " << r.err);
  REQUIRE(r.status == 0);
  return json::parse(r.out);
}

// DeepSpeed-MoE's NLG models (Rajbhandari et al. 2022) on GPT-3's shapes
// (Brown et al. 2020, Table 2.1: 1.3B = 24 layers x d 2048, 16 heads;
// 6.7B = 32 layers x d 4096, 32 heads; FFN 4d GeLU, learned positions 2048,
// LayerNorm, biases, tied embeddings), "1.3B+MoE-128": every other FFN
// replaced by 128 top-1 experts of the same width. Vocabulary 51,200 (GPT-2's
// 50,257 padded, Megatron-style). The shapes are the GPT-3 family's; the
// paper's exact vocabulary and which layers are MoE are assumptions here.
const char* kDeepSpeedMoe = R"({"format": "traincost.model.v1", "hidden_size": 2048, "num_layers": 24,
  "vocab_size": 51200, "tie_word_embeddings": true, "learned_position_embeddings": 2048, "norm": "layernorm",
  "linear_bias": true, "attention": {"type": "mha", "num_heads": 16},
  "ffn": {"activation": "gelu", "intermediate_size": 8192},
  "moe": {"num_experts": 128, "top_k": 1, "expert_intermediate_size": 8192, "first_dense_layers": 1, "layer_interval": 2}})";
const char* kDeepSpeedDense = R"({"format": "traincost.model.v1", "hidden_size": 4096, "num_layers": 32,
  "vocab_size": 51200, "tie_word_embeddings": true, "learned_position_embeddings": 2048, "norm": "layernorm",
  "linear_bias": true, "attention": {"type": "mha", "num_heads": 32},
  "ffn": {"activation": "gelu", "intermediate_size": 16384}})";

EstimateInputs inputs(double tokens, std::optional<std::int64_t> gpus = std::nullopt, Precision p = Precision::bf16) {
  EstimateInputs in;
  in.tokens = tokens;
  in.gpus = gpus;
  in.precision = p;
  in.flops.seq_len = 4096;
  in.pue = 1.25;
  in.grid_kgco2_per_kwh = 0.429;
  return in;
}

}  // namespace

TEST_CASE("compare: Chinchilla compute-optimal by hand (Besiroglu refit, C = 5.76e23)", "[compare]") {
  // G = (alpha A / (beta B))^(1/(alpha+beta)) = (0.3478 x 482.01 / (0.3658 x 2085.43))^(1/0.7136)
  //   = (167.643 / 762.850)^1.40135 = 0.219759^1.40135 = exp(-1.51522 x 1.40135) = exp(-2.12336) = 0.11963
  // a = 0.3658 / 0.7136 = 0.51261;  C/6 = 9.6e22, ln = 52.91863;  (C/6)^a = exp(27.1266) = 6.0386e11
  // N_opt = 0.11963 x 6.0386e11 = 7.224e10;  D_opt = 9.6e22 / 7.224e10 = 1.3289e12;  D/N = 18.4
  // (Hoffmann Table 3 puts 67B / 1.5T at this budget; the refit's ~20 tokens/param is formulas.md's reading.)
  const econ::Allocation a = econ::compute_optimal(econ::chinchilla_at(test_support::scaling_laws()), 5.76e23, test_support::scaling_laws().extrapolation);
  CHECK(a.params == Approx(7.224e10).epsilon(0.001));
  CHECK(a.tokens == Approx(1.3289e12).epsilon(0.001));
  CHECK(a.tokens_per_param == Approx(18.39).epsilon(0.002));
  CHECK(6.0 * a.params * a.tokens == Approx(5.76e23).epsilon(1e-9));
  // 72B sits above the fitted 16B: the prediction says so.
  CHECK(a.loss.extrapolated);
  CHECK(a.loss.law.find("Besiroglu") != std::string::npos);
  // Fixed-ratio rule of thumb: N ~ sqrt(C/120) = 69.3B, within 5%.
  CHECK(a.params == Approx(std::sqrt(5.76e23 / 120.0)).epsilon(0.05));
}

TEST_CASE("compare: one Chinchilla loss by hand", "[compare]") {
  // L(70e9, 1.4e12) = 1.8172 + 482.01 / 70e9^0.3478 + 2085.43 / 1.4e12^0.3658
  //   70e9^0.3478   = exp(0.3478 x 24.97183) = exp(8.68530) = 5914.6  -> 0.081495
  //   1.4e12^0.3658 = exp(0.3658 x 27.96754) = exp(10.23053) = 27737  -> 0.075187
  //   L = 1.8172 + 0.081495 + 0.075187 = 1.973882
  const econ::LawAt chin = econ::chinchilla_at(test_support::scaling_laws());
  const econ::LossPrediction p = econ::predict(chin, 70e9, 1.4e12, test_support::scaling_laws().extrapolation);
  CHECK(p.loss == Approx(1.973882).epsilon(1e-6));
  // 70B and 1.4T are outside 70M-16B / 5B-500B.
  CHECK(p.extrapolated);
  CHECK(p.outside.size() == 2);
  // Inside the regime: no flag, no range.
  const econ::LossPrediction in = econ::predict(chin, 1e9, 20e9, test_support::scaling_laws().extrapolation);
  CHECK_FALSE(in.extrapolated);
  CHECK(in.low == in.loss);
  CHECK(in.high == in.loss);
  CHECK(in.regime.find("70M-16B") != std::string::npos);
}

TEST_CASE("compare: the joint law reproduces Ludziejewski et al.'s Tables 1 and 4", "[compare]") {
  const econ::JointMoeLaw& j = test_support::scaling_laws().joint;
  // Ê(1) = 1/(1/(0 + (1/2.0732 - 1/290.4521)^-1) + 1/290.4521) = E_start: the dense end.
  CHECK(j.e_hat(1.0) == Approx(2.0732).epsilon(1e-9));
  // mu(E = 1) = alpha + gamma ln 2.0732 = -0.1889 + 0.0098 x 0.72910 = -0.181755 (their Table 4: -0.1817).
  CHECK(-j.at(1.0).p == Approx(-0.181755).margin(1e-6));
  CHECK(-j.at(1.0).p == Approx(-0.1817).margin(1e-4));
  // Table 1 at 1e22 FLOPs: E = 1 -> 18.8B / 88.6B tokens; E = 32 -> 12.2B / 136.9B (rounded coefficients: 1%).
  const econ::Allocation d = econ::compute_optimal(econ::joint_at(test_support::scaling_laws(), 1.0, 1.0), 1e22, test_support::scaling_laws().extrapolation);
  CHECK(d.params == Approx(18.8e9).epsilon(0.01));
  CHECK(d.tokens == Approx(88.6e9).epsilon(0.01));
  const econ::Allocation m = econ::compute_optimal(econ::joint_at(test_support::scaling_laws(), 32.0, 1.0), 1e22, test_support::scaling_laws().extrapolation);
  CHECK(m.params == Approx(12.2e9).epsilon(0.01));
  CHECK(m.tokens == Approx(136.9e9).epsilon(0.01));
  CHECK(m.loss.loss < d.loss.loss);  // more experts, lower loss at equal compute
  // The 18.8B optimum is beyond the fitted 2.7B active: flagged.
  CHECK(d.loss.extrapolated);
  // E beyond 32: flagged, and the range includes the prediction at E = 32.
  const econ::LawAt e64 = econ::joint_at(test_support::scaling_laws(), 64.0, 1.0);
  const econ::LossPrediction p = econ::predict(e64, 1e9, 50e9, test_support::scaling_laws().extrapolation);
  CHECK(p.extrapolated);
  CHECK(p.high >= econ::joint_at(test_support::scaling_laws(), 32.0, 1.0).law(1e9, 50e9) - 1e-12);
  CHECK(p.loss < p.high);
  // Inside: 1B active, 8 experts, top-1.
  CHECK_FALSE(econ::predict(econ::joint_at(test_support::scaling_laws(), 8.0, 1.0), 1e9, 50e9, test_support::scaling_laws().extrapolation, 4e9).extrapolated);
  CHECK(econ::predict(econ::joint_at(test_support::scaling_laws(), 8.0, 1.0), 1e9, 50e9, test_support::scaling_laws().extrapolation, 6e9).extrapolated);  // > 5B total
}

TEST_CASE("compare: Krajewski's N is total parameters (an MoE at 1e20 FLOPs matches dense at ~20x)", "[compare]") {
  // The notes do not say what N counts. Krajewski et al.'s FLOPs model is
  // F = 12 d^2 c_f D n_blocks (router term aside): 6 x 12 d^2 active weights
  // per block. Their MoEs have E = 64 experts of the dense FFN's size
  // (8 d^2 each) beside 4 d^2 of attention: total/active = 516/12 = 43.
  const econ::GranularMoeLaw& km = test_support::scaling_laws().krajewski_moe;
  auto best_moe = [&](double flops, double g, bool n_is_total) {
    double best = 1e9;
    for (double lg = 7.0; lg < 14.0; lg += 0.001) {
      const double n = std::pow(10.0, lg);
      const double active = n_is_total ? n * 12.0 / 516.0 : n;
      best = std::min(best, km.at(g)(n, flops / (6.0 * active)));
    }
    return best;
  };
  const econ::LawAt kd = econ::krajewski_dense_at(test_support::scaling_laws());
  auto dense_opt = [&](double flops) { return econ::compute_optimal(kd, flops, test_support::scaling_laws().extrapolation).loss.loss; };
  // Dense compute that reaches the MoE's loss, by bisection in log C.
  auto dense_compute_for = [&](double loss) {
    double lo = std::log(1e17), hi = std::log(1e27);
    for (int i = 0; i < 100; ++i) {
      const double mid = 0.5 * (lo + hi);
      (dense_opt(std::exp(mid)) > loss ? lo : hi) = mid;
    }
    return std::exp(lo);
  };
  const double ratio_total = dense_compute_for(best_moe(1e20, 8.0, true)) / 1e20;
  const double ratio_active = dense_compute_for(best_moe(1e20, 8.0, false)) / 1e20;
  INFO("dense compute / MoE compute at equal loss: N total " << ratio_total << ", N active " << ratio_active);
  // Paper: "matches dense at 20x compute". N = total gives 21.8x; N = active (0.47x)
  // would make the MoE worse than dense (ratio < 1), against the paper.
  CHECK(ratio_total > 15.0);
  CHECK(ratio_total < 30.0);
  CHECK(ratio_active < 1.0);
}

TEST_CASE("compare: the extrapolation range continues each term from the regime's edge", "[compare]") {
  // Chinchilla at N = 160B (10x the fitted 16B), D = 300B (inside):
  //   N term = 482.01 x 16e9^-0.3478 x 10^(-0.3478 (1 -/+ 2 x 0.0575)); D term unchanged.
  const econ::LawAt chin = econ::chinchilla_at(test_support::scaling_laws());
  const econ::LossPrediction p = econ::predict(chin, 160e9, 300e9, test_support::scaling_laws().extrapolation);
  const double edge = 482.01 * std::pow(16e9, -0.3478);
  const double dterm = 2085.43 * std::pow(300e9, -0.3658);
  CHECK(p.loss == Approx(1.8172 + 482.01 * std::pow(160e9, -0.3478) + dterm).epsilon(1e-12));
  CHECK(p.low == Approx(1.8172 + edge * std::pow(10.0, -0.3478 * 1.115) + dterm).epsilon(1e-9));
  CHECK(p.high == Approx(1.8172 + edge * std::pow(10.0, -0.3478 * 0.885) + dterm).epsilon(1e-9));
  CHECK(p.low == Approx(2.00504).epsilon(1e-5));   // python: 2.005041
  CHECK(p.high == Approx(2.01632).epsilon(1e-5));  // python: 2.016317
  REQUIRE(p.outside.size() == 1);
  CHECK(p.outside[0].find("above the fitted 16.00B") != std::string::npos);
}

TEST_CASE("compare: the equal-loss solve matches the closed form", "[compare]") {
  // Joint law: m1 N^-p1 + n1 D^-q1 + c = L  =>  N = ((L - c - n1 D^-q1) / m1)^(-1/p1).
  const econ::LawAt moe = econ::joint_at(test_support::scaling_laws(), 8.0, 1.0), dense = econ::joint_at(test_support::scaling_laws(), 1.0, 1.0);
  const double d = 50e9, n_moe = 1e9;
  const econ::EqualLoss e = econ::equal_loss_dense_params(moe, n_moe, dense, d, test_support::scaling_laws().extrapolation);
  const econ::PowerLaw& l = dense.law;
  const double closed = std::pow((e.moe_loss - l.c - l.n * std::pow(d, -l.q)) / l.m, -1.0 / l.p);
  REQUIRE(e.params);
  CHECK(*e.params == Approx(closed).epsilon(1e-9));
  CHECK(*e.params > n_moe);  // 8 experts beat a dense model of the same active size
  CHECK(dense.law(*e.params, d) == Approx(moe.law(n_moe, d)).epsilon(1e-12));
  // In the regime the range collapses to the point.
  CHECK(*e.params_low == Approx(*e.params).epsilon(1e-9));
  CHECK(*e.params_high == Approx(*e.params).epsilon(1e-9));
  // A loss below the dense law's limit at these tokens has no solution.
  econ::LawAt impossible = moe;
  impossible.law.c = dense.law.c - 2.0;
  const econ::EqualLoss none = econ::equal_loss_dense_params(impossible, n_moe, dense, d, test_support::scaling_laws().extrapolation);
  CHECK_FALSE(none.params);
}

TEST_CASE("compare: the law pair is the fit nearest the model's structure", "[compare]") {
  const econ::Regime& joint = test_support::scaling_laws().joint.regime;      // E 1-32, G = 1
  const econ::Regime& kraj = test_support::scaling_laws().krajewski_moe.regime;  // E = 64, G 1-16
  // DeepSeek-V3 (E = 28.6, G = 9): joint ln 9 = 2.197; Krajewski ln(64/28.6) = 0.806 -> Krajewski.
  CHECK(econ::structural_distance(joint, 257.0 / 9.0, 9.0) == Approx(std::log(9.0)));
  CHECK(econ::structural_distance(kraj, 257.0 / 9.0, 9.0) == Approx(std::log(64.0 * 9.0 / 257.0)));
  // Mixtral (E = 4, G = 2): joint ln 2 = 0.693; Krajewski ln 16 = 2.773 -> joint law.
  CHECK(econ::structural_distance(joint, 4.0, 2.0) == Approx(std::log(2.0)));
  CHECK(econ::structural_distance(kraj, 4.0, 2.0) == Approx(std::log(16.0)));
  // Inside: zero.
  CHECK(econ::structural_distance(joint, 8.0, 1.0) == 0.0);
  CHECK(econ::structural_distance(kraj, 64.0, 8.0) == 0.0);
  const Accelerator hw = load_accelerator("h100-sxm");
  CHECK(econ::compare(load_model("mixtral-8x7b"), hw, inputs(1e12), test_support::scaling_laws()).pair == "ludziejewski");
  CHECK(econ::compare(load_model("deepseek-v3"), hw, inputs(1e12), test_support::scaling_laws()).pair == "krajewski");
}

TEST_CASE("compare: MoE shapes (experts E and granularity G) of real models", "[compare]") {
  // DeepSeek-V3: 256 routed top-8 + 1 shared, all width 2048: E = 257/9, G = 9.
  const econ::MoeShape v3 = econ::moe_shape(load_model("deepseek-v3"));
  CHECK(v3.experts == Approx(257.0 / 9.0));
  CHECK(v3.granularity == Approx(9.0));
  // Mixtral 8x7B: 8 experts top-2: E = 4, G = 2.
  const econ::MoeShape mx = econ::moe_shape(load_model("mixtral-8x7b"));
  CHECK(mx.experts == Approx(4.0));
  CHECK(mx.granularity == Approx(2.0));
  // DeepSeek-V2: 160 routed top-6 + 2 shared, width 1536: E = 162/8, G = 8.
  const econ::MoeShape v2 = econ::moe_shape(load_model("deepseek-v2"));
  CHECK(v2.experts == Approx(162.0 / 8.0));
  CHECK(v2.granularity == Approx(8.0));
  CHECK_THROWS_AS(econ::moe_shape(load_model("llama-3.1-8b")), UsageError);
}

TEST_CASE("compare: dense equivalents hit their target with the MoE's width/depth ratio", "[compare]") {
  const ModelSpec v3 = load_model("deepseek-v3");
  const ParamBreakdown pb = count_params(v3);
  for (double target : {static_cast<double>(pb.active()), static_cast<double>(pb.total()), 224e9}) {
    const json doc = json::parse(econ::dense_spec_json(v3, target, econ::ParamCount::total, "x").dump());
    const ModelSpec s = model_from_spec(doc, "x");
    INFO("target " << target);
    CHECK_FALSE(s.is_moe());
    // FFN width solved to the parameter: within one FFN column per layer (3 d L params).
    CHECK(std::fabs(static_cast<double>(count_params(s).total()) - target) <=
          1.5 * static_cast<double>(s.hidden_size * s.num_layers()));
    // d/L within one 128-step of the MoE's 7168/61 = 117.5; whole 128-wide heads.
    CHECK(s.hidden_size % 128 == 0);
    CHECK(std::fabs(static_cast<double>(s.hidden_size) / static_cast<double>(s.num_layers()) - 7168.0 / 61.0) < 128.0 / 61.0 + 2.0);
    CHECK(s.vocab_size == v3.vocab_size);
  }
  // Non-embedding target (Krajewski's convention).
  const json ne = json::parse(econ::dense_spec_json(v3, 100e9, econ::ParamCount::total_nonembedding, "y").dump());
  const ModelSpec s = model_from_spec(ne, "y");
  CHECK(static_cast<double>(count_params(s).total_nonembedding()) == Approx(100e9).epsilon(1e-3));
  // Fewer parameters than the narrowest model's embeddings (129,280 x 128 x 2 = 33M): a data error.
  CHECK_THROWS_AS(econ::dense_spec_json(v3, 1e7, econ::ParamCount::total, "tiny"), InputError);
  CHECK_THROWS_AS(econ::dense_spec_json(v3, 2e15, econ::ParamCount::total, "huge"), InputError);
}

TEST_CASE("compare: DeepSpeed-MoE's 5x lower training cost at equal quality", "[compare]") {
  // Claim (Rajbhandari et al. 2022, formulas.md 6.3): "we achieved the model quality of a 6.7B parameter
  // dense NLG model at the cost of training a 1.3B parameter dense model", "5x reduction in training cost",
  // 1.3B+MoE-128 vs 6.7B dense, same tokens (300B, GPT-3's budget).
  const ModelSpec moe = model_from_spec(json::parse(kDeepSpeedMoe), "deepspeed-1.3b-moe-128");
  const ModelSpec dense = model_from_spec(json::parse(kDeepSpeedDense), "gpt-6.7b");
  // DeepSpeed-MoE names the model "1.3B+MoE-128" with 52B parameters (paper's model table; not in the notes).
  CHECK(static_cast<double>(count_params(moe).total()) == Approx(52e9).epsilon(0.02));
  const double d = 300e9;
  const econ::MoeShape shape = econ::moe_shape(moe);
  CHECK(shape.experts == Approx(128.0));
  CHECK(shape.granularity == Approx(1.0));
  const Accelerator hw = load_accelerator("a100-80gb");
  const econ::Comparison c = econ::compare(moe, hw, inputs(d), test_support::scaling_laws());
  // E = 128, top-1: ln(128/32) = 1.39 from the joint law's fit, ln(128/64) = 0.69 from Krajewski et al.'s:
  // the Krajewski pair; both flagged as extrapolated.
  CHECK(c.pair == "krajewski");
  CHECK(c.moe.loss.extrapolated);
  REQUIRE(c.same_loss);
  const double primary = *c.same_loss->cost_ratio_to_moe;
  REQUIRE(c.cross_checks.size() == 1);
  const econ::CrossCheck& x = c.cross_checks[0];
  REQUIRE(x.dense_total_params);
  INFO("Krajewski pair: equal-loss dense " << c.same_loss->total_params << " params, " << primary
                                          << "x the MoE's GPU-hours; joint law: " << *x.dense_total_params
                                          << " params, " << *x.flops_ratio << "x in 6ND");
  // Direction: the MoE is cheaper than a dense model of its quality. Size:
  // the Krajewski pair says 8.0x (11.3B dense), the joint law 5.1x (6.78B
  // dense, 1% above the claim's 6.7B); both within a factor of 2 of the claimed 5x.
  CHECK(primary > 2.5);
  CHECK(primary < 10.0);
  CHECK(*x.flops_ratio > 2.5);
  CHECK(*x.flops_ratio < 10.0);
  CHECK(*x.dense_total_params == Approx(static_cast<double>(count_params(dense).total())).epsilon(0.1));
  // Under both pairs, the MoE beats a dense model of its active size and loses to one of its total size.
  CHECK(c.same_active.loss.loss > c.moe.loss.loss);
  CHECK(c.same_total.loss.loss < c.moe.loss.loss);
  // The 6.7B dense model under the Krajewski dense law: the MoE's predicted loss is lower (2.285 vs 2.35).
  const econ::LawAt kd = econ::krajewski_dense_at(test_support::scaling_laws());
  CHECK(kd.law(static_cast<double>(count_params(dense).total_nonembedding()), d) > c.moe.loss.loss);
}

TEST_CASE("compare: DeepSeek-V2 vs DeepSeek 67B per training token", "[compare]") {
  // Claim (DeepSeek-V2 report 3.2.3): 172.8K vs 300.6K H800 GPU-hours per trillion tokens, "save 42.5%".
  // traincost's own counting, per token at seq 4096 (causal attention, 3 x forward):
  //   DeepSeek-V2: 6 x 20.84B active GEMM weights = 1.2504e11, attention 3 x 2 x 128 heads x (192 + 128)
  //                x 2048 x 60 layers = 3.0199e10 -> 1.5524e11 (+ norms/router rounding)
  //   DeepSeek 67B: 6 x 66.59B = 3.9954e11, attention 3 x 2 x 64 x (128 + 128) x 2048 x 95 = 1.9126e10 -> 4.187e11
  //   ratio 0.371: a 62.9% saving in FLOPs.
  const Accelerator hw = load_accelerator("h800");
  double flops[2], hours[2];
  int i = 0;
  for (const char* name : {"deepseek-v2", "deepseek-llm-67b"}) {
    const ModelSpec m = load_model(name);
    // GPU count not published for either; both on DeepSeek's 2,048-GPU H800 cluster size (DeepSeek-V3 report),
    // at their published final batches: 9,216 and 4,608 sequences of 4,096 (DeepSeek-V2 §3.1.2, DeepSeek LLM Table 2).
    EstimateInputs in = inputs(1e12, 2048);
    const bool moe = std::string(name) == "deepseek-v2";
    const std::int64_t batch = moe ? 9216 * 4096 : 4608 * 4096;
    // DeepSeek-V2 drops tokens at a per-device capacity factor of 1.0 (§2.2.4): the busiest
    // expert-parallel rank processes the mean, as `--moe-imbalance 1` tells a user's estimate.
    if (moe) in.moe_imbalance = 1.0;
    in.derived = perf::derive_throughput(m, hw, in, "", batch);
    REQUIRE(in.derived);
    const Estimate e = estimate(m, hw, in);
    flops[i] = e.flops_per_token.model();
    hours[i] = e.gpu_hours;
    ++i;
  }
  CHECK(flops[0] == Approx(1.5524e11).epsilon(0.005));
  CHECK(flops[1] == Approx(4.187e11).epsilon(0.005));
  const double flop_ratio = flops[0] / flops[1];
  const double hour_ratio = hours[0] / hours[1];
  INFO("FLOPs ratio " << flop_ratio << ", GPU-hours ratio " << hour_ratio << " (published 172.8/300.6 = 0.575)");
  CHECK(flop_ratio == Approx(0.371).epsilon(0.01));
  // The MoE's lower utilisation (all-to-all, narrow experts, permutation, host-bound time per
  // layer) gives back part of the FLOP saving: the GPU-hour ratio lies between the FLOP ratio
  // and 1. At DeepSeek-V2's published capacity factor it is 0.632 against the published 0.575
  // (+9.9%, issue 11's target is within 10%); at the dropless default imbalance (1.25) 0.74.
  CHECK(hour_ratio > flop_ratio);
  CHECK(hour_ratio < 1.0);
  CHECK(hour_ratio == Approx(172.8 / 300.6).epsilon(0.10));
  CHECK(hours[1] == Approx(300.6e3).epsilon(0.15));  // the dense run: 264.7K on the default search, -12%
}

TEST_CASE("compare: DeepSeek-V3 JSON carries every run with law, regime and flag", "[compare]") {
  const json j = compare_json("--model deepseek-v3 --tokens 14.8e12 --hardware h800 --gpus 2048 --precision fp8");
  CHECK(j.at("schema") == "traincost.compare.v1");
  CHECK(j.at("law_pair") == "krajewski");
  const json& moe = j.at("moe");
  for (const json* r : {&moe, &j.at("dense_equivalents").at("same_active"), &j.at("dense_equivalents").at("same_total"),
                        &j.at("dense_equivalents").at("same_loss")}) {
    for (const char* k : {"params", "tokens", "gpu_hours", "cost_usd", "energy_mwh", "predicted_loss", "law",
                          "regime", "extrapolated", "cost_ratio_to_moe", "wall_clock_days", "fits"})
      CHECK(r->contains(k));
    CHECK(r->at("tokens").get<double>() == 14.8e12);
    CHECK_FALSE(r->at("law").get<std::string>().empty());
    CHECK(r->at("extrapolated") == true);  // 671B and 14.8T are far outside every fit
    CHECK(r->at("loss_low").get<double>() < r->at("predicted_loss").get<double>());
    CHECK(r->at("predicted_loss").get<double>() < r->at("loss_high").get<double>());
    CHECK(r->at("cost_ratio_to_moe").get<double>() ==
          Approx(r->at("gpu_hours").get<double>() / moe.at("gpu_hours").get<double>()));
  }
  const json& d = j.at("dense_equivalents");
  CHECK(d.at("same_active").at("params").get<double>() == Approx(moe.at("active_params").get<double>()).epsilon(1e-3));
  CHECK(d.at("same_total").at("params").get<double>() == Approx(moe.at("params").get<double>()).epsilon(1e-3));
  CHECK(d.at("same_loss").at("predicted_loss").get<double>() ==
        Approx(moe.at("predicted_loss").get<double>()).epsilon(1e-3));
  // Ordering of the three senses: same active < same loss < same total, in size and in cost.
  CHECK(d.at("same_active").at("params") < d.at("same_loss").at("params"));
  CHECK(d.at("same_loss").at("params") < d.at("same_total").at("params"));
  CHECK(d.at("same_loss").at("cost_ratio_to_moe").get<double>() > 1.0);
  // The same-loss dense model is a real spec that traincost can load.
  CHECK(d.at("same_loss").at("spec").at("format") == "traincost.model.v1");
  const json& co = j.at("compute_optimal");
  CHECK(co.at("flops").get<double>() == moe.at("training_flops").get<double>());
  for (const char* k : {"dense", "moe"}) {
    CHECK(co.at(k).at("extrapolated") == true);
    CHECK(6.0 * co.at(k).at("params").get<double>() * co.at(k).at("tokens").get<double>() ==
          Approx(co.at("flops").get<double>()));
  }
}

TEST_CASE("compare: every printed loss names its law and regime", "[compare]") {
  const CliResult r = run_cli("compare --model mixtral-8x7b --tokens 1T --hardware h100-sxm");
  INFO(r.err);
  REQUIRE(r.status == 0);
  // Mixtral (E = 4, G = 2) is nearest the joint law's fit; Krajewski et al. is the cross-check.
  CHECK(r.out.find("loss laws: Ludziejewski et al. 2025 joint MoE law at E = 4") != std::string::npos);
  CHECK(r.out.find("regime: up to 2.7B active / 5B total params") != std::string::npos);
  CHECK(r.out.find("cross-check, Krajewski et al. 2024") != std::string::npos);
  CHECK(r.out.find("EXTRAPOLATED") != std::string::npos);
  CHECK(r.out.find("Besiroglu") != std::string::npos);
  // Every line with a four-decimal loss names a law.
  std::size_t pos = 0, lines = 0;
  while ((pos = r.out.find('\n', pos)) != std::string::npos) {
    const std::size_t start = r.out.rfind('\n', pos - 1) + 1;
    const std::string line = r.out.substr(start, pos - start);
    ++pos;
    if (line.find(" (range ") == std::string::npos) continue;
    ++lines;
    INFO(line);
    CHECK((line.find(" law") != std::string::npos || line.find("EXTRAPOLATED") != std::string::npos));
  }
  CHECK(lines >= 6);
}

TEST_CASE("compare: a dense model or a bad option is a usage error", "[compare]") {
  const CliResult r = run_cli("compare --model llama-3.1-8b --tokens 1T --hardware h100-sxm");
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("compare needs an MoE model") != std::string::npos);
  CHECK(r.err.rfind("traincost: error: --model", 0) == 0);
  const CliResult g = run_cli("compare --model mixtral-8x7b --tokens 1T --hardware h100-sxm --gpus 0");
  CHECK(g.status == 2);
  CHECK(g.err.find("--gpus") != std::string::npos);
}

TEST_CASE("compare: a broken scaling_laws.json names the field", "[compare]") {
  json doc = read_json_object_file(test_support::source_path("constants/scaling_laws.json"));
  doc["chinchilla_besiroglu"]["alpha"]["value"] = -0.3;
  try {
    (void)econ::scaling_laws_from_json(doc, "scaling_laws.json");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("chinchilla_besiroglu.alpha.value") != std::string::npos);
  }
  json doc2 = read_json_object_file(test_support::source_path("constants/scaling_laws.json"));
  doc2["krajewski_moe"]["regime"].erase("text");
  CHECK_THROWS_AS(econ::scaling_laws_from_json(doc2, "scaling_laws.json"), InputError);
}
