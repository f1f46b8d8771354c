#pragma once
// The cheapest accelerator for a model and a deadline
// (`traincost budget --model M --tokens T --days D [--hardware a,b,c]`).
//
// Every candidate chip is sized by compare_hardware's --days search
// (hardware_compare.hpp): the smallest power-of-two cluster whose best plan of
// the performance model finishes within the deadline. The chips that meet it
// with a feasible plan and a rental price are ranked by dollars (GPU-hours x
// the profile's price per GPU-hour), then by days. Every other chip is listed
// with the reasons it is not ranked.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/econ/hardware_compare.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/spec.hpp"

namespace traincost::econ {

struct CheapestInputs {
  double tokens = 0;
  std::int64_t seq_len = 4096;
  Precision precision = Precision::bf16;  // requested; a chip without it falls back as in compare-hardware
  double deadline_days = 0;
  std::optional<std::int64_t> max_gpus;   // cap on a cluster (default: the constants' max_cluster_gpus)
};

// Why a chip is not ranked; a chip can have several.
enum class NotRankedWhy {
  no_peak,               // no dense peak at the requested precision, bf16 or fp16
  no_performance_model,  // the profile lacks a fact the performance model needs
  no_plan_fits,          // no power-of-two cluster up to the cap holds the model
  misses_deadline,       // plans fit, but none up to the cap finishes in time
  no_price,              // no rental price in the profile
};
std::string to_string(NotRankedWhy w);  // "no_peak", ...

struct Ranked {
  std::size_t row = 0;           // index into CheapestResult::compared.rows
  double cost_vs_cheapest = 1;   // cost / the cheapest cost
  std::string price_source;      // provider, pricing, date and source key of the profile's rental price
};

struct NotRanked {
  std::size_t row = 0;
  std::vector<std::pair<NotRankedWhy, std::string>> reasons;  // code, sentence
};

struct CheapestResult {
  CheapestInputs in;
  std::int64_t max_gpus = 0;   // the cap used
  HwCompareResult compared;    // one row per candidate, in the order given
  std::vector<Ranked> ranking; // cheapest first
  std::vector<NotRanked> not_ranked;
  std::string answer;          // one line naming the cheapest (or saying none qualifies)
  std::vector<std::string> notes;
};

// Throws UsageError for a deadline <= 0, an empty candidate list or a cap
// outside 1..c.max_cluster_gpus.
CheapestResult cheapest_hardware(const ModelSpec& model, const std::vector<Accelerator>& hardware,
                                 const CheapestInputs& in, const HwCompareConstants& c);

// Rendering: report/cheapest_report.hpp.

}  // namespace traincost::econ
