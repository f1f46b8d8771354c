#pragma once
// Internal to the performance model (estimator/src/perf): what one layer of one
// micro-batch costs on one GPU, shared by evaluate.cpp (memory, step, rates),
// layer_cost.cpp (dense layers and the common parts) and moe_layer.cpp (the MoE steps).
#include "traincost/perf/evaluate.hpp"

namespace traincost::perf::detail {

struct Ctx {
  const ModelProfile& m;
  const Hardware& hw;
  const Cluster& cl;
  const TrainingSetup& s;
  const Plan& p;
  const Constants& c;
  double tokens_mb;  // tokens of one micro-batch on one GPU's sequence shard (GEMM M with SP gather)
  bool fp8;          // a low-precision recipe (FP8 or FP4 linear layers)
};
Ctx context(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s, const Plan& p,
            const Constants& c);

// Forward + backward of one GEMM (M tokens, N outputs, K inputs) at `ceiling`; `groups`
// equal GEMMs run as one grouped kernel.
double gemm3(const Ctx& x, double M, double N, double K, double ceiling, double bytes_per_elem, double groups = 1);
// A linear layer in the setup's precision (GEMMs into t.gemm, quantisation into t.elementwise).
void linear(const Ctx& x, LayerTime& t, double M, double N, double K, double groups = 1);
// A (gated) FFN of `width` split `split` ways, reading and writing `io` wide rows (0 = d).
void ffn(const Ctx& x, LayerTime& t, double M, double width, bool gated, double split, double groups = 1, double io = 0);

// Per-GPU bandwidth of a data-parallel collective over `members` ranks `stride` GPUs apart.
double data_parallel_bandwidth(const Ctx& x, double members, double stride);
// The link a group of `ranks_spanned` consecutive GPUs talks over.
double bandwidth_for_group(const Ctx& x, double ranks_spanned);

LayerTime layer_time(const Ctx& x, const LayerClass& L);

// The MoE steps (moe_layer.cpp).
double routing_imbalance(const Ctx& x);  // busiest expert-parallel rank's tokens / the mean, >= 1
// Router GEMM into t; the routed experts' GEMMs, element-wise and permutation into
// `experts`, at the mean load (the caller scales them by the imbalance).
void add_routed_experts(const Ctx& x, const LayerClass& L, LayerTime& t, LayerTime& experts);
// The EP all-to-all left exposed beside `compute` seconds of this layer's work.
// nic_busy_s (optional) receives the seconds the scale-out NIC carries the off-node copies.
double exposed_all_to_all_s(const Ctx& x, const LayerClass& L, double imbalance, double compute,
                            double* nic_busy_s = nullptr);
// The host-bound time of a layer of an MoE model (nothing in a dense model), which no
// kernel roofline gives (fitted, constants "moe": per layer, and per local expert in the
// MoE layers), and with full recomputation the forward's share of it again. It adds to
// the layer's time last and is not hidden by any overlap.
void add_moe_host_time(const ModelProfile& m, const LayerClass& L, const Plan& p, const Constants& c, LayerTime& t);
// Full recomputation replays the layer's forward: an MoE layer's dispatch and combine
// come again (into t.recompute). Call after t.ep is set.
void add_moe_forward_replay(const Ctx& x, LayerTime& t);

}  // namespace traincost::perf::detail
