// Progress reporting (traincost/util/progress.hpp): the progress bar's text, its
// silence when stderr is not a terminal, and the long loops (Monte Carlo, plan
// search, validation) that report progress and give the same result.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "traincost/econ/uncertainty.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/search.hpp"
#include "traincost/util/progress.hpp"
#include "traincost/validation/published.hpp"
#include "traincost/validation/validate.hpp"

using namespace traincost;
using test_support::occurrences;

// ---- progress ---------------------------------------------------------------------

TEST_CASE("report: the progress bar's text, and silence when stderr is not a terminal", "[report]") {
  CHECK(render_progress("plan", 0.53, 10, 1.23) == "plan [#####.....] 53% 1.2 s");
  CHECK(render_progress("mc", 1.0, 4, 0) == "mc [####] 100% 0.0 s");
  CHECK(render_progress("mc", 0.999, 4, 0) == "mc [###.] 99% 0.0 s");  // full only when done
  CHECK(render_progress("x", -2, 3, -1) == "x [...] 0% 0.0 s");
  CHECK(render_progress("x", std::nan(""), 3, 0) == "x [...] 0% 0.0 s");
  CHECK(render_progress("x", 7, 3, 0) == "x [###] 100% 0.0 s");

  char path[] = "/tmp/traincost_progress_XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  auto contents = [&] {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  };
  {
    ProgressBar::Options o;
    o.fd = fd;  // a file: not a terminal
    ProgressBar bar("search", o);
    CHECK_FALSE(bar.enabled());
    bar.update(0.5);
    bar.callback()(1.0);
  }
  CHECK(contents().empty());
  {
    ProgressBar::Options o;
    o.fd = fd;
    o.force = true;
    o.delay_s = 3600;  // quick work never draws
    ProgressBar bar("quick", o);
    bar.update(0.5);
    bar.update(1.0);
  }
  CHECK(contents().empty());
  {
    ProgressBar::Options o;
    o.fd = fd;
    o.width = 4;
    o.force = true;
    o.min_interval_s = 3600;  // only the first draw and the finished bar get through
    o.delay_s = 0;
    ProgressBar bar("mc", o);
    bar.update(0.25);
    bar.update(0.5);
    bar.update(1.0);
  }
  const std::string out = contents();
  ::close(fd);
  std::remove(path);
  CHECK(occurrences(out, "\r") == 4);  // two draws, then the clearing: \r, blanks, \r
  CHECK(out.find("mc [#...] 25% ") != std::string::npos);
  CHECK(out.find("50%") == std::string::npos);
  CHECK(out.find("mc [####] 100% ") != std::string::npos);
  CHECK(out.substr(out.rfind("100%")).find('\r') != std::string::npos);
  CHECK(out.back() == '\r');  // cleared: blanks, then back to the start of the line
}

TEST_CASE("report: the long loops report progress and give the same result", "[report]") {
  // Monte Carlo: one call per block of 4,096 samples.
  Estimate e;
  e.gpu_hours = 2.0e6;
  e.cost_usd = 4.0e6;
  EstimateInputs ei;
  ei.gpus = 1000;
  econ::UncertainInputs u;
  for (econ::Distribution* d : {&u.efficiency, &u.goodput, &u.price, &u.pue, &u.grid, &u.power_fraction})
    d->kind = econ::DistributionKind::fixed;
  u.efficiency.central = 1.0;
  u.goodput.central = 0.95;
  u.price.central = 2.0;
  std::vector<double> seen;
  const auto with = econ::monte_carlo(e, ei, u, 10'000, 42, [&](double f) { seen.push_back(f); });
  CHECK_THAT(seen, Catch::Matchers::Approx(std::vector<double>{4096.0 / 10000, 8192.0 / 10000, 1.0}));
  const auto without = econ::monte_carlo(e, ei, u, 10'000, 42);
  CHECK(with.gpu_hours.p50 == without.gpu_hours.p50);
  CHECK(with.gpu_hours.p50 == Approx(2.0e6));

  // Plan search on 8 GPUs of a tiny llama (8 layers, 4 heads), scale-up domain 4: layouts
  // tp 1 (pp 1, 2, 4, 8), tp 2 (pp 1, 2, 4), tp 4 (pp 1, 2), then done.
  const auto spec = model_from_hf_config(R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 8,
      "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 128, "vocab_size": 100,
      "tie_word_embeddings": true})"_json, "tiny");
  const auto m = perf::profile(spec, 32, AttentionConvention::causal);
  perf::Hardware hw;
  hw.peak = hw.peak_bf16 = 1e15;
  hw.gemm_ceiling = hw.gemm_ceiling_bf16 = 8e14;
  hw.hbm_bytes_per_s = 3e12;
  hw.memory_bytes = 80e9;
  hw.shape_efficiency = 0.85;
  perf::Cluster cl;
  cl.gpus = 8;
  cl.scale_up_domain = 4;
  cl.scale_up_bytes_per_s = 100e9;
  cl.scale_out_bytes_per_s = 25e9;
  perf::TrainingSetup s;
  s.seq_len = 32;
  s.global_batch_tokens = 32 * 32;
  const perf::Constants& c = perf::constants();
  seen.clear();
  const auto r = perf::search(m, hw, cl, s, c, 3, {}, [&](double f) { seen.push_back(f); });
  CHECK_THAT(seen, Catch::Matchers::Approx(std::vector<double>{0, 1.0 / 12, 2.0 / 12, 3.0 / 12, 1.0 / 3, 1.0 / 3 + 1.0 / 9,
                                                               1.0 / 3 + 2.0 / 9, 2.0 / 3, 2.0 / 3 + 1.0 / 6, 1.0}));
  const auto plain = perf::search(m, hw, cl, s, c, 3);
  CHECK(r.plans_evaluated == plain.plans_evaluated);
  REQUIRE_FALSE(r.top.empty());
  CHECK(perf::to_string(r.top.front().plan) == perf::to_string(plain.top.front().plan));

  // Validation: one call per run.
  auto runs = load_published_runs();
  REQUIRE(runs.size() >= 3);
  runs.resize(3);
  seen.clear();
  validate_all(runs, perf::constants(), [&](double f) { seen.push_back(f); });
  CHECK_THAT(seen, Catch::Matchers::Approx(std::vector<double>{1.0 / 3, 2.0 / 3, 1.0}));
}
