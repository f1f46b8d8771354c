#include "traincost/perf/sizing.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "traincost/perf/search.hpp"
#include "traincost/util/error.hpp"

namespace traincost::perf {

namespace {
constexpr std::int64_t kMinGpus = 8;
constexpr std::int64_t kMaxGpus = std::int64_t{1} << 24;  // 16.8M: beyond any cluster built
constexpr int kMaxGrow = 42;    // model evaluations growing: 8 -> 2^24 in sizes 2^k and 3·2^k
constexpr int kMaxShrink = 8;   // and shrinking
}  // namespace

double whole_run_days(double tokens, double tokens_per_s, std::int64_t gpus, double total_params, const Constants& c) {
  return tokens / tokens_per_s / (goodput(gpus, total_params, c).goodput * c.run_efficiency) / 86400.0;
}

std::int64_t next_cluster_size(std::int64_t gpus) {
  if (gpus < kMinGpus) return kMinGpus;
  std::int64_t p = 1;
  while (p * 2 <= gpus) p *= 2;          // gpus is p or 3p/2 (or between)
  return gpus < p + p / 2 ? p + p / 2 : 2 * p;
}

std::int64_t previous_cluster_size(std::int64_t gpus) {
  if (gpus <= kMinGpus) return 0;
  std::int64_t p = 1;
  while (p * 2 < gpus) p *= 2;           // p < gpus <= 2p
  return gpus > p + p / 2 ? p + p / 2 : p;
}

AssumedCluster size_for_deadline(double model_flops, double peak_flops_per_s, const Constants& c,
                                 std::optional<double> target_days, const DaysOnCluster& days_on,
                                 std::int64_t max_gpus) {
  AssumedCluster a;
  a.target_days = target_days.value_or(c.typical_run_days);
  if (!(std::isfinite(a.target_days) && a.target_days > 0))
    throw UsageError(fmt::format("--days: {} is out of range; expected a positive number of days", a.target_days));
  if (!(std::isfinite(model_flops) && model_flops > 0 && std::isfinite(peak_flops_per_s) && peak_flops_per_s > 0))
    throw InputError("cluster sizing needs positive, finite training FLOPs and a positive dense peak");
  const double gpu_seconds = model_flops / (c.sizing_mfu * c.run_efficiency * peak_flops_per_s);
  const std::int64_t cap = std::clamp(max_gpus, kMinGpus, kMaxGpus);
  std::int64_t n = kMinGpus;
  while (static_cast<double>(n) * a.target_days * 86400.0 < gpu_seconds && next_cluster_size(n) <= cap)
    n = next_cluster_size(n);
  const std::int64_t first = n;
  std::optional<double> d = days_on(n);
  // Too slow (or no plan fits): grow while that still shortens the run; a cluster
  // larger than the batch can use only adds bubbles.
  for (int step = 0; step < kMaxGrow && (!d || *d > a.target_days) && next_cluster_size(n) <= cap; ++step) {
    const std::int64_t bigger = next_cluster_size(n);
    const std::optional<double> db = days_on(bigger);
    if (d && (!db || *db >= *d)) break;
    n = bigger;
    d = db;
  }
  // Fast enough: the smallest size that still makes the deadline.
  for (int step = 0; step < kMaxShrink && d && *d <= a.target_days; ++step) {
    const std::int64_t smaller = previous_cluster_size(n);
    if (smaller == 0) break;
    const std::optional<double> ds = days_on(smaller);
    if (!ds || *ds > a.target_days) break;
    n = smaller;
    d = ds;
  }
  a.gpus = n;
  a.days = d;
  const std::string sizes = "sizes 8, 12, 16, 24, 32, ...";
  if (d && *d <= a.target_days)
    a.rule = fmt::format("GPU count not given: assumed {}, the smallest cluster ({}) whose modelled whole run fits "
                         "in {:g} days (sizing rule)", n, sizes, a.target_days);
  else if (d)
    a.rule = fmt::format("GPU count not given: assumed {} ({}); no size meets {:g} days, and {} GPUs is where growing "
                         "the cluster stops shortening the run (sizing rule)", n, sizes, a.target_days, n);
  else
    a.rule = fmt::format("GPU count not given: no plan fits from {} to {} GPUs (sizing rule)", first, n);
  return a;
}

std::optional<std::int64_t> smallest_pow2_cluster_that_fits(const ModelProfile& prof, const Hardware& facts,
                                                            const Accelerator& hw, const TrainingSetup& setup,
                                                            double tokens, const Constants& c, std::int64_t from,
                                                            std::int64_t max_gpus) {
  for (std::int64_t n = std::max<std::int64_t>(from, 1); n <= max_gpus; n *= 2) {
    TrainingSetup t = setup;
    // At least one sequence per rank; a batch that splits over a cluster of n (odd factor of n).
    t.global_batch_tokens =
        std::max(default_global_batch_tokens(prof, tokens, setup.seq_len, c, n), n * setup.seq_len);
    if (!search(prof, facts, cluster_for(hw, n), t, c, 1).top.empty()) return n;
  }
  return std::nullopt;
}

}  // namespace traincost::perf
