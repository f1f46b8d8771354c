#pragma once
// Published training runs and throughput benchmarks
// (validation/published_runs.json, schema in validation/README.md). They are
// validation data: shown beside an estimate or compared against it, never
// fed into one. Only facility facts (PUE, grid intensity) may be inputs.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/model/spec.hpp"

namespace traincost {

struct PublishedFigure {
  double value = 0;
  std::string scope;       // what the figure covers
  std::string convention;  // for MFU/TFLOPS: "model", "hardware_incl_recompute", "percent_of_peak"
  std::string attention_convention = "full";  // how the source counts attention FLOPs: "full" (PaLM, Megatron eq. 3) or "causal"
  std::vector<std::string> covers;  // phases: pretraining, context_extension, post_training, ...
  std::string source;      // citation with quote
  bool is_formula = false; // computed by the authors (e.g. hours x TDP x PUE), not measured
  std::string basis;       // how an energy/CO2 figure was obtained
  std::string bound;       // "" (exact), "approx" ("~9.5 days"), "upper" ("less than two months") or "lower"
};

struct PublishedRun {
  std::string id, title, kind, model_class;
  nlohmann::json model;  // preset name (string), inline spec (object) or null
  std::string hardware;  // empty if unknown
  std::optional<std::int64_t> gpus;
  std::optional<double> tokens;
  std::string precision = "bf16";
  std::optional<std::int64_t> seq_len;
  std::optional<std::int64_t> global_batch_tokens;
  nlohmann::json plan;   // published plan fields (object, possibly empty)
  // Published per-device expert capacity with token dropping (DeepSeek-V2: 1.0): the busiest
  // expert-parallel rank processes at most this multiple of the mean, so it caps the
  // routing imbalance. Unset: dropless routing at the default imbalance.
  std::optional<double> moe_capacity_factor;
  // The training framework, where the source names it ("HAI-LLM" for DeepSeek's runs):
  // it decides which pipeline schedules the run could have used.
  std::string framework;
  std::map<std::string, PublishedFigure> figures;
  std::optional<double> facility_pue, facility_grid_kgco2_per_kwh;
  std::vector<std::string> caveats;

  const PublishedFigure* figure(const std::string& key) const {
    auto it = figures.find(key);
    return it == figures.end() ? nullptr : &it->second;
  }
};

std::vector<PublishedRun> load_published_runs();
// The run with this id; a UsageError naming `option` (the command-line option the id came
// from) and the known ids if there is none. The first form reads the runs from disk.
PublishedRun find_published_run(const std::string& id, const std::string& option = "--published");
PublishedRun find_published_run(const std::vector<PublishedRun>& runs, const std::string& id, const std::string& option);
// The run's model as a ModelSpec; throws InputError if the record has none.
ModelSpec model_for_run(const PublishedRun& run);

}  // namespace traincost
