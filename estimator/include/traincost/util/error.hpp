#pragma once
// Errors carry the name of the offending field and what is allowed, so the
// CLI can print one line and exit with a status that says whose fault it is.
#include <stdexcept>
#include <string>

namespace traincost {

// Bad data: a model config, hardware profile or spec file is malformed or
// out of range. The CLI exits with status 1.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad usage: an unknown option value, an unknown hardware id, a number on the
// command line out of range. The CLI exits with status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace traincost
