#include "connection.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "api.hpp"
#include "pool.hpp"

namespace traincost::server {

namespace {

using Clock = std::chrono::steady_clock;

// httplib's own per-recv/send timeout (CPPHTTPLIB_READ_TIMEOUT_SECOND), kept under the deadlines.
constexpr std::chrono::milliseconds kPerCallTimeout{5000};

thread_local const char* tl_missed = "";
thread_local bool tl_close = false;

// poll() for `events` until `deadline` or `cap` from now, whichever is first:
// >0 ready, <0 error, 0 only once that time has really passed (poll may wake early).
int wait_for(int fd, short events, Clock::time_point deadline, std::chrono::milliseconds cap) {
  const auto end = std::min(deadline, Clock::now() + cap);
  for (;;) {
    const auto now = Clock::now();
    if (now >= end) return 0;
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(end - now).count()));
    if (r == 0 || (r < 0 && errno == EINTR)) continue;
    return r;
  }
}

void address_of(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  const int r = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len)
                     : ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  if (r != 0) return;
  std::array<char, NI_MAXHOST> host{};
  std::array<char, NI_MAXSERV> serv{};
  if (::getnameinfo(reinterpret_cast<sockaddr*>(&a), len, host.data(), host.size(), serv.data(), serv.size(),
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host.data();
    port = std::atoi(serv.data());
  }
}

// An httplib::Stream over an accepted socket whose reads and writes end at the
// current request's deadlines. httplib reads the request line and headers one
// byte per read() (stream_line_reader), so the blank line that ends the headers
// is seen here and starts the body's deadline.
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(int fd, const ServerLimits& limits) : fd_(fd), limits_(limits) {}

  void start_request() {
    in_headers_ = true;
    tail_ = 0;
    deadline_ = Clock::now() + limits_.header;
    write_started_ = false;
    written_ = 0;
    tl_missed = "";
    tl_close = false;
  }
  bool missed() const { return *tl_missed != '\0'; }
  std::size_t written() const { return written_; }

  bool is_readable() const override {
    return begin_ < end_ || wait_for(fd_, POLLIN, deadline_, kPerCallTimeout) > 0;
  }
  bool is_writable() const override {
    start_write();
    return wait_for(fd_, POLLOUT, write_deadline_, kPerCallTimeout) > 0;
  }

  ssize_t read(char* ptr, size_t size) override {
    if (size == 0) return 0;
    if (missed()) return -1;
    if (begin_ == end_ && !fill()) return -1;
    std::size_t n = std::min(size, end_ - begin_);
    if (in_headers_) n = deliver_header_bytes(ptr, n);
    else std::memcpy(ptr, buf_.data() + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    start_write();
    if (wait_for(fd_, POLLOUT, write_deadline_, kPerCallTimeout) <= 0) {
      if (Clock::now() >= write_deadline_) tl_missed = "response write";
      return -1;
    }
    const ssize_t n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
    if (n > 0) written_ += static_cast<std::size_t>(n);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address_of(fd_, true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address_of(fd_, false, ip, port); }
  socket_t socket() const override { return fd_; }

 private:
  // The response's deadline runs from its first write (or writability check).
  void start_write() const {
    if (write_started_) return;
    write_started_ = true;
    write_deadline_ = Clock::now() + limits_.write;
  }
  // Refills the buffer before the phase's deadline; false on timeout, error or EOF.
  bool fill() {
    const int ready = wait_for(fd_, POLLIN, deadline_, kPerCallTimeout);
    if (ready == 0 && Clock::now() >= deadline_) tl_missed = in_headers_ ? "header" : "body";
    if (ready <= 0) return false;
    ssize_t n;
    do n = ::recv(fd_, buf_.data(), buf_.size(), 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    begin_ = 0;
    end_ = static_cast<std::size_t>(n);
    return true;
  }
  // Copies up to n header bytes, stopping after "\r\n\r\n", which starts the body's clock.
  std::size_t deliver_header_bytes(char* ptr, std::size_t n) {
    static constexpr char kEnd[] = "\r\n\r\n";
    for (std::size_t i = 0; i < n; ++i) {
      const char c = buf_[begin_ + i];
      ptr[i] = c;
      tail_ = c == kEnd[tail_] ? tail_ + 1 : (c == '\r' ? 1 : 0);
      if (tail_ == 4) {
        in_headers_ = false;
        deadline_ = Clock::now() + limits_.body;
        return i + 1;
      }
    }
    return n;
  }

  const int fd_;
  const ServerLimits& limits_;
  std::array<char, 4096> buf_{};
  std::size_t begin_ = 0, end_ = 0;
  bool in_headers_ = true;
  std::size_t tail_ = 0;  // how much of "\r\n\r\n" the last bytes matched
  Clock::time_point deadline_{};
  mutable Clock::time_point write_deadline_{};  // set by the const is_writable() too
  mutable bool write_started_ = false;
  std::size_t written_ = 0;
};

// A whole response written without httplib (a refusal before or instead of a request).
void write_raw(int fd, int status, const char* reason, const std::string& message, const char* extra_header) {
  const std::string body = error_response(status, message).body;
  const std::string text = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n"
                                       "Connection: close\r\n{}\r\n{}",
                                       status, reason, body.size(), extra_header, body);
  (void)::send(fd, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// Reads what the client already sent, so that close() sends FIN rather than RST
// (which would make the client drop the response unread).
void drain(int fd) {
  std::array<char, 4096> scrap{};
  for (int i = 0; i < 16 && ::recv(fd, scrap.data(), scrap.size(), MSG_DONTWAIT) > 0; ++i) {
  }
}

void close_socket(int fd) {
  drain(fd);
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

}  // namespace

GuardedHttpServer::GuardedHttpServer(const ServerLimits& limits) : limits_(limits) {}

const char* GuardedHttpServer::missed_deadline() { return tl_missed; }

void GuardedHttpServer::close_after_response() { tl_close = true; }

// httplib's loop (detail::process_server_socket in 0.11.4) with our stream and idle bound.
bool GuardedHttpServer::process_and_close_socket(socket_t sock) {
  if (ElasticPool::shedding()) {
    write_raw(sock, 503, "Service Unavailable",
              fmt::format("the server is busy: all {} workers hold a connection; retry shortly", limits_.max_threads),
              "Retry-After: 1\r\n");
    close_socket(sock);
    return false;
  }
  DeadlineStream strm(sock, limits_);
  bool ret = false;
  for (std::size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
    // Idle until the next request's first byte; checks for stop() every 100 ms.
    const auto idle_until = Clock::now() + limits_.idle;
    int ready = 0;
    while (ready == 0 && Clock::now() < idle_until && svr_sock_ != INVALID_SOCKET)
      ready = wait_for(sock, POLLIN, idle_until, std::chrono::milliseconds(100));
    if (ready <= 0) break;
    strm.start_request();
    bool connection_closed = false;
    ret = process_request(strm, left == 1, connection_closed, nullptr);
    if (strm.missed()) {
      // The error handler answered a cut-off header or body with 408; a request
      // line that never ended had no answer yet.
      if (strm.written() == 0 && std::strcmp(missed_deadline(), "header") == 0)
        write_raw(sock, 408, "Request Timeout",
                  fmt::format("the request line was not received within {} ms", limits_.header.count()), "");
      ret = false;
    }
    if (!ret || connection_closed || tl_close) break;
  }
  close_socket(sock);
  return ret;
}

}  // namespace traincost::server
