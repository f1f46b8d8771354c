#pragma once
// Plan search: enumerate every legal plan (divisibility, batch), evaluate
// each, keep the fastest feasible ones. The search knows nothing of FLOPs;
// the model knows nothing of enumeration.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/perf/evaluate.hpp"
#include "traincost/util/progress.hpp"

namespace traincost::perf {

struct SearchResult {
  std::vector<Evaluation> top;          // fastest first
  std::int64_t plans_evaluated = 0;
  std::int64_t plans_feasible = 0;
  double search_seconds = 0;
  std::optional<Evaluation> closest_infeasible;  // the legal plan that misses memory by the least
};

// Fields a plan must have (e.g. the parts of a published plan); unset = free.
struct PlanConstraint {
  std::optional<int> tp, pp, dp, cp, ep, vpp, zero, micro_batch;
  std::optional<Schedule> schedule;
  std::optional<Recompute> recompute;
  std::optional<AttentionKernel> attention_kernel;
  std::optional<bool> tp_overlap, dp_overlap;
  // DualPipe is DeepSeek's schedule (deepseek-ai/DualPipe); Megatron-Core, which NVIDIA's
  // published recipes run, offers 1F1B and interleaving only.
  bool allow_dualpipe = true;
  bool admits(const Plan& p) const;
};
PlanConstraint constraint_from_json(const nlohmann::json& plan, const std::string& where);  // throws InputError

SearchResult search(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                    const Constants& c, int top_k, const PlanConstraint& constraint = {},
                    const ProgressFn& progress = {});  // called once per (tp, cp, pp) layout

// After `from` GPUs failed: the smallest of 2·from, 4·from, ... (up to 2^20) on
// which some plan fits in memory, or nullopt. `cluster` builds the cluster for a count.
std::optional<std::int64_t> min_gpus_that_fit(const ModelProfile& m, const Hardware& hw,
                                              const std::function<Cluster(std::int64_t)>& cluster,
                                              const TrainingSetup& s, const Constants& c, std::int64_t from);

// Default global batch when none is given: B = a·F^f·D^d·S^s tokens for the model's
// FLOPs per token F, the run's tokens D and the model's stored over active parameters
// S (1 for dense), rounded to a power-of-two number of sequences. The base constants
// are DeepSeek LLM's B_opt = 0.292·C^0.3271 (C = F·D: f = d = 0.3271, s = 0);
// constants/calibrated.json refits a, f, d and s on the published runs' batches.
// Given the cluster size, the count becomes odd·2^j instead, odd being the GPU
// count's odd factor (55 for 440 GPUs), so that data-parallel degrees which divide
// the cluster also divide the batch: a power-of-two batch splits over no 440-GPU plan.
std::int64_t default_global_batch_tokens(const ModelProfile& m, double tokens, std::int64_t seq_len,
                                         const Constants& c, std::int64_t gpus = 0);
// The rule's batch before rounding, in tokens.
double rule_batch_tokens(double flops_per_token, double tokens, double params_per_active_param, const Constants& c);

struct Goodput {
  double job_mtbf_s = 0;             // mean time between failures of the whole job
  double checkpoint_write_s = 0;     // stall per checkpoint
  double checkpoint_interval_s = 0;  // Young/Daly optimum sqrt(2·w·MTBF)
  double lost_fraction = 0;          // checkpoint stalls + rework + restarts
  double goodput = 1;                // useful fraction of wall-clock
};
// First-order Young/Daly model with the failure rate of Llama 3's run.
Goodput goodput(std::int64_t gpus, double total_params, const Constants& c);

}  // namespace traincost::perf
