#include "traincost/econ/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "traincost/util/error.hpp"

// The question: Monte Carlo percentiles of one estimate. The sampler is
// uncertainty_sampling.cpp, the input ranges uncertainty_inputs.cpp.
namespace traincost::econ {

namespace {

// Samples are drawn in blocks of this many, stream by stream: part of the
// definition of the sequence (changing it changes the draws of a seed).
constexpr Eigen::Index kBlock = 4096;

}  // namespace

// ---- Monte Carlo -----------------------------------------------------------

Percentiles percentiles(Eigen::Ref<Eigen::ArrayXd> v) {
  const Eigen::Index n = v.size();
  if (n < 1) throw std::invalid_argument("percentiles: no samples");
  double* begin = v.data();
  double* end = begin + n;
  double* first = begin;
  auto at = [&](double p) {
    const double h = static_cast<double>(n - 1) * p;
    const auto k = static_cast<Eigen::Index>(std::floor(h));
    std::nth_element(first, begin + k, end);
    first = begin + k;  // the next (higher) percentile lies in [k, n)
    const double lo = begin[k];
    const double hi = k + 1 < n ? *std::min_element(begin + k + 1, end) : lo;
    return lo + (h - static_cast<double>(k)) * (hi - lo);
  };
  Percentiles r;
  r.p10 = at(0.1);
  r.p50 = at(0.5);
  r.p90 = at(0.9);
  return r;
}

UncertaintyResult monte_carlo(const Estimate& e, const EstimateInputs& in, const UncertainInputs& inputs,
                              std::int64_t samples, std::uint64_t seed, const ProgressFn& progress) {
  if (samples < 1 || samples > kMaxSamples)
    throw UsageError(fmt::format("--samples: {} is out of range; expected 1..{}", samples, kMaxSamples));
  UncertaintyResult r;
  r.samples = samples;
  r.seed = seed;
  r.inputs = inputs;

  SplitMix64 seeder(seed);
  std::vector<Xoshiro256ss> streams;
  for (std::size_t i = 0; i < inputs.all().size(); ++i) streams.emplace_back(seeder);
  Xoshiro256ss& s_eff = streams[0];
  Xoshiro256ss& s_good = streams[1];
  Xoshiro256ss& s_price = streams[2];
  Xoshiro256ss& s_pue = streams[3];
  Xoshiro256ss& s_grid = streams[4];
  Xoshiro256ss& s_frac = streams[5];

  const bool cost = e.cost_usd.has_value();
  const bool energy = e.energy_mwh.has_value();
  const Eigen::Index n = samples;
  Eigen::ArrayXd gpu_hours(n), cost_usd(cost ? n : 0), energy_mwh(energy ? n : 0), co2(energy ? n : 0);
  Eigen::ArrayXd eff(kBlock), good(kBlock), price(kBlock), pue(kBlock), grid(kBlock), frac(kBlock);
  for (Eigen::Index start = 0; start < n; start += kBlock) {
    const Eigen::Index m = std::min(kBlock, n - start);
    auto gh = gpu_hours.segment(start, m);
    sample(inputs.efficiency, s_eff, eff.head(m));
    sample(inputs.goodput, s_good, good.head(m));
    gh = e.gpu_hours * (eff.head(m) / inputs.efficiency.central) * (inputs.goodput.central / good.head(m));
    if (cost) {
      sample(inputs.price, s_price, price.head(m));
      cost_usd.segment(start, m) = gh * price.head(m);
    }
    if (energy) {
      sample(inputs.pue, s_pue, pue.head(m));
      sample(inputs.power_fraction, s_frac, frac.head(m));
      sample(inputs.grid, s_grid, grid.head(m));
      auto en = energy_mwh.segment(start, m);
      // Ratios to the central values (a zero central value, which no CLI input allows, is held).
      if (inputs.pue.central > 0) pue.head(m) /= inputs.pue.central; else pue.head(m).setOnes();
      if (inputs.power_fraction.central > 0) frac.head(m) /= inputs.power_fraction.central; else frac.head(m).setOnes();
      en = *e.energy_mwh * (gh / e.gpu_hours) * pue.head(m) * frac.head(m);
      co2.segment(start, m) = en * grid.head(m);
    }
    if (progress) progress(static_cast<double>(start + m) / static_cast<double>(n));
  }
  r.gpu_hours = percentiles(gpu_hours);
  if (in.gpus) {
    const double g = static_cast<double>(*in.gpus);
    r.wall_clock_days = Percentiles{r.gpu_hours.p10 / g / 24.0, r.gpu_hours.p50 / g / 24.0, r.gpu_hours.p90 / g / 24.0};
  }
  if (cost) r.cost_usd = percentiles(cost_usd);
  if (energy) {
    r.energy_mwh = percentiles(energy_mwh);
    if (e.co2_tonnes) r.co2_tonnes = percentiles(co2);
  }
  return r;
}

}  // namespace traincost::econ
