// The Monte Carlo's sampler: seeded pseudo-random streams, standard normals and
// the quantiles, means and draws of the input distributions.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include <fmt/format.h>

#include "traincost/econ/uncertainty.hpp"

namespace traincost::econ {

namespace {

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

double std_normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

}  // namespace

// ---- pseudo-random numbers -------------------------------------------------

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Xoshiro256ss::Xoshiro256ss(SplitMix64& seeder) : s_{seeder.next(), seeder.next(), seeder.next(), seeder.next()} {}

std::uint64_t Xoshiro256ss::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

void standard_normals(Xoshiro256ss& rng, Eigen::Ref<Eigen::ArrayXd> out) {
  const Eigen::Index n = out.size();
  const Eigen::Index pairs = (n + 1) / 2;
  Eigen::ArrayXd u1(pairs), u2(pairs);
  for (Eigen::Index i = 0; i < pairs; ++i) {
    u1[i] = rng.uniform();
    u2[i] = rng.uniform();
  }
  // 1 - u1 lies in (0, 1], so the logarithm is finite.
  const Eigen::ArrayXd radius = (-2.0 * (1.0 - u1).log()).sqrt();
  const Eigen::ArrayXd angle = (2.0 * std::numbers::pi) * u2;
  out.head(pairs) = radius * angle.cos();
  out.tail(n - pairs) = (radius * angle.sin()).head(n - pairs);
}

double normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument(fmt::format("normal_quantile: p = {} is not in (0, 1)", p));
  if (p > 0.5) return -normal_quantile(1.0 - p);
  // Newton from 0: the CDF is convex below 0, so the iterates fall monotonically to the root.
  double x = 0;
  for (int i = 0; i < 200; ++i) {
    const double pdf = std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
    const double step = (std_normal_cdf(x) - p) / pdf;
    x -= step;
    if (std::abs(step) < 1e-14 * std::max(1.0, std::abs(x))) break;
  }
  return x;
}

// ---- distributions ---------------------------------------------------------

std::string to_string(DistributionKind k) {
  switch (k) {
    case DistributionKind::fixed: return "fixed";
    case DistributionKind::lognormal: return "lognormal";
    case DistributionKind::split_lognormal: return "split_lognormal";
    case DistributionKind::triangular: return "triangular";
  }
  return "?";
}

double Distribution::quantile(double p) const {
  switch (kind) {
    case DistributionKind::fixed: return central;
    case DistributionKind::lognormal: return central * std::exp(sigma_low * normal_quantile(p));
    case DistributionKind::split_lognormal: {
      const double z = normal_quantile(p);
      return central * std::exp(z * (z < 0 ? sigma_low : sigma_high));
    }
    case DistributionKind::triangular: {
      if (high <= low) return central;
      const double split = (central - low) / (high - low);
      if (p < split) return low + std::sqrt(p * (high - low) * (central - low));
      return high - std::sqrt((1.0 - p) * (high - low) * (high - central));
    }
  }
  return central;
}

double Distribution::mean() const {
  switch (kind) {
    case DistributionKind::fixed: return central;
    case DistributionKind::lognormal: return central * std::exp(0.5 * sigma_low * sigma_low);
    case DistributionKind::split_lognormal:
      // E[e^{σz}; z < 0] = e^{σ²/2} Φ(-σ), E[e^{σz}; z ≥ 0] = e^{σ²/2} Φ(σ).
      return central * (std::exp(0.5 * sigma_low * sigma_low) * std_normal_cdf(-sigma_low) +
                        std::exp(0.5 * sigma_high * sigma_high) * std_normal_cdf(sigma_high));
    case DistributionKind::triangular: return (low + central + high) / 3.0;
  }
  return central;
}

void sample(const Distribution& d, Xoshiro256ss& rng, Eigen::Ref<Eigen::ArrayXd> out) {
  switch (d.kind) {
    case DistributionKind::fixed:
      out.setConstant(d.central);
      return;
    case DistributionKind::lognormal:
      standard_normals(rng, out);
      out = d.central * (d.sigma_low * out).exp();
      return;
    case DistributionKind::split_lognormal:
      standard_normals(rng, out);
      out = d.central * (out < 0.0).select(d.sigma_low * out, d.sigma_high * out).exp();
      return;
    case DistributionKind::triangular: {
      for (Eigen::Index i = 0; i < out.size(); ++i) out[i] = rng.uniform();
      if (d.high <= d.low) {
        out.setConstant(d.central);
        return;
      }
      const double width = d.high - d.low;
      const double split = (d.central - d.low) / width;
      out = (out < split)
                .select(d.low + (out * (width * (d.central - d.low))).sqrt(),
                        d.high - ((1.0 - out) * (width * (d.high - d.central))).sqrt());
      return;
    }
  }
}

}  // namespace traincost::econ
