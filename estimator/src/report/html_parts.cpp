// The HTML report's building blocks (html_parts.hpp).
#include "html_parts.hpp"

#include <cmath>

#include <fmt/format.h>

#include "traincost/util/error.hpp"

namespace traincost::report::html {

// ---- reading the JSON ---------------------------------------------------------

std::optional<double> number(const Json& j, const std::string& key) {
  if (!j.is_object()) return std::nullopt;
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

double number_or_nan(const Json& j, const std::string& key) { return number(j, key).value_or(std::nan("")); }

std::string str(const Json& j, const std::string& key) {
  if (!j.is_object()) return "";
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

const Json* child(const Json& j, const std::string& key, bool want_array) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  if (it == j.end()) return nullptr;
  return (want_array ? it->is_array() : it->is_object()) ? &*it : nullptr;
}

std::vector<std::string> strings(const Json& j, const std::string& key) {
  std::vector<std::string> out;
  if (const Json* a = child(j, key, true))
    for (const auto& s : *a)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

// An optional input: absent or null → nullptr; otherwise an object of the given schema.
const Json* optional_input(const std::optional<Json>& j, const char* what, const char* schema) {
  if (!j || j->is_null()) return nullptr;
  if (!j->is_object()) throw InputError(fmt::format("report: {} must be a JSON object ({})", what, schema));
  const std::string s = str(*j, "schema");
  if (!s.empty() && s != schema)
    throw InputError(fmt::format("report: {}: schema is '{}'; expected '{}'", what, s, schema));
  return &*j;
}

// ---- formatting -------------------------------------------------------------------

std::string fixed1(double v) { return fmt::format("{:.1f}", v); }
std::string range(const Json* pct, const std::string& key, std::string (*f)(double)) {
  if (!pct) return "";
  const Json* r = child(*pct, key);
  if (!r) return "";
  const auto lo = number(*r, "p10"), hi = number(*r, "p90");
  return lo && hi ? fmt::format("{} \u2013 {}", f(*lo), f(*hi)) : "";
}
std::string mwh(double v) { return fmt::format("{:.0f} MWh", v); }
std::string tonnes(double v) { return fmt::format("{:.0f} t", v); }
std::string days(double v) { return fixed1(v); }
std::string signed_percent(double f) { return fmt::format("{:+.1f}%", 100.0 * f); }

// ---- HTML pieces (every string escaped here) -----------------------------------

std::string html_table(const Table& t) {
  auto cls = [&](std::size_t i) { return i < t.numeric.size() && t.numeric[i] ? " class=\"num\"" : ""; };
  std::string out = "<table>\n";
  if (!t.caption.empty()) out += fmt::format("<caption>{}</caption>\n", escape(t.caption));
  out += "<thead><tr>";
  for (std::size_t i = 0; i < t.header.size(); ++i) out += fmt::format("<th{}>{}</th>", cls(i), escape(t.header[i]));
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& r : t.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < r.size(); ++i) out += fmt::format("<td{}>{}</td>", cls(i), escape(r[i]));
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string para(const std::string& text, const char* cls) {
  return text.empty() ? "" : fmt::format("<p{}>{}</p>\n", *cls ? fmt::format(" class=\"{}\"", cls) : "", escape(text));
}

std::string list(const std::vector<std::string>& items, const char* cls) {
  if (items.empty()) return "";
  std::string out = fmt::format("<ul class=\"{}\">\n", cls);
  for (const auto& i : items) out += fmt::format("<li>{}</li>\n", escape(i));
  return out + "</ul>\n";
}

std::string figure(const std::string& chart, const std::string& caption) {
  return fmt::format("<figure>\n{}<figcaption>{}</figcaption>\n</figure>\n", chart, escape(caption));
}

std::string section(const char* id, const char* heading, const std::string& body) {
  return fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n", id, heading, body);
}

}  // namespace traincost::report::html
