// The whole-run path every question shares: the cluster sizing rule (perf/sizing.hpp),
// the default-batch power law fitted on published batches, and the coverage of the
// leave-one-out P10-P90 ranges (validation/calibrate.hpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include "test_support.hpp"

#include "traincost/model/loader.hpp"
#include "traincost/perf/evaluate.hpp"
#include "traincost/perf/sizing.hpp"
#include "traincost/util/data_dir.hpp"
#include "traincost/util/error.hpp"
#include "traincost/validation/calibrate.hpp"

using namespace traincost;

TEST_CASE("sizing: cluster sizes are 2^k and 3·2^k from one 8-GPU server", "[sizing]") {
  std::vector<std::int64_t> seq{8};
  while (seq.size() < 9) seq.push_back(perf::next_cluster_size(seq.back()));
  CHECK(seq == std::vector<std::int64_t>{8, 12, 16, 24, 32, 48, 64, 96, 128});
  CHECK(perf::next_cluster_size(16384) == 24576);  // Meta's 24K-GPU clusters (Llama 3 paper §3.3.1)
  CHECK(perf::next_cluster_size(1) == 8);
  CHECK(perf::next_cluster_size(100) == 128);      // between sizes: the next one up
  for (std::size_t i = 1; i < seq.size(); ++i) CHECK(perf::previous_cluster_size(seq[i]) == seq[i - 1]);
  CHECK(perf::previous_cluster_size(8) == 0);
}

TEST_CASE("sizing: the smallest size whose modelled days meet the target, judged by the model", "[sizing]") {
  perf::Constants c;
  c.sizing_mfu = 0.4;
  c.run_efficiency = 0.8;
  c.typical_run_days = 60;
  const double peak = 1e15;
  // First guess: 1e24 FLOPs / (0.4 x 0.8 x 1e15) = 3.125e9 GPU-s; 60 days = 5.184e6 s -> 603 GPUs -> 768.
  std::map<std::int64_t, int> calls;
  SECTION("perfect scaling at the planning MFU: the first guess stands, nothing smaller meets 60 days") {
    const auto days = [&](std::int64_t n) -> std::optional<double> {
      ++calls[n];
      return 3.125e9 / static_cast<double>(n) / 86400.0;
    };
    const perf::AssumedCluster a = perf::size_for_deadline(1e24, peak, c, std::nullopt, days);
    CHECK(a.gpus == 768);
    REQUIRE(a.days);
    CHECK(*a.days == Approx(3.125e9 / 768.0 / 86400.0));  // 47.1 days
    CHECK(calls.count(512) == 1);                          // tried, 70.6 days: too slow
    CHECK(a.rule.find("assumed 768") != std::string::npos);
    CHECK(a.rule.find("60 days") != std::string::npos);
  }
  SECTION("a model twice as fast as planned: shrinks to the smallest size that still meets the target") {
    const auto days = [&](std::int64_t n) -> std::optional<double> { return 1.5625e9 / static_cast<double>(n) / 86400.0; };
    // 1.5625e9 / 5.184e6 = 301.4 GPUs -> 384 (47.1 d); 256 gives 70.6 d.
    CHECK(perf::size_for_deadline(1e24, peak, c, std::nullopt, days).gpus == 384);
  }
  SECTION("growing stops where a bigger cluster no longer shortens the run") {
    // 80 days up to 1,024 GPUs, 90 beyond (the batch cannot feed more data-parallel ranks).
    const auto days = [&](std::int64_t n) -> std::optional<double> { return n <= 1024 ? 80.0 : 90.0; };
    const perf::AssumedCluster a = perf::size_for_deadline(1e24, peak, c, std::nullopt, days);
    CHECK(a.gpus == 768);  // 1,024 is no faster than 768: the first guess stays
    CHECK(a.rule.find("no size meets") != std::string::npos);
  }
  SECTION("no plan fits below 4,096 GPUs: grows until one does") {
    const auto days = [&](std::int64_t n) -> std::optional<double> {
      if (n < 4096) return std::nullopt;
      return 10.0;
    };
    const perf::AssumedCluster a = perf::size_for_deadline(1e24, peak, c, std::nullopt, days);
    CHECK(a.gpus == 4096);
    CHECK(*a.days == 10.0);
  }
  SECTION("a cap below the first guess: the largest size under it, late") {
    const auto days = [&](std::int64_t n) -> std::optional<double> { return 3.125e9 / static_cast<double>(n) / 86400.0; };
    const perf::AssumedCluster a = perf::size_for_deadline(1e24, peak, c, std::nullopt, days, 512);
    CHECK(a.gpus == 512);
    CHECK(*a.days == Approx(70.6).epsilon(0.01));
    CHECK(a.rule.find("no size meets") != std::string::npos);
  }
  SECTION("--days moves the target; a non-positive one is a usage error") {
    const auto days = [&](std::int64_t n) -> std::optional<double> { return 3.125e9 / static_cast<double>(n) / 86400.0; };
    // 30 days: 1,206 GPUs at the planning rate -> 1,536 (23.5 d); 1,024 gives 35.3 d.
    CHECK(perf::size_for_deadline(1e24, peak, c, 30.0, days).gpus == 1536);
    CHECK_THROWS_AS(perf::size_for_deadline(1e24, peak, c, 0.0, days), UsageError);
    CHECK_THROWS_AS(perf::size_for_deadline(1e24, peak, c, std::nan(""), days), UsageError);
  }
}

