// compare-hardware's reading of an evaluated plan: its compact name and what limits it.
#include <algorithm>
#include <iterator>
#include <utility>

#include <fmt/format.h>

#include "traincost/econ/hardware_compare.hpp"

namespace traincost::econ {

std::string compact_plan(const perf::Plan& p) {
  std::string s = fmt::format("TP{} PP{} DP{}", p.tp, p.pp, p.dp);
  if (p.cp > 1) s += fmt::format(" CP{}", p.cp);
  if (p.ep > 1) s += fmt::format(" EP{}", p.ep);
  if (p.pp > 1) {
    switch (p.schedule) {
      case perf::Schedule::one_f_one_b: s += " 1F1B"; break;
      case perf::Schedule::interleaved: s += fmt::format(" interleaved(v={})", p.vpp); break;
      case perf::Schedule::dualpipe: s += " DualPipe"; break;
    }
  }
  s += fmt::format(" ZeRO-{}", p.zero);
  if (p.micro_batch > 1) s += fmt::format(" mb{}", p.micro_batch);
  if (p.recompute != Recompute::none) s += fmt::format(" recompute={}", to_string(p.recompute));
  return s;
}

namespace {
std::string recompute_words(Recompute r) {
  return r == Recompute::full ? "full recomputation" : "recomputation of the MoE blocks";
}
}  // namespace

LimitVerdict classify_limit(const perf::Evaluation& e, const perf::Cluster& cl, double threshold) {
  const perf::TimeBreakdown& t = e.time;
  const perf::Plan& p = e.plan;
  const auto domain = cl.scale_up_domain;
  // Each collective is put on the link the performance model sends it over (evaluate.cpp).
  const bool tp_out = p.tp > domain;
  const bool ep_out = static_cast<std::int64_t>(p.tp) * p.ep > domain;  // the all-to-all leaves the domain
  const bool p2p_out = static_cast<std::int64_t>(p.tp) * p.cp * p.dp * 2 > domain;
  const bool dp_out = cl.gpus / p.pp > domain;
  double up = 0, out = 0;
  (tp_out ? out : up) += t.tp_comm;
  (ep_out ? out : up) += t.ep_comm;
  (static_cast<std::int64_t>(p.tp) * p.cp > domain ? out : up) += t.cp_comm;
  (p2p_out ? out : up) += t.pp_p2p;
  (dp_out ? out : up) += t.dp_comm;
  const double step = t.step > 0 ? t.step : 1.0;
  LimitVerdict v;
  v.shares.compute = (t.gemm + t.attention + t.recompute) / step;
  v.shares.hbm = (t.elementwise + t.optimizer) / step;
  v.shares.scale_up = up / step;
  v.shares.scale_out = out / step;
  v.shares.pipeline_bubble = t.pp_bubble / step;
  const bool heavy_recompute = p.recompute == Recompute::full || p.recompute == Recompute::moe;
  v.memory_bound = heavy_recompute || p.zero == 3;
  const std::pair<double, const char*> parts[] = {{v.shares.hbm, "HBM bandwidth"},
                                                   {v.shares.scale_up, "scale-up links"},
                                                   {v.shares.scale_out, "scale-out network"},
                                                   {v.shares.pipeline_bubble, "pipeline bubble"}};
  const auto* top = std::max_element(std::begin(parts), std::end(parts),
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::string memory = v.memory_bound
                                 ? fmt::format("; the plan needs {} to fit in memory",
                                               heavy_recompute && p.zero == 3 ? fmt::format("{} and ZeRO-3", recompute_words(p.recompute))
                                               : heavy_recompute              ? recompute_words(p.recompute)
                                                                              : std::string("ZeRO-3"))
                                 : std::string();
  if (top->first >= threshold) {
    v.limit = top->second;
    v.detail = fmt::format("{} takes {:.1f}% of the step (>= {:.0f}%){}", top->second, 100.0 * top->first,
                           100.0 * threshold, memory);
  } else if (v.memory_bound) {
    v.limit = "memory capacity";
    v.detail = fmt::format("no non-compute part reaches {:.0f}% of the step (largest: {} {:.1f}%){}", 100.0 * threshold,
                           top->second, 100.0 * top->first, memory);
  } else {
    v.limit = "compute";
    v.detail = fmt::format("GEMMs and attention take {:.1f}% of the step; no other part reaches {:.0f}% (largest: {} {:.1f}%)",
                           100.0 * v.shares.compute, 100.0 * threshold, top->second, 100.0 * top->first);
  }
  return v;
}

}  // namespace traincost::econ
