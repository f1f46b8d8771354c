#pragma once
// Helpers shared by the web API tests (test_server_api.cpp, test_server_requests.cpp):
// the CLI's JSON to compare a response with, a 4xx's JSON error, and the DeepSeek-V3
// run as a request body and as CLI options.
#include <string>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace test_support {

// The CLI's JSON for `args` (which must exit 0).
inline std::string cli_json_text(const std::string& args) {
  const auto r = run_cli(args + " --format json");
  INFO(args << "\n" << r.err);
  REQUIRE(r.status == 0);
  return r.out;
}

// The JSON error of a response that must have `status`, with its "error" and "field".
inline nlohmann::json error_of(const httplib::Result& r, int status) {
  REQUIRE(r);
  INFO(r->body);
  CHECK(r->status == status);
  const nlohmann::json j = nlohmann::json::parse(r->body);
  REQUIRE(j.contains("error"));
  REQUIRE(j.contains("field"));
  return j;
}

inline const nlohmann::json kDeepSeekRun = {{"model", "deepseek-v3"}, {"hardware", "h800"}, {"gpus", 2048},
                                            {"tokens", 14.8e12},      {"precision", "fp8"},  {"seq_len", 4096}};
inline const std::string kDeepSeekArgs =
    "--model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8e12 --precision fp8 --seq-len 4096";

}  // namespace test_support
