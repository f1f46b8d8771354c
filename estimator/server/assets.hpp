#pragma once
// The files under web/, embedded at build time (embed_assets.cmake writes
// web_assets.cpp), so the page works offline from the binary alone.
#include <string>
#include <string_view>
#include <vector>

namespace traincost::server {

struct Asset {
  std::string_view path;  // relative to web/, e.g. "index.html", "img/logo.svg"
  std::string_view bytes;
};

const std::vector<Asset>& assets();                   // web_assets.cpp (generated)
const Asset* find_asset(std::string_view path);       // nullptr when absent
std::string content_type_for(std::string_view path);  // by extension

}  // namespace traincost::server
