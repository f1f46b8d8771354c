// Uncertainty ranges of `estimate --samples N`: the PRNG against its reference
// outputs, the distributions against their own parameters at 100,000 samples
// (tolerances of five standard errors, so a correct sampler fails with
// probability well under 1e-5 per check whatever the seed), determinism, and
// the CLI.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "traincost/cost/constants.hpp"
#include "traincost/cost/estimate.hpp"
#include "traincost/econ/uncertainty.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/report/uncertainty_report.hpp"
#include "traincost/util/error.hpp"

using namespace traincost;
using namespace traincost::econ;
using traincost::report::uncertainty_json;
using nlohmann::json;
using test_support::CliResult;
using test_support::run_cli;
using test_support::read_json;

namespace {

constexpr Eigen::Index kN = 100'000;


UncertaintyConstants constants_from_files() {
  return uncertainty_constants_from_json(read_json("constants/uncertainty.json"), "constants/uncertainty.json",
                                         read_json("constants/calibrated.json"), "constants/calibrated.json");
}

// A hand-built derived estimate on a GPU with three rental quotes ($1.50, $2.00, $4.00).
struct UncertaintyCase {
  Estimate e;
  EstimateInputs in;
  Accelerator hw;
};

UncertaintyCase hand_case() {
  UncertaintyCase c;
  c.in.gpus = 1000;
  c.in.pue = 1.25;
  c.in.grid_kgco2_per_kwh = 0.429;
  c.e.gpu_hours = 2.0e6;
  c.e.goodput = 0.95;
  c.e.plan = "tp=8,pp=4,dp=32";
  c.e.wall_clock_days = c.e.gpu_hours / 1000.0 / 24.0;
  c.e.price_usd_per_gpu_hour = 2.0;
  c.e.cost_usd = c.e.gpu_hours * 2.0;
  c.e.power_per_gpu_w = 1000.0;
  c.e.energy_mwh = c.e.gpu_hours * 1000.0 / 1e6;
  c.e.co2_tonnes = *c.e.energy_mwh * 0.429;
  c.hw.id = "test-gpu";
  c.hw.device_class = "gpu";
  c.hw.rental = RentalPrice{2.0, "p", "on-demand", "2025", "S"};
  c.hw.document = json{{"rental", {{"usd_per_gpu_hour", 2.0}}},
                       {"other_rental_quotes",
                        json::array({{{"usd_per_accelerator_hour", 4.0}},
                                     {{"usd_per_accelerator_hour", 1.5}},
                                     {{"pricing", "range only"}}})}};
  return c;
}

// Fraction of the samples at or below x.
double fraction_below(const Eigen::ArrayXd& v, double x) {
  return static_cast<double>((v <= x).count()) / static_cast<double>(v.size());
}

// A sampler matches a distribution: at p = 0.1, 0.5, 0.9 the share of samples
// below the distribution's own quantile is p within five binomial standard
// errors, and the sample mean is the distribution's mean within five standard
// errors of the mean.
void check_matches(const Distribution& d, std::uint64_t seed) {
  SplitMix64 seeder(seed);
  Xoshiro256ss rng(seeder);
  Eigen::ArrayXd v(kN);
  sample(d, rng, v);
  const double n = static_cast<double>(kN);
  INFO(d.name << " seed " << seed);
  for (double p : {0.1, 0.5, 0.9}) {
    INFO("p = " << p);
    CHECK(std::abs(fraction_below(v, d.quantile(p)) - p) < 5.0 * std::sqrt(p * (1 - p) / n));
  }
  const double mean = v.mean();
  const double sd = std::sqrt((v - mean).square().sum() / (n - 1));
  CHECK(std::abs(mean - d.mean()) < 5.0 * sd / std::sqrt(n));
}

void require_ordered(const std::optional<Percentiles>& p) {
  REQUIRE(p.has_value());
  CHECK(p->p10 <= p->p50);
  CHECK(p->p50 <= p->p90);
}

}  // namespace

