#pragma once
// Parameter counting from a ModelSpec (research formulas §1; ZeRO/Megatron
// conventions). Counts are exact integers.
#include <cstdint>

#include "traincost/model/spec.hpp"

namespace traincost {

// One component of the model: stored parameters, parameters a single token
// touches, and of those the ones that are GEMM weights (what FLOPs count;
// norms, biases, sinks and embedding lookups are not matmuls).
struct ParamComponent {
  std::int64_t total = 0;
  std::int64_t active = 0;
  std::int64_t active_matmul = 0;

  ParamComponent& operator+=(const ParamComponent& o) {
    total += o.total;
    active += o.active;
    active_matmul += o.active_matmul;
    return *this;
  }
};

struct ParamBreakdown {
  ParamComponent embedding;           // input token embedding (a lookup)
  ParamComponent position_embedding;  // learned absolute positions (a lookup)
  ParamComponent output_head;         // unembedding; 0 stored params when tied, still a GEMM
  ParamComponent attention;          // softmax attention (DSA indexer apart)
  ParamComponent indexer;            // DeepSeek-V3.2 lightning indexer
  ParamComponent ssm;                // Mamba-2 and Gated DeltaNet mixers
  ParamComponent dense_ffn;
  ParamComponent routed_experts;
  ParamComponent shared_experts;
  ParamComponent router;
  ParamComponent norms;
  // DeepSeek-style MTP modules: reported apart and excluded from the headline
  // totals, as DeepSeek-V3 reports 671B without its 14B MTP module.
  ParamComponent mtp;

  // Main model, MTP excluded.
  std::int64_t total() const;
  std::int64_t active() const;                        // incl. input embedding and head
  std::int64_t active_excl_input_embedding() const;   // minus the input embedding (and position table)
  std::int64_t active_nonembedding() const;           // minus embedding, positions and output head
  std::int64_t total_nonembedding() const;
  std::int64_t total_incl_mtp() const { return total() + mtp.total; }
  // GEMM weights a token passes through in the main model (head included,
  // input embedding excluded): the N of 6·N·D.
  std::int64_t active_matmul() const;
};

ParamBreakdown count_params(const ModelSpec& spec);

// Per-layer pieces, exposed for the FLOP and (later) memory models.
ParamComponent attention_params(const AttentionSpec& a, std::int64_t hidden);
ParamComponent mlp_params(const MlpSpec& m, std::int64_t hidden);
ParamComponent indexer_params(const AttentionSpec& a, std::int64_t hidden);
ParamComponent mamba2_params(const Mamba2Spec& m, std::int64_t hidden);
ParamComponent mamba1_params(const Mamba1Spec& m, std::int64_t hidden);
ParamComponent deltanet_params(const DeltaNetSpec& g, std::int64_t hidden);
// The token mixer of a layer (attention + indexer, SSM, or nothing).
ParamComponent mixer_params(const LayerSpec& l, std::int64_t hidden);
// One routed expert as a fully-active copy, at its latent width if any.
ParamComponent expert_params(const MoeSpec& m, std::int64_t hidden);
// Per-layer extras of a latent MoE: d -> r and r -> d projections.
std::int64_t latent_projection_params(const MoeSpec& m, std::int64_t hidden);

}  // namespace traincost
