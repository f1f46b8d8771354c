// The estimator against published runs (validation/published_runs.json), with
// the calibrated constants in constants/calibrated.json. The issue targets that
// are met are asserted as stated; the ones not yet met are asserted at the
// level reached today (so a regression fails) and named as such.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "test_support.hpp"

#include "traincost/perf/constants.hpp"
#include "traincost/util/data_dir.hpp"
#include "traincost/validation/calibrate.hpp"
#include "traincost/validation/validate.hpp"
#include "traincost/validation/vtrain.hpp"

using namespace traincost;

namespace {
const std::vector<ValidationRow>& rows() {
  static const std::vector<ValidationRow> r = validate_all(load_published_runs(), perf::constants());
  return r;
}
const ValidationRow& row(const std::string& id) {
  for (const auto& r : rows())
    if (r.id == id) return r;
  FAIL("no validation row " << id);
  return rows().front();
}
perf::Constants base_constants() {
  return perf::load_constants((data_dir() / "constants" / "performance.json").string(), "");
}
}  // namespace

TEST_CASE("validation: throughput benchmarks (MFU / TFLOPS in each source's convention)", "[validation]") {
  const ValidationStats s = summarize(rows(), "mfu");
  INFO("median " << s.median_abs << " pt, max " << s.max_abs << " pt over " << s.count);
  // Megatron-LM 2021 x10, MegaScale x8, Llama 3.1 Table 4 x3, MT-NLG x3, Nemotron-4 340B, GLM-130B.
  CHECK(s.count >= 26);
  // Issue 3 target: median <= 3 pt, none worse than 8. Reached 2.7 / 7.5 over the first 24
  // rows; with Nemotron-4 340B (+7.8, Hopper) and GLM-130B (+4.4) added: 3.3 / 7.8
  // (validation/README.md "Errors, run by run").
  CHECK(s.median_abs <= 3.4);
  CHECK(s.max_abs <= 8.0);
  // Nemotron-4 340B at 6,144 H100 (TP8 PP12 interleaved): 41-42% published, the most
  // optimistic row; it is what pulls the Hopper factor below 1.
  CHECK(row("nemotron-4-340b").error > 0.0);
  CHECK(row("nemotron-4-340b").error <= 8.0);
  // The 131K-context row (CP 16): exposed K/V all-gathers and FlashAttention-2 on Hopper.
  CHECK(std::fabs(row("llama-3.1-405b-tbl4-16384-cp16").error) <= 2.5);  // reached -2.2 pt
  // MT-NLG (DeepSpeed 1F1B, head on the last of 35 stages): 113 TFLOP/s published.
  CHECK(std::fabs(row("mt-nlg-530b-3360").error) <= 7.5);
  // Llama 3.1 405B at 16,384 GPUs (TP8 PP16): 41% published.
  CHECK(std::fabs(row("llama-3.1-405b-tbl4-16384").error) <= 3.0);
}

TEST_CASE("validation: whole training runs (GPU-hours)", "[validation]") {
  const ValidationStats s = summarize(rows(), "hours");
  INFO("median " << s.median_abs << ", max " << s.max_abs << " over " << s.count);
  CHECK(s.count >= 10);
  // Issue 12 target: median |error| <= 12%, none beyond 40%. Every run goes through the
  // user's path: published batch where published (else the batch rule fitted on those),
  // published GPU count where published (else the sizing rule, perf/sizing.hpp), the
  // schedules its framework offered (DualPipe only in DeepSeek's HAI-LLM), one fitted
  // whole-run factor (0.78). The A100 runs (Llama 1 and 2, BLOOM) sit within 19%;
  // Meta's Llama 3 / 3.1 8B and 70B are -69% to -31%: their published GPU-hours imply
  // 14-25% MFU on the fleet where the 405B ran at ~40%, and the records publish neither
  // their clusters nor their batches. Reached: median 12.6%, 13 of 18 within 25%, max 69%.
  CHECK(s.median_abs <= 0.135);
  CHECK(s.within_25 >= 13);
  CHECK(s.max_abs <= 0.72);
  // No run is timed on DualPipe unless its framework had it.
  const std::vector<PublishedRun> records = load_published_runs();
  for (const ValidationRow& r : rows())
    if (!r.skipped && find_published_run(records, r.id, "id").framework != "HAI-LLM") {
      INFO(r.id << ": " << r.plan);
      CHECK(r.plan.find("schedule=dualpipe") == std::string::npos);
    }
  // Seed points. Issue 11 target: within 15% each; reached: DeepSeek-V3 +8.8% (at its
  // published 63M-token batch and selective recompute), Llama 3.1 405B +22% (not met).
  CHECK(row("deepseek-v3").error > 0.0);
  CHECK(std::fabs(row("deepseek-v3").error) <= 0.15);
  CHECK(std::fabs(row("llama-3.1-405b").error) <= 0.25);
  // DeepSeek-V3 runs its published plan (TP1 PP16 DualPipe EP64 ZeRO-1, RMSNorm and MLA
  // up-projections recomputed: report Sec. 3.3.2) at 2,048 GPUs. The memory model puts it
  // 7.8 GB over the 72 GB it counts usable on an 80 GB H800; the run ran it, so it is
  // timed as published and the row says so (instead of timing full recomputation).
  CHECK(row("deepseek-v3").plan.find("tp=1,pp=16,dp=128,cp=1,ep=64") == 0);
  CHECK(row("deepseek-v3").plan.find("recompute=selective") != std::string::npos);
  CHECK(row("deepseek-v3").memory_note.find("over the 72.0 GB it counts usable") != std::string::npos);
  // A run that fits needs no such note.
  CHECK(row("llama-3.1-405b").memory_note.empty());
}

