#pragma once
// The performance model's errors (a profile without HBM bandwidth, memory size
// or scale-out bandwidth) end with a hint for `estimate`: "(pass --mfu ...)".
// Commands with no --mfu option show the message without it.
#include <string>

namespace traincost::perf {

inline std::string without_mfu_hint(std::string message) {
  const auto at = message.find(" (pass --mfu");
  if (at != std::string::npos) {
    const auto close = message.find(')', at);
    message.erase(at, close == std::string::npos ? std::string::npos : close - at + 1);
  }
  return message;
}

}  // namespace traincost::perf