TEST_CASE("uncertainty: SplitMix64 and xoshiro256** give their reference outputs", "[uncertainty]") {
  // splitmix64.c (Vigna) from state 0; checked by hand with Python's arbitrary-precision integers.
  SplitMix64 sm(0);
  CHECK(sm.next() == 0xe220a8397b1dcdafULL);
  CHECK(sm.next() == 0x6e789e6aa1b965f4ULL);
  CHECK(sm.next() == 0x06c45d188009454fULL);
  CHECK(sm.next() == 0xf88bb8a8724c81ecULL);
  // xoshiro256starstar.c from state {1, 2, 3, 4}: rotl(2 x 5, 7) x 9 = 11520 first.
  Xoshiro256ss x({1, 2, 3, 4});
  CHECK(x.next() == 11520ULL);
  CHECK(x.next() == 0ULL);
  CHECK(x.next() == 1509978240ULL);
  CHECK(x.next() == 1215971899390074240ULL);
  CHECK(x.next() == 1216172134540287360ULL);
  CHECK(x.next() == 607988272756665600ULL);
  // Seeded through SplitMix64(42), as monte_carlo seeds its first stream.
  SplitMix64 seeder(42);
  Xoshiro256ss y(seeder);
  CHECK(y.next() == 0x15780b2e0c2ec716ULL);
  CHECK(y.next() == 0x6104d9866d113a7eULL);
  CHECK(y.next() == 0xae17533239e499a1ULL);
  // uniform(): the top 53 bits over 2^53.
  Xoshiro256ss z({1, 2, 3, 4});
  CHECK(z.uniform() == static_cast<double>(11520ULL >> 11) / 9007199254740992.0);
  CHECK(z.uniform() == 0.0);
}

TEST_CASE("uncertainty: the normal quantile function", "[uncertainty]") {
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(normal_quantile(0.9) == Approx(1.2815515655446004).epsilon(1e-12));
  CHECK(normal_quantile(0.1) == Approx(-1.2815515655446004).epsilon(1e-12));
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-12));
  CHECK(normal_quantile(1e-6) == Approx(-4.753424308822899).epsilon(1e-10));
  CHECK_THROWS(normal_quantile(0.0));
  CHECK_THROWS(normal_quantile(1.0));
}

TEST_CASE("uncertainty: Box-Muller normals have mean 0, variance 1 and normal quantiles", "[uncertainty]") {
  for (std::uint64_t seed : {1ULL, 42ULL, 2024ULL}) {
    SplitMix64 seeder(seed);
    Xoshiro256ss rng(seeder);
    Eigen::ArrayXd z(kN + 1);  // odd: the last normal comes from a cosine with its sine dropped
    standard_normals(rng, z);
    const double n = static_cast<double>(z.size());
    INFO("seed " << seed);
    CHECK(std::abs(z.mean()) < 5.0 / std::sqrt(n));
    const double var = (z - z.mean()).square().sum() / (n - 1);
    CHECK(std::abs(var - 1.0) < 5.0 * std::sqrt(2.0 / n));
    for (double p : {0.025, 0.1, 0.5, 0.9, 0.975})
      CHECK(std::abs(fraction_below(z, normal_quantile(p)) - p) < 5.0 * std::sqrt(p * (1 - p) / n));
    CHECK(z.allFinite());
  }
}

TEST_CASE("uncertainty: samples of each distribution match its parameters at 100,000 draws", "[uncertainty]") {
  Distribution logn{"lognormal", "", DistributionKind::lognormal, 1.0, 0.383, 0.383, 0, 0, ""};
  Distribution split{"split", "", DistributionKind::split_lognormal, 2.99, 0.155, 1.11, 0, 0, ""};
  Distribution tri{"triangular", "", DistributionKind::triangular, 1.25, 0, 0, 1.1, 1.58, ""};
  Distribution tri_edge{"triangular at its low end", "", DistributionKind::triangular, 0.9, 0, 0, 0.9, 1.0, ""};
  for (std::uint64_t seed : {7ULL, 42ULL}) {
    check_matches(logn, seed);
    check_matches(split, seed);
    check_matches(tri, seed);
    check_matches(tri_edge, seed);
  }
  // The parameters themselves: closed forms.
  CHECK(logn.quantile(0.9) == Approx(std::exp(0.383 * 1.2815515655446004)));
  CHECK(logn.mean() == Approx(std::exp(0.383 * 0.383 / 2)));
  CHECK(split.quantile(0.5) == Approx(2.99));
  CHECK(split.quantile(0.1) == Approx(2.99 * std::exp(-0.155 * 1.2815515655446004)));
  CHECK(tri.mean() == Approx((1.1 + 1.25 + 1.58) / 3));
  CHECK(tri.quantile((1.25 - 1.1) / (1.58 - 1.1)) == Approx(1.25));  // the CDF at the mode
  // A fixed input draws nothing and is its value.
  Distribution fixed{"fixed", "", DistributionKind::fixed, 0.75, 0, 0, 0, 0, ""};
  Xoshiro256ss rng({1, 2, 3, 4});
  Eigen::ArrayXd v(10);
  sample(fixed, rng, v);
  CHECK((v == 0.75).all());
  CHECK(rng.next() == 11520ULL);
}

