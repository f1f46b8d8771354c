// Reading constants/export_controls.json: the TPP definition, the October 2022 and
// 2023 rules, the AI-diffusion caps and the reference runs the cap table trains.
#include <fmt/format.h>

#include "export_bounds.hpp"
#include "traincost/econ/export_control.hpp"
#include "traincost/util/data_dir.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost::econ {

using nlohmann::json;

namespace {

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
  k.tpp_min = c.opt_real("tpp_min", 0.0, detail::kMaxTpp);
  k.tpp_below = c.opt_real("tpp_below", 0.0, detail::kMaxTpp);
  k.pd_min = c.opt_real("pd_min", 0.0, detail::kMaxDensity);
  k.pd_below = c.opt_real("pd_below", 0.0, detail::kMaxDensity);
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
  r.rule_2022_tpp_min = o22.get_real("tpp_min", 1.0, detail::kMaxTpp);
  r.rule_2022_io_min_gb_s = o22.get_real("io_bidirectional_gb_s_min", 1.0, detail::kMaxIoGbS);
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
    cap.tpp = c.get_real("tpp", 1.0, detail::kMaxCapTpp);
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

}  // namespace traincost::econ
