#include "server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <httplib.h>

#include "api.hpp"
#include "connection.hpp"
#include "pool.hpp"
#include "response_cache.hpp"
#include "traincost/util/error.hpp"

namespace traincost::server {

namespace {

constexpr std::size_t kKeepAliveRequests = 1000;  // per connection (httplib's default is 5)

void respond(ResponseCache* cache, const httplib::Request& req, httplib::Response& res) {
  const ApiResponse r = handle(req.method, req.path, req.body, cache);
  res.status = r.status;
  for (const auto& [k, v] : r.headers) res.set_header(k, v);
  res.set_content(r.body, r.content_type);
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

Server::Server(std::size_t cached_responses, const ServerLimits& limits)
    : cache_(cached_responses > 0 ? std::make_unique<ResponseCache>(cached_responses) : nullptr),
      http_(std::make_unique<GuardedHttpServer>(limits)) {
  http_->new_task_queue = [limits] { return new ElasticPool(limits.core_threads, limits.max_threads); };
  http_->set_keep_alive_max_count(kKeepAliveRequests);
  // The idle bound itself is GuardedHttpServer's; this is what the Keep-Alive header announces.
  http_->set_keep_alive_timeout(std::max<time_t>(1, static_cast<time_t>(limits.idle.count() / 1000)));
  // httplib writes the headers and the body separately; with Nagle's algorithm
  // the body waits for the client's delayed ACK (~40 ms per response on Linux).
  http_->set_tcp_nodelay(true);
  // Replaces httplib's defaults, which add SO_REUSEPORT: with it a second
  // server binds a port already in use without an error. Keeps the fd so bind()
  // can widen the listen backlog.
  http_->set_socket_options([this](int sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = sock;
  });
  http_->set_payload_max_length(kMaxBodyBytes);
  // Every method and path goes through handle(), which answers 404 and 405 itself.
  const std::string any = "(.*)";
  const auto respond_here = [cache = cache_.get()](const httplib::Request& req, httplib::Response& res) {
    respond(cache, req, res);
  };
  http_->Get(any, respond_here);
  http_->Post(any, respond_here);
  http_->Put(any, respond_here);
  http_->Patch(any, respond_here);
  http_->Delete(any, respond_here);
  http_->Options(any, respond_here);
  // httplib's own refusals (413 over the payload limit, 400 unparsable request)
  // arrive here without a body; give them the API's error shape.
  http_->set_error_handler([limits](const httplib::Request& req, httplib::Response& res) {
    if (const std::string missed = GuardedHttpServer::missed_deadline(); !missed.empty()) {
      // httplib reports a read cut off at a deadline as 400; it is the client's 408.
      res.status = 408;
      const auto ms = missed == "header" ? limits.header : limits.body;
      res.set_header("Connection", "close");
      res.set_content(error_response(408, fmt::format("request {} not received within {} ms", missed, ms.count())).body,
                      "application/json");
      return;
    }
    if (!res.body.empty()) return;
    res.set_header("Connection", "close");
    GuardedHttpServer::close_after_response();
    std::string message = fmt::format("{} {}: the request could not be read (HTTP {})", req.method, req.path, res.status);
    if (res.status == 413)
      // httplib caps form-encoded bodies (curl -d's default type) far lower.
      message = req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0
                    ? "form-encoded request body is over httplib's limit of 8192 bytes; send JSON with "
                      "Content-Type: application/json"
                    : fmt::format("request body is over the limit of {} bytes", kMaxBodyBytes);
    res.set_content(error_response(res.status, message).body, "application/json");
  });
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    const ApiResponse r = error_response(500, "internal error");
    res.status = r.status;
    res.set_content(r.body, r.content_type);
  });
}

Server::~Server() = default;

int Server::bind(const std::string& host, int port) {
  const int bound = port == 0 ? http_->bind_to_any_port(host) : (http_->bind_to_port(host, port) ? port : -1);
  if (bound < 0)
    throw UsageError(fmt::format("--host/--port: cannot listen on {}:{} ({})", host, port,
                                 errno != 0 ? std::strerror(errno) : "address in use or not local"));
  // httplib listens with a backlog of 5: a sixth simultaneous connect is
  // dropped and the client retries its SYN a second later (seen as 1 s
  // outliers with 8 connections). listen() again on the bound socket widens it.
  if (listen_fd_ >= 0) ::listen(listen_fd_, SOMAXCONN);
  return bound;
}

void Server::listen() {
  // A client that hangs up mid-response must not end the process.
  std::signal(SIGPIPE, SIG_IGN);
  http_->listen_after_bind();
}

void Server::stop() { http_->stop(); }

int serve(const ServeOptions& o) {
  Server s;
  const int port = s.bind(o.host, o.port);
  if (!is_loopback(o.host))
    fmt::print(stderr, "traincost: warning: serving on {}: anyone who can reach this address can use the API\n", o.host);
  const std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  fmt::print("traincost: serving http://{}:{}/\n", host, port);
  std::fflush(stdout);
  s.listen();
  return 0;
}

}  // namespace traincost::server
