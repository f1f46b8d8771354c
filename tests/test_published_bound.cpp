// A published figure that is a bound is compared as a bound (issue 15):
// DeepSeek-V3's "less than two months" is met by 57 days, not missed by -5%.
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "traincost/report/published_bound.hpp"

using nlohmann::json;
using test_support::run_cli;
using test_support::run_json;
using traincost::PublishedFigure;
using traincost::report::bounded_value;
using traincost::report::compare_to_figure;

namespace {
PublishedFigure figure(double value, const std::string& bound) {
  PublishedFigure f;
  f.value = value;
  f.bound = bound;
  return f;
}
}  // namespace

TEST_CASE("published bound: an upper bound is met or exceeded, never an error", "[report][bound]") {
  auto c = compare_to_figure(57.0, figure(60.0, "upper"));
  CHECK(c.kind == "upper");
  CHECK(c.within == true);
  CHECK_FALSE(c.error);
  CHECK(c.text == "within bound");
  c = compare_to_figure(63.0, figure(60.0, "upper"));  // 63 / 60 - 1 = 5%
  CHECK(c.within == false);
  CHECK(*c.beyond == Approx(0.05));
  CHECK(c.text == "exceeds bound by 5.0%");
  c = compare_to_figure(60.0, figure(60.0, "upper"));  // on the bound: within
  CHECK(c.within == true);
}

TEST_CASE("published bound: a lower bound, an approximate and a point figure", "[report][bound]") {
  auto c = compare_to_figure(14.0, figure(15.0, "lower"));  // 1 - 14/15 = 6.67%
  CHECK(c.within == false);
  CHECK(c.text == "below bound by 6.7%");
  CHECK(compare_to_figure(16.0, figure(15.0, "lower")).text == "within bound");
  c = compare_to_figure(10.0, figure(9.5, "approx"));  // 10 / 9.5 - 1 = +5.26%
  CHECK(c.kind == "approx");
  CHECK(*c.error == Approx(0.5 / 9.5));
  CHECK(c.text == "+5.3%");
  CHECK(compare_to_figure(2.80, figure(2.664, "")).text == "+5.1%");
  CHECK(compare_to_figure(2.80, figure(2.664, "")).kind == "point");
  CHECK(bounded_value("upper", "60.0") == "< 60.0");
  CHECK(bounded_value("lower", "15T") == "> 15T");
  CHECK(bounded_value("approx", "9.5") == "~9.5");
  CHECK(bounded_value("", "2.66M") == "2.66M");
}

TEST_CASE("cli: estimate --published deepseek-v3 shows the two-month bound as a bound", "[cli][bound]") {
  const std::string run =
      "estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8e12 --precision fp8 --seq-len 4096 "
      "--global-batch-tokens 62914560 --published deepseek-v3";
  const json j = run_json(run + " --format json");
  const json& days = j.at("published").at("wall_clock_days");
  CHECK(days.at("value") == 60.0);
  CHECK(days.at("bound") == "upper");
  const json& c = days.at("comparison");
  CHECK(c.at("kind") == "upper");
  CHECK(c.at("error").is_null());
  CHECK(c.at("within_bound") == (j.at("wall_clock_days").get<double>() <= 60.0));
  // GPU-hours are a point figure (2,664K H800 GPU-hours of pre-training, DeepSeek-V3 technical report).
  const json& gh = j.at("published").at("gpu_hours");
  CHECK(gh.at("bound").is_null());
  CHECK(gh.at("comparison").at("error").get<double>() ==
        Approx(j.at("gpu_hours").get<double>() / gh.at("value").get<double>() - 1));

  const auto t = run_cli(run);
  REQUIRE(t.status == 0);
  const auto line = t.out.find("wall-clock days");
  REQUIRE(line != std::string::npos);
  const std::string row = t.out.substr(line, t.out.find('\n', line) - line);
  CHECK(row.find("< 60.0") != std::string::npos);
  CHECK(row.find("within bound") != std::string::npos);
  CHECK(row.find('%') == std::string::npos);
}
