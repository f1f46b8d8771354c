#include "response_cache.hpp"

namespace traincost::server {

std::optional<ApiResponse> ResponseCache::get(const std::string& key) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void ResponseCache::put(const std::string& key, const ApiResponse& r) {
  if (capacity_ == 0) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    it->second->second = r;
    order_.splice(order_.begin(), order_, it->second);
    return;
  }
  order_.emplace_front(key, r);
  index_[key] = order_.begin();
  if (order_.size() > capacity_) {
    index_.erase(order_.back().first);
    order_.pop_back();
  }
}

}  // namespace traincost::server
