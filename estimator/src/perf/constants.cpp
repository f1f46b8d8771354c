#include "traincost/perf/constants.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "traincost/util/data_dir.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost::perf {

namespace {
struct Field {
  const char* group;
  const char* key;
  double Constants::*member;
};

const Field kFields[] = {
    {"gemm", "mamf_fraction_of_peak_bf16_default", &Constants::mamf_fraction_bf16_default},
    {"gemm", "mamf_fraction_of_peak_fp8_default", &Constants::mamf_fraction_fp8_default},
    {"gemm", "tile_size", &Constants::tile_size},
    {"gemm", "kernel_overhead_s", &Constants::kernel_overhead_s},
    {"gemm", "training_shape_efficiency", &Constants::training_shape_efficiency},
    {"attention", "flash_efficiency_fraction_of_peak", &Constants::flash_efficiency},
    {"attention", "flash_efficiency_fraction_of_peak_hopper", &Constants::flash_efficiency_hopper},
    {"attention", "materialized_bytes_per_score", &Constants::materialized_attention_bytes_per_score},
    {"elementwise", "bytes_per_token_per_layer_per_hidden", &Constants::elementwise_bytes_per_hidden},
    {"elementwise", "bytes_per_token_per_layer_per_ffn", &Constants::elementwise_bytes_per_ffn},
    {"communication", "link_efficiency", &Constants::link_efficiency},
    {"communication", "tp_overlap_fraction", &Constants::tp_overlap},
    {"communication", "dp_overlap_fraction", &Constants::dp_overlap},
    {"communication", "ep_overlap_fraction_dualpipe", &Constants::ep_overlap_dualpipe},
    {"communication", "ep_dispatch_bytes_fp8", &Constants::ep_dispatch_bytes_fp8},
    {"communication", "pp_p2p_overlap_fraction", &Constants::pp_p2p_overlap},
    {"moe", "routing_imbalance_default", &Constants::moe_imbalance_default},
    {"moe", "ep_overlap_fraction_1f1b", &Constants::ep_overlap_1f1b},
    {"moe", "comm_sm_fraction", &Constants::comm_sm_fraction},
    {"moe", "host_sync_s_per_layer", &Constants::moe_host_sync_s},
    {"moe", "host_s_per_local_expert_per_layer", &Constants::moe_host_per_local_expert_s},
    {"low_precision", "quantized_copies_per_input", &Constants::quantize_copies},
    {"low_precision", "nvfp4_bf16_linear_fraction", &Constants::nvfp4_bf16_linear_fraction},
    {"memory", "usable_fraction_of_hbm", &Constants::usable_hbm_fraction},
    {"memory", "weight_bytes_per_param", &Constants::weight_bytes},
    {"memory", "grad_bytes_per_param", &Constants::grad_bytes},
    {"memory", "optimizer_bytes_per_param", &Constants::optimizer_bytes},
    {"memory", "optimizer_bytes_per_param_fp8_recipe", &Constants::optimizer_bytes_fp8},
    {"optimizer_step", "bytes_moved_per_param", &Constants::optimizer_bytes_moved},
    {"goodput", "failures_per_gpu_hour", &Constants::failures_per_gpu_hour},
    {"goodput", "restart_cost_s", &Constants::restart_cost_s},
    {"goodput", "checkpoint_write_bytes_per_s_per_gpu", &Constants::checkpoint_bytes_per_s_per_gpu},
    {"goodput", "checkpoint_bytes_per_param", &Constants::checkpoint_bytes_per_param},
    {"batch", "optimal_batch_tokens_coefficient", &Constants::batch_coefficient},
    {"batch", "optimal_batch_tokens_flops_per_token_exponent", &Constants::batch_flops_per_token_exponent},
    {"batch", "optimal_batch_tokens_tokens_exponent", &Constants::batch_tokens_exponent},
    {"batch", "optimal_batch_tokens_sparsity_exponent", &Constants::batch_sparsity_exponent},
    {"sizing", "planning_mfu", &Constants::sizing_mfu},
    {"sizing", "typical_run_days", &Constants::typical_run_days},
};

void apply(Constants& c, const nlohmann::json& doc, const std::string& where, bool require_all) {
  const JsonContext top{doc, where, ""};
  for (const auto& f : kFields) {
    if (!top.has(f.group)) {
      if (require_all) top.fail(f.group, "is required (an object of constants)");
      continue;
    }
    const JsonContext g = top.child(f.group);
    if (!g.has(f.key)) {
      if (require_all) g.fail(f.key, "is required");
      continue;
    }
    c.*f.member = g.child(f.key).get_real("value", 0.0, 1e12);
  }
}
}  // namespace

Constants load_constants(const std::string& performance_json, const std::string& calibrated_json) {
  Constants c;
  apply(c, read_json_object_file(performance_json), performance_json, true);
  if (!calibrated_json.empty() && std::filesystem::exists(calibrated_json)) {
    const auto doc = read_json_object_file(calibrated_json);
    apply(c, doc.value("constants", nlohmann::json::object()), calibrated_json, false);
    const JsonContext top{doc, calibrated_json, ""};
    if (top.has("run_efficiency")) c.run_efficiency = top.get_real("run_efficiency", 0.05, 1.5);
    if (top.has("shape_efficiency_default")) c.training_shape_efficiency = top.get_real("shape_efficiency_default", 0.05, 1.5);
    if (top.has("shape_efficiency_by_generation")) {
      const JsonContext g = top.child("shape_efficiency_by_generation");
      for (const auto& [gen, _] : g.obj.items()) c.shape_efficiency_by_generation[gen] = g.get_real(gen, 0.05, 1.5);
    }
    c.calibration_note = fmt::format("calibrated constants from {} ({})", calibrated_json, doc.value("fitted_on", "?"));
  }
  return c;
}

const Constants& constants() {
  static const Constants c = load_constants((data_dir() / "constants" / "performance.json").string(),
                                            (data_dir() / "constants" / "calibrated.json").string());
  return c;
}

}  // namespace traincost::perf
