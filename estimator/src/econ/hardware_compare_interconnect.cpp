// compare-hardware's interconnect comparison: the part of a gap between two chips
// that their links alone explain.
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "hardware_compare_setup.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/numeric.hpp"

namespace traincost::econ::detail {

namespace {

std::string gbs(const std::optional<double>& bytes_per_s) {
  return bytes_per_s ? fmt::format("{:.0f}", *bytes_per_s / 1e9) : std::string("unknown");
}

bool same_fact(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || nearly_equal(*a, *b));
}

}  // namespace

// Chips with the same compute and memory but different links: re-plan the one with
// slower links using the other's links, so the interconnect's part of the gap is isolated.
std::optional<InterconnectEffect> interconnect_effect(const ModelSpec& model, const Accelerator& a, const HwRow& ra,
                                                      const Accelerator& b, const HwRow& rb, const HwCompareInputs& in) {
  if (!ra.best || !rb.best || !ra.precision || ra.precision != rb.precision || ra.gpus != rb.gpus || !ra.days || !rb.days)
    return std::nullopt;
  const Precision p = *ra.precision;
  if (!same_fact(a.peak_flops_per_s(p), b.peak_flops_per_s(p)) || !same_fact(a.hbm_bandwidth_bytes_per_s, b.hbm_bandwidth_bytes_per_s) ||
      !same_fact(a.memory_bytes, b.memory_bytes))
    return std::nullopt;
  const bool links_differ = !same_fact(a.scale_up_bytes_per_s_bidirectional, b.scale_up_bytes_per_s_bidirectional) ||
                            !same_fact(a.scale_out_bytes_per_s, b.scale_out_bytes_per_s) ||
                            a.scale_up_domain_size != b.scale_up_domain_size;
  if (!links_differ) return std::nullopt;
  auto key = [](const Accelerator& x) {
    return std::make_pair(x.scale_up_bytes_per_s_bidirectional.value_or(0), x.scale_out_bytes_per_s.value_or(0));
  };
  const bool a_slower = key(a) < key(b);
  const Accelerator& slow = a_slower ? a : b;
  const Accelerator& fast = a_slower ? b : a;
  const HwRow& rs = a_slower ? ra : rb;
  const HwRow& rf = a_slower ? rb : ra;
  try {
    const PerfSetup ps(model, slow, in, p);
    const auto cf = ps.run(*rs.gpus, &fast);
    if (!cf || !cf->estimate.wall_clock_days) return std::nullopt;
    InterconnectEffect x;
    x.hardware = slow.id;
    x.versus = fast.id;
    x.days = *rs.days;
    x.days_with_versus_links = *cf->estimate.wall_clock_days;
    x.versus_days = *rf.days;
    x.effect = x.days / x.days_with_versus_links - 1.0;
    std::vector<std::string> other;
    const bool mamf_slow = slow.measured_matmul_flops_per_s.count(p) > 0, mamf_fast = fast.measured_matmul_flops_per_s.count(p) > 0;
    if (mamf_slow != mamf_fast)
      other.push_back(fmt::format("the GEMM ceiling: {}'s profile has a measured {} matmul ceiling (MAMF), {}'s uses the "
                                  "default fraction of the peak",
                                  mamf_slow ? slow.id : fast.id, to_string(p), mamf_slow ? fast.id : slow.id));
    else if (slow.measured_matmul_flops_per_s != fast.measured_matmul_flops_per_s)
      other.push_back("the measured matmul ceilings (MAMF) of the two profiles");
    if (slow.generation != fast.generation) other.push_back("the generation's calibrated GEMM efficiency");
    x.text = fmt::format(
        "{} vs {}: same dense {} peak, HBM bandwidth and memory; the links differ (scale-up {} vs {} GB/s bidirectional, "
        "scale-out {} vs {} GB/s per GPU). Re-planned with {}'s links, {} would take {:.1f} days instead of {:.1f}: the "
        "interconnect costs it {:+.1f}% in time. {} takes {:.1f} days{}",
        slow.id, fast.id, to_string(p), gbs(slow.scale_up_bytes_per_s_bidirectional),
        gbs(fast.scale_up_bytes_per_s_bidirectional), gbs(slow.scale_out_bytes_per_s), gbs(fast.scale_out_bytes_per_s),
        fast.id, slow.id, x.days_with_versus_links, x.days, 100.0 * x.effect, fast.id, x.versus_days,
        other.empty() ? std::string(".")
                      : fmt::format("; the rest of the gap comes from {}.", fmt::join(other, " and ")));
    return x;
  } catch (const UsageError&) {
    return std::nullopt;
  }
}

}  // namespace traincost::econ::detail