TEST_CASE("uncertainty: percentiles interpolate between order statistics like numpy", "[uncertainty]") {
  Eigen::ArrayXd v(10);
  v << 10, 3, 7, 1, 9, 2, 8, 4, 6, 5;  // 1..10 shuffled; numpy.percentile gives 1.9, 5.5, 9.1
  const Percentiles p = percentiles(v);
  CHECK(p.p10 == Approx(1.9));
  CHECK(p.p50 == Approx(5.5));
  CHECK(p.p90 == Approx(9.1));
  Eigen::ArrayXd one(1);
  one << 3.5;
  const Percentiles q = percentiles(one);
  CHECK((q.p10 == 3.5 && q.p50 == 3.5 && q.p90 == 3.5));
}

TEST_CASE("uncertainty: the constants come from the data files", "[uncertainty]") {
  const UncertaintyConstants c = constants_from_files();
  // The efficiency spread is the sample sd of ln(1 + e) over the whole-run leave-one-out errors.
  const json cal = read_json("constants/calibrated.json");
  std::vector<double> logs;
  for (const auto& r : cal.at("residuals")) {
    const std::string m = r.at("metric");
    if ((m == "gpu_hours" || m == "gpu_hours_per_trillion_tokens") && r.contains("leave_one_out_error"))
      logs.push_back(std::log1p(r.at("leave_one_out_error").get<double>()));
  }
  REQUIRE(logs.size() >= 3);
  double mean = 0, ss = 0;
  for (double x : logs) mean += x;
  mean /= static_cast<double>(logs.size());
  for (double x : logs) ss += (x - mean) * (x - mean);
  CHECK(c.efficiency_runs == static_cast<int>(logs.size()));
  CHECK(c.efficiency_sigma_log == Approx(std::sqrt(ss / static_cast<double>(logs.size() - 1))));
  CHECK(c.efficiency_median == 1.0);
  // Grid: Patterson et al. Table 4's 0.177 .. 0.545 as P10 .. P90.
  CHECK(c.grid_sigma_log == Approx(std::log(0.545 / 0.177) / (2 * 1.2815515655446004)));
  CHECK(c.pue_low == 1.10);
  CHECK(c.pue_high == 1.58);
  CHECK(c.goodput_floor == 0.90);
  CHECK(c.goodput_loss_multiplier_low == 0.0);
  CHECK(c.goodput_loss_multiplier_high == 2.0);
  CHECK(c.power_fraction_low_relative * defaults::kAvgPowerFractionGpu == Approx(0.6));
  CHECK(c.power_fraction_high_relative * defaults::kAvgPowerFractionGpu == Approx(0.9));

  // A missing field is an error naming the file and the field.
  json bad = read_json("constants/uncertainty.json");
  bad.at("pue").erase("high");
  CHECK_THROWS_WITH(uncertainty_constants_from_json(bad, "u.json", cal, "c.json"),
                    Catch::Contains("u.json") && Catch::Contains("pue.high"));
  json few = cal;
  few["residuals"] = json::array();
  CHECK_THROWS_AS(uncertainty_constants_from_json(read_json("constants/uncertainty.json"), "u.json", few, "c.json"),
                  InputError);
}

