#pragma once
// Uncertainty of an estimate (`traincost estimate --samples N`): Monte Carlo
// over the uncertain inputs (achievable efficiency, goodput, price, PUE, grid
// intensity, average power), each with a documented distribution around the
// value the estimate used, reporting P10 / P50 / P90 of GPU-hours, wall-clock
// days, dollars, energy and CO2.
//
// The distributions and their sources live in constants/uncertainty.json; the
// efficiency spread comes from the leave-one-out errors of whole published runs
// in constants/calibrated.json. Sampling is seeded and deterministic: a
// SplitMix64-seeded xoshiro256** stream per input, Box-Muller normals and
// inverse-CDF triangulars implemented here (the <random> distributions are
// implementation-defined across standard libraries).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "traincost/cost/estimate.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/util/progress.hpp"

namespace traincost::econ {

// ---- pseudo-random numbers -------------------------------------------------

// SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference splitmix64.c).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();

 private:
  std::uint64_t state_;
};

// xoshiro256** 1.0 (Blackman & Vigna 2018, reference xoshiro256starstar.c).
class Xoshiro256ss {
 public:
  explicit Xoshiro256ss(const std::array<std::uint64_t, 4>& state) : s_(state) {}
  // State from four SplitMix64 outputs, as the reference recommends.
  explicit Xoshiro256ss(SplitMix64& seeder);
  std::uint64_t next();
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::array<std::uint64_t, 4> s_;
};

// Standard normals by Box-Muller (both the cosine and the sine branch), filled
// into `out` from `rng`: ceil(n/2) pairs of uniforms.
void standard_normals(Xoshiro256ss& rng, Eigen::Ref<Eigen::ArrayXd> out);

// Inverse of the standard normal CDF (Newton on erfc; |error| < 1e-12).
double normal_quantile(double p);

// ---- distributions ---------------------------------------------------------

enum class DistributionKind {
  fixed,            // always `central`
  lognormal,        // median × exp(sigma_low × z)
  split_lognormal,  // median × exp(z × (z < 0 ? sigma_low : sigma_high))
  triangular,       // low, mode (= central), high
};
std::string to_string(DistributionKind k);

// One uncertain input, resolved for an estimate.
struct Distribution {
  std::string name;         // e.g. "pue"
  std::string applies_to;   // what it multiplies
  DistributionKind kind = DistributionKind::fixed;
  double central = 0;       // the value the estimate used (median or mode)
  double sigma_low = 0;     // log-space spread below the median (lognormal: the sigma)
  double sigma_high = 0;    // log-space spread above the median (split lognormal)
  double low = 0, high = 0; // triangular bounds
  std::string basis;        // where the spread comes from, in one line

  double quantile(double p) const;  // the distribution's own quantile, p in (0, 1)
  double mean() const;
};

// Fills `out` with draws of `d` from `rng` (normals for the lognormal kinds,
// uniforms for the triangular; a fixed input draws nothing).
void sample(const Distribution& d, Xoshiro256ss& rng, Eigen::Ref<Eigen::ArrayXd> out);

// ---- constants (constants/uncertainty.json + constants/calibrated.json) ----

struct UncertaintyConstants {
  // achievable efficiency: lognormal multiplier on GPU-hours
  std::vector<std::string> efficiency_metrics;
  double efficiency_median = 1;
  double efficiency_sigma_log = 0;  // from the leave-one-out errors
  int efficiency_runs = 0;
  double efficiency_mean_log = 0;   // reported, not applied
  std::string residuals_file;
  // goodput g: triangular(max(1 - loss_high·(1-g), min(floor, g)), g, 1 - loss_low·(1-g))
  double goodput_loss_multiplier_low = 0, goodput_loss_multiplier_high = 2;
  double goodput_floor = 0.9;
  // price: split lognormal over the profile's quotes, or ± this with one quote
  double price_single_quote_spread = 0.3;
  // PUE: triangular(low, input, high)
  double pue_low = 1.1, pue_high = 1.58;
  // grid intensity: lognormal around the input
  double grid_sigma_log = 0;
  double grid_min = 0, grid_max = 0;  // the published grids the sigma spans
  // average-power fraction: triangular(low × f, f, high × f)
  double power_fraction_low_relative = 0.8, power_fraction_high_relative = 1.2;
  std::string file;
};

// `doc` is constants/uncertainty.json; `calibration` is constants/calibrated.json
// (its `residuals`). Errors name the file and the field (InputError).
UncertaintyConstants uncertainty_constants_from_json(const nlohmann::json& doc, const std::string& where,
                                                     const nlohmann::json& calibration,
                                                     const std::string& calibration_where);
// Both files from the data directory; read once, cached.
const UncertaintyConstants& uncertainty_constants();

// ---- Monte Carlo -----------------------------------------------------------

struct UncertainInputs {
  Distribution efficiency, goodput, price, pue, grid, power_fraction;
  std::vector<const Distribution*> all() const {
    return {&efficiency, &goodput, &price, &pue, &grid, &power_fraction};
  }
};

// The distributions for an estimate: centred on the values it used, the price
// spread from the profile's quotes (`hw.document`: `rental`, `other_rental_quotes`).
UncertainInputs uncertain_inputs(const Estimate& e, const EstimateInputs& in, const Accelerator& hw,
                                 const UncertaintyConstants& c);

struct Percentiles {
  double p10 = 0, p50 = 0, p90 = 0;
};

// P10, P50, P90 by linear interpolation between order statistics
// (Hyndman-Fan type 7, numpy's default), with nth_element. Reorders `v`.
Percentiles percentiles(Eigen::Ref<Eigen::ArrayXd> v);

struct UncertaintyResult {
  std::int64_t samples = 0;
  std::uint64_t seed = 0;
  Percentiles gpu_hours;
  std::optional<Percentiles> wall_clock_days, cost_usd, energy_mwh, co2_tonnes;  // absent where the estimate lacks them
  UncertainInputs inputs;
};

inline constexpr std::int64_t kMaxSamples = 10'000'000;

// Pure and deterministic: the same estimate, inputs, samples and seed give the
// same result. Each input has its own stream (four SplitMix64(seed) outputs per
// input, in the order of UncertainInputs::all()); samples are drawn in blocks
// of a fixed size. `samples` in 1..kMaxSamples.
UncertaintyResult monte_carlo(const Estimate& e, const EstimateInputs& in, const UncertainInputs& inputs,
                              std::int64_t samples, std::uint64_t seed,
                              const ProgressFn& progress = {});  // called once per block of samples

// JSON: report/uncertainty_report.hpp.

}  // namespace traincost::econ
