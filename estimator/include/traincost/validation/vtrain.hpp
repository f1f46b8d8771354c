#pragma once
// The step-time model against vTrain's 1,440 measured single-node iteration
// times (8x A100, Megatron-DeepSpeed; validation/vtrain/). Nothing is fitted to
// them: they check the A100 step-time model, GEMM shapes included, at small scale.
#include <string>
#include <vector>

#include "traincost/perf/constants.hpp"

namespace traincost {

struct VtrainRow {
  int gpus = 0, global_batch = 0, micro_batch = 0, hidden = 0, heads = 0, layers = 0, seq_len = 0, tp = 0, dp = 0, pp = 0;
  double measured_s = 0, predicted_s = 0;
  double error() const { return predicted_s / measured_s - 1.0; }
};

struct VtrainSummary {
  int count = 0;
  double median_abs = 0, mean_abs = 0, max_abs = 0;
  int within_10 = 0, within_25 = 0;
};

std::vector<VtrainRow> validate_vtrain(const perf::Constants& c);
VtrainSummary summarize(const std::vector<VtrainRow>& rows);

}  // namespace traincost
