#include "traincost/perf/plan.hpp"

#include <charconv>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "traincost/util/error.hpp"

namespace traincost::perf {

std::string to_string(Schedule s) {
  switch (s) {
    case Schedule::one_f_one_b: return "1f1b";
    case Schedule::interleaved: return "interleaved";
    case Schedule::dualpipe: return "dualpipe";
  }
  return "1f1b";
}

std::string to_string(AttentionKernel k) { return k == AttentionKernel::flash ? "flash" : "materialized"; }

std::string to_string(const Plan& p) {
  return fmt::format("tp={},pp={},dp={},cp={},ep={},vpp={},schedule={},zero={},mb={},recompute={}{}", p.tp, p.pp, p.dp,
                     p.cp, p.ep, p.vpp, to_string(p.schedule), p.zero, p.micro_batch, traincost::to_string(p.recompute),
                     std::string(p.attention_kernel == AttentionKernel::flash ? "" : ",attn=materialized") +
                         (p.tp_overlap ? ",tp_overlap=1" : "") + (p.dp_overlap ? "" : ",dp_overlap=0"));
}

Plan parse_plan(const std::string& text) {
  Plan p;
  std::stringstream ss(text);
  std::string item;
  std::set<std::string> seen;
  const std::string allowed = "tp, pp, dp, cp, ep, vpp, schedule, zero, mb, recompute, attn, tp_overlap, dp_overlap";
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      throw UsageError(fmt::format("--plan: '{}' is not key=value (keys: {})", item, allowed));
    const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    if (!seen.insert(key == "micro_batch" ? "mb" : key).second)
      throw UsageError(fmt::format("--plan: '{}' is given twice", key));
    auto integer = [&](int min, int max) {
      int v = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || ptr != value.data() + value.size() || v < min || v > max)
        throw UsageError(fmt::format("--plan: {}={} must be a whole number in {}..{}", key, value, min, max));
      return v;
    };
    if (key == "tp") p.tp = integer(1, 1024);
    else if (key == "pp") p.pp = integer(1, 1024);
    else if (key == "dp") p.dp = integer(1, 10'000'000);
    else if (key == "cp") p.cp = integer(1, 1024);
    else if (key == "ep") p.ep = integer(1, 100'000);
    else if (key == "vpp") p.vpp = integer(1, 64);
    else if (key == "zero") p.zero = integer(0, 3);
    else if (key == "mb" || key == "micro_batch") p.micro_batch = integer(1, 1'000'000);
    else if (key == "recompute") {
      try {
        p.recompute = parse_recompute(value);
      } catch (const UsageError&) {
        throw UsageError(fmt::format("--plan: recompute={} must be one of {}", value, kRecomputeChoices));
      }
    }
    else if (key == "tp_overlap") p.tp_overlap = integer(0, 1) == 1;
    else if (key == "dp_overlap") p.dp_overlap = integer(0, 1) == 1;
    else if (key == "attn") {
      if (value == "flash") p.attention_kernel = AttentionKernel::flash;
      else if (value == "materialized") p.attention_kernel = AttentionKernel::materialized;
      else throw UsageError(fmt::format("--plan: attn={} must be flash or materialized", value));
    }
    else if (key == "schedule") {
      if (value == "1f1b") p.schedule = Schedule::one_f_one_b;
      else if (value == "interleaved") p.schedule = Schedule::interleaved;
      else if (value == "dualpipe") p.schedule = Schedule::dualpipe;
      else throw UsageError(fmt::format("--plan: schedule={} must be one of 1f1b, interleaved, dualpipe", value));
    } else {
      throw UsageError(fmt::format("--plan: unknown key '{}' (keys: {})", key, allowed));
    }
  }
  if (p.vpp > 1 && p.schedule == Schedule::one_f_one_b) p.schedule = Schedule::interleaved;
  return p;
}

Cluster cluster_for(const Accelerator& hw, std::int64_t gpus) {
  Cluster c;
  c.gpus = gpus;
  c.scale_up_domain = hw.scale_up_domain_size.value_or(1);
  if (!hw.scale_up_bytes_per_s_bidirectional && c.scale_up_domain > 1)
    throw UsageError(fmt::format("{}: the profile has no scale-up bandwidth; the performance model needs it "
                                 "(pass --mfu to estimate without it)", hw.id));
  c.scale_up_bytes_per_s = hw.scale_up_bytes_per_s_bidirectional.value_or(0) / 2.0;
  // Without a published NIC rate, cross-domain traffic is modelled at the
  // scale-up rate only inside one domain; beyond it the plan needs a NIC.
  c.scale_out_bytes_per_s = hw.scale_out_bytes_per_s.value_or(0);
  if (c.scale_out_bytes_per_s <= 0 && gpus > c.scale_up_domain)
    throw UsageError(fmt::format("{}: the profile has no scale-out (NIC) bandwidth, needed for {} GPUs across "
                                 "domains of {} (pass --mfu to estimate without it)", hw.id, gpus, c.scale_up_domain));
  return c;
}

}  // namespace traincost::perf
