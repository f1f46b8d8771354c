#pragma once
// Shape families: a whole model architecture from one number (the layer count),
// by a rule read off a published architecture (constants/budget.json quotes the
// config.json each rule reproduces). `traincost budget` sizes its dense and MoE
// models with them; shape_from_counts.hpp fits one to given parameter counts.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "traincost/model/params.hpp"
#include "traincost/model/spec.hpp"

namespace traincost {

// Llama 3 shape: d_model = d_per_layer x layers (to a multiple), GQA, SwiGLU FFN of ffn_ratio x d_model.
struct DenseShapeRule {
  std::int64_t d_per_layer = 128, d_multiple = 1024, head_dim = 128, max_kv_heads = 8, vocab = 0;
  double ffn_ratio = 3.5;
  bool tie_embeddings = false;
  std::string rule, source;
};

// OLMoE shape: d_model as above, MHA, `experts` routed SwiGLU experts of width expert_ratio x d_model, top-k.
struct MoeShapeRule {
  std::int64_t d_per_layer = 128, d_multiple = 1024, head_dim = 128, experts = 64, top_k = 8, vocab = 0;
  double expert_ratio = 0.5;
  bool tie_embeddings = false;
  std::string rule, source;
};

// d_model of the family for `layers` layers: d_per_layer x layers rounded to the
// nearest multiple of d_multiple (at least one multiple).
std::int64_t family_d_model(std::int64_t d_per_layer, std::int64_t d_multiple, std::int64_t layers);

// A traincost.model.v1 spec of the shape family with `layers` layers (models/README.md).
nlohmann::json dense_spec_json(const DenseShapeRule& r, std::int64_t layers);
nlohmann::json moe_spec_json(const MoeShapeRule& r, std::int64_t layers);

struct SizedModel {
  std::int64_t layers = 0;
  nlohmann::json spec_json;  // traincost.model.v1
  ModelSpec spec;
  ParamBreakdown params;
};
// A spec JSON read and counted; InputError when the spec format refuses it.
SizedModel sized_model(const nlohmann::json& spec_json);
// The family member whose total parameters (dense) or active GEMM parameters
// (MoE) are closest in log to `target`; at least one layer.
SizedModel size_dense(const DenseShapeRule& r, double target_total_params);
SizedModel size_moe(const MoeShapeRule& r, double target_active_matmul_params);

}  // namespace traincost
