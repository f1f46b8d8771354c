#pragma once
// Upper bounds for the range checks of the export-control rules file and of the
// profiles' figures it reads: far above any real value, they only catch typos (a
// TPP in FLOP/s instead of TOPS x bits, say). Internal to econ/.
namespace traincost::econ::detail {

constexpr double kMaxTpp = 1e9;
constexpr double kMaxDensity = 1e4;
constexpr double kMaxIoGbS = 1e7;
constexpr double kMaxCapTpp = 1e15;

}  // namespace traincost::econ::detail
