#pragma once
// Constants of the performance model, loaded from constants/performance.json
// (with sources) and overridden by constants/calibrated.json when present.
#include <map>
#include <string>

namespace traincost::perf {

struct Constants {
  // GEMMs
  double mamf_fraction_bf16_default = 0.803;
  double mamf_fraction_fp8_default = 0.736;
  double tile_size = 128;
  double kernel_overhead_s = 4e-6;
  double training_shape_efficiency = 0.85;
  // attention and element-wise work
  double flash_efficiency = 0.5;
  double flash_efficiency_hopper = 0.35;
  double materialized_attention_bytes_per_score = 40;
  double elementwise_bytes_per_hidden = 60;
  double elementwise_bytes_per_ffn = 18;
  // communication
  double link_efficiency = 0.8;
  double tp_overlap = 0.0;
  double dp_overlap = 1.0;
  double ep_overlap_dualpipe = 1.0;
  double ep_dispatch_bytes_fp8 = 1;
  double pp_p2p_overlap = 0.5;
  // mixture-of-experts layer
  double moe_imbalance_default = 1.25;       // busiest rank's tokens / mean, real routing
  double ep_overlap_1f1b = 0.5;              // share of the all-to-all Megatron's 1F1B EP overlap hides
  double comm_sm_fraction = 0.1515;          // SMs an overlapped all-to-all takes from compute
  double moe_host_sync_s = 0.0;              // host-bound time per layer of an MoE model per micro-batch (fwd + bwd)
  double moe_host_per_local_expert_s = 0.0;  // and per expert held on the GPU (per-expert kernels)
  // low-precision GEMM recipes
  double quantize_copies = 2;                // rowwise + columnwise quantised copies of each GEMM input
  double nvfp4_bf16_linear_fraction = 0.15;  // linear layers NVFP4 recipes keep in BF16
  // memory
  double usable_hbm_fraction = 0.9;
  double weight_bytes = 2;
  double grad_bytes = 4;
  double optimizer_bytes = 12;
  double optimizer_bytes_fp8 = 8;
  // optimizer step
  double optimizer_bytes_moved = 30;
  // goodput
  double failures_per_gpu_hour = 1.973e-5;
  double restart_cost_s = 600;
  double checkpoint_bytes_per_s_per_gpu = 1.22e8;
  double checkpoint_bytes_per_param = 14;
  // batch
  double batch_coefficient = 0.292;
  // B = coefficient · F^f · D^d · S^s (F model FLOPs per token, D training tokens,
  // S stored / active parameters); DeepSeek LLM's C^0.3271 is f = d = 0.3271, s = 0.
  double batch_flops_per_token_exponent = 0.3271;
  double batch_tokens_exponent = 0.3271;
  double batch_sparsity_exponent = 0;
  // sizing a cluster when the GPU count is not given (perf/sizing.hpp)
  double sizing_mfu = 0.4;
  double typical_run_days = 60;

  // Achievable fraction of the GEMM ceiling, fitted per hardware generation by
  // `traincost calibrate`; generations without data use training_shape_efficiency.
  std::map<std::string, double> shape_efficiency_by_generation;
  double shape_efficiency(const std::string& generation) const {
    auto it = shape_efficiency_by_generation.find(generation);
    return it == shape_efficiency_by_generation.end() ? training_shape_efficiency : it->second;
  }

  // FlashAttention-2 reaches a lower fraction of peak on Hopper than on Ampere
  // (it does not use the Hopper-only wgmma/TMA instructions); other generations
  // take the Ampere figure.
  double flash_efficiency_for(const std::string& generation) const {
    return generation == "hopper" ? flash_efficiency_hopper : flash_efficiency;
  }

  // Fraction of modelled steady-state throughput that a whole training run
  // sustains beyond failure goodput (batch ramps, evaluations, long-context
  // phases, stragglers, data-pipeline stalls). Fitted on whole-run GPU-hours.
  double run_efficiency = 1.0;

  std::string calibration_note;  // what calibrated.json overrode, if anything
};

// Loaded once from the data directory; cached.
const Constants& constants();
Constants load_constants(const std::string& performance_json, const std::string& calibrated_json);

}  // namespace traincost::perf
