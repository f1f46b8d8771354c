#pragma once
// `traincost serve`: the page and the JSON API over HTTP (cpp-httplib).
#include <cstddef>
#include <memory>
#include <string>

#include "limits.hpp"

namespace httplib {
class Server;
}

namespace traincost::server {

class ResponseCache;

// Up to 256 responses of up to ~100 kB (compare-hardware, a plan) each: ~25 MB at worst.
inline constexpr std::size_t kDefaultCachedResponses = 256;

struct ServeOptions {
  std::string host = "127.0.0.1";  // loopback unless asked otherwise
  int port = 8080;                 // 0 picks a free port
};

// One HTTP server; tests run it in a thread on an ephemeral loopback port.
class Server {
 public:
  // `cached_responses` 0 turns the response cache off (tests of the engine itself).
  // `limits`: deadlines and worker counts (connection.hpp); tests shorten them.
  explicit Server(std::size_t cached_responses = kDefaultCachedResponses, const ServerLimits& limits = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and returns the port (the real one for port 0). UsageError when it cannot.
  int bind(const std::string& host, int port);
  // Serves until stop(); call after bind().
  void listen();
  void stop();

 private:
  std::unique_ptr<ResponseCache> cache_;
  std::unique_ptr<httplib::Server> http_;
  int listen_fd_ = -1;  // the listening socket, owned by http_
};

// Binds, prints "traincost: serving http://HOST:PORT/" (flushed) and serves
// until the process is stopped. Returns the exit status.
int serve(const ServeOptions& o);

}  // namespace traincost::server
