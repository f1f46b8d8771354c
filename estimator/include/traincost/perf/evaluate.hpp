#pragma once
// One evaluation = one plan: memory per GPU, step time with its breakdown,
// MFU/HFU. Pure and fast (well under a microsecond once the ModelProfile is
// built), so the search can call it for every candidate plan.
#include <cstdint>
#include <string>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/spec.hpp"
#include "traincost/perf/constants.hpp"
#include "traincost/perf/plan.hpp"

namespace traincost::perf {

// What the performance model needs from a model, precomputed once per
// (model, sequence length, attention convention).
struct LayerClass {
  double count = 0;  // layers of this class in the main model
  // Token-linear GEMM weights per layer, by how tensor parallelism splits them.
  double qkv_out = 0, qkv_in = 0;  // column-parallel input projections (N, K)
  double o_in = 0;                 // row-parallel output projection K (N = d)
  double mla_down = 0;             // MLA low-rank down-projections (d -> r), replicated
  double mla_latent = 0;           // MLA compressed activations per token: r_q + r_kv + d_rope
  double ffn_width = 0;            // dense FFN width (0 if none)
  bool ffn_gated = true;
  double shared_width = 0;         // shared-expert total width (always active)
  double experts = 0, top_k = 0, expert_width = 0;
  bool expert_gated = true;
  double router = 0;               // d x E
  double routing_group_limit = 0;  // node/device-limited routing (DeepSeek topk_group), 0 = none
  double attn_core_fwd_flops = 0;  // per token
  double heads = 0;
  double q_width = 0, kv_width = 0;
  // Hybrid layer patterns (Nemotron-H, Qwen3-Next): the share of this class's layers
  // that hold softmax attention, a dense FFN, or an SSM / linear-attention mixer
  // (1, 1, 0 for a uniform transformer). Shapes above are those of the first layer
  // that has the part; costs of a part are scaled by its share.
  double attn_share = 1, ffn_share = 1, ssm_share = 0;
  double attn_layers = 0, ffn_layers = 0, ssm_layers = 0;  // counts behind the shares
  double sublayers = 0;     // count behind tp_sublayers
  double tp_sublayers = 1;  // mean sub-blocks (mixer, FFN/MoE) per layer / 2: the TP collectives' share
  // SSM / linear-attention mixer of one such layer (Mamba-2, Gated DeltaNet):
  double ssm_in_out = 0;          // in_proj outputs (column-parallel, K = d)
  double ssm_inner = 0;           // out_proj inputs (row-parallel, N = d)
  double ssm_heads = 0;           // heads split by tensor parallelism
  double ssm_io_width = 0;        // elements the scan kernel reads and writes per token (x, B, C, dt, y)
  double ssm_act_width = 0;       // elements kept per token for the backward (in_proj out, conv out, y)
  double ssm_scan_fwd_flops = 0;  // per token, averaged over the class's layers
  // DeepSeek-V3.2 lightning indexer: its projections as one GEMM of K = d, and its
  // score FLOPs per token (averaged over the class's layers).
  double indexer_out = 0, indexer_fwd_flops = 0;
  double expert_io = 0;            // routed experts' input/output width: d, or the latent size
  double latent_proj = 0;          // latent MoE: the d -> r width (0 = none)
  double params = 0;               // stored, non-expert
  double expert_params = 0;        // stored routed experts
  double model_flops_per_token = 0;  // 3 x forward
};

struct ModelProfile {
  double hidden = 0, vocab = 0, seq_len = 0;
  LayerClass dense, moe;           // the two layer kinds (either may be empty)
  double mtp_layers = 0;           // DeepSeek MTP modules: a MoE/dense block + projection + head
  double embedding_params = 0, head_params = 0;  // head_params: the V x d GEMM (exists even when tied)
  double stored_head_params = 0;                  // 0 when tied to the embedding
  double model_flops_per_token = 0;  // incl. head and MTP (the MFU numerator per token)
  double moe_block_fwd_flops_per_token = 0;  // forward FLOPs of the MoE blocks (recompute=moe replays them)
  double total_params = 0;           // incl. MTP
  // Stored over active parameters of the main model (MTP apart): 1 for a dense model,
  // 18.1 for DeepSeek-V3 (671B / 37B). The default batch rule scales with it.
  double params_per_active_param = 1;
  bool is_moe = false;
  int num_heads = 0, num_kv_heads = 0, num_layers = 0, num_experts = 0;
  int ssm_heads = 0;  // SSM / linear-attention heads (tensor parallelism splits them), 0 = none
};
ModelProfile profile(const ModelSpec& spec, std::int64_t seq_len, AttentionConvention conv);

struct MemoryBreakdown {
  double weights = 0, gradients = 0, optimizer = 0, activations = 0;
  double total() const { return weights + gradients + optimizer + activations; }
  double capacity = 0;  // usable bytes per GPU
};

struct TimeBreakdown {  // seconds per optimizer step, per GPU (critical path)
  double gemm = 0, attention = 0, elementwise = 0, recompute = 0;
  double moe_permute = 0, moe_host = 0;  // token permutation (HBM) and host-bound time of MoE layers
  double tp_comm = 0, ep_comm = 0, cp_comm = 0, pp_p2p = 0, pp_bubble = 0, dp_comm = 0, optimizer = 0;
  double step = 0;
};

struct Evaluation {
  Plan plan;
  bool feasible = false;
  bool over_memory = false;    // legal, but does not fit (memory.total() > memory.capacity)
  std::string reason;          // why illegal (check_plan); empty when over_memory: see reason_text()
  MemoryBreakdown memory;
  TimeBreakdown time;
  std::int64_t micro_batches = 0;  // per pipeline per step
  double tokens_per_s = 0;         // cluster-wide
  double mfu = 0;                  // model FLOPs vs dense peak of the setup's precision
  double mfu_bf16 = 0;             // same, vs the 16-bit dense peak
  double hfu = 0;                  // incl. recomputation
};

struct Hardware {  // the facts the model reads, in SI units
  double peak = 0;        // dense FLOP/s at the setup's precision
  double peak_bf16 = 0;   // 16-bit dense FLOP/s (attention, head, MFU reporting)
  double gemm_ceiling = 0;       // achievable large-GEMM FLOP/s at the setup's precision
  double gemm_ceiling_bf16 = 0;
  double hbm_bytes_per_s = 0;
  double memory_bytes = 0;
  double shape_efficiency = 0.85;  // calibrated per generation (Constants::shape_efficiency)
  double flash_efficiency = 0.5;   // attention kernel's fraction of the 16-bit peak (Constants::flash_efficiency_for)
};
Hardware hardware_facts(const Accelerator& a, Precision p, const Constants& c);  // throws UsageError

Evaluation evaluate(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                    const Plan& plan, const Constants& c);

// One layer, one micro-batch, forward + backward, on one GPU (seconds).
struct LayerTime {
  double gemm = 0, attention = 0, elementwise = 0, recompute = 0, tp = 0, ep = 0, cp = 0;
  double permute = 0, host = 0;  // MoE token permutation; host-bound time (launches, sync)
  // Seconds the scale-out NIC carries this layer's EP all-to-all (hidden or not): a link
  // other transfers of the same micro-batch (ZeRO-3 gathers) must share. Not in total().
  double ep_nic_busy = 0;
  double total() const { return gemm + attention + elementwise + recompute + tp + ep + cp + permute + host; }
};
struct LayerTimes {
  LayerTime dense, moe;
};
// The per-layer times of a plan. They read only tp, cp, ep, micro_batch, recompute,
// whether the schedule is DualPipe, and the kernel/overlap switches, never pp, dp,
// vpp or ZeRO, so the search computes them once per such group of plans.
LayerTimes layer_times(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                       const Plan& plan, const Constants& c);
// layer_times() in two halves, for fits of the host-bound constants (constants "moe"
// host_*): layer_times_without_host() is everything that does not read them, and
// add_host_time() adds the host-bound time (and its replay under full recomputation)
// of the same plan. Together they equal layer_times() bit for bit.
LayerTimes layer_times_without_host(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                                    const Plan& plan, const Constants& c);
void add_host_time(const ModelProfile& m, const Plan& plan, const Constants& c, LayerTimes& lt);
// evaluate() in two halves, for the search. Memory does not depend on the step
// time, so the search times only the plans that fit (or come closest to fitting).
// evaluate_memory: legality and memory only (reason, micro_batches, memory,
// over_memory as evaluate() sets them; no time, feasible stays false).
Evaluation evaluate_memory(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                           const Plan& plan, const Constants& c);
// add_time: completes evaluate_memory()'s result with the step time (and, if it fits,
// the rates and feasible), given layer_times() of the same plan. The result equals
// evaluate()'s bit for bit.
void add_time(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s, const Constants& c,
              const LayerTimes& layers, Evaluation& e);

// evaluate() with the memory check off: the plan is timed and its rates filled even when
// the modelled footprint exceeds the usable HBM (memory and over_memory still say by
// how much). For layouts known to have run (a published run's own plan), so that the
// step-time model is checked on them whatever the memory model says; never for search.
Evaluation evaluate_beyond_memory(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                                  const Plan& plan, const Constants& c);

// Why a plan is infeasible, in words (formatted on demand: the search evaluates
// thousands of plans that do not fit and never prints most of them).
std::string reason_text(const Evaluation& e);

// Plan legality independent of performance (divisibility, GPU count).
// Returns an empty string when legal, else the broken constraint in words.
std::string check_plan(const ModelProfile& m, const Cluster& cl, const TrainingSetup& s, const Plan& p);
// check_plan(...).empty() without building the message (the search's hot loop).
bool plan_is_legal(const ModelProfile& m, const Cluster& cl, const TrainingSetup& s, const Plan& p);

}  // namespace traincost::perf
