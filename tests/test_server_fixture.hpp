#pragma once
// A `traincost serve` in this process for one test case: an ephemeral loopback
// port, a listening thread, stopped and joined at the end.
#include <chrono>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "server/server.hpp"

namespace test_support {

class TestServer {
 public:
  explicit TestServer(std::size_t cached_responses = traincost::server::kDefaultCachedResponses,
                      const traincost::server::ServerLimits& limits = {})
      : server_(cached_responses, limits) {
    port_ = server_.bind("127.0.0.1", 0);
    thread_ = std::thread([this] { server_.listen(); });
    // Wait until it answers (listen() starts accepting a moment after the thread).
    for (int i = 0; i < 200; ++i) {
      if (auto r = client().Get("/api/health"); r && r->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("server did not come up");
  }
  ~TestServer() {
    server_.stop();
    thread_.join();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    c.set_tcp_nodelay(true);  // else Nagle holds the body behind the headers (~40 ms a request)
    return c;
  }
  httplib::Result post(const std::string& path, const std::string& body) const {
    return client().Post(path.c_str(), body, "application/json");
  }
  httplib::Result post(const std::string& path, const nlohmann::json& body) const { return post(path, body.dump()); }
  httplib::Result get(const std::string& path) const { return client().Get(path.c_str()); }
  int port() const { return port_; }

 private:
  traincost::server::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace test_support
