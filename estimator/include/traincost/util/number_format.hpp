#pragma once
// Human-readable numbers, for tables and for the sentences (notes, messages,
// answers) the engine writes. JSON output never uses these: it carries raw SI
// values. The report layer re-exports them as report::count etc. (report/format.hpp).
#include <cstdint>
#include <string>

namespace traincost::util {

std::string count(double n);          // 671.03B, 12.9M, 4,096
std::string exact(std::int64_t n);    // 176,247,271,424
std::string sci(double x);            // 3.29e+24
std::string usd(double x);            // $5.576M, $12,345
std::string bytes(double b);          // 80.0 GB
std::string percent(double fraction); // 37.5%
std::string precise(double x);        // 2.788M: four significant digits, as a claim is stated
std::string times(double ratio);      // 1.03x
std::string days_text(double days);   // 56.7

}  // namespace traincost::util
