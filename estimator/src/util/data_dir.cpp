#include "traincost/util/data_dir.hpp"

#include <cstdlib>

namespace traincost {

std::filesystem::path data_dir() {
  if (const char* env = std::getenv("TRAINCOST_DATA_DIR"); env != nullptr && *env != '\0')
    return std::filesystem::path(env);
  return std::filesystem::path(TRAINCOST_DEFAULT_DATA_DIR);
}

}  // namespace traincost
