#pragma once
// The HTML report's building blocks (internal to report/): reading the commands' JSON
// leniently, formatting cells, and the HTML pieces, where every string from the JSON is
// escaped. Used by html_report.cpp (the sections) and html_sources.cpp (sources and method).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/report/svg.hpp"

namespace traincost::report::html {

using Json = nlohmann::ordered_json;
using svg::escape;
using svg::NumberStyle;

inline const std::string kDash = "\u2014";

// ---- reading the JSON: absent, null or non-finite values read as nullopt / "" / nullptr
std::optional<double> number(const Json& j, const std::string& key);
double number_or_nan(const Json& j, const std::string& key);
std::string str(const Json& j, const std::string& key);
const Json* child(const Json& j, const std::string& key, bool want_array = false);
std::vector<std::string> strings(const Json& j, const std::string& key);
// An optional input: absent or null -> nullptr; otherwise an object of the given schema.
const Json* optional_input(const std::optional<Json>& j, const char* what, const char* schema);

// ---- formatting
template <typename F>
std::string or_dash(std::optional<double> v, F f) {
  return v ? f(*v) : kDash;
}
std::string fixed1(double v);
std::string range(const Json* pct, const std::string& key, std::string (*f)(double));
std::string mwh(double v);
std::string tonnes(double v);
std::string days(double v);
std::string signed_percent(double f);

// ---- HTML pieces (every string escaped here)
struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column: right-aligned
};
std::string html_table(const Table& t);
std::string para(const std::string& text, const char* cls = "");
std::string list(const std::vector<std::string>& items, const char* cls = "notes");
std::string figure(const std::string& chart, const std::string& caption);
std::string section(const char* id, const char* heading, const std::string& body);

// The report's closing section: every figure's formula, inputs and source.
std::string sources_section(const Json& e, const Json* plan, const Json* compare, const Json* hw, const Json* val);

}  // namespace traincost::report::html
