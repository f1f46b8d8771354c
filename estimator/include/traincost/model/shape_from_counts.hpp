#pragma once
// A model from what a product manager knows: "a 400B-total, 20B-active MoE".
// The shape is one of the families of shape_rules.hpp (Llama 3 for a dense
// model, OLMoE for an MoE; constants/budget.json quotes their configs), refitted
// so that the counted parameters match the request:
//
//   dense (total == active): layers and d_model from the Llama 3 rule for the
//     total, then the FFN width refitted (nominally 3.5 x d_model) to the total;
//   MoE: layers and d_model from the OLMoE rule for the active parameters, the
//     expert width refitted (nominally d_model / 2) to the active parameters and
//     the expert count to the total; with --experts given, the expert width fits
//     the total and the layer count the active. Among the layer counts within 10%
//     of that one, the shape kept is the best aligned within 0.5% of both counts:
//     experts a multiple of 16 (expert parallelism divides them), then the width
//     a multiple of 128 (GEMM tiles), then experts by up to 64; the dense FFN
//     width a multiple of up to 256 (Llama 3's multiple_of).
//
// Counts are count_params' total() and active() (embeddings included, MTP none).
#include <cstdint>
#include <optional>
#include <string>

#include "traincost/model/shape_rules.hpp"

namespace traincost {

struct ShapeRequest {
  double total_params = 0;   // stored parameters
  double active_params = 0;  // parameters one token touches
  std::optional<std::int64_t> layers, experts, top_k;
};

struct FittedShape {
  bool dense = true;
  SizedModel model;     // the spec and its counted parameters
  std::string rule;     // which family and what was refitted
  std::string source;   // the published config the family reproduces
  double total_error = 0, active_error = 0;  // counted / requested - 1
};

// Throws UsageError naming the option (--total-params, --active-params, --layers,
// --experts, --top-k) when no shape of the family fits the request.
FittedShape shape_from_counts(const ShapeRequest& req, const DenseShapeRule& dense, const MoeShapeRule& moe);

}  // namespace traincost
