#include "pool.hpp"

namespace traincost::server {

namespace {
thread_local bool tl_shedding = false;
}  // namespace

ElasticPool::ElasticPool(std::size_t core, std::size_t max) : max_(max) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (threads_.size() < core) spawn();
  shedder_ = std::thread([this] { shed(); });
}

bool ElasticPool::shedding() { return tl_shedding; }

void ElasticPool::enqueue(std::function<void()> fn) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (idle_ <= jobs_.size() && threads_.size() >= max_) {
      // Every worker is held and no more may start: queued, this connection would
      // wait for a stalled client's deadline (seconds); refused, it can retry.
      shed_jobs_.push_back(std::move(fn));
      shed_cond_.notify_one();
      return;
    }
    jobs_.push_back(std::move(fn));
    if (idle_ < jobs_.size() && threads_.size() < max_) spawn();
  }
  cond_.notify_one();
}

void ElasticPool::shutdown() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    shutdown_ = true;
  }
  cond_.notify_all();
  shed_cond_.notify_all();
  for (auto& t : threads_) t.join();  // no enqueue after shutdown: httplib has stopped accepting
  shedder_.join();
}

void ElasticPool::spawn() { threads_.emplace_back([this] { work(); }); }

void ElasticPool::work() {
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

void ElasticPool::shed() {
  tl_shedding = true;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    shed_cond_.wait(lock, [&] { return !shed_jobs_.empty() || shutdown_; });
    if (shed_jobs_.empty()) return;  // shutting down
    std::function<void()> fn = std::move(shed_jobs_.front());
    shed_jobs_.pop_front();
    lock.unlock();
    fn();  // answers 503 and closes without reading: microseconds
    lock.lock();
  }
}

}  // namespace traincost::server