TEST_CASE("uncertainty: the price spans the profile's quotes, else +-30%", "[uncertainty]") {
  const UncertaintyConstants c = constants_from_files();
  UncertaintyCase k = hand_case();
  UncertainInputs u = uncertain_inputs(k.e, k.in, k.hw, c);
  CHECK(u.price.kind == DistributionKind::split_lognormal);
  CHECK(u.price.quantile(0.1) == Approx(1.5));
  CHECK(u.price.quantile(0.5) == Approx(2.0));
  CHECK(u.price.quantile(0.9) == Approx(4.0));

  // A real profile: H100 SXM's chosen $2.99 among its quotes.
  const Accelerator h100 = load_accelerator("h100-sxm");
  k.e.price_usd_per_gpu_hour = h100.rental->usd_per_gpu_hour;
  u = uncertain_inputs(k.e, k.in, h100, c);
  double lo = h100.rental->usd_per_gpu_hour, hi = lo;
  for (const auto& q : h100.document.at("other_rental_quotes"))
    if (q.contains("usd_per_accelerator_hour")) {
      lo = std::min(lo, q.at("usd_per_accelerator_hour").get<double>());
      hi = std::max(hi, q.at("usd_per_accelerator_hour").get<double>());
    }
  CHECK(u.price.quantile(0.1) == Approx(lo));
  CHECK(u.price.quantile(0.5) == Approx(2.99));
  CHECK(u.price.quantile(0.9) == Approx(hi));

  // A given price is one quote: P10 and P90 at -30% and +30%.
  k.in.price_usd_per_gpu_hour = 3.0;
  k.e.price_usd_per_gpu_hour = 3.0;
  u = uncertain_inputs(k.e, k.in, k.hw, c);
  CHECK(u.price.quantile(0.1) == Approx(2.1));
  CHECK(u.price.quantile(0.9) == Approx(3.9));
}

TEST_CASE("uncertainty: the other inputs are centred on the estimate's values", "[uncertainty]") {
  const UncertaintyConstants c = constants_from_files();
  const UncertaintyCase k = hand_case();
  const UncertainInputs u = uncertain_inputs(k.e, k.in, k.hw, c);
  CHECK(u.efficiency.kind == DistributionKind::lognormal);
  CHECK(u.efficiency.quantile(0.5) == Approx(1.0));
  CHECK(u.goodput.kind == DistributionKind::triangular);
  CHECK((u.goodput.low == 0.90 && u.goodput.central == 0.95 && u.goodput.high == 1.0));
  CHECK((u.pue.low == 1.10 && u.pue.central == 1.25 && u.pue.high == 1.58));
  CHECK(u.grid.quantile(0.5) == Approx(0.429));
  CHECK(u.power_fraction.low == Approx(0.6));
  CHECK(u.power_fraction.central == 0.75);
  CHECK(u.power_fraction.high == Approx(0.9));
  // The goodput spread follows the modelled loss: small on a small cluster, floored at 0.90 on a large one.
  UncertaintyCase small = hand_case();
  small.e.goodput = 0.996;
  const UncertainInputs s = uncertain_inputs(small.e, small.in, small.hw, c);
  CHECK(s.goodput.low == Approx(0.992));
  CHECK(s.goodput.high == 1.0);
  CHECK(s.goodput.quantile(0.5) == Approx(0.996));  // symmetric: the median is the model's value
  UncertaintyCase large = hand_case();
  large.e.goodput = 0.924;
  CHECK(uncertain_inputs(large.e, large.in, large.hw, c).goodput.low == 0.90);
  large.e.goodput = 0.8;  // a model below the reported floor (a larger cluster): no floor
  CHECK(uncertain_inputs(large.e, large.in, large.hw, c).goodput.low == Approx(0.6));
  // A PUE outside 1.10..1.58 widens the bounds; without a plan the goodput is held.
  UncertaintyCase w = hand_case();
  w.in.pue = 2.0;
  w.e.plan.clear();
  w.e.goodput = 1.0;
  const UncertainInputs v = uncertain_inputs(w.e, w.in, w.hw, c);
  CHECK((v.pue.low == 1.10 && v.pue.high == 2.0));
  CHECK(v.goodput.kind == DistributionKind::fixed);
}

