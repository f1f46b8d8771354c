#pragma once
// Rendering helpers for tables. The number formatters (count, usd, ...) are
// utilities the engine uses too (util/number_format.hpp); they are brought in
// here so report code can keep writing count(...) or report::count(...).
// JSON output never uses these: it carries raw SI values.
#include <string>
#include <vector>

#include "traincost/util/number_format.hpp"

namespace traincost::report {

using util::bytes;
using util::count;
using util::days_text;
using util::exact;
using util::percent;
using util::precise;
using util::sci;
using util::times;
using util::usd;

// A plain aligned table: first row is the header.
std::string table(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right_align = {});

}  // namespace traincost::report
