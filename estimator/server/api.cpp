// Routing and status codes of the web API. A command's response body is the
// CLI's `--format json` output for the same options, byte for byte. Status
// codes follow the CLI's exit codes:
//   exit 0 -> 200; UsageError (exit 2) and bad request bodies -> 400;
//   InputError (exit 1: a model config that fails validation, a model that
//   cannot fit) and a printed-but-failed run (exit 1: no plan fits) -> 422;
//   anything else -> 500. Unknown path 404, wrong method 405, body too big 413.
#include "api.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assets.hpp"
#include "response_cache.hpp"
#include "cli/commands.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost::server {

namespace {

using nlohmann::json;          // request bodies
using Out = nlohmann::ordered_json;  // responses keep the CLI's key order

// Large inline configs are not worth a cache key of their size.
constexpr std::size_t kMaxCachedBodyBytes = 64 * 1024;

// As the CLI prints it. A message may echo a client's bytes that are not UTF-8 (a bad
// body, a name): they print as U+FFFD instead of throwing while the error is written.
std::string dump(const Out& j) { return j.dump(2, ' ', false, Out::error_handler_t::replace) + "\n"; }

// Work one web request may ask for. The page asks for 1,000 Monte Carlo samples; the
// CLI takes up to 10,000,000 (2.7 s and ~320 MB each), which from the web would let a
// few tabs hold every worker.
constexpr std::int64_t kMaxWebSamples = 100'000;

std::optional<std::int64_t> whole_number(const json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float() && std::isfinite(v.get<double>()) && std::fabs(v.get<double>()) < 9e18)
    return static_cast<std::int64_t>(v.get<double>());
  if (v.is_string()) {
    const std::string t = v.get<std::string>();
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec == std::errc() && ptr == t.data() + t.size()) return n;
    if (ec == std::errc::result_out_of_range) return std::numeric_limits<std::int64_t>::max();
  }
  return std::nullopt;  // not a count: the command's own parser names the error
}

ApiResponse json_response(int status, const Out& j) { return ApiResponse{status, dump(j), "application/json", {}}; }

