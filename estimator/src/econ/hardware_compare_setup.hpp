#pragma once
// compare-hardware's per-chip performance-model setup, shared by the row assembly
// (hardware_compare_rows.cpp) and the interconnect comparison
// (hardware_compare_interconnect.cpp). Internal to econ/.
#include <cstdint>
#include <optional>

#include "traincost/cost/estimate.hpp"
#include "traincost/econ/hardware_compare.hpp"
#include "traincost/perf/constants.hpp"
#include "traincost/perf/evaluate.hpp"

namespace traincost::econ::detail {

struct PerfRun {
  perf::Evaluation best;
  perf::Cluster cluster;
  Estimate estimate;
};

EstimateInputs hw_compare_base_inputs(const HwCompareInputs& in, Precision p);

// Everything the performance model needs for one chip, built once.
struct PerfSetup {
  const ModelSpec& model;
  const Accelerator& hw;
  const HwCompareInputs& in;
  Precision precision;
  const perf::Constants& c;
  perf::Hardware facts;
  perf::ModelProfile prof;
  perf::TrainingSetup setup;

  PerfSetup(const ModelSpec& m, const Accelerator& a, const HwCompareInputs& i, Precision p);

  // The setup on n GPUs: the default batch (set per cluster size, so that it splits over a
  // cluster whose size is not a power of two).
  perf::TrainingSetup setup_for(std::int64_t n) const;

  // The best plan on n GPUs (links from `links`, by default this chip's), or nullopt when none fits.
  std::optional<PerfRun> run(std::int64_t n, const Accelerator* links = nullptr) const;

  // The smallest power-of-two cluster above `from` on which a plan fits (batch grown to one sequence per rank).
  std::optional<std::int64_t> min_fit(std::int64_t from, std::int64_t max) const;
};

// One chip's row of the table (hardware_compare_rows.cpp).
HwRow compare_one(const ModelSpec& model, const Accelerator& hw, const HwCompareInputs& in, const HwCompareConstants& c);

// Chips with the same compute and memory but different links (hardware_compare_interconnect.cpp).
std::optional<InterconnectEffect> interconnect_effect(const ModelSpec& model, const Accelerator& a, const HwRow& ra,
                                                      const Accelerator& b, const HwRow& rb, const HwCompareInputs& in);

}  // namespace traincost::econ::detail