TEST_CASE("uncertainty: the same seed gives identical output, another seed a different one", "[uncertainty]") {
  const UncertaintyCase k = hand_case();
  const UncertainInputs u = uncertain_inputs(k.e, k.in, k.hw, constants_from_files());
  const json a = uncertainty_json(monte_carlo(k.e, k.in, u, 20'000, 42));
  const json b = uncertainty_json(monte_carlo(k.e, k.in, u, 20'000, 42));
  const json c = uncertainty_json(monte_carlo(k.e, k.in, u, 20'000, 43));
  CHECK(a.dump() == b.dump());
  CHECK(a.at("gpu_hours") != c.at("gpu_hours"));
  CHECK(a.at("cost_usd") != c.at("cost_usd"));
  CHECK(a.at("co2_tonnes") != c.at("co2_tonnes"));
}

TEST_CASE("uncertainty: P10 <= P50 <= P90 and the range brackets the estimate", "[uncertainty]") {
  const UncertaintyCase k = hand_case();
  const UncertainInputs u = uncertain_inputs(k.e, k.in, k.hw, constants_from_files());
  for (std::int64_t n : {1, 2, 3, 4097, 100'000}) {
    INFO(n << " samples");
    const UncertaintyResult r = monte_carlo(k.e, k.in, u, n, 42);
    require_ordered(r.gpu_hours);
    require_ordered(r.wall_clock_days);
    require_ordered(r.cost_usd);
    require_ordered(r.energy_mwh);
    require_ordered(r.co2_tonnes);
  }
  const UncertaintyResult r = monte_carlo(k.e, k.in, u, 100'000, 42);
  CHECK(r.gpu_hours.p10 < k.e.gpu_hours);
  CHECK(r.gpu_hours.p90 > k.e.gpu_hours);
  CHECK(r.cost_usd->p10 < *k.e.cost_usd);
  CHECK(r.cost_usd->p90 > *k.e.cost_usd);
  // Days are GPU-hours over the cluster.
  CHECK(r.wall_clock_days->p90 == Approx(r.gpu_hours.p90 / 1000.0 / 24.0));
  CHECK_THROWS_AS(monte_carlo(k.e, k.in, u, 0, 42), UsageError);
  CHECK_THROWS_AS(monte_carlo(k.e, k.in, u, kMaxSamples + 1, 42), UsageError);
}

TEST_CASE("uncertainty: with every spread zero the percentiles are the central estimate", "[uncertainty]") {
  UncertaintyCase k = hand_case();
  k.in.price_usd_per_gpu_hour = 2.0;  // a given price: one quote, spread below
  UncertaintyConstants c = constants_from_files();
  c.efficiency_sigma_log = 0;
  c.goodput_loss_multiplier_low = c.goodput_loss_multiplier_high = 1.0;
  c.price_single_quote_spread = 0;
  c.pue_low = c.pue_high = k.in.pue;
  c.grid_sigma_log = 0;
  c.power_fraction_low_relative = c.power_fraction_high_relative = 1.0;
  const UncertaintyResult r = monte_carlo(k.e, k.in, uncertain_inputs(k.e, k.in, k.hw, c), 10'000, 42);
  auto same = [](const std::optional<Percentiles>& p, double central) {
    REQUIRE(p.has_value());
    CHECK(p->p10 == Approx(central).epsilon(1e-14));
    CHECK(p->p50 == Approx(central).epsilon(1e-14));
    CHECK(p->p90 == Approx(central).epsilon(1e-14));
  };
  same(r.gpu_hours, k.e.gpu_hours);
  same(r.wall_clock_days, *k.e.wall_clock_days);
  same(r.cost_usd, *k.e.cost_usd);
  same(r.energy_mwh, *k.e.energy_mwh);
  same(r.co2_tonnes, *k.e.co2_tonnes);
}

TEST_CASE("uncertainty: outputs the estimate lacks have no range", "[uncertainty]") {
  UncertaintyCase k = hand_case();
  k.in.gpus.reset();
  k.e.wall_clock_days.reset();
  k.e.price_usd_per_gpu_hour.reset();
  k.e.cost_usd.reset();
  k.e.energy_mwh.reset();
  k.e.co2_tonnes.reset();
  const UncertaintyResult r = monte_carlo(k.e, k.in, uncertain_inputs(k.e, k.in, k.hw, constants_from_files()), 1000, 1);
  CHECK(!r.wall_clock_days);
  CHECK(!r.cost_usd);
  CHECK(!r.energy_mwh);
  CHECK(!r.co2_tonnes);
  const json j = uncertainty_json(r);
  CHECK(j.at("cost_usd").is_null());
  CHECK(j.at("gpu_hours").at("p50").get<double>() > 0);
}

TEST_CASE("uncertainty: estimate --samples adds P10/P50/P90 to the JSON and a range column to the table",
          "[uncertainty][cli]") {
  const std::string run = "estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8T --precision fp8 ";
  const CliResult r = run_cli(run + "--samples 1000 --format json");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  const json& u = j.at("uncertainty");
  CHECK(u.at("samples") == 1000);
  CHECK(u.at("seed") == 42);
  for (const char* key : {"gpu_hours", "wall_clock_days", "cost_usd", "energy_mwh", "co2_tonnes"}) {
    INFO(key);
    const json& p = u.at(key);
    CHECK(p.at("p10").get<double>() <= p.at("p50").get<double>());
    CHECK(p.at("p50").get<double>() <= p.at("p90").get<double>());
    CHECK(p.at("p10").get<double>() < j.at(key).get<double>());
    CHECK(p.at("p90").get<double>() > j.at(key).get<double>());
  }
  std::vector<std::string> names;
  for (const auto& d : u.at("distributions")) names.push_back(d.at("name"));
  CHECK(names == std::vector<std::string>{"achievable_efficiency", "goodput", "price_usd_per_gpu_hour", "pue",
                                          "grid_kgco2_per_kwh", "average_power_fraction"});
  // The existing keys stay, and the same seed prints the same numbers.
  CHECK(j.at("gpu_hours").get<double>() > 0);
  const CliResult again = run_cli(run + "--samples 1000 --seed 42 --format json");
  CHECK(again.out == r.out);
  const CliResult other = run_cli(run + "--samples 1000 --seed 7 --format json");
  CHECK(json::parse(other.out).at("uncertainty").at("seed") == 7);
  CHECK(json::parse(other.out).at("uncertainty").at("gpu_hours") != u.at("gpu_hours"));

  const CliResult plain = run_cli(run + "--format json");
  REQUIRE(plain.status == 0);
  CHECK(json::parse(plain.out).at("uncertainty").is_null());

  const CliResult table = run_cli(run + "--samples 1000");
  REQUIRE(table.status == 0);
  CHECK(table.out.find("range (P10-P90)") != std::string::npos);
  CHECK(table.out.find("Uncertainty: 1,000 Monte Carlo samples, seed 42") != std::string::npos);
  CHECK(run_cli(run).out.find("P10") == std::string::npos);
}

TEST_CASE("uncertainty: bad --samples and --seed are usage errors (exit 2)", "[uncertainty][cli]") {
  const std::string run = "estimate --model llama-2-7b --hardware a100-80gb --tokens 2T --mfu 0.4 ";
  for (const std::string bad : {"0", "-5", "abc", "1.5", "10000001"}) {
    const CliResult r = run_cli(run + "--samples " + bad);
    INFO("--samples " << bad << "\nstderr: " << r.err);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("--samples") != std::string::npos);
  }
  for (const std::string bad : {"-1", "x", "9223372036854775808"}) {
    const CliResult r = run_cli(run + "--samples 10 --seed " + bad);
    INFO("--seed " << bad << "\nstderr: " << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find("--seed") != std::string::npos);
  }
  const CliResult no_samples = run_cli(run + "--seed 3");
  CHECK(no_samples.status == 2);
  CHECK(no_samples.err.find("--seed needs --samples") != std::string::npos);
  const CliResult ok = run_cli(run + "--samples 1 --format json");
  CHECK(ok.status == 0);
}