// Notes (model warnings, fallbacks) would change the body; they travel in a header.
void add_notes(ApiResponse& r, const std::vector<std::string>& notes) {
  if (notes.empty()) return;
  std::string v = fmt::format("{}", fmt::join(notes, " | "));
  std::replace_if(v.begin(), v.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  r.headers.emplace_back("X-Traincost-Notes", v);
}

// Runs a command with a JSON body and maps what happens onto a status code.
ApiResponse run_command(const cli::Command& c, const json& body) {
  cli::CommandResult r;
  ApiResponse out;
  try {
    c.run_json(body, r);
    if (r.exit_code == 0) {
      out = json_response(200, r.json);
    } else {
      out = error_response(422, r.error);
      Out j = Out::parse(out.body);
      j["result"] = r.json;  // e.g. the closest infeasible plan
      out.body = dump(j);
    }
  } catch (const cli::RequestError& e) {
    out = error_response(400, e.what(), e.field());
  } catch (const UsageError& e) {
    out = error_response(400, e.what(), cli::field_of(e.what()));
  } catch (const InputError& e) {
    out = error_response(422, e.what(), cli::field_of(e.what()));
  } catch (const std::exception& e) {
    out = error_response(500, fmt::format("internal error: {}", e.what()));
  }
  add_notes(out, r.notes);
  return out;
}

ApiResponse run_command(const std::string& group, const std::string& name, const json& body) {
  const cli::Command* c = cli::find_command(group, name);
  if (c == nullptr) return error_response(500, fmt::format("internal error: no command {} {}", group, name));
  return run_command(*c, body);
}

// `validate` reproduces every published run (tens of ms); the data files do
// not change while serving, so the first success is kept. A function-local
// static is initialised once even with concurrent callers; a throw leaves it
// uninitialised for the next try.
ApiResponse validation() {
  static const ApiResponse cached = [] {
    ApiResponse r = run_command("", "validate", json::object());
    if (r.status != 200) throw std::runtime_error(json::parse(r.body).value("error", "validation failed"));
    return r;
  }();
  return cached;
}

// Nesting depth of a JSON text, brackets inside strings aside. Copying or
// printing a parsed document recurses once per level, so a 1 MiB body of
// '{"a":' would overflow a worker's stack; such bodies are refused unparsed.
std::size_t nesting_depth(const std::string& text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char ch : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '{' || ch == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((ch == '}' || ch == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

ApiResponse method_not_allowed(const std::string& method, const std::string& path, const std::string& allowed) {
  ApiResponse r = error_response(405, fmt::format("{} is not allowed on {} (allowed: {})", method, path, allowed));
  r.headers.emplace_back("Allow", allowed);
  return r;
}

ApiResponse handle_api(const std::string& method, const std::string& path, const std::string& body,
                       ResponseCache* cache) {
  const std::string name = path.substr(5);  // after "/api/"
  const bool get = method == "GET" || method == "HEAD";
  if (std::find(post_commands().begin(), post_commands().end(), name) != post_commands().end()) {
    if (method != "POST") return method_not_allowed(method, path, "POST");
    if (body.size() > kMaxBodyBytes)
      return error_response(413, fmt::format("request body of {} bytes is over the limit of {} bytes", body.size(), kMaxBodyBytes));
    if (nesting_depth(body) > kMaxBodyDepth)
      return error_response(400, fmt::format("request body is nested deeper than {} levels", kMaxBodyDepth));
    json doc;
    std::optional<std::string> dup;
    try {
      doc = parse_json_noting_duplicates(body.empty() ? std::string("{}") : body, &dup);
    } catch (const json::exception& e) {
      std::string what = e.what();
      const auto at = what.find("] ");
      return error_response(400, "malformed JSON: " + (at == std::string::npos ? what : what.substr(at + 2)));
    }
    if (dup)
      return error_response(400, fmt::format("malformed JSON: key '{}' appears twice in one object", *dup), *dup);
    if (doc.is_object() && doc.contains("samples"))
      if (auto n = whole_number(doc["samples"]); n && *n > kMaxWebSamples)
        return error_response(400, fmt::format("samples: {} is over the web's limit of {} per request (the page asks for 1,000; "
                                               "the CLI takes up to 10,000,000)", *n, kMaxWebSamples), "samples");
    // Canonical key: the parsed body printed with sorted keys and no spaces.
    // Bodies above kMaxCachedBodyBytes (large inline configs) are not kept.
    const bool cacheable = cache != nullptr && body.size() <= kMaxCachedBodyBytes;
    const std::string key = cacheable ? name + "\n" + doc.dump() : std::string();
    if (cacheable)
      if (auto hit = cache->get(key)) return *hit;
    ApiResponse r = run_command("", name, doc);
    if (cacheable && r.status == 200) cache->put(key, r);
    return r;
  }
  auto get_only = [&](auto&& f) { return get ? f() : method_not_allowed(method, path, "GET, HEAD"); };
  if (name == "health")
    return get_only([] { return json_response(200, Out{{"status", "ok"}, {"version", "0.1.0"}}); });
  if (name == "hardware") return get_only([] { return run_command("hardware", "list", json::object()); });
  if (name.rfind("hardware/", 0) == 0 && name.size() > 9 && name.find('/', 9) == std::string::npos)
    return get_only([&] {
      ApiResponse r = run_command("hardware", "show", json{{"id", name.substr(9)}});
      if (r.status == 400) r.status = 404;  // an unknown id is a missing resource here
      return r;
    });
  if (name == "models") return get_only([] { return run_command("", "models", json::object()); });
  if (name == "validation") return get_only([] { return validation(); });
  return error_response(404, fmt::format("no such endpoint: {}", path));
}

ApiResponse handle_asset(const std::string& method, const std::string& path) {
  const std::string rel = path == "/" ? "index.html" : path.substr(1);
  const Asset* a = find_asset(rel);
  if (a == nullptr) return error_response(404, fmt::format("not found: {}", path));
  if (method != "GET" && method != "HEAD") return method_not_allowed(method, path, "GET, HEAD");
  return ApiResponse{200, std::string(a->bytes), content_type_for(rel), {}};
}

}  // namespace

const std::vector<std::string>& post_commands() {
  static const std::vector<std::string> names{"estimate", "params",           "flops",  "plan",  "compare",
                                              "check",    "compare-hardware", "budget", "export"};
  return names;
}

ApiResponse error_response(int status, const std::string& message, const std::string& field) {
  return json_response(status, Out{{"error", message}, {"field", field.empty() ? Out(nullptr) : Out(field)}});
}

ApiResponse handle(const std::string& method, const std::string& path, const std::string& body, ResponseCache* cache) {
  try {
    if (path.rfind("/api/", 0) == 0) return handle_api(method, path, body, cache);
    return handle_asset(method, path);
  } catch (const std::exception& e) {
    return error_response(500, fmt::format("internal error: {}", e.what()));
  } catch (...) {
    return error_response(500, "internal error");
  }
}

}  // namespace traincost::server
