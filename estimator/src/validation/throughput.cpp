#include "traincost/validation/throughput.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "traincost/model/loader.hpp"
#include "traincost/perf/search.hpp"
#include "traincost/util/data_dir.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"
#include "traincost/util/median.hpp"

namespace traincost {

namespace {

// "1 (2)" -> "1", "661[^gpt-oss-note]" -> "661": the main figure of a cell.
std::string main_value(std::string s) {
  for (const char* cut : {"(", "[^"})
    if (auto at = s.find(cut); at != std::string::npos) s = s.substr(0, at);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

double number(const nlohmann::json& row, const std::string& key, const std::string& where, double min, double max,
              std::optional<double> absent = std::nullopt) {
  if (!row.contains(key) || row[key].is_null()) {
    if (absent) return *absent;
    throw InputError(fmt::format("{}: field '{}' is missing", where, key));
  }
  if (!row[key].is_string()) throw InputError(fmt::format("{}: field '{}' must be a string as printed", where, key));
  const std::string text = main_value(row[key].get<std::string>());
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || v < min || v > max)
    throw InputError(fmt::format("{}: field '{}' = '{}' must be a number in [{}, {}]", where, key, text, min, max));
  return v;
}

// Which preset holds the architecture NVIDIA benchmarked. Llama 3 and 3.1 share
// their 8B and 70B architectures (Llama 3 model card; 3.1 only extends RoPE).
// Nemotron 3 rows are evaluated (validation) but kept out of the host-time fit
// (held_out "hybrid"): their hybrid Mamba-2 layers are new to the model, and holding them
// out leaves the fitted constant what it was fitted on. Ultra has no sourced
// architecture, so its rows say so instead of being evaluated.
struct ModelMap {
  const char* prefix;
  const char* preset;
  bool moe;
  const char* held_out = nullptr;  // the check group of rows kept out of the fit (nullptr: fitted)
  const char* refused = nullptr;   // why the rows are not evaluated (no preset)
};
constexpr ModelMap kModels[] = {
    {"LLAMA3.1_405B", "llama-3.1-405b", false}, {"LLAMA3_70B", "llama-3.1-70b", false},
    {"LLAMA3_8B", "llama-3.1-8b", false},       {"DeepSeekV3", "deepseek-v3", true},
    {"GPT OSS 120B", "gpt-oss-120b", true},     {"Qwen3_30B_a3B", "qwen3-30b-a3b", true},
    {"Nemotron_3_Nano", "nemotron-3-nano", true, kHybridRows.id},
    {"Nemotron_3_Super", "nemotron-3-super", true, kHybridRows.id},
    // Kimi K2's and Qwen3-235B-A22B's shapes are recalled, not verbatim configs
    // (models/kimi-k2.json, models/qwen3-235b-a22b.json), so their rows check the
    // model without entering the fit.
    {"Kimi_K2", "kimi-k2", true, kRecalledRows.id},
    {"Qwen3_235B_a22B", "qwen3-235b-a22b", true, kRecalledRows.id},
    {"Nemotron_3_Ultra", "", true, kHybridRows.id,
     "architecture not supported: no Nemotron 3 Ultra config.json or architecture table has been sourced"},
};

std::string hardware_for(const std::string& system) {
  if (system == "DGX-B200") return "b200";
  if (system == "DGX-B300") return "b300";
  if (system == "DGX-GB200") return "gb200";
  if (system == "DGX-GB300") return "gb300";
  return "";
}

// BF16; FP8 with per-tensor current scaling or MXFP8 blocks (both at the FP8
// tensor-core rate on Blackwell); NVFP4 at the FP4 rate. The 25.09 tables name
// no precision: their footnote compares two FP8 recipes, so FP8.
Precision precision_for(const std::string& label, const std::string& where) {
  if (label == "BF16") return Precision::bf16;
  if (label.empty() || label == "FP8" || label == "FP8-CS" || label == "FP8-MX" || label == "MXFP8") return Precision::fp8;
  if (label == "NVFP4") return Precision::fp4;
  throw InputError(fmt::format("{}: precision '{}' is not one of BF16, FP8, FP8-CS, FP8-MX, MXFP8, NVFP4", where, label));
}

// A grid of steps + 1 values from `first` in steps of `step`.
struct Grid {
  double first, step;
  std::size_t steps;
  double at(std::size_t k) const { return first + static_cast<double>(k) * step; }
  double max() const { return at(steps); }
};

// What a row's evaluation reads, loaded once.
struct RowCase {
  perf::TrainingSetup s;
  perf::ModelProfile prof;
  perf::Hardware facts;
  perf::Cluster cl;
};

RowCase row_case(const ThroughputRow& r, const ModelSpec& spec, const Accelerator& acc, const perf::Constants& c) {
  RowCase k;
  k.s.seq_len = r.seq_len;
  k.s.global_batch_tokens = static_cast<std::int64_t>(r.global_batch_sequences) * r.seq_len;
  k.s.precision = r.precision;
  k.s.moe_imbalance = 1.0;  // "we force-balance the token distribution among experts" (the tables' footnote)
  k.prof = perf::profile(spec, k.s.seq_len, AttentionConvention::causal);
  k.facts = perf::hardware_facts(acc, k.s.precision, c);
  k.cl = perf::cluster_for(acc, r.gpus);
  return k;
}

perf::SearchResult run_search(const ThroughputRow& r, const ModelSpec& spec, const Accelerator& acc,
                              const perf::Constants& c, const perf::PlanConstraint& pin, int top) {
  const RowCase k = row_case(r, spec, acc, c);
  return perf::search(k.prof, k.facts, k.cl, k.s, c, top, pin);
}

// The published plan, pinned; nullopt (and why_not) when the row's degrees do not divide.
std::optional<perf::PlanConstraint> pinned_plan(ThroughputRow& r) {
  const int dp = r.gpus / (r.tp * r.pp * r.cp);
  if (dp * r.tp * r.pp * r.cp != r.gpus) {
    r.why_not = fmt::format("tp x pp x cp = {} does not divide {} GPUs", r.tp * r.pp * r.cp, r.gpus);
    return std::nullopt;
  }
  // Megatron-Bridge's performance recipes overlap TP
  // collectives with GEMMs (TransformerEngine userbuffers, comm_overlap) and DP
  // reduce-scatter with the backward; FSDP = Megatron FSDP (ZeRO-3), else the
  // distributed optimizer (ZeRO-1).
  perf::PlanConstraint pin;
  pin.tp = r.tp;
  pin.pp = r.pp;
  pin.cp = r.cp;
  pin.dp = dp;
  pin.ep = r.ep;
  pin.micro_batch = r.micro_batch;
  pin.vpp = r.vp;
  pin.schedule = r.vp > 1 ? perf::Schedule::interleaved : perf::Schedule::one_f_one_b;
  pin.zero = r.fsdp ? 3 : 1;
  pin.tp_overlap = true;
  pin.dp_overlap = true;
  pin.attention_kernel = perf::AttentionKernel::flash;
  return pin;
}
ModelSpec spec_for(const ThroughputRow& r) {
  ModelSpec spec = load_model(r.preset);
  if (!r.with_mtp) spec.mtp.clear();
  return spec;
}

}  // namespace

std::string throughput_rows_path() { return (data_dir() / "validation" / "megatron-bridge" / "rows.json").string(); }

std::vector<ThroughputRow> load_throughput_rows(const std::string& path) {
  const nlohmann::json doc = read_json_object_file(path);
  if (!doc.contains("rows") || !doc["rows"].is_array()) throw InputError(fmt::format("{}: needs a 'rows' array", path));
  std::vector<ThroughputRow> out;
  int i = 0;
  for (const auto& j : doc["rows"]) {
    const std::string where = fmt::format("{}: rows[{}]", path, i++);
    if (!j.is_object()) throw InputError(where + ": must be an object");
    ThroughputRow r;
    auto text = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
    r.release = text("release");
    r.system = text("system");
    r.model = text("model");
    r.precision_label = main_value(text("precision"));
    if (r.system.empty() || r.model.empty()) throw InputError(where + ": needs 'system' and 'model'");
    r.gpus = static_cast<int>(number(j, "gpus", where, 1, 1 << 20));
    r.global_batch_sequences = static_cast<int>(number(j, "global_batch_sequences", where, 1, 1 << 24));
    r.micro_batch = static_cast<int>(number(j, "micro_batch", where, 1, 1024));
    r.seq_len = static_cast<int>(number(j, "seq_len", where, 1, 1 << 22));
    r.tp = static_cast<int>(number(j, "tp", where, 1, 1024, 1));
    r.pp = static_cast<int>(number(j, "pp", where, 1, 1024, 1));
    r.cp = static_cast<int>(number(j, "cp", where, 1, 1024, 1));
    r.vp = static_cast<int>(number(j, "vp", where, 1, 1024, 1));
    r.ep = static_cast<int>(number(j, "ep", where, 1, 1 << 16, 1));
    r.fsdp = number(j, "fsdp", where, 0, 1 << 20, 0) > 0;
    r.measured_tokens_per_s_per_gpu = number(j, "tokens_per_s_per_gpu", where, 1e-3, 1e9);
    r.precision = precision_for(r.precision_label, where);
    r.hardware = hardware_for(r.system);
    for (const ModelMap& m : kModels)
      if (r.model.rfind(m.prefix, 0) == 0) {
        r.preset = m.preset;
        r.is_moe = m.moe;
        if (m.held_out) r.held_out = m.held_out;
        if (m.refused) r.refused = m.refused;
      }
    r.with_mtp = r.model.find("w/o MTP") == std::string::npos;
    out.push_back(std::move(r));
  }
  return out;
}

void evaluate_throughput_row(ThroughputRow& r, const perf::Constants& c) {
  r.evaluated = false;
  if (r.preset.empty()) {
    r.why_not = r.refused.empty() ? "architecture not supported" : r.refused;
    return;
  }
  if (r.hardware.empty()) {
    r.why_not = fmt::format("no profile for system {}", r.system);
    return;
  }
  const std::optional<perf::PlanConstraint> pin = pinned_plan(r);
  if (!pin) return;
  try {
    const ModelSpec spec = spec_for(r);
    const Accelerator acc = load_accelerator(r.hardware);
    const perf::SearchResult res = run_search(r, spec, acc, c, *pin, 1);
    if (res.top.empty()) {
      r.why_not = res.closest_infeasible ? perf::reason_text(*res.closest_infeasible) : "the published plan is not legal here";
      if (res.closest_infeasible) r.plan = perf::to_string(res.closest_infeasible->plan);
      return;
    }
    const perf::Evaluation& e = res.top.front();
    r.plan = perf::to_string(e.plan);
    r.predicted_tokens_per_s_per_gpu = e.tokens_per_s / r.gpus;
    r.evaluated = true;
  } catch (const std::exception& ex) {
    r.why_not = ex.what();
  }
}

std::vector<SearchGroup> search_groups(const std::vector<ThroughputRow>& rows, const perf::Constants& c) {
  std::map<std::tuple<std::string, std::string, int, int, int>, SearchGroup> groups;
  for (const ThroughputRow& r : rows) {
    if (r.preset.empty() || r.hardware.empty()) continue;
    SearchGroup& g = groups[{r.model, r.system, r.gpus, r.global_batch_sequences, r.seq_len}];
    if (r.measured_tokens_per_s_per_gpu > g.best.measured_tokens_per_s_per_gpu) g.best = r;
  }
  std::vector<SearchGroup> out;
  for (auto& [key, g] : groups) {
    const ThroughputRow& r = g.best;
    try {
      perf::PlanConstraint free;
      free.tp_overlap = true;  // as in the pinned rows: the recipes overlap TP communication
      free.allow_dualpipe = false;  // the plan space of Megatron-Core, the framework of the rows
      const perf::SearchResult res = run_search(r, spec_for(r), load_accelerator(r.hardware), c, free, 1);
      if (!res.top.empty()) {
        g.searched_tokens_per_s_per_gpu = res.top.front().tokens_per_s / r.gpus;
        g.searched_plan = perf::to_string(res.top.front().plan);
      }
    } catch (const std::exception& ex) {
      g.searched_plan = ex.what();
    }
    out.push_back(g);
  }
  return out;
}

ThroughputSummary summarize_throughput(const std::vector<ThroughputRow>& rows,
                                       const std::function<bool(const ThroughputRow&)>& pick) {
  ThroughputSummary s;
  std::vector<double> errs;
  for (const ThroughputRow& r : rows) {
    if (r.preset.empty() || (pick && !pick(r))) continue;
    if (r.evaluated) errs.push_back(std::fabs(r.error()));
    else ++s.unevaluated;
  }
  s.count = static_cast<int>(errs.size());
  s.median_abs = median(errs);
  s.max_abs = errs.empty() ? 0 : *std::max_element(errs.begin(), errs.end());
  return s;
}

MoeOverheadFit fit_moe_overheads(const perf::Constants& base) {
  std::vector<ThroughputRow> rows;
  for (ThroughputRow& r : load_throughput_rows(throughput_rows_path()))
    if (r.is_moe && r.in_fit() && !r.preset.empty() && !r.hardware.empty()) rows.push_back(std::move(r));
  constexpr double kHuber = 0.1;
  auto huber = [&](double r) { return std::fabs(r) <= kHuber ? 0.5 * r * r : kHuber * (std::fabs(r) - 0.5 * kHuber); };
  // Each row's model, hardware and the pinned plans that fit (one per recompute setting, up to 4)
  // are found once: the constants change no plan's memory. They reach a plan only through
  // its layers' host-bound time (perf::add_host_time), so each plan's memory and the rest
  // of its layer times are computed once too, and every cell of the grid adds its host
  // time and times the step (perf::add_time): the same arithmetic as evaluate(), exactly.
  const Grid sync{0, 1e-4, 200}, expert{0, 2e-6, 100};
  struct Cell {
    double sync, expert;
  };
  auto cell = [&](std::size_t g) { return Cell{sync.at(g / (expert.steps + 1)), expert.at(g % (expert.steps + 1))}; };
  const std::size_t cells = (sync.steps + 1) * (expert.steps + 1);
  // resid[i][g]: ln(predicted / measured) of row i in cell g, the fastest of its plans;
  // empty when the row is not evaluated.
  std::vector<std::vector<double>> resid(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::optional<perf::PlanConstraint> pin = pinned_plan(rows[i]);
    if (!pin) continue;
    std::optional<RowCase> k;
    std::vector<perf::Plan> plans;
    try {
      k = row_case(rows[i], spec_for(rows[i]), load_accelerator(rows[i].hardware), base);
      for (const perf::Evaluation& e : perf::search(k->prof, k->facts, k->cl, k->s, base, 4, *pin).top) plans.push_back(e.plan);
    } catch (const std::exception&) {
      plans.clear();  // not evaluated, as in evaluate_throughput_row
    }
    if (plans.empty()) continue;
    std::vector<double> best_step(cells, std::numeric_limits<double>::infinity());
    perf::Constants c = base;
    for (const perf::Plan& p : plans) {
      const perf::Evaluation mem = perf::evaluate_memory(k->prof, k->facts, k->cl, k->s, p, c);
      const perf::LayerTimes bare = perf::layer_times_without_host(k->prof, k->facts, k->cl, k->s, p, c);
      for (std::size_t g = 0; g < cells; ++g) {
        const Cell at = cell(g);
        c.moe_host_sync_s = at.sync;
        c.moe_host_per_local_expert_s = at.expert;
        perf::LayerTimes lt = bare;
        perf::add_host_time(k->prof, p, c, lt);
        perf::Evaluation e = mem;
        perf::add_time(k->prof, k->facts, k->cl, k->s, c, lt, e);
        if (e.feasible) best_step[g] = std::min(best_step[g], e.time.step);
      }
    }
    resid[i].resize(cells);
    for (std::size_t g = 0; g < cells; ++g) {
      const double tokens_per_s = static_cast<double>(k->s.global_batch_tokens) / best_step[g];
      resid[i][g] = std::isfinite(best_step[g]) ? std::log(tokens_per_s / rows[i].gpus / rows[i].measured_tokens_per_s_per_gpu)
                                                : std::nan("");
    }
  }
  auto r_at = [&](std::size_t i, std::size_t g) { return resid[i].empty() ? std::nan("") : resid[i][g]; };
  std::vector<double> loss(cells, 0.0);
  for (std::size_t g = 0; g < cells; ++g)
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (const double r = r_at(i, g); !std::isnan(r)) loss[g] += huber(r);
  // The best cell with row `skip` left out (rows.size(): none left out); ties keep the
  // first cell in grid order (the smaller constants).
  auto best = [&](std::size_t skip) {
    std::size_t arg = 0;
    double lo = std::numeric_limits<double>::infinity();
    for (std::size_t g = 0; g < cells; ++g) {
      double l = loss[g];
      if (skip < rows.size())
        if (const double r = r_at(skip, g); !std::isnan(r)) l -= huber(r);
      if (l < lo) lo = l, arg = g;
    }
    return arg;
  };
  MoeOverheadFit f;
  const std::size_t g0 = best(rows.size());
  const Cell c0 = cell(g0);
  f.host_sync_s = c0.sync;
  f.host_per_local_expert_s = c0.expert;
  std::vector<double> fit_abs, loo_abs;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double r = r_at(i, g0);
    if (std::isnan(r)) continue;
    fit_abs.push_back(std::fabs(std::expm1(r)));
    loo_abs.push_back(std::fabs(std::expm1(r_at(i, best(i)))));
  }
  f.rows = static_cast<int>(fit_abs.size());
  f.median_abs = median(fit_abs);
  f.loo_median_abs = median(loo_abs);
  f.loo_max_abs = loo_abs.empty() ? 0 : *std::max_element(loo_abs.begin(), loo_abs.end());
  return f;
}

}  // namespace traincost
