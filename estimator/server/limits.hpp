#pragma once
// How long `traincost serve` waits for a client, and how many it serves at once
// (connection.hpp, pool.hpp say why each bound exists).
#include <chrono>
#include <cstddef>

namespace traincost::server {

struct ServerLimits {
  std::chrono::milliseconds header{5000};  // first byte of a request to the blank line after its headers
  std::chrono::milliseconds body{10000};   // end of the headers to the last body byte (1 MiB at >= 100 kB/s)
  std::chrono::milliseconds write{10000};  // the whole response, to a client that reads slowly
  std::chrono::milliseconds idle{2000};    // an idle keep-alive connection, or a new one that sends nothing
  std::size_t core_threads = 16;           // kept
  std::size_t max_threads = 256;           // started while all are busy; beyond this, 503 (pool.hpp)
};

}  // namespace traincost::server