TEST_CASE("validation: MoE vs dense on one cluster (DeepSeek-V2 vs DeepSeek LLM 67B)", "[validation]") {
  const ValidationRow& moe = row("deepseek-v2");
  const ValidationRow& dense = row("deepseek-llm-67b");
  REQUIRE(moe.metric == "gpu_hours_per_trillion_tokens");
  REQUIRE(dense.metric == "gpu_hours_per_trillion_tokens");
  // 172.8K H800 GPU-hours per trillion tokens at the published batches (37.7M and 18.9M
  // tokens) on the sizing rule's clusters; reached +22% (the MoE layer's host-bound time
  // fitted on Megatron-Core's rows, ~5 ms per layer and micro-batch, costs DeepSeek's 59
  // MoE layers ~10%, and a third of it again in the forward that full recomputation
  // replays, the only setting the memory model lets this BF16 layout fit with; DeepSeek's
  // own software may not pay it, and the paper publishes no recompute setting).
  CHECK(std::fabs(moe.error) <= 0.25);
  CHECK(std::fabs(dense.error) <= 0.20);  // 300.6K; reached -15.3%
  const double ratio = moe.predicted / dense.predicted;
  // Published 172.8 / 300.6 = 0.575; issue 11 target within 10%; reached 0.764 (+33%, not met):
  // the MoE saving is now understated where it used to be overstated (0.485).
  CHECK(ratio > 0.575);
  CHECK(ratio < 1.0);
}

TEST_CASE("validation: energy from the estimator's own power model", "[validation][energy]") {
  // GPT-3: 1,287 MWh (Patterson et al., measured average power x PUE); BLOOM: 433 MWh (hours x TDP).
  // The power model alone: predicted energy per predicted GPU-hour against the published
  // energy per published GPU-hour (the time error is the whole-run test's business).
  for (const char* id : {"gpt-3-175b", "bloom-176b"}) {
    const ValidationRow& r = row(id);
    INFO(id);
    REQUIRE(r.energy_published_mwh.has_value());
    REQUIRE(r.energy_predicted_mwh.has_value());
    const double per_hour = *r.energy_predicted_mwh / (1.0 + r.error);  // at the published time
    // Reached: GPT-3 +23% (measured average power x PUE against TDP x 1.80 x 0.75 x 1.10),
    // BLOOM 0% (the source's own formula, hours x TDP).
    CHECK(std::fabs(per_hour / *r.energy_published_mwh - 1.0) <= 0.25);
  }
  CHECK(std::fabs(*row("bloom-176b").energy_predicted_mwh / (1.0 + row("bloom-176b").error) /
                  *row("bloom-176b").energy_published_mwh - 1.0) <= 0.01);
}

TEST_CASE("validation: the same build prints the same numbers", "[validation]") {
  const auto again = validate_all(load_published_runs(), perf::constants());
  REQUIRE(again.size() == rows().size());
  for (std::size_t i = 0; i < again.size(); ++i) {
    CHECK(again[i].predicted == rows()[i].predicted);
    CHECK(again[i].plan == rows()[i].plan);
  }
}

