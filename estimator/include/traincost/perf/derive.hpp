#pragma once
// The bridge from the performance model to the cost model: the throughput of
// the best plan (or a pinned one) for an estimate's setup.
#include <optional>
#include <string>

#include "traincost/cost/estimate.hpp"

namespace traincost::perf {

// For `estimate` without --mfu. `plan_text` pins a plan ("" = search).
// `global_batch_tokens` defaults to DeepSeek LLM's B_opt rule. Returns nullopt
// (and sets *why) when the profile lacks a fact the model needs, so callers can
// fall back to the documented default utilisation. Throws UsageError/InputError
// for an illegal or non-fitting plan, naming the smallest cluster that fits.
std::optional<DerivedThroughput> derive_throughput(const ModelSpec& model, const Accelerator& hw,
                                                   const EstimateInputs& in, const std::string& plan_text,
                                                   std::optional<std::int64_t> global_batch_tokens,
                                                   std::string* why = nullptr);

}  // namespace traincost::perf
