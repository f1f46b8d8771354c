#pragma once
// Fixtures shared by the performance-model tests (test_perf_memory.cpp,
// test_perf_step_time.cpp, test_perf_plans.cpp, test_perf_moe_layer.cpp): two tiny
// models, every constant, the hardware, the cluster, the batch and the plan, all set
// here so the tests do not depend on constants/performance.json or
// constants/calibrated.json.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "traincost/model/flops.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/evaluate.hpp"
#include "traincost/perf/plan.hpp"

namespace test_support {

namespace perf = traincost::perf;

// d=64, 8 layers, 4 heads of 16, 2 KV heads, SwiGLU F=128, V=100, tied embeddings.
// Per layer: q 64·64 = 4,096; k,v 2·64·32 = 4,096; o 4,096 -> attention 12,288;
// MLP 3·64·128 = 24,576; two norms 128 -> 36,992 parameters.
// Non-expert layer parameters: 8 · 36,992 = 295,936. Embedding V·d = 6,400;
// the profile's head is V·d = 6,400 too (the head GEMM exists even when tied).
inline const nlohmann::json kTiny = R"({
  "model_type": "llama", "hidden_size": 64, "num_hidden_layers": 8, "num_attention_heads": 4,
  "num_key_value_heads": 2, "intermediate_size": 128, "vocab_size": 100, "tie_word_embeddings": true
})"_json;

// d=64, 2 layers, 4 heads (MHA), 4 experts top-2 of width 32, V=100.
inline const nlohmann::json kTinyMoe = R"({
  "model_type": "mixtral", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
  "num_key_value_heads": 4, "intermediate_size": 32, "num_local_experts": 4, "num_experts_per_tok": 2,
  "vocab_size": 100, "tie_word_embeddings": false
})"_json;

inline constexpr std::int64_t kSeq = 32;

inline perf::ModelProfile tiny_profile() {
  return perf::profile(traincost::model_from_hf_config(kTiny, "tiny"), kSeq, traincost::AttentionConvention::causal);
}

// Every constant the model reads, set here.
inline perf::Constants test_constants() {
  perf::Constants c;
  c.mamf_fraction_bf16_default = 0.8;
  c.mamf_fraction_fp8_default = 0.7;
  c.tile_size = 128;
  c.kernel_overhead_s = 4e-6;
  c.training_shape_efficiency = 0.85;
  c.shape_efficiency_by_generation.clear();
  c.flash_efficiency = 0.5;
  c.flash_efficiency_hopper = 0.35;
  c.materialized_attention_bytes_per_score = 30;
  c.elementwise_bytes_per_hidden = 60;
  c.elementwise_bytes_per_ffn = 18;
  c.link_efficiency = 0.8;
  c.tp_overlap = 0.0;
  c.dp_overlap = 1.0;
  c.ep_overlap_dualpipe = 1.0;
  c.ep_overlap_1f1b = 0.0;
  c.ep_dispatch_bytes_fp8 = 1;
  c.pp_p2p_overlap = 0.5;
  c.usable_hbm_fraction = 0.9;
  c.weight_bytes = 2;
  c.grad_bytes = 4;
  c.optimizer_bytes = 12;
  c.optimizer_bytes_fp8 = 8;
  c.optimizer_bytes_moved = 30;
  c.failures_per_gpu_hour = 1.973e-5;
  c.restart_cost_s = 600;
  c.checkpoint_bytes_per_s_per_gpu = 1.22e8;
  c.checkpoint_bytes_per_param = 14;
  c.batch_coefficient = 0.292;
  c.batch_flops_per_token_exponent = 0.3271;
  c.batch_tokens_exponent = 0.3271;
  c.batch_sparsity_exponent = 0;
  c.run_efficiency = 1.0;
  c.moe_imbalance_default = 1.25;
  c.comm_sm_fraction = 0.1515;
  c.moe_host_sync_s = 0.0;
  c.moe_host_per_local_expert_s = 0.0;
  c.quantize_copies = 2;
  c.nvfp4_bf16_linear_fraction = 0.15;
  return c;
}

inline perf::Hardware test_hardware(double memory_bytes = 80e9) {
  perf::Hardware h;
  h.peak = 1e15;
  h.peak_bf16 = 1e15;
  h.gemm_ceiling = 8e14;
  h.gemm_ceiling_bf16 = 8e14;
  h.hbm_bytes_per_s = 3e12;
  h.memory_bytes = memory_bytes;
  h.shape_efficiency = 0.85;
  return h;
}

inline perf::Cluster test_cluster(std::int64_t gpus, std::int64_t domain = 8) {
  perf::Cluster cl;
  cl.gpus = gpus;
  cl.scale_up_domain = domain;
  cl.scale_up_bytes_per_s = 100e9;  // per direction
  cl.scale_out_bytes_per_s = 25e9;
  return cl;
}

inline perf::TrainingSetup setup(std::int64_t sequences) {
  perf::TrainingSetup s;
  s.seq_len = kSeq;
  s.global_batch_tokens = sequences * kSeq;
  return s;
}

inline perf::Plan make_plan(int tp, int pp, int dp, int zero = 1, perf::Schedule sch = perf::Schedule::one_f_one_b,
                            int vpp = 1) {
  perf::Plan p;
  p.tp = tp;
  p.pp = pp;
  p.dp = dp;
  p.zero = zero;
  p.schedule = sch;
  p.vpp = vpp;
  return p;
}

}  // namespace test_support
