// The MoE layer's own steps: router, routed experts as grouped GEMMs, token
// permutation, load imbalance and the expert-parallel all-to-all with the overlap a
// schedule provides. Constants and their sources in constants/performance.json ("moe").
#include <algorithm>
#include <cmath>

#include "layer_cost.hpp"

namespace traincost::perf::detail {

double routing_imbalance(const Ctx& x) { return std::max(1.0, x.s.moe_imbalance.value_or(x.c.moe_imbalance_default)); }

void add_routed_experts(const Ctx& x, const LayerClass& L, LayerTime& t, LayerTime& experts) {
  if (L.experts <= 0) return;
  const double d = x.m.hidden, tp = x.p.tp, M = x.tokens_mb;
  // Router on this GPU's sequence-parallel shard, in BF16 (DeepSeek-V3 §3.3 keeps gating in higher precision).
  t.gemm += gemm3(x, M / tp, L.experts, d, x.hw.gemm_ceiling_bf16, 2.0);
  // Experts are not tensor-split: each GPU holds E/ep experts, each seeing ep·(M/tp)·k/E
  // tokens on average, run as one grouped GEMM per projection.
  const double local = L.experts / x.p.ep;
  const double tokens_per_expert = x.p.ep * (M / tp) * L.top_k / L.experts;
  ffn(x, experts, tokens_per_expert, L.expert_width, L.expert_gated, 1.0, local, L.expert_io);  // io 0 = d
  // Token permutation (HBM passes over the routed copies, counted per token of this rank):
  // forward: gather the k copies into expert order (read + write k·d at the dispatch
  // width), after the all-to-all sort the received chunks by local expert and back
  // again for the combine (read + write each; only with several local experts and
  // ep > 1), unpermute: read the k weighted copies, write the 16-bit sum. Backward
  // moves the same tensors as 16-bit gradients. Router softmax/top-k: the E logits in
  // FP32, written, read and their gradients, about 6 passes.
  const double bd = x.fp8 ? x.c.ep_dispatch_bytes_fp8 : 2.0;
  const double d_io = L.expert_io > 0 ? L.expert_io : d;  // the dispatched rows: d, or a latent MoE's latent width
  const double sort = (x.p.ep > 1 && local > 1) ? 1.0 : 0.0;
  auto pass = [&](double b_disp) {
    return 2.0 * L.top_k * d_io * b_disp + sort * 2.0 * L.top_k * d_io * (b_disp + 2.0) + 2.0 * L.top_k * d_io + 2.0 * d_io;
  };
  const double bytes = (M / tp) * (pass(bd) + pass(2.0) + 6.0 * 4.0 * L.experts);
  experts.permute = bytes / x.hw.hbm_bytes_per_s;
}

double exposed_all_to_all_s(const Ctx& x, const LayerClass& L, double imbalance, double compute, double* nic_busy_s) {
  if (nic_busy_s) *nic_busy_s = 0.0;
  if (L.experts <= 0 || x.p.ep <= 1) return 0.0;
  const double d = L.expert_io > 0 ? L.expert_io : x.m.hidden, tp = x.p.tp, M = x.tokens_mb;  // dispatched rows: d or the latent width
  // Dispatch + combine, forward and backward (research formulas §4.4).
  // The EP group is ep consecutive GPUs of the stage: experts fold over its tp x cp x dp
  // GPUs with expert tensor parallelism 1 (Megatron-Core's MoE parallel folding,
  // arXiv:2504.14960), so it spans ep GPUs whatever the attention's tp.
  const double domain = static_cast<double>(x.cl.scale_up_domain);
  const double nodes = std::max(1.0, std::ceil(x.p.ep / domain));
  const double disp = x.fp8 ? x.c.ep_dispatch_bytes_fp8 : 2.0, comb = 2.0;
  const double per_copy = d * (disp + comb) * 2.0;  // fwd + bwd
  const double tokens = M / tp;
  double off_node_copies = 0;
  if (nodes > 1) {
    const double hit = 1.0 - std::pow(1.0 - 1.0 / nodes, L.top_k);  // P(a given node receives >= 1 expert)
    const double distinct_off = (nodes - 1.0) * hit;
    // Node-limited routing sends one copy per target node (DeepEP forwards within the node over NVLink).
    off_node_copies = L.routing_group_limit > 0 ? std::min(distinct_off, L.routing_group_limit * (nodes - 1.0) / nodes)
                                                : L.top_k * (nodes - 1.0) / nodes;
  }
  const double ep_local = std::min<double>(x.p.ep, domain);
  const double on_node_copies = L.top_k * (ep_local - 1.0) / ep_local;
  // The NIC and NVLink are separate links and the copies over each proceed concurrently
  // (DeepSeek-V3 §3.2.2: tokens forwarded over NVLink as they arrive over IB, "in this
  // way, communications via IB and NVLink are fully overlapped"), so the slower of the
  // two sets the time, not their sum. The busiest rank receives `imbalance` times the mean.
  const double t_nic = imbalance * tokens * per_copy * off_node_copies / (x.cl.scale_out_bytes_per_s * x.c.link_efficiency);
  const double t_ep = std::max(t_nic, imbalance * tokens * per_copy * on_node_copies /
                                          (x.cl.scale_up_bytes_per_s * x.c.link_efficiency));
  if (nic_busy_s) *nic_busy_s = t_nic;
  // What a schedule can hide it behind: another micro-batch's computation. DualPipe pairs
  // a forward and a backward chunk and hides all of it up to that compute (DeepSeek-V3
  // §3.2.1); Megatron's 1F1B EP overlap (--overlap-moe-expert-parallel-comm) pairs
  // micro-batches the same way but hides only a share. (Layer times do not depend on
  // the micro-batch count, so a step of one micro-batch is credited the same share.)
  // Hidden all-to-all still takes SMs from the compute it runs beside (DeepSeek-V3
  // §3.2.2: 20 of the H800's 132 SMs).
  const double share = x.p.schedule == Schedule::dualpipe ? x.c.ep_overlap_dualpipe : x.c.ep_overlap_1f1b;
  const double hidden = share * std::min(t_ep, compute);
  return t_ep - hidden + hidden * x.c.comm_sm_fraction;
}

void add_moe_host_time(const ModelProfile& m, const LayerClass& L, const Plan& p, const Constants& c, LayerTime& t) {
  if (!m.is_moe || L.count == 0) return;
  // Host-bound time per layer and micro-batch of a model with dropless MoE layers. Each
  // MoE layer reads the per-expert token counts back to the host (a device-to-host sync:
  // Megatron-Core's token dispatchers size the grouped GEMMs and all-to-all buffers from
  // them), so the host cannot queue work ahead of the GPU past the next MoE layer: the
  // launches of every layer between two syncs (the MoE layer's own and the attention,
  // Mamba or dense layers before the next one) are on the critical path, not only the
  // MoE layer's. Hence a fixed cost for every layer of such a model: in a model whose
  // layers are all MoE the two readings agree, and in the Mamba-2 / attention / MoE
  // hybrids (Nemotron 3, 52 layers of which 23 MoE; 88 of which 40), held out of the fit,
  // this form takes their median |error| from 31% to 10% (per MoE layer only, they are
  // all 25-55% too fast). Software, not silicon: fitted on NVIDIA's measured rows
  // (`traincost calibrate`), where it also shows in token-dropping rows (mostly
  // launch-bound host time, then), largest in early releases. NVIDIA's rows say it adds
  // to the layers' GPU time (a fit of max(0, host - GPU time), host work hidden behind
  // long layers, leaves a median error of 25% against 14%); pairing micro-batches
  // (DualPipe, EP overlap) does not hide it: the host has both chunks' kernels to launch.
  // On top of the fixed cost, the MoE layers pay one per expert held on this GPU: the
  // grouped expert linears issue one GEMM per local expert and product
  // (TransformerEngine's GroupedLinear) plus its quantisation in low precision, so a plan
  // that keeps many experts per GPU (small ep) pays in launches what it saves in all-to-all.
  t.host = c.moe_host_sync_s + (L.experts > 0 ? L.experts / p.ep * c.moe_host_per_local_expert_s : 0.0);
  // Full recomputation reruns the layer forward (add_moe_forward_replay): its kernels are
  // issued again. The host-bound time is mostly launch-bound (it shows in token-dropping
  // rows too, which need no device-to-host sync: validation/megatron-bridge/README.md),
  // and of the three products each linear launches (forward, data and weight gradient)
  // the forward is one: a third of it, the fixed and the per-expert part alike.
  // recompute=moe reruns only the MoE blocks' forward: the same third in MoE layers.
  if (p.recompute == Recompute::full || (p.recompute == Recompute::moe && L.experts > 0)) t.recompute += t.host / 3.0;
}

void add_moe_forward_replay(const Ctx& x, LayerTime& t) {
  if (x.p.recompute != Recompute::full && x.p.recompute != Recompute::moe) return;
  // Full recomputation (Megatron-Core --recompute-granularity full; Korthikanti et al.
  // 2022 §4) reruns the whole layer forward before its backward, the MoE block included
  // (recompute=moe the MoE block alone):
  // forward and backward move one dispatch and one combine each (exposed_all_to_all_s
  // counts both), the replayed forward one more of each, half again, paired and hidden
  // the same way as the first (t.ep is 0 outside MoE layers). Its host-bound share is
  // added with the host time (add_moe_host_time).
  t.recompute += t.ep / 2.0;
}

}  // namespace traincost::perf::detail
