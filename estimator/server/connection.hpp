#pragma once
// One connection of `traincost serve`, with deadlines that a slow client cannot
// reset. cpp-httplib 0.11's read timeout applies to each recv(), so a client that
// sends a header line every few seconds (slowloris) or a body byte at a time holds
// its worker for ever. This httplib::Server reads each request through a stream
// that bounds the whole header, the whole body and the whole response write, and
// closes a connection that goes past one (HTTP 408).
#include <httplib.h>

#include "limits.hpp"

namespace traincost::server {

class GuardedHttpServer : public httplib::Server {
 public:
  explicit GuardedHttpServer(const ServerLimits& limits);

  // For the error handler: the deadline the current worker's request missed
  // ("" when none), so httplib's 400 for a cut-off read is reported as the 408 it is.
  static const char* missed_deadline();
  // Also for the error handler: ends the connection after this response. A request
  // httplib could not read leaves the rest of the stream unparseable; read on, a
  // trickling client would get a fresh deadline for each line taken as a new request.
  static void close_after_response();

 private:
  bool process_and_close_socket(socket_t sock) override;
  const ServerLimits limits_;
};

}  // namespace traincost::server
