#pragma once
// Published training runs (validation/published_runs.json). They are
// validation data: shown beside an estimate or compared against it, never fed
// into one.
#include <optional>
#include <string>
#include <vector>

namespace traincost {

struct PublishedFigure {
  double value = 0;
  std::string scope;   // what the figure covers
  std::string source;  // citation with quote
};

struct PublishedRun {
  std::string id, title;
  std::string model_preset, hardware;
  std::optional<std::int64_t> gpus;
  double tokens = 0;
  std::string precision;
  std::optional<std::int64_t> seq_len;
  std::optional<PublishedFigure> gpu_hours;
  std::optional<PublishedFigure> cost_usd;
  std::optional<PublishedFigure> wall_clock_days;
  std::optional<PublishedFigure> training_flops;
  std::optional<PublishedFigure> mfu;
  std::optional<PublishedFigure> co2_tonnes;
  std::vector<std::string> notes;
};

std::vector<PublishedRun> load_published_runs();
PublishedRun find_published_run(const std::string& id);  // UsageError if unknown

}  // namespace traincost
