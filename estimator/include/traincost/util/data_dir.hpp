#pragma once
#include <filesystem>

namespace traincost {

// Root of the project's data (hwprofiles/, models/, validation/).
// $TRAINCOST_DATA_DIR wins; otherwise the source tree the binary was built from.
std::filesystem::path data_dir();

}  // namespace traincost