TEST_CASE("validation: wall-clock days on a published GPU count", "[validation]") {
  // GPT-3: 14.8 days on 10,000 V100 (Patterson et al.); MPT-7B: ~9.5 days on 440 A100-40GB
  // (MosaicML), FSDP without TP or PP. Days x GPUs are GPU-hours, so the whole-run efficiency
  // applies; V100 has no benchmark row and takes the factor fitted over all generations.
  const ValidationStats s = summarize(rows(), "days");
  CHECK(s.count == 2);
  CHECK(row("gpt-3-175b").metric == "wall_clock_days");
  // Reached 16.1 d, +9.1% (DualPipe, which needs 2 x pp micro-batches, no longer fits
  // GPT-3's 52 stages); MPT-7B 7.9 d, -16.5% (its FSDP collectives over 55 nodes drive
  // all 8 NICs of a node, not one), at the whole-run factor 0.80.
  CHECK(row("gpt-3-175b").error == Approx(0.091).margin(0.03));
  CHECK(row("mpt-7b").error == Approx(-0.165).margin(0.03));
  CHECK(row("mpt-7b").plan.find("tp=1,pp=1,dp=440") == 0);
  // Days x GPUs: the predicted days are the predicted GPU-hours over the published count.
  CHECK(row("mpt-7b").predicted == Approx(row("mpt-7b").published * (1.0 + row("mpt-7b").error)).epsilon(1e-12));
  // A "60-day access window" (GLM-130B) is an upper bound, not compared as days: its MFU is.
  CHECK(row("glm-130b").metric == "mfu");
  // The same run published in hours: 24 x the days, same relative error.
  PublishedRun hours = find_published_run("mpt-7b");
  PublishedFigure f = hours.figures.at("wall_clock_days");
  f.value *= 24.0;
  hours.figures.clear();
  hours.figures["wall_clock_hours"] = f;
  const ValidationRow h = validate_run(hours, perf::constants());
  CHECK(h.metric == "wall_clock_hours");
  CHECK(h.predicted == Approx(24.0 * row("mpt-7b").predicted).epsilon(1e-12));
  CHECK(h.error == Approx(row("mpt-7b").error).epsilon(1e-12));
  // Without a published GPU count, elapsed time says nothing about GPU-hours: not compared.
  hours.gpus.reset();
  CHECK(validate_run(hours, perf::constants()).skipped);
}

TEST_CASE("calibration: deterministic, and the committed constants are its output", "[calibration]") {
  const auto runs = load_published_runs();
  const CalibrationResult a = calibrate(runs, base_constants(), false);
  const CalibrationResult b = calibrate(runs, base_constants(), false);
  CHECK(calibration_json(a, "d").dump() == calibration_json(b, "d").dump());
  // constants/calibrated.json holds this fit (regenerate with `traincost calibrate`).
  const perf::Constants& committed = perf::constants();
  for (const auto& [gen, eff] : a.efficiency_by_generation)
    CHECK(committed.shape_efficiency(gen) == Approx(eff).epsilon(1e-9));
  CHECK(committed.run_efficiency == Approx(a.run_efficiency).epsilon(1e-9));
  // Generations without a benchmark row (Volta, Blackwell, TPU...) take the pooled factor,
  // which lies between the per-generation ones it pools.
  CHECK(committed.training_shape_efficiency == Approx(a.default_efficiency).epsilon(1e-9));
  CHECK(committed.shape_efficiency("volta") == Approx(a.default_efficiency).epsilon(1e-9));
  CHECK(a.default_efficiency > a.efficiency_by_generation.at("ampere"));
  CHECK(a.default_efficiency < a.efficiency_by_generation.at("hopper"));
  // Per generation, never per model: only generations appear as keys.
  for (const auto& [gen, _] : a.efficiency_by_generation) CHECK((gen == "ampere" || gen == "hopper"));
}

