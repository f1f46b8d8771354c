#include "traincost/validation/published.hpp"

#include <fmt/format.h>

#include "traincost/util/data_dir.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost {

namespace {
std::optional<PublishedFigure> figure(const JsonContext& c, const std::string& key, double max) {
  if (!c.has(key)) return std::nullopt;
  const JsonContext f = c.child(key);
  return PublishedFigure{f.get_real("value", 0.0, max), f.opt_string("scope").value_or(""),
                         f.opt_string("source").value_or("")};
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
    if (!r.is_object()) c.fail("", "must be an object");
    PublishedRun p;
    p.id = c.get_string("id");
    p.title = c.opt_string("title").value_or(p.id);
    p.model_preset = c.get_string("model");
    p.hardware = c.get_string("hardware");
    p.gpus = c.opt_int("gpus", 1, 10'000'000);
    p.tokens = c.get_real("tokens", 1.0, 1e16);
    p.precision = c.opt_string("precision").value_or("bf16");
    p.seq_len = c.opt_int("seq_len", 1, 100'000'000);
    p.gpu_hours = figure(c, "gpu_hours", 1e12);
    p.cost_usd = figure(c, "cost_usd", 1e13);
    p.wall_clock_days = figure(c, "wall_clock_days", 1e5);
    p.training_flops = figure(c, "training_flops", 1e30);
    p.mfu = figure(c, "mfu", 1.0);
    p.co2_tonnes = figure(c, "co2_tonnes", 1e9);
    if (r.contains("notes") && r.at("notes").is_array())
      for (const auto& n : r.at("notes"))
        if (n.is_string()) p.notes.push_back(n.get<std::string>());
    out.push_back(std::move(p));
  }
  return out;
}

PublishedRun find_published_run(const std::string& id) {
  const auto runs = load_published_runs();
  std::vector<std::string> ids;
  for (const auto& r : runs) {
    if (r.id == id) return r;
    ids.push_back(r.id);
  }
  throw UsageError(fmt::format("--published: unknown run '{}' (known: {})", id, fmt::join(ids, ", ")));
}

}  // namespace traincost