namespace {
// A training run of `model` on `tokens` whose published batch follows
// 2 · F^0.2 · D^0.3 · S^0.6 tokens exactly (before rounding to whole tokens).
PublishedRun synthetic_run(const std::string& model, double tokens, double f = 0.2, double d = 0.3, double s = 0.6) {
  const perf::ModelProfile p = perf::profile(load_model(model), 4096, AttentionConvention::causal);
  PublishedRun r;
  r.id = model + "-" + std::to_string(static_cast<int>(tokens / 1e12)) + "T";
  r.kind = "training_run";
  r.model = model;
  r.tokens = tokens;
  r.seq_len = 4096;
  r.global_batch_tokens = static_cast<std::int64_t>(std::llround(
      2.0 * std::pow(p.model_flops_per_token, f) * std::pow(tokens, d) * std::pow(p.params_per_active_param, s)));
  return r;
}
}  // namespace

TEST_CASE("batch rule: one model's runs fit the token exponent; F takes one value, so its exponent stays 0", "[sizing][batch]") {
  // Three runs of llama-2-7b at 1T, 4T and 16T tokens with the batch 2·C^0.3 = 2·F^0.3·D^0.3.
  const double flops_per_token = perf::profile(load_model("llama-2-7b"), 4096, AttentionConvention::causal).model_flops_per_token;
  std::vector<PublishedRun> runs;
  for (double tokens : {1e12, 4e12, 16e12}) runs.push_back(synthetic_run("llama-2-7b", tokens, 0.3, 0.3));
  PublishedRun benchmark = runs.front();  // not a training run: not a batch data point
  benchmark.kind = "throughput_benchmark";
  benchmark.global_batch_tokens = 1;
  runs.push_back(benchmark);
  const BatchRuleFit f = fit_batch_rule(runs);
  CHECK(f.runs == 3);
  CHECK(f.tokens_exponent == Approx(0.3).epsilon(1e-6));
  CHECK(f.flops_per_token_exponent == 0.0);  // one model: the intercept holds its F^0.3
  CHECK(f.sparsity_exponent == 0.0);         // no MoE run
  CHECK(f.coefficient == Approx(2.0 * std::pow(flops_per_token, 0.3)).epsilon(1e-4));
  CHECK(f.loo_max_abs_log_error < 1e-6);
  runs.resize(2);
  CHECK(fit_batch_rule(runs).coefficient == 0.0);  // two points: the caller keeps the base rule
}

