// The step-time and memory model of one plan. Formulas: research formulas
// §3 (memory), §4 (bubbles, TP/DP/EP communication); constants and their
// sources in constants/performance.json.
#include "traincost/perf/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "layer_cost.hpp"
#include "traincost/perf/gemm.hpp"
#include "traincost/util/error.hpp"

namespace traincost::perf {

Hardware hardware_facts(const Accelerator& a, Precision p, const Constants& c) {
  Hardware h;
  h.peak = a.peak_flops_per_s(p);
  auto sixteen = [&]() -> std::optional<Precision> {
    for (Precision q : {Precision::bf16, Precision::fp16})
      if (a.peak_dense_flops_per_s.count(q)) return q;
    return std::nullopt;
  }();
  const Precision p16 = sixteen.value_or(p);
  h.peak_bf16 = a.peak_flops_per_s(p16);
  auto ceiling = [&](Precision q) {
    if (auto it = a.measured_matmul_flops_per_s.find(q); it != a.measured_matmul_flops_per_s.end()) return it->second;
    const bool low = q == Precision::fp8 || q == Precision::fp4;
    return a.peak_flops_per_s(q) * (low ? c.mamf_fraction_fp8_default : c.mamf_fraction_bf16_default);
  };
  h.gemm_ceiling = ceiling(p);
  h.gemm_ceiling_bf16 = ceiling(p16);
  if (!a.hbm_bandwidth_bytes_per_s)
    throw UsageError(fmt::format("{}: the profile has no HBM bandwidth; the performance model needs it (pass --mfu)", a.id));
  if (!a.memory_bytes)
    throw UsageError(fmt::format("{}: the profile has no memory size; the performance model needs it (pass --mfu)", a.id));
  h.hbm_bytes_per_s = *a.hbm_bandwidth_bytes_per_s;
  h.memory_bytes = *a.memory_bytes;
  h.shape_efficiency = c.shape_efficiency(a.generation);
  h.flash_efficiency = c.flash_efficiency_for(a.generation);
  return h;
}

std::string reason_text(const Evaluation& e) {
  if (!e.over_memory) return e.reason;
  return fmt::format("needs {:.1f} GB per GPU, {:.1f} GB over the {:.1f} GB usable", e.memory.total() / 1e9,
                     (e.memory.total() - e.memory.capacity) / 1e9, e.memory.capacity / 1e9);
}

namespace {
// The legality rules, written once. On the first broken rule, calls fail(text), where
// text() builds the message: the search only asks whether a plan is legal, and
// formatting a message for each of its thousands of illegal candidates would cost
// more than evaluating the legal ones.
template <class Fail>
bool legal(const ModelProfile& m, const Cluster& cl, const TrainingSetup& s, const Plan& p, Fail&& fail) {
  if (p.gpus() != cl.gpus)
    return fail([&] { return fmt::format("tp x pp x dp x cp = {} x {} x {} x {} = {} must equal the GPU count {}", p.tp, p.pp, p.dp, p.cp,
                       p.gpus(), cl.gpus); });
  if (m.num_heads % p.tp != 0) return fail([&] { return fmt::format("tp={} must divide the {} attention heads", p.tp, m.num_heads); });
  if (m.num_kv_heads > 0 && m.num_kv_heads % p.tp != 0 && p.tp % m.num_kv_heads != 0)
    return fail([&] { return fmt::format("tp={} and the {} KV heads must divide one another", p.tp, m.num_kv_heads); });
  if (m.ssm_heads > 0 && m.ssm_heads % p.tp != 0)
    return fail([&] { return fmt::format("tp={} must divide the {} SSM / linear-attention heads", p.tp, m.ssm_heads); });
  if (m.ssm_heads > 0 && p.cp > 1)
    return fail([] { return std::string("cp > 1 is not modelled for SSM / linear-attention layers (their state passes between ranks)"); });
  if (p.pp > m.num_layers) return fail([&] { return fmt::format("pp={} exceeds the {} layers", p.pp, m.num_layers); });
  // Megatron counts the embedding and the loss as one layer each when it splits the
  // model into virtual stages (--account-for-embedding/loss-in-pipeline-split).
  if (p.vpp > 1 && p.pp * p.vpp > m.num_layers + 2)
    return fail([&] { return fmt::format("pp x vpp = {} exceeds the {} layers + 2 (embedding, loss)", p.pp * p.vpp, m.num_layers); });
  if (!m.is_moe && p.ep != 1) return fail([] { return std::string("ep must be 1 for a dense model"); });
  if (!m.is_moe && p.recompute == Recompute::moe)
    return fail([] { return std::string("recompute=moe recomputes MoE blocks; a dense model has none (use selective or full)"); });
  if (m.is_moe && m.num_experts % p.ep != 0)
    return fail([&] { return fmt::format("ep={} must divide the {} routed experts", p.ep, m.num_experts); });
  // Experts are laid out over the tp x cp x dp GPUs of a pipeline stage (Megatron-Core's
  // MoE parallel folding, arXiv:2504.14960).
  if ((static_cast<std::int64_t>(p.tp) * p.cp * p.dp) % p.ep != 0)
    return fail([&] { return fmt::format("ep={} must divide tp x cp x dp = {} (experts are spread over those GPUs)", p.ep, p.tp * p.cp * p.dp); });
  if (s.seq_len % (2 * p.cp) != 0 && p.cp > 1)
    return fail([&] { return fmt::format("cp={} needs the sequence length {} to split into 2 x cp chunks", p.cp, s.seq_len); });
  if (p.zero < 0 || p.zero > 3) return fail([] { return std::string("zero must be 0..3"); });
  const std::int64_t seqs = s.global_batch_tokens / s.seq_len;
  const std::int64_t per_step = static_cast<std::int64_t>(p.dp) * p.micro_batch;
  if (seqs < per_step || seqs % per_step != 0)
    return fail([&] { return fmt::format("the global batch of {} sequences must be a multiple of dp x micro-batch = {}", seqs, per_step); });
  const std::int64_t m_micro = seqs / per_step;
  if (p.schedule == Schedule::interleaved) {
    if (p.vpp < 2 || p.pp < 2) return fail([] { return std::string("the interleaved schedule needs pp >= 2 and vpp >= 2"); });
    if (m_micro % p.pp != 0) return fail([&] { return fmt::format("interleaving needs micro-batches ({}) to be a multiple of pp ({})", m_micro, p.pp); });
  }
  if (p.schedule == Schedule::dualpipe) {
    if (p.pp < 2 || p.pp % 2 != 0) return fail([] { return std::string("DualPipe needs an even pp >= 2"); });
    if (m_micro % 2 != 0) return fail([] { return std::string("DualPipe needs an even number of micro-batches"); });
    // The reference implementation needs at least two micro-batches per rank and direction
    // to fill its bidirectional pipeline (deepseek-ai/DualPipe, dualpipe.py:
    // num_chunks >= num_ranks * 2).
    if (m_micro < 2 * static_cast<std::int64_t>(p.pp))
      return fail([&] { return fmt::format("DualPipe needs at least 2 x pp = {} micro-batches, not {}", 2 * p.pp, m_micro); });
  }
  if (p.schedule != Schedule::interleaved && p.vpp != 1) return fail([] { return std::string("vpp > 1 needs the interleaved schedule"); });
  return true;
}

}  // namespace

std::string check_plan(const ModelProfile& m, const Cluster& cl, const TrainingSetup& s, const Plan& p) {
  std::string why;
  legal(m, cl, s, p, [&](auto text) {
    why = text();
    return false;
  });
  return why;
}

bool plan_is_legal(const ModelProfile& m, const Cluster& cl, const TrainingSetup& s, const Plan& p) {
  return legal(m, cl, s, p, [](auto) { return false; });
}

namespace {

using namespace detail;  // Ctx, context, gemm3, the bandwidths and layer_time (layer_cost.hpp)

// Activation bytes kept per token per layer on one GPU (16-bit tensors;
// FlashAttention keeps no s^2 scores: Korthikanti et al. 2022 §4 adapted).
double activation_bytes_per_token(const Ctx& x, const LayerClass& L) {
  if (L.count == 0) return 0;
  const double d = x.m.hidden, tp = x.p.tp;
  if (x.p.recompute == Recompute::full) return 2.0 * d / tp;  // the layer input only
  // Hybrid patterns: attention and FFN terms count for the share of layers that have them.
  const double sa = L.attn_share, sf = L.ffn_share;
  double b = 2.0 * 2.0 * d / tp + sa * (2.0 * (L.q_width + 2.0 * L.kv_width + L.q_width) / tp) + sa * (4.0 * L.heads / tp);
  const bool selective = x.p.recompute == Recompute::selective || x.p.recompute == Recompute::moe;
  if (L.mla_latent > 0 && selective)
    // Only the compressed latents and the attention output are kept; Q, K, V are rebuilt.
    b = 2.0 * 2.0 * d / tp + sa * (2.0 * L.mla_latent) + sa * (2.0 * L.kv_width / tp) + sa * (4.0 * L.heads / tp);
  // Materialised attention keeps softmax output, dropout mask and dropout output:
  // 5·a·s bytes per token (Korthikanti et al. 2022 eq. 1), unless selective recompute drops them.
  if (x.p.attention_kernel == AttentionKernel::materialized && !selective)
    b += sa * (5.0 * L.heads * x.m.seq_len / x.p.cp / tp);
  // SSM / linear-attention mixers keep their in_proj output, conv output and scan
  // output (16-bit) for the backward; the recurrent state is recomputed per chunk.
  if (L.ssm_share > 0) b += L.ssm_share * 2.0 * L.ssm_act_width / tp;
  auto mlp = [&](double width, bool gated) { return width > 0 ? 2.0 * 2.0 * d / tp + 2.0 * (gated ? 3.0 : 2.0) * width / tp : 0.0; };
  // recompute=moe keeps only each MoE block's input (counted with the block inputs below):
  // its router, dispatched copies, routed and shared experts' activations are rebuilt.
  const bool moe_replayed = x.p.recompute == Recompute::moe && L.experts > 0;
  const double shared_width = moe_replayed ? 0.0 : L.shared_width;
  if (x.fp8 && selective) {
    // DeepSeek-V3's FP8 recipe (report §3.2.3, §3.3.2-3.3.3): RMSNorm outputs are recomputed
    // (only each block's 16-bit input is kept), Linear inputs are cached in FP8 (1 B), the
    // attention output feeding the output projection in E5M6 (12 bits), and SwiGLU keeps only
    // its FP8 inputs (the output is recomputed).
    const double attn = L.mla_latent > 0 ? 2.0 * L.mla_latent + 1.5 * L.kv_width / tp
                                         : 2.0 * (L.q_width + 2.0 * L.kv_width) / tp + 1.5 * L.q_width / tp;
    b = 2.0 * d / tp + 1.0 * d / tp + sa * attn + sa * (4.0 * L.heads / tp);
    if (L.ssm_share > 0) b += L.ssm_share * 1.0 * L.ssm_act_width / tp;  // FP8-cached like the Linear inputs
    auto mlp8 = [&](double width, bool gated) { return width > 0 ? 1.0 * d / tp + (gated ? 2.0 : 1.0) * width / tp : 0.0; };
    b += 2.0 * d / tp + sf * mlp8(L.ffn_width, L.ffn_gated) + mlp8(shared_width, L.expert_gated);
  } else {
    b += sf * mlp(L.ffn_width, L.ffn_gated) + mlp(shared_width, L.expert_gated);
  }
  if (L.experts > 0 && !moe_replayed) {
    // Routed copies: expert input and intermediate activations; DeepSeek's FP8 recipe caches
    // FP8 inputs and recomputes the SwiGLU output (V3 report §3.3.3).
    const double in = x.fp8 ? 1.0 : 2.0;
    const double mid = L.expert_gated ? (x.fp8 ? 2.0 : 6.0) : 4.0;
    b += L.top_k * (in * d + mid * L.expert_width) / tp + 4.0 * L.experts / tp;
  }
  return b;
}


// What both the memory and the time model read of a plan's layout.
struct Layout {
  double micro = 0;             // micro-batches per pipeline per step
  double layers_per_stage = 0;  // ceil(L / pp)
  double ne_params = 0, ex_params = 0;  // non-expert / routed-expert parameters, main model + MTP
  double dp_dense = 0, dp_expert = 0;   // ranks a dense / routed-expert parameter is replicated over
  double shard_ne = 1, shard_ex = 1;    // optimizer-state sharding (ZeRO >= 1)
};

Layout layout(const ModelProfile& m, const TrainingSetup& s, const Plan& p) {
  Layout k;
  const double seqs = static_cast<double>(s.global_batch_tokens / s.seq_len);
  k.micro = seqs / (static_cast<double>(p.dp) * p.micro_batch);
  k.layers_per_stage = std::ceil(static_cast<double>(m.num_layers) / static_cast<double>(p.pp));
  k.ne_params = m.dense.count * m.dense.params + m.moe.count * m.moe.params +
                m.mtp_layers * (m.moe.count > 0 ? m.moe.params : m.dense.params);
  k.ex_params = (m.moe.count + (m.moe.count > 0 ? m.mtp_layers : 0)) * m.moe.expert_params;
  k.dp_dense = static_cast<double>(p.dp) * p.cp;
  k.dp_expert = static_cast<double>(p.dp) * p.tp / p.ep * p.cp;
  k.shard_ne = p.zero >= 1 ? k.dp_dense : 1.0;
  k.shard_ex = p.zero >= 1 ? k.dp_expert : 1.0;
  return k;
}

// ---- memory on the busiest stage: sets e.memory and e.over_memory
void fill_memory(const Ctx& x, const Layout& lay, Evaluation& e) {
  const ModelProfile& m = x.m;
  const Plan& p = x.p;
  const Constants& c = x.c;
  const double tp = p.tp, pp = p.pp, L = m.num_layers;
  const double micro = lay.micro, layers_per_stage = lay.layers_per_stage;
  const double ne_params = lay.ne_params, ex_params = lay.ex_params;
  const double dp_dense = lay.dp_dense, dp_expert = lay.dp_expert, shard_ne = lay.shard_ne, shard_ex = lay.shard_ex;
  const double stage_ne = layers_per_stage * ne_params / (L + m.mtp_layers) / tp +
                          (p.pp == 1 ? m.embedding_params + m.stored_head_params
                                     : std::max(m.embedding_params, m.head_params)) / tp;
  const double stage_ex = layers_per_stage * ex_params / (L + m.mtp_layers) / p.ep;
  const double copies = p.schedule == Schedule::dualpipe ? 2.0 : 1.0;  // DualPipe keeps two parameter copies
  const double opt_bytes = x.fp8 ? c.optimizer_bytes_fp8 : c.optimizer_bytes;
  const double w_shard_ne = p.zero >= 3 ? dp_dense : 1.0, w_shard_ex = p.zero >= 3 ? dp_expert : 1.0;
  const double g_shard_ne = p.zero >= 2 ? dp_dense : 1.0, g_shard_ex = p.zero >= 2 ? dp_expert : 1.0;
  e.memory.weights = copies * c.weight_bytes * (stage_ne / w_shard_ne + stage_ex / w_shard_ex);
  e.memory.gradients = copies * c.grad_bytes * (stage_ne / g_shard_ne + stage_ex / g_shard_ex);
  e.memory.optimizer = opt_bytes * (stage_ne / shard_ne + stage_ex / shard_ex);
  const double per_token_layer =
      (m.dense.count * activation_bytes_per_token(x, m.dense) + m.moe.count * activation_bytes_per_token(x, m.moe)) / L;
  double inflight = 1;
  if (p.pp > 1) {
    switch (p.schedule) {
      case Schedule::one_f_one_b: inflight = pp; break;
      case Schedule::interleaved: inflight = pp * (1.0 + (pp - 1.0) / (pp * p.vpp)); break;
      case Schedule::dualpipe: inflight = pp + 1.0; break;
    }
    inflight = std::min(inflight, micro + (p.schedule == Schedule::dualpipe ? 1.0 : 0.0));
  }
  double acts = x.tokens_mb * layers_per_stage * per_token_layer * inflight;
  if (p.recompute == Recompute::full) {
    // Plus one layer's full working set while it is recomputed.
    Plan q = p;
    q.recompute = Recompute::none;
    Ctx y = x;
    Ctx z{y.m, y.hw, y.cl, y.s, q, y.c, y.tokens_mb, y.fp8};
    acts += x.tokens_mb * std::max(activation_bytes_per_token(z, m.dense), activation_bytes_per_token(z, m.moe));
  }
  if (p.recompute == Recompute::moe) {
    // Plus one MoE block's activations while it is recomputed: what selective keeps beyond it.
    Plan q = p;
    q.recompute = Recompute::selective;
    Ctx z{x.m, x.hw, x.cl, x.s, q, x.c, x.tokens_mb, x.fp8};
    acts += x.tokens_mb * (activation_bytes_per_token(z, m.moe) - activation_bytes_per_token(x, m.moe));
  }
  // The last stage also holds FP32 logits for the loss.
  const double logits = x.tokens_mb * m.vocab / tp * 4.0 * (1.0 + m.mtp_layers);
  e.memory.activations = std::max(acts, acts / inflight + logits);
  e.memory.capacity = x.hw.memory_bytes * c.usable_hbm_fraction;
  e.over_memory = e.memory.total() > e.memory.capacity;
}

// ---- step time and its breakdown: sets e.time
void fill_time(const Ctx& x, const Layout& lay, const LayerTimes& lt, Evaluation& e) {
  const ModelProfile& m = x.m;
  const Plan& p = x.p;
  const Constants& c = x.c;
  const Hardware& hw = x.hw;
  const double tp = p.tp, pp = p.pp, L = m.num_layers;
  const double micro = lay.micro, layers_per_stage = lay.layers_per_stage;

  // ---- time of one micro-batch through one pipeline stage
  const LayerTime &td = lt.dense, &tm = lt.moe;
  const LayerTime& t_mtp = m.moe.count > 0 ? tm : td;
  const double head = gemm3(x, x.tokens_mb, m.vocab / tp, m.hidden, hw.gemm_ceiling_bf16, 2.0) * (1.0 + m.mtp_layers);
  const double body = m.dense.count * td.total() + m.moe.count * tm.total() + m.mtp_layers * t_mtp.total();
  // A pipeline runs at the pace of its slowest stage (Narayanan et al. 2021 §2.2: the
  // bubble and steady state are in units of one stage's time). Stages hold whole
  // layers, and the last also runs the output head (and MTP modules): the best
  // partition moves layers off it (Llama 3 §3.3.2 removes one Transformer layer
  // from the first and last stages) but cannot split a layer, so the busiest stage
  // is min over k of max(ceil((L-k)/(pp-1)) layers, k layers + head).
  const double t_layer = (body - m.mtp_layers * t_mtp.total()) / L;
  const double last_extra = head + m.mtp_layers * t_mtp.total();
  double busy_layers = L;   // layers on the busiest stage
  bool busy_has_head = true;  // whether that stage is the one with the head
  if (p.pp > 1) {
    // Fewer layers beside the head lower its stage and raise the others: walk k down from
    // an even share and stop once the other stages are the busier ones (hot path: no full scan).
    double best = std::numeric_limits<double>::infinity();
    for (double k = layers_per_stage; k >= 0; --k) {
      const double others = std::ceil((L - k) / (pp - 1.0));
      const double with_head = k * t_layer + last_extra;
      if (std::max(others * t_layer, with_head) < best) {
        best = std::max(others * t_layer, with_head);
        busy_has_head = with_head >= others * t_layer;
        busy_layers = busy_has_head ? k : others;
      }
      if (others * t_layer >= with_head) break;
    }
  }
  const double t_stage = busy_layers * t_layer + (busy_has_head ? last_extra : 0.0);
  // Where the busiest stage's time goes, per step.
  auto part = [&](double LayerTime::*f) {
    const double per_layer = (m.dense.count * td.*f + m.moe.count * tm.*f) / L;
    return (busy_layers * per_layer + (busy_has_head ? m.mtp_layers * t_mtp.*f : 0.0)) * micro;
  };
  e.time.gemm = part(&LayerTime::gemm) + (busy_has_head ? head : 0.0) * micro;
  e.time.attention = part(&LayerTime::attention);
  e.time.elementwise = part(&LayerTime::elementwise);
  e.time.recompute = part(&LayerTime::recompute);
  e.time.moe_permute = part(&LayerTime::permute);
  e.time.moe_host = part(&LayerTime::host);
  e.time.tp_comm = part(&LayerTime::tp);
  e.time.ep_comm = part(&LayerTime::ep);
  e.time.cp_comm = part(&LayerTime::cp);

  // ---- pipeline: point-to-point and bubble
  double p2p = 0;
  if (p.pp > 1 && p.schedule != Schedule::dualpipe) {
    const double bytes = 2.0 * x.tokens_mb * m.hidden * 2.0 / tp;  // activations forward, gradients backward
    const double bw = bandwidth_for_group(x, static_cast<double>(p.tp) * p.cp * p.dp * 2) * c.link_efficiency;
    p2p = (1.0 - c.pp_p2p_overlap) * bytes / bw * (p.schedule == Schedule::interleaved ? p.vpp : 1);
  }
  double pipe = micro * (t_stage + p2p);
  double bubble = 0;
  if (p.pp > 1) {
    switch (p.schedule) {
      case Schedule::one_f_one_b: bubble = (pp - 1.0) * (t_stage + p2p); break;
      case Schedule::interleaved: bubble = (pp - 1.0) / p.vpp * (t_stage + p2p); break;
      // (PP/2 - 1)(F&B + B - 3W) with F = 1/3, B = 2/3 (W = 1/3) of a chunk's time.
      case Schedule::dualpipe: bubble = (pp / 2.0 - 1.0) * (2.0 / 3.0) * t_stage; break;
    }
  }
  e.time.pp_p2p = micro * p2p;
  e.time.pp_bubble = bubble;
  pipe += bubble;

  // ---- data parallelism: gradient reduce-scatter / all-reduce, parameter all-gather
  const double ne_params = lay.ne_params, ex_params = lay.ex_params;
  const double dp_dense = lay.dp_dense, dp_expert = lay.dp_expert, shard_ne = lay.shard_ne, shard_ex = lay.shard_ex;
  // One stage holds both embedding and head when pp = 1; with pipelining a tied head
  // still needs its own copy on the last stage (Megatron keeps one there).
  const double head_stored = p.pp == 1 ? m.stored_head_params : m.head_params;
  const double local_ne = (ne_params + m.embedding_params + head_stored) / (tp * pp);
  const double local_ex = ex_params / (p.ep * pp);
  // Dense replicas sit tp x cp GPUs apart (data parallelism is the outer dimension of a
  // stage); expert replicas ep GPUs apart (experts fold over the stage, EP innermost).
  const double stride_ne = tp * p.cp, stride_ex = p.ep;
  auto transfer = [&](double params, double n, double stride, double bytes_per_param) {
    if (n <= 1 || params <= 0 || bytes_per_param <= 0) return 0.0;
    const double bw = data_parallel_bandwidth(x, n, stride) * c.link_efficiency;
    return (n - 1.0) / n * params * bytes_per_param / bw;
  };
  auto both = [&](double bytes_per_param) {
    return transfer(local_ne, dp_dense, stride_ne, bytes_per_param) +
           transfer(local_ex, dp_expert, stride_ex, bytes_per_param);
  };
  // Gradients: all-reduce without sharding, reduce-scatter with it, during the last
  // micro-batch's backward (Megatron-LM --overlap-grad-reduce; DDP/FSDP bucketing).
  const double t_grad = both(p.zero == 0 ? 2.0 * c.grad_bytes : c.grad_bytes);
  // ZeRO-1/2 (distributed optimizer): the updated weights are all-gathered once per step.
  // It is counted in the same window as the gradients: hiding it apart, behind the next
  // step's first forward (Megatron-LM --overlap-param-gather), fits NVIDIA's rows worse
  // (fitted MoE median 11.6% -> 12.2%; GPT-OSS 120B on 64 B200, already too fast, +36% -> +74%).
  const double t_param = both(p.zero == 1 || p.zero == 2 ? c.weight_bytes : 0.0);
  // FSDP/ZeRO-3 instead gathers the stage's weights for every micro-batch's forward and
  // again for its backward, prefetched behind that micro-batch's computation.
  const double t_gather = p.zero >= 3 ? both(2.0 * c.weight_bytes) : 0.0;
  // Data-parallel traffic that leaves the scale-up domain shares the NIC with the
  // micro-batch's EP all-to-all: one link cannot carry both at its full rate, so it hides
  // only behind the compute during which the NIC is not already busy with the dispatch
  // and combine.
  const double domain = static_cast<double>(x.cl.scale_up_domain);
  const bool dp_on_nic = (dp_dense > 1 && local_ne > 0 && dp_dense * stride_ne > domain) ||
                         (dp_expert > 1 && local_ex > 0 && dp_expert * stride_ex > domain);
  const double ep_nic = micro > 0 ? part(&LayerTime::ep_nic_busy) / micro : 0.0;  // per micro-batch, busiest stage
  const double window = dp_on_nic ? std::max(0.0, t_stage - ep_nic) : t_stage;
  // One data-parallel group, one set of links: in a micro-batch the gathers go first (the
  // compute waits for them), and a once-per-step transfer hides in what they leave free.
  auto exposed = [&](double once_per_step) {
    const double gathers = std::max(0.0, t_gather - window);
    if (!p.dp_overlap) return gathers + once_per_step;
    return gathers + std::max(0.0, once_per_step - c.dp_overlap * std::max(0.0, window - t_gather));
  };
  e.time.dp_comm = exposed(t_grad + t_param) + std::max(0.0, micro - 1.0) * exposed(0.0);

  // ---- optimizer step: memory-bound over the local shard
  e.time.optimizer = (local_ne / shard_ne + local_ex / shard_ex) * c.optimizer_bytes_moved / hw.hbm_bytes_per_s;

  e.time.step = pipe + e.time.dp_comm + e.time.optimizer;
}

// ---- throughput and utilisation of a plan that fits: sets the rates and feasible
void fill_rates(const Ctx& x, Evaluation& e) {
  const ModelProfile& m = x.m;
  const Plan& p = x.p;
  const Hardware& hw = x.hw;
  const double tokens_step = static_cast<double>(x.s.global_batch_tokens);
  e.tokens_per_s = tokens_step / e.time.step;
  const double model_flops = m.model_flops_per_token * tokens_step;
  const double gpus = static_cast<double>(x.cl.gpus);
  e.mfu = model_flops / (e.time.step * gpus * hw.peak);
  e.mfu_bf16 = model_flops / (e.time.step * gpus * hw.peak_bf16);
  double hw_flops = model_flops;
  if (p.recompute == Recompute::full) hw_flops *= 4.0 / 3.0;
  if (p.recompute == Recompute::selective || p.recompute == Recompute::moe)
    hw_flops += (m.dense.count * m.dense.attn_core_fwd_flops + m.moe.count * m.moe.attn_core_fwd_flops) * tokens_step;
  if (p.recompute == Recompute::moe) hw_flops += m.moe_block_fwd_flops_per_token * tokens_step;
  e.hfu = hw_flops / (e.time.step * gpus * hw.peak);
  e.feasible = true;
}

}  // namespace

LayerTimes layer_times_without_host(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                                    const Plan& p, const Constants& c) {
  const Ctx x = context(m, hw, cl, s, p, c);
  return LayerTimes{layer_time(x, m.dense), layer_time(x, m.moe)};
}

void add_host_time(const ModelProfile& m, const Plan& p, const Constants& c, LayerTimes& lt) {
  add_moe_host_time(m, m.dense, p, c, lt.dense);
  add_moe_host_time(m, m.moe, p, c, lt.moe);
}

LayerTimes layer_times(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                       const Plan& p, const Constants& c) {
  LayerTimes lt = layer_times_without_host(m, hw, cl, s, p, c);
  add_host_time(m, p, c, lt);
  return lt;
}

Evaluation evaluate_memory(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                           const Plan& p, const Constants& c) {
  Evaluation e;
  e.plan = p;
  if (!plan_is_legal(m, cl, s, p)) {
    e.reason = check_plan(m, cl, s, p);
    return e;
  }
  const Layout k = layout(m, s, p);
  e.micro_batches = static_cast<std::int64_t>(k.micro);
  fill_memory(context(m, hw, cl, s, p, c), k, e);
  return e;
}

void add_time(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s, const Constants& c,
              const LayerTimes& layers, Evaluation& e) {
  if (!e.reason.empty()) return;  // illegal: nothing to time
  const Plan& p = e.plan;
  const Ctx x = context(m, hw, cl, s, p, c);
  fill_time(x, layout(m, s, p), layers, e);
  // Profiles are validated on load (every rate positive and finite), so a step that is not
  // a positive finite time is a model bug: never report it as a plan.
  if (!std::isfinite(e.time.step) || e.time.step <= 0) {
    e.reason = fmt::format("the step time is not a positive finite number ({})", e.time.step);
    return;
  }
  if (e.over_memory) return;  // the time stays filled in: callers report how close it came
  fill_rates(x, e);
}

Evaluation evaluate(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                    const Plan& p, const Constants& c) {
  Evaluation e = evaluate_memory(m, hw, cl, s, p, c);
  if (e.reason.empty()) add_time(m, hw, cl, s, c, layer_times(m, hw, cl, s, p, c), e);
  return e;
}

Evaluation evaluate_beyond_memory(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                                  const Plan& p, const Constants& c) {
  Evaluation e = evaluate_memory(m, hw, cl, s, p, c);
  if (!e.reason.empty()) return e;
  const bool over = e.over_memory;
  e.over_memory = false;
  add_time(m, hw, cl, s, c, layer_times(m, hw, cl, s, p, c), e);
  e.over_memory = over;
  return e;
}

}  // namespace traincost::perf
