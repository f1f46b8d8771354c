#pragma once
// Parsing and range-checking of command-line values. Every failure is a
// UsageError that names the option and the allowed range.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "traincost/cost/estimate.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/flops.hpp"
#include "traincost/model/spec.hpp"

namespace traincost::cli {

enum class Format { table, json };

Format parse_format(const std::string& s);
// A positive real with an optional K/M/B/G/T suffix ("14.8e12", "14.8T"), in [min, max].
double parse_quantity(const std::string& option, const std::string& text, double min, double max);
// A preset name, id or file path as the user typed it: no control characters (NUL
// included), at most 4,096 bytes and 255 per path component (Linux's PATH_MAX and
// NAME_MAX), so that the filesystem never sees what it would reject with an exception.
void check_name(const std::string& option, const std::string& text);

// --moe-imbalance (plan, estimate): the busiest expert-parallel rank's routed tokens over
// the mean, in [1, 8]; nullopt when not given (the model's default for real routing).
inline constexpr const char* kGlobalBatchHelp =
    "Tokens per optimizer step, a multiple of --seq-len (default: the power law in training compute fitted on "
    "published runs' batches, constants/calibrated.json)";
inline constexpr const char* kMoeImbalanceHelp =
    "MoE: busiest expert-parallel rank's tokens / the mean, in [1, 8] (default 1.25, dropless real routing; 1 = balanced, "
    "or token dropping at capacity factor 1 as DeepSeek-V2 trained)";
inline constexpr const char* kMoeImbalanceDenseNote = "note: --moe-imbalance has no effect on a dense model";
std::optional<double> parse_moe_imbalance(const std::string& text);
// A quantity that counts whole things (tokens per step): suffixes allowed, a fraction refused.
std::int64_t parse_whole_quantity(const std::string& option, const std::string& text, double min, double max);
std::int64_t parse_count(const std::string& option, const std::string& text, std::int64_t min, std::int64_t max);
AttentionConvention parse_attention(const std::string& s);
// --tokens must cover one sequence of --seq-len and, when known, one optimizer step of
// `batch_tokens` (--global-batch-tokens, when given): fewer trains nothing.
void check_tokens_cover_step(double tokens, std::int64_t seq_len, std::optional<std::int64_t> batch_tokens = std::nullopt);
// A positive real (suffixes allowed) in (0, max], and at least `least` when that is above 0
// (a value so small it would print as 0 or blow a result up to 1e300 is a typo, not a run);
// one message for every way it can be wrong.
// The shortest deadline --days takes: one hour (estimate's --days has the same floor).
inline constexpr double kMinDays = 1.0 / 24.0;
double parse_positive(const std::string& option, const std::string& text, double max, const std::string& example,
                      double least = 0);
// The accelerator named by --hardware; a usage error names the option.
Accelerator load_hardware_option(const std::string& id_or_path);

// --model (a preset name or a file) or, from the web API, an inline model_config;
// --assume-family names the supported family whose adapter reads an HF config
// whose model_type is unknown (empty: dispatch on model_type).
inline constexpr const char* kAssumeFamilyHelp =
    "Read the HF config with this supported family's adapter (e.g. deepseek_v3, mixtral) when its model_type is "
    "unknown; without it, configs with keys the generic dense reader cannot interpret are refused";
ModelSpec load_model_input(const std::string& model, const std::optional<nlohmann::json>& model_config,
                           const std::string& assume_family = "");

// --tokens, --gpus (optional), --precision, --seq-len and --global-batch-tokens (optional)
// of a training run, with the default PUE and grid intensity: the run that check and compare price.
EstimateInputs parse_run_inputs(const std::string& tokens, const std::string& gpus, const std::string& precision,
                                const std::string& seq_len, const std::string& batch);

// Options shared by commands that evaluate FLOPs.
struct FlopArgs {
  std::string seq_len = "4096";
  std::string attention = "causal";
  std::string recompute = "none";
  bool no_mtp = false;
  FlopOptions resolve() const;
};

}  // namespace traincost::cli
