// The web API (`traincost serve`): a server on an ephemeral loopback port in
// this process, driven by httplib::Client. Responses must equal what the CLI
// prints with --format json for the same options, byte for byte, alone or
// concurrently, fresh or from the response cache; the page is embedded; the
// binary prints its URL. Bad requests: test_server_requests.cpp.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "server/api.hpp"
#include "server/assets.hpp"
#include "server/response_cache.hpp"
#include "server/server.hpp"
#include "server_support.hpp"
#include "test_server_fixture.hpp"
#include "test_support.hpp"

extern char** environ;

using nlohmann::json;
using test_support::cli_json_text;
using test_support::error_of;
using test_support::kDeepSeekArgs;
using test_support::kDeepSeekRun;
using test_support::slurp;
using test_support::source_path;
using test_support::TestServer;

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
  // Every module of the page (index.html loads app.js, which imports the others) is embedded
  // and served as JavaScript, and the list names every .js file of web/.
  const std::set<std::string> modules = {
      "api.js", "app.js", "budget.js", "charts.js", "check.js", "dom.js", "estimate.js", "format.js", "hardware.js",
      "inputs.js", "moe.js", "panels.js", "plan.js", "report.js", "share.js", "state.js", "validation.js"};
  for (const auto& e : std::filesystem::directory_iterator(source_path("web")))
    if (e.path().extension() == ".js") CHECK(modules.count(e.path().filename().string()) == 1);
  for (const std::string& js : modules) {
    INFO(js);
    const auto f = s.get("/" + js);
    REQUIRE(f);
    CHECK(f->status == 200);
    CHECK(f->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(f->body == slurp(source_path("web/" + js)));
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