TEST_CASE("calibration: leave-one-out predicts each run with a fit that did not see it", "[calibration]") {
  const auto runs = load_published_runs();
  const CalibrationResult full = calibrate(runs, base_constants(), true);
  REQUIRE(full.held_out.size() == full.fitted.size());
  // Pick a whole training run and refit without it by hand: its held-out prediction must
  // come from exactly that refit, not from the full fit. The run publishes no batch, so
  // leaving it out leaves the batch rule (fitted on the runs' batches, not their hours) as
  // it is; a run with a batch would move that rule, and with it the batches of the runs
  // that publish none.
  const std::string id = "llama-3-70b";
  REQUIRE_FALSE(find_published_run(id).global_batch_tokens);
  std::size_t k = 0;
  for (; k < full.held_out.size(); ++k)
    if (full.held_out[k].id == id) break;
  REQUIRE(k < full.held_out.size());
  std::vector<PublishedRun> minus_one;
  for (const auto& r : runs)
    if (r.id != id) minus_one.push_back(r);
  const CalibrationResult refit = calibrate(minus_one, base_constants(), false);
  perf::Constants c = base_constants();
  for (const auto& [gen, eff] : full.efficiency_by_generation) c.shape_efficiency_by_generation[gen] = eff;
  c.training_shape_efficiency = full.default_efficiency;
  c.moe_host_sync_s = full.moe_overheads.host_sync_s;  // fitted on NVIDIA's rows, not on the runs
  c.moe_host_per_local_expert_s = full.moe_overheads.host_per_local_expert_s;
  c.run_efficiency = refit.run_efficiency;
  apply_batch_rule(full.batch_rule, c);
  const ValidationRow expected = validate_run(find_published_run(id), c);
  CHECK(full.held_out[k].predicted == Approx(expected.predicted).epsilon(1e-12));
  // ... and it differs from the in-sample prediction (the run moved the fit).
  CHECK(full.held_out[k].predicted != Approx(full.fitted[k].predicted).epsilon(1e-6));
  // Issue 4 target: leave-one-out median |error| <= 12% over the whole runs; reached 5.0%
  // with the old, too fast MoE steady state, 24.1% now (see "whole training runs").
  std::vector<ValidationRow> hours, bench;
  for (const auto& r : full.held_out)
    (r.metric == "gpu_hours" || r.metric == "gpu_hours_per_trillion_tokens" ? hours : bench).push_back(r);
  CHECK(summarize(hours, "hours").median_abs <= 0.26);
  // Benchmarks held out one at a time: median 3.7 pt, max 9.9 pt (Nemotron-4 340B: without
  // it, Hopper's factor returns to its bound of 1).
  CHECK(summarize(bench, "mfu").median_abs <= 3.8);
  CHECK(summarize(bench, "mfu").max_abs <= 10.0);
}

TEST_CASE("validation: the README's validation table is traincost validate's output", "[validation][readme]") {
  std::ifstream in(test_support::source_path("README.md"));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string readme = ss.str();
  const std::string begin = "<!-- BEGIN validate -->\n```text\n", end = "```\n<!-- END validate -->";
  const auto b = readme.find(begin), e = readme.find(end);
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  const std::string block = readme.substr(b + begin.size(), e - b - begin.size());
  const auto r = test_support::run_cli("validate");
  REQUIRE(r.status == 0);
  INFO("regenerate with scripts/update-readme.sh");
  CHECK(block == r.out);
}

TEST_CASE("validation: vTrain's 1,440 single-node step times (not fitted)", "[validation][vtrain]") {
  const auto rows = validate_vtrain(perf::constants());
  REQUIRE(rows.size() == 1440);
  const VtrainSummary s = summarize(rows);
  INFO("median " << s.median_abs << ", mean " << s.mean_abs);
  // Reached 34.5% median: the model under-predicts these small (h <= 2048) runs more as TP
  // grows and micro-batches shrink, i.e. where fixed launch and collective latencies dominate
  // (see README). vTrain's own profiling simulator: 8.37% mean on the same set.
  CHECK(s.median_abs <= 0.355);
  // The large-micro-batch, TP=1 corner is where the analytical model should hold.
  std::vector<VtrainRow> big;
  for (const auto& r : rows)
    if (r.tp == 1 && r.micro_batch >= 4 && r.hidden == 2048) big.push_back(r);
  REQUIRE(big.size() >= 20);
  CHECK(summarize(big).median_abs <= 0.20);
}

TEST_CASE("validation: a published capacity factor caps a whole run's routing imbalance", "[validation]") {
  // DeepSeek-V2 drops tokens at a per-device capacity factor of 1.0 (report §2.2.4): its busiest
  // expert-parallel rank does the mean work, so the run is timed as if routing were balanced.
  const PublishedRun run = find_published_run("deepseek-v2");
  REQUIRE(run.moe_capacity_factor == std::optional<double>(1.0));
  const perf::Constants& c = perf::constants();
  REQUIRE(c.moe_imbalance_default > 1.0);
  const ValidationRow dropping = validate_run(run, c);
  REQUIRE_FALSE(dropping.skipped);
  PublishedRun dropless = run;
  dropless.moe_capacity_factor.reset();
  perf::Constants balanced = c;
  balanced.moe_imbalance_default = 1.0;
  CHECK(validate_run(dropless, balanced).predicted == Approx(dropping.predicted).epsilon(1e-12));
  // Without the cap the default imbalance (1.25) applies: the busiest rank's experts and
  // all-to-all take longer, so the run costs more.
  const ValidationRow unbalanced = validate_run(dropless, c);
  CHECK(unbalanced.predicted > 1.03 * dropping.predicted);
  // A cap above the default imbalance does not bind.
  PublishedRun loose = run;
  loose.moe_capacity_factor = 2.0;
  CHECK(validate_run(loose, c).predicted == Approx(unbalanced.predicted).epsilon(1e-12));
}
