#include "traincost/report/plan_report.hpp"

#include <fmt/format.h>

#include "traincost/perf/constants.hpp"
#include "traincost/report/format.hpp"

namespace traincost::report {

using Json = nlohmann::ordered_json;

Json evaluation_json(const perf::Evaluation& e) {
  const auto& p = e.plan;
  Json j;
  j["plan"] = Json{{"tp", p.tp}, {"pp", p.pp}, {"dp", p.dp}, {"cp", p.cp}, {"ep", p.ep}, {"vpp", p.vpp},
                   {"schedule", perf::to_string(p.schedule)}, {"zero", p.zero}, {"micro_batch", p.micro_batch},
                   {"recompute", to_string(p.recompute)}};
  j["plan_string"] = perf::to_string(p);
  j["feasible"] = e.feasible;
  if (!e.feasible) j["infeasible_reason"] = perf::reason_text(e);
  j["mfu"] = e.mfu;
  j["mfu_bf16_peak"] = e.mfu_bf16;
  j["hfu"] = e.hfu;
  j["step_time_s"] = e.time.step;
  j["tokens_per_s"] = e.tokens_per_s;
  j["micro_batches"] = e.micro_batches;
  j["memory_per_gpu_bytes"] = e.memory.total();
  j["memory_capacity_bytes"] = e.memory.capacity;
  j["memory_breakdown_bytes"] = Json{{"weights", e.memory.weights}, {"gradients", e.memory.gradients},
                                     {"optimizer", e.memory.optimizer}, {"activations", e.memory.activations}};
  const auto& t = e.time;
  j["time_breakdown_s"] = Json{{"gemm", t.gemm}, {"attention", t.attention}, {"elementwise", t.elementwise},
                               {"recompute", t.recompute}, {"moe_permute", t.moe_permute}, {"moe_host", t.moe_host},
                               {"tp_comm", t.tp_comm}, {"ep_comm", t.ep_comm}, {"cp_comm", t.cp_comm},
                               {"pp_p2p", t.pp_p2p}, {"pp_bubble", t.pp_bubble}, {"dp_comm", t.dp_comm},
                               {"optimizer", t.optimizer}};
  return j;
}

Json moe_assumptions_json(std::optional<double> imbalance) {
  const perf::Constants& c = perf::constants();
  return Json{{"imbalance", imbalance.value_or(c.moe_imbalance_default)},
              {"imbalance_is_default", !imbalance.has_value()},
              {"host_time_s_per_layer", c.moe_host_sync_s},
              {"host_time_s_per_layer_per_local_expert", c.moe_host_per_local_expert_s}};
}

std::string moe_assumptions_text(std::optional<double> imbalance) {
  const perf::Constants& c = perf::constants();
  return fmt::format("busiest expert-parallel rank {:.2f}x the mean tokens ({}), host-bound {:.1f} ms per layer and "
                     "micro-batch + {:.3f} ms per expert held on the GPU in each MoE layer (fitted on Megatron-Core's rows)",
                     imbalance.value_or(c.moe_imbalance_default), imbalance ? "--moe-imbalance" : "default for real routing",
                     c.moe_host_sync_s * 1e3, c.moe_host_per_local_expert_s * 1e3);
}

Json plan_json(const PlanReportInputs& in, const perf::SearchResult& r) {
  Json j;
  j["schema"] = "traincost.plan.v1";
  j["model"] = in.model.name;
  j["hardware"] = in.hardware_id;
  j["gpus"] = in.cluster.gpus;
  j["precision"] = to_string(in.setup.precision);
  j["seq_len"] = in.setup.seq_len;
  j["global_batch_tokens"] = in.setup.global_batch_tokens;
  j["tokens"] = in.tokens;
  if (in.model.is_moe()) {
    Json moe = moe_assumptions_json(in.setup.moe_imbalance);
    moe["ep_overlap_1f1b"] = perf::constants().ep_overlap_1f1b;
    moe["ep_overlap_dualpipe"] = perf::constants().ep_overlap_dualpipe;
    j["moe_assumptions"] = moe;
  }
  j["plans_evaluated"] = r.plans_evaluated;
  j["plans_feasible"] = r.plans_feasible;
  j["search_seconds"] = r.search_seconds;
  j["goodput"] = Json{{"goodput", in.goodput.goodput}, {"job_mtbf_s", in.goodput.job_mtbf_s},
                      {"checkpoint_interval_s", in.goodput.checkpoint_interval_s},
                      {"checkpoint_write_s", in.goodput.checkpoint_write_s}};
  if (r.top.empty()) {
    j["best"] = nullptr;
  } else {
    Json best = evaluation_json(r.top.front());
    // Whole-run figures apply the same two factors as `estimate` (cost/estimate.cpp).
    const double run_s = in.tokens / r.top.front().tokens_per_s;
    const double whole = in.goodput.goodput * in.run_efficiency;
    best["wall_clock_days"] = run_s / whole / 86400.0;
    best["gpu_hours"] = run_s / whole * static_cast<double>(in.cluster.gpus) / 3600.0;
    best["gpu_hours_steady_state"] = run_s * static_cast<double>(in.cluster.gpus) / 3600.0;
    best["whole_run_factors"] = Json{{"goodput", in.goodput.goodput}, {"run_efficiency", in.run_efficiency}};
    j["best"] = best;
  }
  Json top = Json::array();
  for (const auto& e : r.top) top.push_back(evaluation_json(e));
  j["top"] = top;
  if (r.closest_infeasible) j["closest_infeasible"] = evaluation_json(*r.closest_infeasible);
  return j;
}

std::string plan_text(const PlanReportInputs& in, const perf::SearchResult& r) {
  std::string out = fmt::format("Plan search: {} on {} x {}, {} tokens/step (seq {}), {} GEMMs\n", in.model.name,
                                in.cluster.gpus, in.hardware_id, count(static_cast<double>(in.setup.global_batch_tokens)),
                                in.setup.seq_len, to_string(in.setup.precision));
  out += fmt::format("{} plans evaluated, {} fit in memory, {:.1f} ms\n", r.plans_evaluated, r.plans_feasible,
                     r.search_seconds * 1e3);
  if (in.model.is_moe())
    out += fmt::format("MoE: {}, all-to-all hidden: DualPipe up to the paired compute, 1F1B {:.0f}%\n",
                       moe_assumptions_text(in.setup.moe_imbalance), perf::constants().ep_overlap_1f1b * 100);
  out += "\n";
  if (r.top.empty()) {
    out += "No plan fits.\n";
    if (r.closest_infeasible)
      out += fmt::format("Closest: {} — {}\n", perf::to_string(r.closest_infeasible->plan), perf::reason_text(*r.closest_infeasible));
    return out;
  }
  std::vector<std::vector<std::string>> t{{"#", "plan", "MFU", "step s", "tokens/s", "memory/GPU"}};
  int i = 1;
  for (const auto& e : r.top)
    t.push_back({std::to_string(i++), perf::to_string(e.plan), percent(e.mfu), fmt::format("{:.2f}", e.time.step),
                 count(e.tokens_per_s), bytes(e.memory.total())});
  out += table(t, {true, false, true, true, true, true});
  const auto& b = r.top.front();
  out += "\nBest plan, where a step's time goes (per GPU, critical path)\n";
  std::vector<std::vector<std::string>> tt{{"part", "seconds", "share"}};
  auto row = [&](const char* name, double v) { tt.push_back({name, fmt::format("{:.3f}", v), percent(v / b.time.step)}); };
  row("GEMMs", b.time.gemm);
  row("attention (flash)", b.time.attention);
  row("element-wise (HBM-bound)", b.time.elementwise);
  row("recomputation", b.time.recompute);
  if (b.time.moe_permute > 0) row("MoE token permute (HBM)", b.time.moe_permute);
  if (b.time.moe_host > 0) row("MoE host-bound (launch, sync)", b.time.moe_host);
  row("TP collectives", b.time.tp_comm);
  row("EP all-to-all (exposed)", b.time.ep_comm);
  row("CP K/V all-gather", b.time.cp_comm);
  row("PP send/recv (exposed)", b.time.pp_p2p);
  row("pipeline bubble", b.time.pp_bubble);
  row("DP gradient sync (exposed)", b.time.dp_comm);
  row("optimizer step", b.time.optimizer);
  row("step", b.time.step);
  out += table(tt, {false, true, true});
  out += fmt::format("\nMemory per GPU: weights {}, gradients {}, optimizer {}, activations {} = {} of {} usable\n",
                     bytes(b.memory.weights), bytes(b.memory.gradients), bytes(b.memory.optimizer),
                     bytes(b.memory.activations), bytes(b.memory.total()), bytes(b.memory.capacity));
  const double run_s = in.tokens / b.tokens_per_s;
  const double whole = in.goodput.goodput * in.run_efficiency;
  out += fmt::format("Whole run, {} tokens: {:.1f} days, {} GPU-hours (steady state {:.1f} days / goodput {:.1f}% "
                     "[job MTBF {:.1f} h, checkpoint every {:.0f} s] / run efficiency {:.1f}% [fitted on published runs])\n",
                     count(in.tokens), run_s / whole / 86400, count(run_s / whole * static_cast<double>(in.cluster.gpus) / 3600),
                     run_s / 86400, 100 * in.goodput.goodput, in.goodput.job_mtbf_s / 3600, in.goodput.checkpoint_interval_s,
                     100 * in.run_efficiency);
  return out;
}

}  // namespace traincost::report
