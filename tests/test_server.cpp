// The web API (`traincost serve`): a server on an ephemeral loopback port in
// this process, driven by httplib::Client. Responses must equal what the CLI
// prints with --format json for the same options, byte for byte; bad requests
// get 4xx with a JSON error naming the field, and the server keeps serving.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "server/api.hpp"
#include "server/assets.hpp"
#include "server/response_cache.hpp"
#include "server/server.hpp"
#include "test_server_fixture.hpp"
#include "test_support.hpp"

extern char** environ;

using nlohmann::json;
using test_support::run_cli;
using test_support::source_path;
using test_support::slurp;
using test_support::TestServer;

namespace {

// The CLI's JSON for `args` (which must exit 0).
std::string cli_json_text(const std::string& args) {
  const auto r = run_cli(args + " --format json");
  INFO(args << "\n" << r.err);
  REQUIRE(r.status == 0);
  return r.out;
}

json error_of(const httplib::Result& r, int status) {
  REQUIRE(r);
  INFO(r->body);
  CHECK(r->status == status);
  const json j = json::parse(r->body);
  REQUIRE(j.contains("error"));
  REQUIRE(j.contains("field"));
  return j;
}

const json kDeepSeekRun = {{"model", "deepseek-v3"}, {"hardware", "h800"}, {"gpus", 2048},
                           {"tokens", 14.8e12},      {"precision", "fp8"},  {"seq_len", 4096}};
const std::string kDeepSeekArgs = "--model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8e12 --precision fp8 --seq-len 4096";

}  // namespace

