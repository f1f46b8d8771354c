// The web API's requests (`traincost serve`): JSON values become the text the CLI
// would get, and bad requests (wrong fields, bad values, invalid UTF-8, names with
// control characters, keys given twice) get a 4xx with a JSON error naming the
// field, while the server keeps serving. Good requests: test_server_api.cpp.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "server/api.hpp"
#include "server/server.hpp"
#include "server_support.hpp"
#include "test_server_fixture.hpp"
#include "test_support.hpp"

using nlohmann::json;
using test_support::error_of;
using test_support::kDeepSeekRun;
using test_support::slurp;
using test_support::source_path;
using test_support::TestServer;

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

TEST_CASE("server: an empty string is a 400 naming the field, never read as not given", "[server]") {
  TestServer s;
  for (const char* key : {"gpus", "mfu", "pue", "price_per_gpu_hour", "samples", "plan"}) {
    INFO(key);
    json body = kDeepSeekRun;
    body[key] = "";
    const auto j = error_of(s.post("/api/estimate", body), 400);
    CHECK(j.at("field") == key);
    CHECK(j.at("error").get<std::string>().find("empty") != std::string::npos);
  }
  json body = {{"usd", "5M"}, {"hardware", "h100-sxm"}, {"days", ""}};
  CHECK(error_of(s.post("/api/budget", body), 400).at("field") == "days");
}

TEST_CASE("server: fewer tokens than one sequence and a tiny --mfu are 400s naming the field", "[server]") {
  TestServer s;
  json body = kDeepSeekRun;
  body["tokens"] = 100.5;
  CHECK(error_of(s.post("/api/estimate", body), 400).at("field") == "tokens");
  CHECK(error_of(s.post("/api/plan", body), 400).at("field") == "tokens");
  body = kDeepSeekRun;
  body["mfu"] = 1e-300;
  CHECK(error_of(s.post("/api/estimate", body), 400).at("field") == "mfu");
  CHECK(error_of(s.post("/api/budget", json{{"usd", 1e-300}, {"hardware", "h100-sxm"}}), 400).at("field") == "usd");
}
