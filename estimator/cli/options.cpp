#include "options.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "traincost/cost/constants.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/util/error.hpp"

namespace traincost::cli {

Format parse_format(const std::string& s) {
  if (s == "table") return Format::table;
  if (s == "json") return Format::json;
  throw UsageError(fmt::format("--format: '{}' is not one of table, json", s));
}

double parse_quantity(const std::string& option, const std::string& text, double min, double max) {
  // The suffix example only helps for counts (tokens), not for fractions or prices.
  const std::string allowed =
      fmt::format("a number in [{:g}, {:g}]{}", min, max, max >= 1e9 ? ", e.g. 14.8e12 or 14.8T" : "");
  if (text.empty()) throw UsageError(fmt::format("{}: empty; expected {}", option, allowed));
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr == begin)
    throw UsageError(fmt::format("{}: '{}' is not a number; expected {}", option, text, allowed));
  double scale = 1;
  if (ptr != end) {
    const std::string suffix(ptr, end);
    if (suffix == "K" || suffix == "k") scale = 1e3;
    else if (suffix == "M") scale = 1e6;
    else if (suffix == "B" || suffix == "G") scale = 1e9;
    else if (suffix == "T") scale = 1e12;
    else throw UsageError(fmt::format("{}: '{}' has an unknown suffix '{}' (allowed: K, M, B/G, T)", option, text, suffix));
  }
  value *= scale;
  if (value == 0) value = 0.0;  // -0 reads as 0 (it would print as "$-0.00")
  if (!std::isfinite(value) || value < min || value > max)
    throw UsageError(fmt::format("{}: {} is out of range; expected {}", option, text, allowed));
  return value;
}

void check_name(const std::string& option, const std::string& text) {
  for (const unsigned char ch : text)
    if (ch < 0x20 || ch == 0x7f)
      throw UsageError(fmt::format("{}: contains a control character (byte 0x{:02x}); expected a name or a file path", option, ch));
  if (text.size() > 4096)
    throw UsageError(fmt::format("{}: {} bytes long; a name or path has at most 4096", option, text.size()));
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t slash = std::min(text.find('/', start), text.size());
    if (slash - start > 255)
      throw UsageError(fmt::format("{}: a path component of {} bytes; at most 255", option, slash - start));
    start = slash + 1;
  }
}

std::optional<double> parse_moe_imbalance(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return parse_quantity("--moe-imbalance", text, 1.0, 8.0);
}

std::int64_t parse_whole_quantity(const std::string& option, const std::string& text, double min, double max) {
  const double value = parse_quantity(option, text, min, max);
  if (value != std::floor(value))
    throw UsageError(fmt::format("{}: {} is not a whole number (it counts tokens)", option, text));
  return static_cast<std::int64_t>(value);  // in range: max is far below 2^63
}

std::int64_t parse_count(const std::string& option, const std::string& text, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc::result_out_of_range && ptr == end)
    throw UsageError(fmt::format("{}: {} is out of range; expected {}..{}", option, text, min, max));
  if (ec != std::errc() || ptr != end || text.empty())
    throw UsageError(fmt::format("{}: '{}' is not a whole number; expected {}..{}", option, text, min, max));
  if (value < min || value > max)
    throw UsageError(fmt::format("{}: {} is out of range; expected {}..{}", option, value, min, max));
  return value;
}

AttentionConvention parse_attention(const std::string& s) {
  if (s == "causal") return AttentionConvention::causal;
  if (s == "full" || s == "palm") return AttentionConvention::full;
  throw UsageError(fmt::format("--attention: '{}' is not one of causal, full (PaLM's non-causal convention)", s));
}

void check_tokens_cover_step(double tokens, std::int64_t seq_len, std::optional<std::int64_t> batch_tokens) {
  if (tokens < static_cast<double>(seq_len))
    throw UsageError(fmt::format("--tokens: {:g} is less than one sequence of --seq-len {}; expected at least {} tokens",
                                 tokens, seq_len, seq_len));
  if (batch_tokens && tokens < static_cast<double>(*batch_tokens))
    throw UsageError(fmt::format("--tokens: {:g} is less than one optimizer step of --global-batch-tokens {}; expected at "
                                 "least {} tokens (or a smaller batch)",
                                 tokens, *batch_tokens, *batch_tokens));
}

double parse_positive(const std::string& option, const std::string& text, double max, const std::string& example,
                      double least) {
  const std::string allowed = least > 0 ? fmt::format("expected a number >= {:g} and <= {:g}, e.g. {}", least, max, example)
                                        : fmt::format("expected a number > 0 and <= {:g}, e.g. {}", max, example);
  double v = 0;
  try {
    v = parse_quantity(option, text, 0.0, max);
  } catch (const UsageError&) {
    throw UsageError(fmt::format("{}: '{}' is not a number in range; {}", option, text, allowed));
  }
  if (v <= 0 || v < least) throw UsageError(fmt::format("{}: '{}' is out of range; {}", option, text, allowed));
  return v;
}

namespace {
// Rethrows e (same class, so the same exit code) with its message led by `option`, the
// command-line option whose value it is about, unless the message already names it.
template <class Error>
[[noreturn]] void rethrow_naming(const std::string& option, const Error& e) {
  const std::string what = e.what();
  throw Error(what.rfind(option, 0) == 0 ? what : option + ": " + what);
}
}  // namespace

Accelerator load_hardware_option(const std::string& id_or_path) {
  try {
    return load_accelerator(id_or_path);
  } catch (const UsageError& e) {
    rethrow_naming("--hardware", e);
  } catch (const InputError& e) {  // a profile file: missing, not JSON, a bad field (exit 1 still)
    rethrow_naming("--hardware", e);
  }
}

EstimateInputs parse_run_inputs(const std::string& tokens, const std::string& gpus, const std::string& precision,
                                const std::string& seq_len, const std::string& batch) {
  EstimateInputs in;
  if (!batch.empty()) in.global_batch_tokens = parse_whole_quantity("--global-batch-tokens", batch, 1.0, 1e12);
  in.tokens = parse_quantity("--tokens", tokens, 1.0, 1e16);
  if (!gpus.empty()) in.gpus = parse_count("--gpus", gpus, 1, 10'000'000);
  in.precision = parse_precision(precision);
  in.flops.seq_len = parse_count("--seq-len", seq_len, 1, 100'000'000);
  check_tokens_cover_step(in.tokens, in.flops.seq_len, in.global_batch_tokens);
  in.pue = defaults::kPue;
  in.grid_kgco2_per_kwh = defaults::kGridKgCo2PerKwh;
  return in;
}

ModelSpec load_model_input(const std::string& model, const std::optional<nlohmann::json>& model_config,
                           const std::string& assume_family) {
  LoadOptions opt;
  opt.assume_family = assume_family;
  if (model_config) return model_from_inline(*model_config, "model_config", opt);
  try {
    return load_model(model, opt);
  } catch (const InputError& e) {  // a config file: missing, not JSON, a bad field (exit 1 still)
    rethrow_naming("--model", e);
  }
}

FlopOptions FlopArgs::resolve() const {
  FlopOptions o;
  o.seq_len = parse_count("--seq-len", seq_len, 1, 100'000'000);
  o.attention = parse_attention(attention);
  o.recompute = parse_recompute(recompute);
  o.include_mtp = !no_mtp;
  return o;
}

}  // namespace traincost::cli