TEST_CASE("server: POST endpoints answer exactly the CLI's --format json", "[server]") {
  TestServer s;
  auto same = [&](const std::string& path, const json& body, const std::string& args) {
    const auto r = s.post(path, body);
    REQUIRE(r);
    INFO(path << " " << r->body.substr(0, 400));
    REQUIRE(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(r->body == cli_json_text(args));
  };
  SECTION("estimate with the plan search (DeepSeek-V3, 2048 x H800, 14.8T, fp8)") {
    same("/api/estimate", kDeepSeekRun, "estimate " + kDeepSeekArgs);
  }
  SECTION("estimate with flags, money, energy and Monte Carlo ranges") {
    same("/api/estimate",
         {{"model", "llama-3.1-8b"}, {"hardware", "h100-sxm"}, {"tokens", "15T"}, {"mfu", 0.38}, {"no_mtp", true},
          {"price_per_gpu_hour", 2.5}, {"pue", 1.1}, {"samples", 500}, {"seed", 7}},
         "estimate --model llama-3.1-8b --hardware h100-sxm --tokens 15T --mfu 0.38 --no-mtp "
         "--price-per-gpu-hour 2.5 --pue 1.1 --samples 500 --seed 7");
  }
  SECTION("params and flops") {
    same("/api/params", {{"model", "deepseek-v3"}}, "params --model deepseek-v3");
    same("/api/flops", {{"model", "deepseek-v3"}, {"seq_len", 8192}, {"recompute", "full"}},
         "flops --model deepseek-v3 --seq-len 8192 --recompute full");
  }
  SECTION("compare, check, compare-hardware, budget, export") {
    same("/api/compare", {{"model", "deepseek-v3"}, {"tokens", 14.8e12}, {"hardware", "h800"}, {"gpus", 2048}},
         "compare --model deepseek-v3 --tokens 14.8e12 --hardware h800 --gpus 2048");
    same("/api/check",
         {{"model", "deepseek-v3"}, {"tokens", "14.8T"}, {"hardware", "h800"}, {"gpus", 2048},
          {"claimed_gpu_hours", 2.788e6}, {"claimed_cost_usd", "5.576M"}},
         "check --model deepseek-v3 --tokens 14.8T --hardware h800 --gpus 2048 --claimed-gpu-hours 2.788e6 "
         "--claimed-cost-usd 5.576M");
    same("/api/compare-hardware",
         {{"model", "deepseek-v3"}, {"tokens", 14.8e12}, {"hardware", "h800,h100-sxm"}, {"gpus", 2048}},
         "compare-hardware --model deepseek-v3 --tokens 14.8e12 --hardware h800,h100-sxm --gpus 2048");
    same("/api/budget", {{"usd", 5e6}, {"hardware", "h800"}}, "budget --usd 5e6 --hardware h800");
    same("/api/export", {{"cap", "tier2-2025"}}, "export --cap tier2-2025");
  }
  SECTION("plan: equal but for the search's own wall-clock time") {
    const auto r = s.post("/api/plan", kDeepSeekRun);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    json api = json::parse(r->body);
    json cli = json::parse(cli_json_text("plan " + kDeepSeekArgs));
    REQUIRE(api.contains("search_seconds"));
    api.erase("search_seconds");
    cli.erase("search_seconds");
    CHECK(api == cli);
    CHECK(api.at("top").size() == 5);
  }
}

TEST_CASE("server: GET endpoints answer exactly the CLI's --format json", "[server]") {
  TestServer s;
  auto same = [&](const std::string& path, const std::string& args) {
    const auto r = s.get(path);
    REQUIRE(r);
    INFO(path);
    REQUIRE(r->status == 200);
    CHECK(r->body == cli_json_text(args));
  };
  same("/api/hardware", "hardware list");
  same("/api/hardware/h800", "hardware show h800");
  same("/api/models", "models");
  same("/api/validation", "validate");
  same("/api/validation", "validate");  // the cached copy
  const auto h = s.get("/api/health");
  REQUIRE(h);
  CHECK(json::parse(h->body) == json{{"status", "ok"}, {"version", "0.1.0"}});
}

TEST_CASE("server: an inline model_config counts like the preset", "[server]") {
  TestServer s;
  const json hf = json::parse(slurp(source_path("models/hf/deepseek-v3.json")));
  const std::string preset = cli_json_text("params --model deepseek-v3");
  SECTION("a bare HF config.json: same counts, named model_config") {
    const auto r = s.post("/api/params", json{{"model_config", hf}});
    REQUIRE(r);
    REQUIRE(r->status == 200);
    json api = json::parse(r->body);
    CHECK(api.at("model") == "model_config");
    CHECK(api.at("total_params") == 671026419200);  // DeepSeek-V3: 671B (README_WEIGHTS.md)
    api["model"] = "deepseek-v3";
    CHECK(api == json::parse(preset));
  }
  SECTION("a preset wrapper with the config inline and a name: the same bytes") {
    const auto r = s.post("/api/params", json{{"model_config", {{"name", "deepseek-v3"}, {"hf_config", hf}}}});
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(r->body == preset);
  }
  SECTION("inline into the estimate with the plan search") {
    json body = kDeepSeekRun;
    body.erase("model");
    body["model_config"] = {{"name", "deepseek-v3"}, {"hf_config", hf}};
    const auto r = s.post("/api/estimate", body);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(r->body == cli_json_text("estimate " + kDeepSeekArgs));
  }
  SECTION("an unsupported family is counted as a generic decoder, with the warning in a header") {
    const json cfg = {{"model_type", "mystery"}, {"hidden_size", 4096},       {"num_hidden_layers", 32},
                      {"num_attention_heads", 32}, {"vocab_size", 32000}, {"intermediate_size", 11008}};
    const auto r = s.post("/api/params", json{{"model_config", cfg}});
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(r->get_header_value("X-Traincost-Notes").find("not a supported family") != std::string::npos);
    CHECK(json::parse(r->body).at("total_params").get<double>() > 6e9);  // a llama-2-7b shape: 6.74B
  }
}

TEST_CASE("server: bad requests get a 4xx naming the field, and it keeps serving", "[server]") {
  TestServer s;
  SECTION("malformed JSON and a body that is not an object") {
    auto j = error_of(s.post("/api/estimate", std::string("{\"model\": \"deepseek-v3\",")), 400);
    CHECK(j.at("error").get<std::string>().rfind("malformed JSON", 0) == 0);
    CHECK(j.at("field").is_null());
    j = error_of(s.post("/api/estimate", std::string("[1, 2]")), 400);
    CHECK(j.at("field").is_null());
  }
  SECTION("an unknown key is named, with the allowed keys") {
    json body = kDeepSeekRun;
    body["gpu_count"] = 8;
    const auto j = error_of(s.post("/api/estimate", body), 400);
    CHECK(j.at("field") == "gpu_count");
    const std::string e = j.at("error");
    CHECK(e.find("unknown field 'gpu_count'") != std::string::npos);
    CHECK(e.find("seq_len") != std::string::npos);
    CHECK(e.find("model_config") != std::string::npos);
  }
  SECTION("out-of-range and mistyped values") {
    json body = kDeepSeekRun;
    body["gpus"] = -5;
    auto j = error_of(s.post("/api/estimate", body), 400);
    CHECK(j.at("field") == "gpus");
    CHECK(j.at("error") == "--gpus: -5 is out of range; expected 1..10000000");  // the CLI's message
    body["gpus"] = 2048.5;
    CHECK(error_of(s.post("/api/estimate", body), 400).at("field") == "gpus");
    body["gpus"] = json::array({2048});
    CHECK(error_of(s.post("/api/estimate", body), 400).at("field") == "gpus");
    body = kDeepSeekRun;
    body["no_mtp"] = "yes";
    CHECK(error_of(s.post("/api/estimate", body), 400).at("field") == "no_mtp");
    body = kDeepSeekRun;
    body["seq_len"] = 0;
    CHECK(error_of(s.post("/api/estimate", body), 400).at("field") == "seq_len");
    body = kDeepSeekRun;
    body["hardware"] = "tpu-v9";
    CHECK(error_of(s.post("/api/estimate", body), 400).at("field") == "hardware");
  }
  SECTION("missing, doubled and file-path models") {
    json body = kDeepSeekRun;
    body.erase("tokens");
    CHECK(error_of(s.post("/api/estimate", body), 400).at("field") == "tokens");
    body = kDeepSeekRun;
    body["model_config"] = {{"model_type", "llama"}};
    CHECK(error_of(s.post("/api/estimate", body), 400).at("field") == "model_config");
    body = kDeepSeekRun;
    body["model"] = "/etc/passwd";
    CHECK(error_of(s.post("/api/estimate", body), 400).at("field") == "model");
    body = kDeepSeekRun;
    body["model"] = "no-such-model";
    CHECK(error_of(s.post("/api/estimate", body), 400).at("field") == "model");
  }
  SECTION("an inline config with top_k above the expert count is refused like a bad file") {
    json hf = json::parse(slurp(source_path("models/hf/deepseek-v3.json")));
    hf["num_experts_per_tok"] = 300;  // n_routed_experts is 256
    const auto j = error_of(s.post("/api/params", json{{"model_config", hf}}), 422);
    CHECK(j.at("field") == "model_config");
    CHECK(j.at("error").get<std::string>().find("num_experts_per_tok") != std::string::npos);
  }
  SECTION("no plan fits: 422 with the CLI's error and its report") {
    json body = kDeepSeekRun;
    body["gpus"] = 8;
    const auto j = error_of(s.post("/api/plan", body), 422);
    CHECK(j.at("error").get<std::string>().rfind("no plan fits deepseek-v3 on 8 x h800", 0) == 0);
    CHECK(j.at("result").at("schema") == "traincost.plan.v1");
    CHECK(j.at("result").at("top").empty());
  }
  SECTION("bodies over 1 MiB get 413; deeply nested ones 400") {
    const std::string big = json{{"model", "deepseek-v3"}, {"pad", std::string(2 << 20, 'x')}}.dump();
    error_of(s.post("/api/params", big), 413);
    const std::string deep = "{\"model_config\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
    error_of(s.post("/api/params", deep), 400);
  }
  SECTION("unknown paths 404, wrong methods 405") {
    error_of(s.get("/api/nope"), 404);
    error_of(s.get("/no-such-page.html"), 404);
    error_of(s.get("/api/hardware/tpu-v9"), 404);
    const auto r = s.get("/api/estimate");
    error_of(r, 405);
    CHECK(r->get_header_value("Allow") == "POST");
    error_of(s.post("/api/hardware", json::object()), 405);
    error_of(s.client().Delete("/api/models"), 405);
  }
  const auto h = s.get("/api/health");
  REQUIRE(h);
  CHECK(h->status == 200);
}

TEST_CASE("server: the page is embedded and served with its type", "[server]") {
  TestServer s;
  const auto r = s.get("/");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(r->body == slurp(source_path("web/index.html")));  // the build embeds the file as is
  CHECK(r->body.find("http://") == std::string::npos);     // works offline: no external URLs
  CHECK(r->body.find("https://") == std::string::npos);
  for (const auto& a : traincost::server::assets()) {
    const auto f = s.get("/" + std::string(a.path));
    REQUIRE(f);
    CHECK(f->status == 200);
    CHECK(f->body == slurp(source_path("web/" + std::string(a.path))));
  }
  CHECK(traincost::server::content_type_for("app.js") == "text/javascript; charset=utf-8");
  CHECK(traincost::server::content_type_for("style.css") == "text/css; charset=utf-8");
  CHECK(traincost::server::content_type_for("logo.svg") == "image/svg+xml");
}

TEST_CASE("server: concurrent estimates each get the answer computed alone", "[server]") {
  TestServer s(0);  // no response cache: every request runs the plan search
  // Eight distinct runs (token counts), each answered once on its own first.
  std::vector<std::string> bodies, expected;
  for (int i = 0; i < 8; ++i) {
    json b = kDeepSeekRun;
    b["tokens"] = 14.8e12 + 1e9 * i;
    bodies.push_back(b.dump());
    const auto r = s.post("/api/estimate", bodies.back());
    REQUIRE(r);
    REQUIRE(r->status == 200);
    expected.push_back(r->body);
  }
  CHECK(expected[0] != expected[7]);
  std::atomic<int> ok{0}, wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      httplib::Client c = s.client();  // keep-alive: one connection per thread
      c.set_keep_alive(true);
      for (int i = 0; i < 4; ++i) {
        const auto k = static_cast<std::size_t>((t + i) % 8);
        const auto r = c.Post("/api/estimate", bodies[k], "application/json");
        if (r && r->status == 200) ++ok;
        if (!r || r->body != expected[k]) ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(ok == 32);
  CHECK(wrong == 0);
}

TEST_CASE("server: the response cache keeps the most recent entries", "[server]") {
  using traincost::server::ApiResponse;
  traincost::server::ResponseCache cache(2);
  auto response = [](const std::string& body) { return ApiResponse{200, body, "application/json", {}}; };
  cache.put("a", response("A"));
  cache.put("b", response("B"));
  REQUIRE(cache.get("a"));  // a is now the most recent
  cache.put("c", response("C"));  // evicts b
  CHECK(cache.get("a")->body == "A");
  CHECK_FALSE(cache.get("b"));
  CHECK(cache.get("c")->body == "C");

  // Through the API: a repeated request is answered from the cache with the same bytes.
  traincost::server::ResponseCache api_cache(4);
  const std::string body = json{{"model", "deepseek-v3"}}.dump();
  const ApiResponse first = traincost::server::handle("POST", "/api/params", body, &api_cache);
  REQUIRE(first.status == 200);
  const auto kept = api_cache.get("params\n" + json::parse(body).dump());
  REQUIRE(kept);
  CHECK(kept->body == first.body);
  CHECK(traincost::server::handle("POST", "/api/params", body, &api_cache).body == first.body);
}

TEST_CASE("serve: the binary prints its URL once listening and answers on it", "[server]") {
  int out[2];
  REQUIRE(pipe(out) == 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, out[0]);
  std::string a0 = TRAINCOST_CLI, a1 = "serve", a2 = "--port", a3 = "0";
  char* args[] = {a0.data(), a1.data(), a2.data(), a3.data(), nullptr};
  pid_t pid = -1;
  REQUIRE(posix_spawn(&pid, a0.c_str(), &fa, nullptr, args, environ) == 0);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  const std::string prefix = "traincost: serving http://127.0.0.1:";
  INFO(line);
  CHECK(line.rfind(prefix, 0) == 0);  // loopback by default
  CHECK(line.back() == '/');
  int port = 0;
  if (line.rfind(prefix, 0) == 0) port = std::stoi(line.substr(prefix.size()));
  CHECK(port > 0);
  if (port > 0) {
    httplib::Client client("127.0.0.1", port);
    const auto r = client.Get("/api/health");
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
}

TEST_CASE("request bodies: JSON values become the text the CLI would get", "[server]") {
  using traincost::cli::check_request;
  using traincost::cli::RequestError;
  const traincost::cli::Command* est = traincost::cli::find_command("", "estimate");
  REQUIRE(est != nullptr);
  const traincost::cli::RequestShape shape{est->name, est->options, est->takes_model_config};
  const json base = {{"model", "deepseek-v3"}, {"hardware", "h800"}};

  json body = base;
  body["tokens"] = 14.8e12;
  body["gpus"] = 2048;
  body["no_mtp"] = true;
  body["mfu"] = nullptr;  // null: not given
  const auto k = check_request(shape, body);
  // The number reads back as the very same double the CLI gets from "14.8e12".
  CHECK(traincost::cli::parse_quantity("--tokens", k.values.at("tokens"), 1, 1e16) == 14.8e12);
  CHECK(k.values.at("gpus") == "2048");
  CHECK(k.flags.at("no-mtp"));
  CHECK(k.values.count("mfu") == 0);

  body = base;
  body["tokens"] = 0.1 + 0.2;  // 0.30000000000000004: shortest round-trip text keeps every bit
  CHECK(std::stod(check_request(shape, body).values.at("tokens")) == 0.1 + 0.2);

  auto field = [&](const json& b) {
    try {
      check_request(shape, b);
    } catch (const RequestError& e) {
      return e.field();
    }
    return std::string("(accepted)");
  };
  CHECK(field(json{{"hardware", "h800"}, {"tokens", 1e12}}) == "model");  // required
  CHECK(field(json{{"model", "deepseek-v3"}, {"tokens", 1e12}}) == "hardware");
  CHECK(field(json{{"model", "x"}, {"hardware", "h800"}, {"tokens", 1e12}, {"format", "json"}}) == "format");
  CHECK(field(json{{"model", "x"}, {"hardware", "h800"}, {"tokens", true}}) == "tokens");
  CHECK(field(json{{"model", "x"}, {"hardware", "h800"}, {"tokens", 1e12}, {"model_config", 3}}) == "model_config");
  CHECK(field(json{{"model_config", json::object()}, {"hardware", "h800"}, {"tokens", 1e12}}) == "(accepted)");

  CHECK(traincost::cli::field_of("--seq-len: 0 is out of range") == "seq_len");
  CHECK(traincost::cli::field_of("--usd excludes --gpu-hours") == "usd");
  CHECK(traincost::cli::field_of("model_config: field 'x' ...") == "model_config");
  CHECK(traincost::cli::field_of("budget: give --usd or --gpu-hours") == "");
}

TEST_CASE("server: a body that is not UTF-8 is the client's 400, and web requests cap their work", "[server]") {
  using traincost::server::handle;
  // Invalid UTF-8 inside a string: a clean 400 (it used to be a 500 when the message echoing
  // the byte failed to print).
  const std::string bad = std::string("{\"model\": \"deepseek\xff\xfe\"}");
  const auto r = handle("POST", "/api/params", bad, nullptr);
  CHECK(r.status == 400);
  const json j = json::parse(r.body);
  CHECK(j.at("error").get<std::string>().rfind("malformed JSON", 0) == 0);
  CHECK(r.body.find("internal error") == std::string::npos);
  // samples: the page asks for 1,000; more than 100,000 per request is refused, named.
  json body = {{"model", "llama-3.1-8b"}, {"hardware", "h100-sxm"}, {"tokens", "1T"}, {"mfu", "0.4"}};
  for (const json& n : {json(1'000'000), json("10000000"), json(1e7)}) {
    body["samples"] = n;
    const auto over = handle("POST", "/api/estimate", body.dump(), nullptr);
    INFO(n.dump());
    CHECK(over.status == 400);
    const json e = json::parse(over.body);
    CHECK(e.at("field") == "samples");
    CHECK(e.at("error").get<std::string>().find("over the web's limit of 100000") != std::string::npos);
  }
  body["samples"] = 1000;
  CHECK(handle("POST", "/api/estimate", body.dump(), nullptr).status == 200);
}

TEST_CASE("server: a name with a control character or over 255 bytes is a 400 naming the field", "[server]") {
  using traincost::server::handle;
  for (const std::string& name : {std::string("x\x01y"), std::string(300, 'a')}) {
    const auto w = handle("POST", "/api/params", json{{"model", name}}.dump(), nullptr);
    CHECK(w.status == 400);
    CHECK(json::parse(w.body).at("field") == "model");
    CHECK(w.body.find("internal error") == std::string::npos);
  }
}

namespace {
// A valid Llama-style config: the folder would load if the API read it.
constexpr const char* kTinyConfigForCwdTest = R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2,
  "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100})";
}  // namespace

TEST_CASE("server: a model name is a preset, never a folder of that name in the working directory", "[server]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("traincost_cwd_" + std::to_string(::getpid()));
  fs::create_directories(dir / "x");
  std::ofstream(dir / "x" / "config.json") << kTinyConfigForCwdTest;
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  const auto r = traincost::server::handle("POST", "/api/params", json{{"model", "x"}}.dump(), nullptr);
  fs::current_path(before);
  fs::remove_all(dir);
  CHECK(r.status == 400);
  CHECK(json::parse(r.body).at("field") == "model");
  CHECK(r.body.find("unknown preset 'x'") != std::string::npos);
}

TEST_CASE("server: a key given twice in a request body is a 400 naming it", "[server]") {
  const auto r = traincost::server::handle("POST", "/api/params", R"({"model": "deepseek-v3", "model": "llama-3.1-8b"})", nullptr);
  CHECK(r.status == 400);
  const json j = json::parse(r.body);
  CHECK(j.at("field") == "model");
  CHECK(j.at("error").get<std::string>().find("key 'model' appears twice") != std::string::npos);
}

TEST_CASE("server: a model by its total and active parameters", "[server][counts]") {
  TestServer s;
  const json body = {{"total_params", 400e9}, {"active_params", 20e9}, {"hardware", "h100-sxm"}, {"gpus", 2048}, {"tokens", 20e12}};
  const auto r = s.post("/api/estimate", body);
  REQUIRE(r);
  INFO(r->body);
  REQUIRE(r->status == 200);
  CHECK(r->body == cli_json_text("estimate --total-params 4e+11 --active-params 2e+10 --hardware h100-sxm --gpus 2048 --tokens 2e+13"));
  CHECK(json::parse(r->body).at("model_shape").at("derived_from") == "total/active parameter counts");
  json both = body;
  both["model"] = "deepseek-v3";
  CHECK(error_of(s.post("/api/estimate", both), 400).at("field") == "total_params");
  json bad = body;
  bad["active_params"] = 500e9;
  CHECK(error_of(s.post("/api/estimate", bad), 400).at("field") == "active_params");
  json none = body;
  none.erase("total_params");
  none.erase("active_params");
  CHECK(error_of(s.post("/api/estimate", none), 400).at("field") == "model");
}
