#include "traincost/validation/published.hpp"

#include <fmt/format.h>

#include "traincost/model/loader.hpp"
#include "traincost/util/data_dir.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost {

namespace {
PublishedFigure read_figure(const JsonContext& f) {
  PublishedFigure p;
  p.value = f.get_real("value", 0.0, 1e30);
  p.scope = f.opt_string("scope").value_or("");
  p.convention = f.opt_string("convention").value_or("");
  p.attention_convention = f.opt_string("attention_convention").value_or("full");
  if (p.attention_convention != "full" && p.attention_convention != "causal")
    f.fail("attention_convention", "must be 'full' or 'causal'");
  p.source = f.opt_string("source").value_or("");
  p.is_formula = f.get_bool_or("is_formula", false);
  p.basis = f.opt_string("basis").value_or("");
  p.bound = f.opt_string("bound").value_or("");
  if (!p.bound.empty() && p.bound != "approx" && p.bound != "upper" && p.bound != "lower")
    f.fail("bound", "must be 'approx', 'upper' or 'lower'");
  if (f.has("covers") && f.obj.at("covers").is_array())
    for (const auto& c : f.obj.at("covers"))
      if (c.is_string()) p.covers.push_back(c.get<std::string>());
  return p;
}
}  // namespace

std::vector<PublishedRun> load_published_runs() {
  const std::string path = (data_dir() / "validation" / "published_runs.json").string();
  const auto doc = read_json_object_file(path);
  const JsonContext top{doc, path, ""};
  if (!doc.contains("runs") || !doc.at("runs").is_array()) top.fail("runs", "must be a list of runs");
  std::vector<PublishedRun> out;
  std::size_t i = 0;
  for (const auto& r : doc.at("runs")) {
    const JsonContext c{r, path, fmt::format("runs[{}]", i++)};
    if (!r.is_object()) throw InputError(fmt::format("{}: {} must be an object", path, c.prefix));
    PublishedRun p;
    p.id = c.get_string("id");
    p.title = c.opt_string("title").value_or(p.id);
    p.kind = c.opt_string("kind").value_or("training_run");
    p.model_class = c.opt_string("model_class").value_or("");
    p.model = r.value("model", nlohmann::json());
    p.hardware = c.opt_string("hardware").value_or("");
    p.gpus = c.opt_int("gpus", 1, 10'000'000);
    p.tokens = c.opt_real("tokens", 1.0, 1e16);
    p.precision = c.opt_string("precision").value_or("bf16");
    p.seq_len = c.opt_int("seq_len", 1, 100'000'000);
    p.global_batch_tokens = c.opt_int("global_batch_tokens", 1, 1'000'000'000'000);
    p.plan = r.value("plan", nlohmann::json::object());
    p.moe_capacity_factor = c.opt_real("moe_capacity_factor", 1.0, 16.0);
    p.framework = c.opt_string("framework").value_or("");
    if (c.has("figures")) {
      const JsonContext f = c.child("figures");
      for (const auto& [key, value] : r.at("figures").items())
        if (value.is_object()) p.figures.emplace(key, read_figure(f.child(key)));
    }
    if (c.has("facility")) {
      const JsonContext f = c.child("facility");
      p.facility_pue = f.opt_real("pue", 1.0, 3.0);
      p.facility_grid_kgco2_per_kwh = f.opt_real("grid_kgco2_per_kwh", 0.0, 2.0);
    }
    if (r.contains("caveats") && r.at("caveats").is_array())
      for (const auto& n : r.at("caveats"))
        if (n.is_string()) p.caveats.push_back(n.get<std::string>());
    out.push_back(std::move(p));
  }
  return out;
}

PublishedRun find_published_run(const std::vector<PublishedRun>& runs, const std::string& id, const std::string& option) {
  std::vector<std::string> ids;
  for (const auto& r : runs) {
    if (r.id == id) return r;
    ids.push_back(r.id);
  }
  throw UsageError(fmt::format("{}: unknown run '{}' (known: {})", option, id, fmt::join(ids, ", ")));
}

PublishedRun find_published_run(const std::string& id, const std::string& option) {
  return find_published_run(load_published_runs(), id, option);
}

ModelSpec model_for_run(const PublishedRun& run) {
  if (run.model.is_string()) return load_model(run.model.get<std::string>());
  if (run.model.is_object()) {
    ModelSpec s = model_from_spec(run.model, "validation/published_runs.json run " + run.id);
    s.name = run.id;
    return s;
  }
  throw InputError(fmt::format("run {}: no model architecture is published (model is null)", run.id));
}

}  // namespace traincost
