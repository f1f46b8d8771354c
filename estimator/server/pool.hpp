#pragma once
// The worker pool behind `traincost serve` (an httplib::TaskQueue). cpp-httplib
// holds one thread per open connection for as long as it is open, so the pool
// grows while every worker is busy instead of queueing behind stalled clients;
// at its ceiling, further connections go to one shedding thread that answers
// 503 at once (connection.cpp) rather than queueing them for seconds. A worker
// whose client has just hung up counts as busy until it notices (within one poll),
// so at the ceiling a connection can be refused a moment before a worker frees.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace traincost::server {

class ElasticPool : public httplib::TaskQueue {
 public:
  ElasticPool(std::size_t core, std::size_t max);
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  // True on the shedding thread: the connection it runs is to be refused, not served.
  static bool shedding();

 private:
  void spawn();  // with mutex_ held
  void work();
  void shed();
  const std::size_t max_;
  std::mutex mutex_;
  std::condition_variable cond_, shed_cond_;
  std::deque<std::function<void()>> jobs_, shed_jobs_;
  std::vector<std::thread> threads_;
  std::thread shedder_;
  std::size_t idle_ = 0;
  bool shutdown_ = false;
};

}  // namespace traincost::server
