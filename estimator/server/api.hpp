#pragma once
// The web API without the HTTP: a method, a path and a body in, a status, a
// body and headers out. server.cpp is the cpp-httplib glue around handle().
// Every exception becomes an error response; nothing here throws.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace traincost::server {

// Bodies above this are refused with 413 (the page's largest inline HF config
// is a few kB; 1 MiB leaves room and bounds the parse).
inline constexpr std::size_t kMaxBodyBytes = 1 << 20;
// HF configs nest three or four levels (rope_scaling, quantization_config).
inline constexpr std::size_t kMaxBodyDepth = 64;

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

class ResponseCache;

// Routes one request: /api/... to the command layer, anything else to the
// embedded page assets. With a cache, successful POST responses are kept and
// reused (response_cache.hpp).
ApiResponse handle(const std::string& method, const std::string& path, const std::string& body,
                   ResponseCache* cache = nullptr);

// {"error": message, "field": field or null}; extra keys merged in.
ApiResponse error_response(int status, const std::string& message, const std::string& field = "");

// The commands served as POST /api/<name>, in README order.
const std::vector<std::string>& post_commands();

}  // namespace traincost::server
