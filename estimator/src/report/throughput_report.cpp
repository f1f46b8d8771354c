#include "traincost/report/throughput_report.hpp"

#include <algorithm>

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>


namespace traincost::report {

namespace {

const char* kind(bool moe) { return moe ? "MoE" : "dense"; }

std::vector<std::string> systems(const std::vector<ThroughputRow>& rows) {
  std::vector<std::string> out;
  for (const ThroughputRow& r : rows)
    if (std::find(out.begin(), out.end(), r.system) == out.end()) out.push_back(r.system);
  std::sort(out.begin(), out.end());
  return out;
}

// The summary's lines, one list for both renderers: per system and kind (those with rows),
// over all systems, and the MoE rows apart: those the host constants are fitted on and the
// hybrid Mamba-2 + MoE rows (Nemotron 3) kept out of the fit as an independent check.
struct SummaryLine {
  std::string system;
  const char* kind;   // in the JSON
  const char* label;  // in the text table's kind column
  ThroughputSummary s;
};

std::vector<SummaryLine> summary_lines(const std::vector<ThroughputRow>& rows) {
  std::vector<SummaryLine> out;
  for (const std::string& sys : systems(rows))
    for (bool moe : {false, true}) {
      const ThroughputSummary s = summarize_throughput(rows, [&](const ThroughputRow& r) { return r.system == sys && r.is_moe == moe; });
      if (s.count + s.unevaluated) out.push_back({sys, kind(moe), kind(moe), s});
    }
  for (bool moe : {false, true})
    out.push_back({"all", kind(moe), kind(moe), summarize_throughput(rows, [&](const ThroughputRow& r) { return r.is_moe == moe; })});
  out.push_back({"all", "MoE, fitted rows", "MoE*",
                 summarize_throughput(rows, [&](const ThroughputRow& r) { return r.is_moe && r.in_fit(); })});
  // The held-out groups, each apart (none of them enters the fit).
  for (const HeldOutGroup& h : kHeldOutGroups)
    out.push_back({"all", h.label, h.id,
                   summarize_throughput(rows, [&](const ThroughputRow& r) { return r.is_moe && r.held_out == h.id; })});
  return out;
}

}  // namespace

nlohmann::ordered_json throughput_json(const std::vector<ThroughputRow>& rows, const std::vector<SearchGroup>& groups) {
  nlohmann::ordered_json j{{"schema", "traincost.throughput.v1"},
                           {"source", "NVIDIA Megatron-Bridge performance summary (validation/megatron-bridge/)"}};
  auto& summary = j["summary"] = nlohmann::ordered_json::array();
  for (const SummaryLine& l : summary_lines(rows))
    summary.push_back({{"system", l.system}, {"kind", l.kind}, {"rows", l.s.count}, {"unevaluated", l.s.unevaluated},
                       {"median_abs_error", l.s.median_abs}, {"max_abs_error", l.s.max_abs}});
  auto& out = j["rows"] = nlohmann::ordered_json::array();
  for (const ThroughputRow& r : rows) {
    nlohmann::ordered_json o{{"release", r.release}, {"system", r.system}, {"model", r.model},
                             {"precision", r.precision_label}, {"gpus", r.gpus},
                             {"global_batch_sequences", r.global_batch_sequences}, {"seq_len", r.seq_len},
                             {"measured_tokens_per_s_per_gpu", r.measured_tokens_per_s_per_gpu},
                             {"preset", r.preset}, {"hardware", r.hardware}, {"evaluated", r.evaluated}};
    if (r.evaluated) {
      o["predicted_tokens_per_s_per_gpu"] = r.predicted_tokens_per_s_per_gpu;
      o["error"] = r.error();
      o["plan"] = r.plan;
    } else {
      o["why_not"] = r.why_not;
    }
    out.push_back(o);
  }
  auto& gs = j["search"] = nlohmann::ordered_json::array();
  for (const SearchGroup& g : groups)
    gs.push_back({{"model", g.best.model}, {"system", g.best.system}, {"gpus", g.best.gpus},
                  {"global_batch_sequences", g.best.global_batch_sequences}, {"seq_len", g.best.seq_len},
                  {"best_measured_tokens_per_s_per_gpu", g.best.measured_tokens_per_s_per_gpu},
                  {"searched_tokens_per_s_per_gpu", g.searched_tokens_per_s_per_gpu},
                  {"ratio", g.searched_tokens_per_s_per_gpu > 0 ? nlohmann::ordered_json(g.ratio()) : nlohmann::ordered_json()},
                  {"searched_plan", g.searched_plan}});
  return j;
}

std::string throughput_text(const std::vector<ThroughputRow>& rows, const std::vector<SearchGroup>& groups) {
  std::string s =
      "Megatron-Bridge pre-training throughput (NVIDIA, force-balanced MoE routing), published plan pinned,\n"
      "recompute = the fastest setting that fits; tokens/s per GPU\n\n";
  s += fmt::format("{:<9} {:<10} {:<28} {:>5} {:<8} {:>6} {:>9} {:>9} {:>7}  {}\n", "release", "system", "model", "GPUs",
                   "prec", "batch", "measured", "predicted", "error", "plan / why not");
  for (const ThroughputRow& r : rows) {
    if (r.preset.empty()) continue;
    s += fmt::format("{:<9} {:<10} {:<28} {:>5} {:<8} {:>6} {:>9.0f} ", r.release, r.system, r.model, r.gpus,
                     r.precision_label.empty() ? "FP8" : r.precision_label, r.global_batch_sequences,
                     r.measured_tokens_per_s_per_gpu);
    if (r.evaluated)
      s += fmt::format("{:>9.0f} {:>+6.1f}%  {}\n", r.predicted_tokens_per_s_per_gpu, 100 * r.error(), r.plan);
    else
      s += fmt::format("{:>9} {:>7}  {}\n", "-", "-", r.why_not);
  }
  s += "\nSummary (|error| of tokens/s per GPU)\n";
  s += fmt::format("{:<10} {:<6} {:>5} {:>12} {:>8} {:>8}\n", "system", "kind", "rows", "unevaluated", "median", "max");
  for (const SummaryLine& l : summary_lines(rows))
    s += fmt::format("{:<10} {:<6} {:>5} {:>12} {:>7.1f}% {:>7.1f}%\n", l.system, l.label, l.s.count, l.s.unevaluated,
                     100 * l.s.median_abs, 100 * l.s.max_abs);
  s += "(MoE*: the rows the MoE host constants are fitted on; validation only, not fitted: hybrid, Nemotron 3's Mamba-2 + "
       "MoE rows; recalled, Kimi K2's and Qwen3-235B-A22B's rows on shapes recalled from their configs)\n";
  int unsupported = 0;
  std::map<std::string, std::string> left_out;  // model -> named reason (may be empty)
  for (const ThroughputRow& r : rows)
    if (r.preset.empty()) {
      ++unsupported;
      left_out[r.model] = r.refused;
    }
  std::vector<std::string> names;
  for (const auto& [name, why] : left_out) names.push_back(why.empty() ? name : fmt::format("{} ({})", name, why));
  s += fmt::format("({} rows of architectures traincost does not model are left out: {})\n", unsupported,
                   fmt::join(names, "; "));
  if (!groups.empty()) {
    s += "\nSearch vs NVIDIA's tuned recipes: best searched plan / best measured row, per group\n";
    s += fmt::format("{:<28} {:<10} {:>5} {:>6} {:>9} {:>9} {:>6}  {}\n", "model", "system", "GPUs", "batch", "measured",
                     "searched", "ratio", "searched plan");
    for (const SearchGroup& g : groups)
      s += fmt::format("{:<28} {:<10} {:>5} {:>6} {:>9.0f} {:>9.0f} {:>6}  {}\n", g.best.model, g.best.system, g.best.gpus,
                       g.best.global_batch_sequences, g.best.measured_tokens_per_s_per_gpu, g.searched_tokens_per_s_per_gpu,
                       g.searched_tokens_per_s_per_gpu > 0 ? fmt::format("{:.2f}x", g.ratio()) : "-", g.searched_plan);
  }
  return s;
}

}  // namespace traincost::report
