#include "server.hpp"

#include <sys/socket.h>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>

#include "api.hpp"
#include "response_cache.hpp"
#include "traincost/util/error.hpp"

namespace traincost::server {

namespace {

// Worker threads. cpp-httplib holds a thread per open connection for as long as it
// is open, stalled or idle. 16 are kept; when all are busy, another is started, up
// to 256, so stalled or idle clients (a half-sent request waits up to the 5 s read
// timeout per byte) cannot leave a new request queued behind them.
constexpr std::size_t kCoreThreads = 16;
constexpr std::size_t kMaxThreads = 256;
constexpr std::size_t kKeepAliveRequests = 1000;  // per connection (httplib's default is 5)
constexpr time_t kKeepAliveIdleS = 2;             // an idle keep-alive connection is closed after this

// httplib's TaskQueue that grows instead of queueing while every worker is busy.
class ElasticPool : public httplib::TaskQueue {
 public:
  ElasticPool(std::size_t core, std::size_t max) : max_(max) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (threads_.size() < core) spawn();
  }
  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(fn));
    if (idle_ < jobs_.size() && threads_.size() < max_) spawn();
    cond_.notify_one();
  }
  void shutdown() override {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      shutdown_ = true;
    }
    cond_.notify_all();
    for (auto& t : threads_) t.join();  // no enqueue after shutdown: httplib has stopped accepting
  }

 private:
  void spawn() { threads_.emplace_back([this] { work(); }); }  // with mutex_ held
  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      ++idle_;
      cond_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
      --idle_;
      if (jobs_.empty()) return;  // shutting down
      std::function<void()> fn = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      fn();
      lock.lock();
    }
  }
  const std::size_t max_;
  std::mutex mutex_;
  std::condition_variable cond_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool shutdown_ = false;
};

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

Server::Server(std::size_t cached_responses)
    : cache_(cached_responses > 0 ? std::make_unique<ResponseCache>(cached_responses) : nullptr),
      http_(std::make_unique<httplib::Server>()) {
  http_->new_task_queue = [] { return new ElasticPool(kCoreThreads, kMaxThreads); };
  http_->set_keep_alive_max_count(kKeepAliveRequests);
  http_->set_keep_alive_timeout(kKeepAliveIdleS);
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
  http_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
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
    throw UsageError(fmt::format("--port: cannot listen on {}:{} ({})", host, port,
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
