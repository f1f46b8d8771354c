#include "traincost/econ/export_control.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "traincost/cost/constants.hpp"
#include "traincost/util/data_dir.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"
#include "traincost/util/numeric.hpp"

namespace traincost::econ {

using nlohmann::json;

namespace {

// Upper bounds for range checks of the rules file: far above any real value,
// they only catch typos (a TPP in FLOP/s instead of TOPS x bits, say).
constexpr double kMaxTpp = 1e9;
constexpr double kMaxDensity = 1e4;
constexpr double kMaxIoGbS = 1e7;
constexpr double kMaxCapTpp = 1e15;

// The elements of a non-empty array field, each as a context whose errors name "field[i]".
std::vector<JsonContext> array_items(const JsonContext& c, const std::string& key) {
  if (!c.has(key) || !c.obj.at(key).is_array() || c.obj.at(key).empty())
    c.fail(key, "is required (a non-empty array)");
  std::vector<JsonContext> out;
  const json& arr = c.obj.at(key);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string name = fmt::format("{}[{}]", c.field_name(key), i);
    if (!arr[i].is_object()) throw InputError(fmt::format("{}: field '{}' must be a JSON object", c.where, name));
    out.push_back(JsonContext{arr[i], c.where, name});
  }
  return out;
}

ExportClause read_clause(const JsonContext& c) {
  ExportClause k;
  k.id = c.get_string("id");
  k.export_class = c.get_string("class");
  k.text = c.get_string("text");
  k.tpp_min = c.opt_real("tpp_min", 0.0, kMaxTpp);
  k.tpp_below = c.opt_real("tpp_below", 0.0, kMaxTpp);
  k.pd_min = c.opt_real("pd_min", 0.0, kMaxDensity);
  k.pd_below = c.opt_real("pd_below", 0.0, kMaxDensity);
  if (!k.tpp_min && !k.tpp_below && !k.pd_min && !k.pd_below)
    c.fail("tpp_min", "or another bound (tpp_below, pd_min, pd_below) is required: a clause without bounds covers everything");
  if (k.export_class == kNotControlled || k.export_class == kUnknown)
    c.fail("class", fmt::format("= '{}' is reserved; a clause names a control class such as 3A090.a", k.export_class));
  return k;
}

ReferenceRun read_run(const JsonContext& c) {
  ReferenceRun run;
  run.model = c.get_string("model");
  run.label = c.opt_string("label").value_or(run.model);
  run.tokens = c.get_real("tokens", 1.0, 1e16);
  run.seq_len = c.get_int("seq_len", 1, 100'000'000);
  const std::string key = "precisions";
  if (!c.has(key) || !c.obj.at(key).is_array() || c.obj.at(key).empty())
    c.fail(key, "is required (a non-empty array of precisions, in order of preference)");
  for (const auto& p : c.obj.at(key)) {
    if (!p.is_string()) c.fail(key, "must hold precision names such as \"bf16\"");
    try {
      run.precisions.push_back(parse_precision(p.get<std::string>()));
    } catch (const UsageError&) {
      c.fail(key, fmt::format("holds '{}', not one of fp32, tf32, bf16, fp16, fp8, fp4", p.get<std::string>()));
    }
  }
  run.precision_rule = c.opt_string("precision_rule").value_or("");
  run.source = c.get_string("source");
  return run;
}


std::string tpp_text(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

const NamedCap* ExportRules::find_cap(const std::string& name) const {
  for (const auto& c : caps)
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<std::string> ExportRules::cap_names() const {
  std::vector<std::string> v;
  for (const auto& c : caps) v.push_back(c.name);
  return v;
}

ExportRules load_export_rules(const std::string& path) {
  const json doc = read_json_object_file(path);
  const JsonContext top{doc, path, ""};
  ExportRules r;
  r.path = path;

  // TPP = 2 x MacTOPS x bit length (88 FR 73458, Technical Notes to 3A090): per
  // precision, dense TFLOPS/TOPS x bit length, the highest value counts.
  const JsonContext tpp = top.child("tpp");
  r.tpp_definition = tpp.get_string("definition");
  r.tpp_source = tpp.get_string("definition_source");
  const JsonContext bits = tpp.child("bit_length_by_precision");
  for (const auto& [key, _] : bits.obj.items())
    r.bit_length.emplace_back(key, static_cast<int>(bits.get_int(key, 1, 64)));
  if (r.bit_length.empty()) tpp.fail("bit_length_by_precision", "must name at least one precision");
  if (tpp.has("excluded_precisions")) {
    const JsonContext ex = tpp.child("excluded_precisions");
    for (const auto& [key, _] : ex.obj.items()) {
      const JsonContext e = ex.child(key);
      ExportRules::Excluded x;
      x.key = key;
      x.reason = e.get_string("reason");
      if (auto b = e.opt_int("alternative_bit_length", 1, 64)) x.alternative_bit_length = static_cast<int>(*b);
      x.alternative_note = e.opt_string("alternative_note").value_or("");
      r.excluded.push_back(x);
    }
  }

  const JsonContext rules = top.child("rules");
  // October 2022 (87 FR 62186, 3A090.a): "aggregate bidirectional transfer rate
  // over all inputs and outputs of 600 Gbyte/s or more ... and ... bit length per
  // operation multiplied by processing performance measured in TOPS ... of 4800 or more".
  const JsonContext o22 = rules.child("oct2022");
  r.rule_2022_name = o22.get_string("name");
  r.rule_2022_citation = o22.get_string("citation");
  r.rule_2022_tpp_min = o22.get_real("tpp_min", 1.0, kMaxTpp);
  r.rule_2022_io_min_gb_s = o22.get_real("io_bidirectional_gb_s_min", 1.0, kMaxIoGbS);
  // October 2023 (88 FR 73458): 3A090.a.1 TPP >= 4800; 3A090.a.2 TPP >= 1600 and
  // PD >= 5.92; 3A090.b.1 2400 <= TPP < 4800 and 1.6 <= PD < 5.92; 3A090.b.2
  // TPP >= 1600 and 3.2 <= PD < 5.92 — the bounds themselves are in the file.
  const JsonContext o23 = rules.child("oct2023");
  r.rule_2023_name = o23.get_string("name");
  r.rule_2023_citation = o23.get_string("citation");
  for (const auto& c : array_items(o23, "clauses")) r.clauses_2023.push_back(read_clause(c));

  // AI-diffusion caps (90 FR 4544, rescinded), as summarised in the news.
  const JsonContext caps = top.child("caps");
  r.caps_rule = caps.get_string("rule");
  r.caps_status = caps.get_string("status");
  r.caps_statement = caps.get_string("statement");
  r.caps_attributed_to = caps.get_string("attributed_to");
  r.caps_verification = caps.get_string("verification");
  const JsonContext named = caps.child("named");
  for (const auto& [name, _] : named.obj.items()) {
    const JsonContext c = named.child(name);
    NamedCap cap;
    cap.name = name;
    cap.tpp = c.get_real("tpp", 1.0, kMaxCapTpp);
    cap.description = c.get_string("description");
    cap.wording = c.get_string("wording");
    r.caps.push_back(cap);
  }
  if (r.caps.empty()) caps.fail("named", "must hold at least one cap");

  for (const auto& c : array_items(top, "reference_runs")) r.reference_runs.push_back(read_run(c));
  return r;
}

const ExportRules& export_rules() {
  static const ExportRules r = load_export_rules((data_dir() / "constants" / "export_controls.json").string());
  return r;
}

std::optional<Tpp> total_processing_performance(const json& peaks, const std::string& where, const ExportRules& r) {
  if (!peaks.is_object()) return std::nullopt;
  const JsonContext c{peaks, where, "peak_dense_tflops"};
  std::optional<Tpp> best;
  for (const auto& [key, bits] : r.bit_length) {
    const auto v = c.opt_real(key, 0.0, 1e7);  // TFLOPS, or TOPS for int8
    if (!v || *v <= 0) continue;
    const double tpp = *v * bits;
    if (!best || (tpp > best->value && !nearly_equal(tpp, best->value))) {
      best = Tpp{tpp, {key}, {}};
    } else if (nearly_equal(tpp, best->value)) {
      best->basis.push_back(key);
    }
  }
  if (!best) return std::nullopt;
  for (const auto& x : r.excluded) {
    const auto v = c.opt_real(x.key, 0.0, 1e7);
    if (!v || !x.alternative_bit_length) continue;
    const double alt = *v * *x.alternative_bit_length;
    if (alt > best->value && !nearly_equal(alt, best->value))
      best->notes.push_back(fmt::format("{} is not counted (BIS does not state its bit length); counted at {} bits ({}) "
                                        "the TPP would be {}",
                                        x.key, *x.alternative_bit_length, x.alternative_note, tpp_text(alt)));
  }
  for (const auto& item : peaks.items()) {
    const std::string key = item.key();  // not a structured binding: clang 14 cannot capture one in a lambda
    const bool known = std::any_of(r.bit_length.begin(), r.bit_length.end(), [&](const auto& b) { return b.first == key; }) ||
                       std::any_of(r.excluded.begin(), r.excluded.end(), [&](const auto& x) { return x.key == key; });
    if (!known) best->notes.push_back(fmt::format("peak_dense_tflops.{} has no bit length in {}: not counted", key, r.path));
  }
  return best;
}

Class2023 classify_2023(std::optional<double> tpp, std::optional<double> pd, const ExportRules& r) {
  if (!tpp) return {kUnknown, ""};
  // The clauses of 88 FR 73458 in order of precedence (3A090.a.1, a.2, b.1, b.2).
  // A clause whose TPP bounds hold but which needs an unknown performance
  // density is undecided: a lower class cannot be claimed past it.
  std::string undecided;
  for (const auto& c : r.clauses_2023) {
    if (c.tpp_min && *tpp < *c.tpp_min) continue;
    if (c.tpp_below && *tpp >= *c.tpp_below) continue;
    if ((c.pd_min || c.pd_below) && !pd) {
      if (undecided.empty()) undecided = c.export_class;
      continue;
    }
    if (c.pd_min && *pd < *c.pd_min) continue;
    if (c.pd_below && *pd >= *c.pd_below) continue;
    if (!undecided.empty() && undecided != c.export_class) return {kUnknown, ""};
    return {c.export_class, c.id};
  }
  if (!undecided.empty()) return {kUnknown, ""};
  return {kNotControlled, ""};
}

std::optional<bool> controlled_2022(std::optional<double> tpp, std::optional<double> io_gb_s, const ExportRules& r) {
  // 87 FR 62186: both conditions (TPP >= 4800 AND I/O >= 600 GB/s bidirectional).
  if (!tpp) return std::nullopt;
  if (*tpp < r.rule_2022_tpp_min) return false;
  if (!io_gb_s) return std::nullopt;
  return *io_gb_s >= r.rule_2022_io_min_gb_s;
}

ExportAssessment assess(const Accelerator& a, const ExportRules& r) {
  ExportAssessment x;
  const json& doc = a.document;
  const JsonContext top{doc, a.path, ""};
  if (auto t = total_processing_performance(doc.contains("peak_dense_tflops") ? doc.at("peak_dense_tflops") : json(), a.path, r)) {
    x.tpp = t->value;
    x.tpp_basis = t->basis;
    x.notes = t->notes;
  } else {
    x.notes.push_back("no published dense peak in the profile: TPP unknown");
  }
  if (top.has("export_control")) {
    const JsonContext ec = top.child("export_control");
    x.applicable_die_area_mm2 = ec.opt_real("applicable_die_area_mm2", 1.0, 1e5);
    // The research notes' TPP where it is a range (disputed or omitted peaks).
    if (ec.has("tpp_range") && doc.at("export_control").at("tpp_range").is_array() &&
        doc.at("export_control").at("tpp_range").size() == 2) {
      const auto& range = doc.at("export_control").at("tpp_range");
      if (range[0].is_number() && range[1].is_number()) {
        const double lo = range[0].get<double>(), hi = range[1].get<double>();
        if (!x.tpp || !nearly_equal(hi, *x.tpp))
          x.notes.push_back(fmt::format("the profile's research notes give a TPP range {}-{} (see export_control.notes); "
                                        "from the published peaks: {}",
                                        tpp_text(lo), tpp_text(hi), x.tpp ? tpp_text(*x.tpp) : "unknown"));
      }
    }
  }
  if (x.tpp && x.applicable_die_area_mm2) x.performance_density = *x.tpp / *x.applicable_die_area_mm2;
  if (x.tpp && !x.applicable_die_area_mm2) x.notes.push_back("applicable die area unknown: performance density unknown");
  x.class_2023 = classify_2023(x.tpp, x.performance_density, r);
  if (top.has("scale_up")) x.io_bidirectional_gb_s = top.child("scale_up").opt_real("bandwidth_gb_s_bidirectional", 0.0, kMaxIoGbS);
  x.controlled_2022 = controlled_2022(x.tpp, x.io_bidirectional_gb_s, r);
  if (x.controlled_2022 && !*x.controlled_2022 && x.tpp && *x.tpp >= r.rule_2022_tpp_min)
    x.notes.push_back(fmt::format(
        "2022 I/O test applied to the scale-up link only ({:.0f} GB/s bidirectional < {:.0f}); the rule counts all I/O to "
        "non-memory ICs (host PCIe, on-die network ports), which the profile does not sum",
        *x.io_bidirectional_gb_s, r.rule_2022_io_min_gb_s));
  if (x.tpp && *x.tpp >= r.rule_2022_tpp_min && !x.io_bidirectional_gb_s)
    x.notes.push_back("no scale-up bandwidth in the profile: the October 2022 I/O test cannot be applied");
  return x;
}

CapTable accelerators_under_cap(double cap_tpp, const std::vector<Accelerator>& all, const std::vector<ModelSpec>& models,
                                const ExportRules& r) {
  if (!(cap_tpp > 0) || !std::isfinite(cap_tpp)) throw UsageError(fmt::format("cap: {} must be a positive TPP", cap_tpp));
  if (models.size() != r.reference_runs.size())
    throw std::logic_error("accelerators_under_cap: one model per reference run is needed");
  CapTable t;
  t.cap_tpp = cap_tpp;
  for (const auto& a : all) {
    ExportAssessment x = assess(a, r);
    if (!x.tpp || *x.tpp <= 0) {
      t.skipped.push_back({a.id, x.notes.empty() ? "TPP unknown" : x.notes.front()});
      continue;
    }
    CapRow row;
    row.id = a.id;
    row.name = a.name;
    row.tpp = *x.tpp;
    const double n = std::floor(cap_tpp / *x.tpp);
    row.count_under_cap = n >= static_cast<double>(std::numeric_limits<std::int64_t>::max())
                              ? std::numeric_limits<std::int64_t>::max()
                              : static_cast<std::int64_t>(n);
    row.assessment = std::move(x);
    for (std::size_t i = 0; i < r.reference_runs.size(); ++i) {
      const ReferenceRun& run = r.reference_runs[i];
      CapRunResult out;
      out.model = run.model;
      for (Precision p : run.precisions)
        if (a.peak_dense_flops_per_s.count(p)) {
          out.precision = p;
          break;
        }
      if (!out.precision) {
        std::vector<std::string> names;
        for (Precision p : run.precisions) names.push_back(to_string(p));
        out.reason = fmt::format("{} has no dense peak at {}", a.id, fmt::join(names, ", "));
      } else if (row.count_under_cap < 1) {
        out.reason = fmt::format("the cap is below one {}'s TPP", a.id);
      } else {
        EstimateInputs in;
        in.tokens = run.tokens;
        in.gpus = row.count_under_cap;
        in.precision = *out.precision;
        in.flops.seq_len = run.seq_len;
        in.pue = defaults::kPue;
        in.grid_kgco2_per_kwh = defaults::kGridKgCo2PerKwh;
        try {
          const Estimate e = estimate(models[i], a, in);  // no MFU: the default utilisation
          out.wall_clock_days = e.wall_clock_days;
          out.gpu_hours = e.gpu_hours;
        } catch (const InputError& e) {
          out.reason = e.what();
        } catch (const UsageError& e) {
          out.reason = e.what();
        }
      }
      row.runs.push_back(out);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace traincost::econ
