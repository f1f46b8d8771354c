// libFuzzer target for traincost's parsers of untrusted text (issue 14). The first
// byte picks one ('0'..'4', any byte maps to one); the rest is its input:
//   '0' an HF config.json        '1' a traincost.model.v1 spec   '2' a hardware profile
//   '3' a --plan string          '4' a web request: "<command>\n<JSON body>"
// A parser may only refuse input with InputError or UsageError (exit 1 or 2, a 4xx
// on the web); any other exception, a crash, UB or a 500 from the web mapper is a
// finding. Build: cmake -DTRAINCOST_FUZZ=ON with clang (CMakeLists.txt); seeds in corpus/.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/request.hpp"
#include "server/api.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/flops.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/model/params.hpp"
#include "traincost/perf/plan.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace {

using namespace traincost;

// Counting reads every field the loader accepted: a spec it lets through must count.
void count(const ModelSpec& m) {
  (void)count_params(m);
  FlopOptions o;
  (void)flops_per_token(m, o);
}

// Commands cheap enough to run whole on every input (no plan search).
bool runs_whole(const std::string& name) { return name == "params" || name == "flops" || name == "export"; }

void web_request(const std::string& text) {
  const auto nl = text.find('\n');
  if (nl == std::string::npos) return;
  const std::string name = text.substr(0, nl), body = text.substr(nl + 1);
  const cli::Command* c = cli::find_command("", name);
  if (c == nullptr) return;
  if (runs_whole(name)) {
    const server::ApiResponse r = server::handle("POST", "/api/" + name, body, nullptr);
    if (r.status >= 500) {
      std::fprintf(stderr, "web request got %d: %s\n", r.status, r.body.c_str());
      std::abort();
    }
    return;
  }
  // The others: the mapping of body keys onto the command's options.
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    return;  // the server answers 400 before the mapper sees it
  }
  (void)cli::check_request(cli::RequestShape{c->name, c->options, c->takes_model_config}, doc);
}

void run(char kind, const std::string& text) {
  switch (kind) {
    case 0: count(model_from_hf_config(parse_json_object(text, "fuzz"), "fuzz")); break;
    case 1: count(model_from_spec(parse_json_object(text, "fuzz"), "fuzz")); break;
    case 2: (void)accelerator_from_json(parse_json_object(text, "fuzz"), "fuzz"); break;
    case 3: (void)perf::parse_plan(text); break;
    default: web_request(text); break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const char kind = static_cast<char>(static_cast<std::uint8_t>(data[0] - '0') % 5);
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    run(kind, text);
  } catch (const InputError&) {
  } catch (const UsageError&) {
  }
  return 0;
}
