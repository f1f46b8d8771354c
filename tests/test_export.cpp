// Export controls (ECCN 3A090): TPP, performance density, the October 2022 and
// October 2023 classes, and `traincost export` under a TPP cap.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "traincost/econ/export_control.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/util/error.hpp"

using nlohmann::json;
using test_support::run_cli;
using test_support::run_json;
using namespace traincost;

namespace {

const econ::ExportRules& rules() {
  static const econ::ExportRules r = econ::load_export_rules(test_support::source_path("constants/export_controls.json"));
  return r;
}

econ::ExportAssessment assess(const std::string& id) {
  return econ::assess(load_accelerator(test_support::source_path("hwprofiles/" + id + ".json")), rules());
}


void check_usage_error(const std::string& args, std::initializer_list<std::string> needles) {
  INFO("traincost " << args);
  const auto r = run_cli(args);
  INFO("stderr: " << r.err);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("traincost: error: ", 0) == 0);
  for (const auto& n : needles) {
    INFO("expected in the message: " << n);
    CHECK(r.err.find(n) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("export: TPP is the max of dense TFLOPS x bit length", "[export]") {
  // Checks from the issue and the research notes: H100 1,979 FP8 x 8 = 989.5 BF16 x 16.
  CHECK(assess("h100-sxm").tpp.value() == Approx(15832.0));
  CHECK(assess("a100-80gb").tpp.value() == Approx(4992.0));
  CHECK(assess("h20").tpp.value() == Approx(2368.0));
  CHECK(assess("h800").tpp.value() == Approx(15832.0));
  CHECK(assess("mi355x").tpp.value() == Approx(60600.0));  // FP6 10,100 x 6
  CHECK(assess("tpu-v5p").tpp.value() == Approx(7344.0));  // INT8 918 x 8
  // TF32 is not counted (bit length unspecified): Trainium2 stays at its BF16 667 x 16.
  const auto trn2 = assess("trainium2");
  CHECK(trn2.tpp.value() == Approx(10672.0));
  CHECK_FALSE(trn2.notes.empty());
  // No published peak: unknown, not zero.
  const auto asc = assess("ascend-910b");
  CHECK_FALSE(asc.tpp.has_value());
  CHECK(asc.class_2023.export_class == "unknown");
  CHECK_FALSE(asc.controlled_2022.has_value());
}

TEST_CASE("export: the computed TPP matches every profile's recorded TPP", "[export]") {
  for (const auto& a : load_all_accelerators()) {
    if (!a.export_tpp) continue;
    INFO("profile: " << a.id);
    const auto x = econ::assess(a, rules());
    REQUIRE(x.tpp.has_value());
    CHECK(*x.tpp == Approx(*a.export_tpp).epsilon(1e-4));
  }
}

TEST_CASE("export: classes under the October 2022 and October 2023 rules", "[export]") {
  const auto h100 = assess("h100-sxm");
  CHECK(h100.class_2023.export_class == "3A090.a");
  CHECK(h100.class_2023.clause == "3A090.a.1");
  CHECK(h100.controlled_2022 == true);
  CHECK(h100.performance_density.value() == Approx(15832.0 / 814.0));

  const auto a100 = assess("a100-80gb");  // 4,992 TPP and 600 GB/s NVLink: just over both 2022 lines
  CHECK(a100.class_2023.export_class == "3A090.a");
  CHECK(a100.controlled_2022 == true);

  for (const char* id : {"a800", "h800"}) {  // NVLink cut to 400 GB/s for the 2022 rule, caught in 2023
    INFO("profile: " << id);
    const auto x = assess(id);
    CHECK(x.controlled_2022 == false);
    CHECK(x.class_2023.export_class == "3A090.a");
  }

  const auto h20 = assess("h20");  // TPP 2,368, PD 2.91: below 3A090.b
  CHECK(h20.class_2023.export_class != "3A090.a");
  CHECK(h20.class_2023.export_class == "not controlled");
  CHECK(h20.controlled_2022 == false);
  CHECK(h20.performance_density.value() == Approx(2368.0 / 814.0));

  // Between 1,600 and 4,800 TPP the class needs a die area: unknown without one.
  CHECK(assess("tpu-v4").class_2023.export_class == "unknown");
  // Above 4,800 it does not.
  CHECK(assess("mi300x").class_2023.export_class == "3A090.a");
  CHECK_FALSE(assess("mi300x").performance_density.has_value());
}

TEST_CASE("export: the October 2023 clauses at their boundaries", "[export]") {
  const auto& r = rules();
  auto cls = [&](std::optional<double> tpp, std::optional<double> pd) { return econ::classify_2023(tpp, pd, r); };
  CHECK(cls(4800, std::nullopt).clause == "3A090.a.1");
  CHECK(cls(4799.9, 1.0).export_class == "not controlled");
  CHECK(cls(1600, 5.92).clause == "3A090.a.2");
  CHECK(cls(1599.9, 10.0).export_class == "not controlled");
  CHECK(cls(2400, 1.6).clause == "3A090.b.1");
  CHECK(cls(2399.9, 1.6).export_class == "not controlled");
  CHECK(cls(1600, 3.2).clause == "3A090.b.2");
  CHECK(cls(1600, 5.91).clause == "3A090.b.2");
  CHECK(cls(1600, 3.19).export_class == "not controlled");
  CHECK(cls(3000, std::nullopt).export_class == "unknown");
  CHECK(cls(1000, std::nullopt).export_class == "not controlled");
  CHECK(cls(std::nullopt, 10.0).export_class == "unknown");
  CHECK(econ::controlled_2022(4800, 600, r) == true);
  CHECK(econ::controlled_2022(4800, 599, r) == false);
  CHECK(econ::controlled_2022(4799, 900, r) == false);
  CHECK_FALSE(econ::controlled_2022(5000, std::nullopt, r).has_value());
  CHECK(econ::controlled_2022(4000, std::nullopt, r) == false);
}

TEST_CASE("export: hardware show --format json has the export keys", "[export]") {
  const json j = run_json("hardware show h20 --format json");
  for (const char* k : {"tpp", "performance_density", "export_class_2023", "controlled_2022", "summary", "profile"}) {
    INFO("key: " << k);
    CHECK(j.contains(k));
  }
  CHECK(j.at("tpp").get<double>() == Approx(2368.0));
  CHECK(j.at("export_class_2023").get<std::string>() == "not controlled");
  CHECK(j.at("controlled_2022").get<bool>() == false);
  const json m = run_json("hardware show mi300x --format json");
  CHECK(m.at("performance_density").is_null());
  CHECK(m.at("export_class_2023").get<std::string>() == "3A090.a");
  const json l = run_json("hardware list --format json");
  for (const auto& a : l.at("accelerators")) CHECK(a.contains("tpp"));
}

TEST_CASE("export: --cap tier2-2025 counts H100s and times the reference runs", "[export]") {
  const json j = run_json("export --cap tier2-2025 --format json");
  CHECK(j.at("cap").get<std::string>() == "tier2-2025");
  CHECK(j.at("cap_tpp").get<double>() == 507e6);
  CHECK(j.at("cap_status").get<std::string>().find("rescinded") != std::string::npos);
  const json* h100 = nullptr;
  for (const auto& a : j.at("accelerators"))
    if (a.at("id") == "h100-sxm") h100 = &a;
  REQUIRE(h100 != nullptr);
  const auto n = h100->at("count_under_cap").get<std::int64_t>();
  CHECK(n == 32023);  // floor(507e6 / 15,832)
  CHECK(n > 32000);
  CHECK(n < 32100);
  const json& ds = h100->at("runs").at("deepseek-v3");
  REQUIRE(ds.at("wall_clock_days").is_number());
  CHECK(ds.at("precision").get<std::string>() == "fp8");
  CHECK(ds.at("wall_clock_days").get<double>() > 0);
  CHECK(h100->at("runs").at("llama-3.1-405b").at("wall_clock_days").is_number());
  // V100 has no BF16: the 16-bit fallback is FP16.
  for (const auto& a : j.at("accelerators"))
    if (a.at("id") == "v100") CHECK(a.at("runs").at("llama-3.1-405b").at("precision").get<std::string>() == "fp16");
  // Profiles without a TPP are listed apart.
  bool ascend = false;
  for (const auto& s : j.at("skipped")) ascend = ascend || s.at("id") == "ascend-910b";
  CHECK(ascend);
}

TEST_CASE("export: --cap-tpp too small for the model gives null days with a reason", "[export]") {
  const json j = run_json("export --cap-tpp 1e6 --format json");
  CHECK(j.at("cap").is_null());
  for (const auto& a : j.at("accelerators")) {
    if (a.at("id") != "h100-sxm") continue;
    CHECK(a.at("count_under_cap").get<std::int64_t>() == 63);
    const json& ds = a.at("runs").at("deepseek-v3");  // 671B x 16 B of model states do not fit in 63 x 80 GB
    CHECK(ds.at("wall_clock_days").is_null());
    CHECK(ds.at("reason").get<std::string>().find("does not fit") != std::string::npos);
  }
  CHECK(run_cli("export --cap-tpp 507M").status == 0);
}

TEST_CASE("export: bad caps exit 2", "[export]") {
  check_usage_error("export --cap-tpp 0", {"--cap-tpp"});
  check_usage_error("export --cap-tpp -5", {"--cap-tpp"});
  check_usage_error("export --cap-tpp nan", {"--cap-tpp"});
  check_usage_error("export --cap-tpp abc", {"--cap-tpp"});
  check_usage_error("export --cap-tpp 1e300", {"--cap-tpp"});
  check_usage_error("export --cap nosuchcap", {"nosuchcap", "tier2-2025", "tier2-2027", "tier2-us-company-2025",
                                               "tier2-us-company-2027"});
  check_usage_error("export --cap tier2-2025 --cap-tpp 507e6", {});
  check_usage_error("export", {"--cap-tpp", "--cap", "tier2-2025"});
  check_usage_error("export --cap tier2-2025 --format xml", {"--format"});
}

TEST_CASE("export: a bad rules file names the field", "[export]") {
  std::ifstream in(test_support::source_path("constants/export_controls.json"));
  json doc = json::parse(in);
  doc["rules"]["oct2023"]["clauses"][1]["pd_min"] = "5.92";
  const std::string path = "/tmp/traincost_export_rules_" + std::to_string(::getpid()) + ".json";
  std::ofstream(path) << doc.dump(2);
  CHECK_THROWS_AS(econ::load_export_rules(path), InputError);
  CHECK_THROWS_WITH(econ::load_export_rules(path), Catch::Contains("rules.oct2023.clauses[1].pd_min"));
  doc = json::parse(std::ifstream(test_support::source_path("constants/export_controls.json")));
  doc["caps"]["named"]["tier2-2025"]["tpp"] = -1;
  std::ofstream(path) << doc.dump(2);
  CHECK_THROWS_WITH(econ::load_export_rules(path), Catch::Contains("caps.named.tier2-2025.tpp"));
  std::remove(path.c_str());
}
