#pragma once
// Reading a data file (constants/*.json) once per process. Every accessor such
// as budget_constants() or scaling_laws() is one call to load_once: the path
// relative to data_dir() and the parser, which gets the JSON document and the
// full path (for error messages naming the file).
#include <string>

#include <nlohmann/json.hpp>

#include "traincost/util/data_dir.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost {

// Parses <data_dir>/<relative_path> with parse(document, full path). Errors
// (InputError) name the file.
template <class Parse>
auto parse_data_file(const std::string& relative_path, Parse parse) {
  const std::string path = (data_dir() / relative_path).string();
  return parse(read_json_object_file(path), path);
}

// The parsed file, read on first use and kept (a function-local static, so
// thread-safe). There is one static per (T, Parse) type: pass a lambda, whose
// type is unique to its call site, so two files never share one.
template <class T, class Parse>
const T& load_once(const char* relative_path, Parse parse) {
  static const T value = parse_data_file(relative_path, parse);
  return value;
}

}  // namespace traincost
