// Slow and greedy clients against `traincost serve` (issue 14): deadlines that a
// client cannot reset by trickling bytes, a bound on idle connections, and a fast
// refusal once every worker is held. Loopback only; every wait here is bounded.
// The bounds are generous (seconds over the deadline) so a loaded CI machine or
// ASan does not fail them; without the deadlines they fail outright (trickling
// connections stay open for ever and a request behind a full pool waits).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "server/limits.hpp"
#include "test_server_fixture.hpp"

using test_support::TestServer;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, const std::string& s) { return ::send(fd, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size()); }

// A connection that sends `start`, then `drip` every `every`, until the server closes it.
struct Trickler {
  int fd = -1;
  Clock::time_point started;
  double closed_after = -1;  // seconds from `started` to the server's close; -1 while open
  std::string received;
};

// Drives all tricklers from this thread until each is closed or `give_up_s` passes;
// `midway` runs once, `midway_s` in.
void trickle(std::vector<Trickler>& ts, const std::string& drip, std::chrono::milliseconds every, double give_up_s,
             double midway_s, const std::function<void()>& midway) {
  const auto t0 = Clock::now();
  auto next_drip = t0 + every;
  bool midway_done = false;
  for (;;) {
    std::vector<pollfd> open;
    for (const auto& t : ts)
      if (t.closed_after < 0) open.push_back(pollfd{t.fd, POLLIN, 0});
    if (open.empty() || seconds_since(t0) > give_up_s) return;
    if (!midway_done && seconds_since(t0) >= midway_s) {
      midway_done = true;
      midway();
    }
    ::poll(open.data(), open.size(), 50);
    for (auto& t : ts) {
      if (t.closed_after >= 0) continue;
      const auto it = std::find_if(open.begin(), open.end(), [&](const pollfd& p) { return p.fd == t.fd; });
      if (it == open.end() || (it->revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buf[4096];
      const ssize_t n = ::recv(t.fd, buf, sizeof buf, 0);
      if (n > 0) t.received.append(buf, static_cast<std::size_t>(n));
      else t.closed_after = seconds_since(t.started);  // EOF or reset: closed by the server
    }
    if (Clock::now() >= next_drip) {
      next_drip += every;
      for (auto& t : ts)
        if (t.closed_after < 0) (void)send_all(t.fd, drip);
    }
  }
}

std::vector<Trickler> open_tricklers(int port, int n, const std::string& start) {
  std::vector<Trickler> ts;
  for (int i = 0; i < n; ++i) {
    Trickler t;
    t.fd = connect_to(port);
    t.started = Clock::now();
    if (t.fd >= 0 && send_all(t.fd, start)) ts.push_back(t);
  }
  return ts;
}

void close_all(std::vector<Trickler>& ts) {
  for (auto& t : ts) ::close(t.fd);
}

int answered_408(const std::vector<Trickler>& ts) {
  return static_cast<int>(std::count_if(ts.begin(), ts.end(), [](const Trickler& t) {
    return t.received.rfind("HTTP/1.1 408", 0) == 0;
  }));
}

}  // namespace

TEST_CASE("server: headers trickled a line a second are cut off at the header deadline", "[server]") {
  // 48 slowloris connections (three times the 16 core workers), each sending a header
  // line every second: under httplib's 5 s timeout per recv, which each line resets.
  // The header deadline (5 s from the first byte) closes every one with a 408, and a
  // health check sent among them is answered at once.
  TestServer s;
  const traincost::server::ServerLimits limits;
  auto ts = open_tricklers(s.port(), 48, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  REQUIRE(ts.size() == 48);
  double health_s = -1;
  int health_status = 0;
  trickle(ts, "X-Slow: 1\r\n", std::chrono::milliseconds(1000), 12.0, 1.5, [&] {
    const auto t0 = Clock::now();
    const auto r = s.get("/api/health");
    health_s = seconds_since(t0);
    health_status = r ? r->status : -1;
  });
  close_all(ts);
  CHECK(health_status == 200);
  CHECK(health_s >= 0);
  CHECK(health_s < 3.0);
  const double deadline_s = static_cast<double>(limits.header.count()) / 1000;
  for (const auto& t : ts) {
    INFO("closed after " << t.closed_after << " s; fd " << t.fd << " got: " << t.received);
    CHECK(t.closed_after >= deadline_s - 0.5);  // not cut before its deadline ...
    CHECK(t.closed_after < deadline_s + 4.0);   // ... and soon after it
  }
  CHECK(answered_408(ts) > 0);  // some closes may come as resets, which drop the response
}

TEST_CASE("server: a body trickled a byte at a time is cut off at the body deadline", "[server]") {
  // A greedy request: headers promising 100 kB, then one byte every 250 ms. The body
  // deadline (shortened here to 2 s) runs from the end of the headers and is not reset
  // by each byte.
  traincost::server::ServerLimits limits;
  limits.body = std::chrono::milliseconds(2000);
  TestServer s(traincost::server::kDefaultCachedResponses, limits);
  auto ts = open_tricklers(s.port(), 4,
                           "POST /api/params HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           "Content-Length: 100000\r\n\r\n{\"model\": \"");
  REQUIRE(ts.size() == 4);
  int health_status = 0;
  trickle(ts, "x", std::chrono::milliseconds(250), 8.0, 1.0, [&] {
    const auto r = s.get("/api/health");
    health_status = r ? r->status : -1;
  });
  close_all(ts);
  CHECK(health_status == 200);
  for (const auto& t : ts) {
    INFO("closed after " << t.closed_after << " s");
    CHECK(t.closed_after >= 1.5);
    CHECK(t.closed_after < 2.0 + 4.0);
  }
  CHECK(answered_408(ts) > 0);
}

TEST_CASE("server: an idle keep-alive connection is closed after the idle bound", "[server]") {
  TestServer s;
  const traincost::server::ServerLimits limits;
  auto ts = open_tricklers(s.port(), 1, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  REQUIRE(ts.size() == 1);
  trickle(ts, "", std::chrono::milliseconds(1000), 8.0, 0, [] {});
  close_all(ts);
  CHECK(ts[0].received.rfind("HTTP/1.1 200", 0) == 0);
  const double idle_s = static_cast<double>(limits.idle.count()) / 1000;
  CHECK(ts[0].closed_after >= idle_s - 0.5);
  CHECK(ts[0].closed_after < idle_s + 4.0);
}

TEST_CASE("server: silent half-requests cannot starve the workers", "[server]") {
  // 48 connections that stall mid-header (more than the 16 core workers). A health check
  // sent after them must still be answered at once, not after the stalled ones time out
  // (~10-20 s with a fixed pool of 16: issue 14).
  TestServer s;
  auto ts = open_tricklers(s.port(), 48, "POST /api/params HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  REQUIRE(ts.size() == 48);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the server take them all
  const auto t0 = Clock::now();
  const auto r = s.get("/api/health");
  const double seconds = seconds_since(t0);
  close_all(ts);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(seconds < 1.0);
}

TEST_CASE("server: with every worker held, a new connection is refused at once with 503", "[server]") {
  // A ceiling of 4 workers, all held by stalled requests: the fifth connection is
  // answered 503 with Retry-After instead of waiting seconds for one of them.
  traincost::server::ServerLimits limits;
  limits.core_threads = 2;
  limits.max_threads = 4;
  TestServer s(traincost::server::kDefaultCachedResponses, limits);
  // The worker of the start-up health check frees itself once it sees that client
  // hang up; until then a staller would find every worker busy and be the one refused.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto ts = open_tricklers(s.port(), 4, "POST /api/params HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  REQUIRE(ts.size() == 4);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the workers take them
  for (auto& t : ts) {  // each is held, none refused
    pollfd p{t.fd, POLLIN, 0};
    CHECK(::poll(&p, 1, 0) == 0);
  }
  const auto t0 = Clock::now();
  const auto busy = s.get("/api/health");
  const double seconds = seconds_since(t0);
  close_all(ts);
  REQUIRE(busy);
  INFO(busy->body);
  CHECK(busy->status == 503);
  CHECK(busy->get_header_value("Retry-After") == "1");
  CHECK(busy->body.find("busy") != std::string::npos);
  CHECK(seconds < 2.0);
  // Once they hang up, the workers serve again.
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto r = s.get("/api/health");
    status = r ? r->status : -1;
  }
  CHECK(status == 200);
}
