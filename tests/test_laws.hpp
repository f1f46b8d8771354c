#pragma once
// The scaling laws of constants/scaling_laws.json, read once for every test that needs them.
#include "test_support.hpp"
#include "traincost/econ/scaling_laws.hpp"
#include "traincost/util/json_fields.hpp"

namespace test_support {

inline const traincost::econ::ScalingLaws& scaling_laws() {
  static const traincost::econ::ScalingLaws s = traincost::econ::scaling_laws_from_json(
      traincost::read_json_object_file(source_path("constants/scaling_laws.json")), "constants/scaling_laws.json");
  return s;
}

}  // namespace test_support
