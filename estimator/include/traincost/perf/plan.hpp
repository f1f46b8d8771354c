#pragma once
// A parallel plan and the cluster and training setup it runs on: the inputs
// of one performance evaluation (research formulas §3-§5).
#include <cstdint>
#include <optional>
#include <string>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/flops.hpp"

namespace traincost::perf {

enum class Schedule {
  one_f_one_b,  // PipeDream-Flush: bubble (p-1)/m (Narayanan et al. 2021 §2.2)
  interleaved,  // v virtual stages per GPU: bubble (p-1)/(v·m)
  dualpipe,     // DeepSeek-V3: bubble (p/2-1)(F&B+B-3W), 2x parameters, hides EP/PP comm
};
std::string to_string(Schedule s);

// How core attention runs: FlashAttention (Dao et al. 2022, arXiv:2205.14135)
// never writes the s x s scores; before it (Megatron-LM 2021, MT-NLG, BLOOM,
// OPT, GPT-3) the scores were materialised, softmaxed and dropped out in HBM.
enum class AttentionKernel { flash, materialized };
std::string to_string(AttentionKernel k);

struct Plan {
  int tp = 1;  // tensor parallel (Megatron column/row split, with sequence parallelism)
  int pp = 1;  // pipeline stages
  int dp = 1;  // data-parallel replicas
  int cp = 1;  // context parallel (sequence split across GPUs)
  int ep = 1;  // expert parallel (carved out of tp x dp; experts are not tensor-split)
  int vpp = 1; // virtual stages per GPU (interleaved schedule)
  Schedule schedule = Schedule::one_f_one_b;
  int zero = 1;        // ZeRO stage 0..3 (3 = FSDP): what is sharded over data parallelism
  int micro_batch = 1; // sequences per micro-batch
  Recompute recompute = Recompute::none;
  AttentionKernel attention_kernel = AttentionKernel::flash;
  // Communication overlap of the framework (MegaScale NSDI'24 Table 3 measures each):
  bool tp_overlap = false;  // TP collectives hidden behind GEMMs (MegaScale, TransformerEngine userbuffers)
  bool dp_overlap = true;   // gradient reduce-scatter hidden behind backward (Megatron --overlap-grad-reduce, FSDP)

  std::int64_t gpus() const { return static_cast<std::int64_t>(tp) * pp * dp * cp; }
};

std::string to_string(const Plan& p);  // "tp=8,pp=16,dp=128,cp=1,ep=1,vpp=1,schedule=1f1b,zero=1,mb=1,recompute=none" (+ ",attn=materialized")
// Parses the same form; fields left out keep the defaults above. Throws UsageError.
Plan parse_plan(const std::string& text);

struct Cluster {
  std::int64_t gpus = 0;
  std::int64_t scale_up_domain = 8;     // GPUs sharing the fast link (NVLink/ICI domain)
  double scale_up_bytes_per_s = 0;      // per GPU, per direction
  double scale_out_bytes_per_s = 0;     // per GPU, per direction (NIC line rate)
};
Cluster cluster_for(const Accelerator& hw, std::int64_t gpus);  // throws UsageError naming a missing fact

struct TrainingSetup {
  std::int64_t seq_len = 4096;
  std::int64_t global_batch_tokens = 0;  // tokens per optimizer step
  Precision precision = Precision::bf16; // GEMM precision of the transformer's linear layers
  AttentionConvention attention = AttentionConvention::causal;
  // MoE routing balance: tokens on the busiest expert-parallel rank / the mean (>= 1).
  // Unset = Constants::moe_imbalance_default (real routing); 1 = perfectly balanced
  // (NVIDIA's Megatron-Bridge benchmarks force-balance the routing).
  std::optional<double> moe_imbalance;
};

}  // namespace traincost::perf