TEST_CASE("batch rule: least squares recovers F, D and S exponents from dense and MoE runs", "[sizing][batch]") {
  // Dense runs (S = 1) of two sizes at several token counts, and two MoE models:
  // Mixtral 8x7B, 46.7B stored / 12.9B active = 3.6; OLMoE 1B-7B, 6.9B / 1.3B = 5.3.
  std::vector<PublishedRun> runs;
  for (double t : {1e12, 4e12}) runs.push_back(synthetic_run("llama-2-7b", t));
  runs.push_back(synthetic_run("llama-2-70b", 2e12));
  runs.push_back(synthetic_run("mixtral-8x7b", 2e12));
  BatchRuleFit dense_and_one_moe = fit_batch_rule(runs);
  CHECK(dense_and_one_moe.flops_per_token_exponent == Approx(0.2).epsilon(1e-4));
  runs.push_back(synthetic_run("olmoe-1b-7b", 5e12));
  const double s_mixtral = perf::profile(load_model("mixtral-8x7b"), 4096, AttentionConvention::causal).params_per_active_param;
  const double s_olmoe = perf::profile(load_model("olmoe-1b-7b"), 4096, AttentionConvention::causal).params_per_active_param;
  CHECK(s_mixtral == Approx(46.7 / 12.9).epsilon(0.02));
  CHECK(s_olmoe == Approx(6.92 / 1.28).epsilon(0.03));
  CHECK(perf::profile(load_model("llama-2-70b"), 4096, AttentionConvention::causal).params_per_active_param == 1.0);
  const BatchRuleFit f = fit_batch_rule(runs);
  CHECK(f.runs == 5);
  CHECK(f.coefficient == Approx(2.0).epsilon(1e-3));
  CHECK(f.flops_per_token_exponent == Approx(0.2).epsilon(1e-4));
  CHECK(f.tokens_exponent == Approx(0.3).epsilon(1e-4));
  CHECK(f.sparsity_exponent == Approx(0.6).epsilon(1e-4));
  CHECK(f.loo_max_abs_log_error < 1e-4);  // integer rounding of the batches only
  // The base rule stays when no run publishes a batch.
  for (auto& r : runs) r.global_batch_tokens.reset();
  CHECK(fit_batch_rule(runs).coefficient == 0.0);
}

TEST_CASE("batch rule: the committed fit gives a 405B-class run about Meta's 16M tokens, not B_opt's 67M", "[batch]") {
  const perf::Constants& c = perf::constants();
  // Llama 3.1 405B: 3.94e25 model FLOPs (6 x 403.75B x 15.6T + causal attention at 8K).
  const double batch = perf::rule_batch_tokens(3.94e25 / 15.6e12, 15.6e12, 1.0, c);
  INFO("batch " << batch);
  CHECK(batch > 8e6);
  CHECK(batch < 32e6);  // Meta: 16M at the end of pre-training (Llama 3 paper §3.4.1)
  // Llama 2 7B: 8.0e22 FLOPs over 2T tokens; every Llama 2 model used 4M tokens.
  const double small = perf::rule_batch_tokens(8.0e22 / 2e12, 2e12, 1.0, c);
  CHECK(small > 2e6);
  CHECK(small < 8e6);
  // DeepSeek-V3: 3.86e24 FLOPs (2.606e11 per token x 14.8T), 671.0B stored / 37.55B active;
  // published 15,360 sequences of 4,096 = 63M (report §4.2). Compute alone gives a sparse
  // model the batch of a dense model of its active size, a fifth of what it used.
  const double dsv3 = perf::rule_batch_tokens(2.606e11, 14.8e12, 671.03 / 37.55, c);
  INFO("DeepSeek-V3 batch " << dsv3);
  CHECK(dsv3 > 32e6);
  CHECK(dsv3 < 126e6);
  CHECK(c.batch_sparsity_exponent > 0.3);
  CHECK(c.batch_sparsity_exponent < 1.0);
}

TEST_CASE("ranges: coverage of the leave-one-out P10-P90, by hand and as committed", "[uncertainty][calibration]") {
  // Errors {0, 0, 0, 1}: for the 1, the others' sd is 0, so it falls outside; for each 0,
  // the others {0, 0, 1} have mean 1/3 and sd sqrt((2/9 + 4/9) / 2) = 0.577, so
  // 1.2816 x 0.577 = 0.74 > 0 holds it: 3 of 4.
  CHECK(loo_interval_coverage({0.0, 0.0, 0.0, 1.0}) == Approx(0.75));
  CHECK(loo_interval_coverage({0.1, -0.1}) == 0.0);  // fewer than 3: no spread to judge by
  // The committed calibration (a test elsewhere checks it is `traincost calibrate`'s output).
  const auto doc = test_support::read_json("constants/calibrated.json");
  INFO("coverage " << doc.at("interval_coverage").get<double>());
  CHECK(doc.at("interval_coverage").get<double>() >= 0.8);  // issue 12 target: >= 80% inside their own P10-P90
}
