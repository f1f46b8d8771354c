// A bounded load test of `traincost serve` on loopback (not run by ctest):
// spawns the binary on an ephemeral port, sends N POST /api/estimate requests
// with the plan search over C keep-alive connections, and reports errors,
// latency percentiles and the server's resident memory before and after.
//
//   build/bench/load_test [--requests 10000] [--connections 8] [--vary] [--binary PATH]
//
// An error is a failed connection, a status other than 200, or a body that
// differs from the first response (the answer is deterministic). The server
// keeps recent responses (response_cache.hpp), so identical requests measure
// the HTTP path and the cache; --vary adds i tokens to request i, so every
// request misses the cache and runs the plan search.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

extern char** environ;

namespace {

struct Options {
  long requests = 10000;
  int connections = 8;
  std::string binary = TRAINCOST_CLI;
  bool vary = false;
  // DeepSeek-V3 on 2048 H800s, no --mfu: the utilisation comes from the plan search.
  std::string body =
      R"({"model": "deepseek-v3", "hardware": "h800", "gpus": 2048, "tokens": 14.8e12, "precision": "fp8", "seq_len": 4096})";
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--requests") o.requests = std::stol(next());
    else if (a == "--connections") o.connections = std::stoi(next());
    else if (a == "--binary") o.binary = next();
    else if (a == "--body") o.body = next();
    else if (a == "--vary") o.vary = true;
    else throw std::invalid_argument("unknown option " + a + " (--requests N --connections C --vary --binary PATH --body JSON)");
  }
  if (o.requests < 1 || o.connections < 1) throw std::invalid_argument("--requests and --connections must be >= 1");
  return o;
}

struct Spawned {
  pid_t pid = -1;
  int port = 0;
};

// Starts `binary serve --port 0` and reads the "serving http://127.0.0.1:PORT/" line.
Spawned spawn_server(const std::string& binary) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, out[0]);
  std::string data_env = std::string("TRAINCOST_DATA_DIR=") + TRAINCOST_SOURCE_DIR;
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::string(*e).rfind("TRAINCOST_DATA_DIR=", 0) != 0) env.push_back(*e);
  env.push_back(data_env.data());
  env.push_back(nullptr);
  std::string a0 = binary, a1 = "serve", a2 = "--port", a3 = "0";
  char* args[] = {a0.data(), a1.data(), a2.data(), a3.data(), nullptr};
  Spawned s;
  if (posix_spawn(&s.pid, binary.c_str(), &fa, nullptr, args, env.data()) != 0)
    throw std::runtime_error("cannot start " + binary);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);  // the server's later stdout writes, if any, are not read
  const auto colon = line.rfind(':');
  if (line.rfind("traincost: serving http://", 0) != 0 || colon == std::string::npos)
    throw std::runtime_error("unexpected first line from the server: '" + line + "'");
  s.port = std::stoi(line.substr(colon + 1));
  return s;
}

long rss_kib(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      long v = 0;
      in >> v;
      return v;
    }
    in.ignore(1 << 12, '\n');
  }
  return -1;
}

// Request i: the body itself, or with --vary its tokens plus i.
std::string body_for(const Options& o, long i) {
  if (!o.vary) return o.body;
  auto j = nlohmann::json::parse(o.body);
  j["tokens"] = j.at("tokens").get<double>() + static_cast<double>(i);
  return j.dump();
}

double percentile(const std::vector<double>& sorted, double p) {
  const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    const Spawned server = spawn_server(o.binary);
    const long rss_start = rss_kib(server.pid);

    httplib::Client probe("127.0.0.1", server.port);
    const auto first = probe.Post("/api/estimate", o.body, "application/json");
    if (!first || first->status != 200)
      throw std::runtime_error(fmt::format("the first request failed: {}", first ? first->body : "no response"));
    const std::string expected = first->body;
    // Warm up every worker thread before taking the baseline memory.
    {
      std::vector<std::thread> warm;
      for (int t = 0; t < o.connections; ++t)
        warm.emplace_back([&] {
          httplib::Client c("127.0.0.1", server.port);
          for (int i = 0; i < 20; ++i) c.Post("/api/estimate", o.body, "application/json");
        });
      for (auto& t : warm) t.join();
    }
    const long rss_before = rss_kib(server.pid);

    std::atomic<long> next{0}, errors{0};
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(o.connections));
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < o.connections; ++t)
      threads.emplace_back([&, t] {
        httplib::Client c("127.0.0.1", server.port);
        c.set_keep_alive(true);
        c.set_tcp_nodelay(true);  // else Nagle holds the body behind the headers
        auto& mine = latencies[static_cast<std::size_t>(t)];
        for (long i = next.fetch_add(1); i < o.requests; i = next.fetch_add(1)) {
          const std::string body = body_for(o, i + 1);
          const auto s = std::chrono::steady_clock::now();
          const auto r = c.Post("/api/estimate", body, "application/json");
          mine.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
          if (!r || r->status != 200 || (!o.vary && r->body != expected)) ++errors;
        }
      });
    // Memory at each quarter of the run: growth that stops once the response
    // cache and the allocator's per-thread arenas are full is not a leak.
    std::vector<long> rss_quarters;
    for (int q = 1; q <= 3; ++q) {
      while (next.load() < o.requests * q / 4) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      rss_quarters.push_back(rss_kib(server.pid));
    }
    for (auto& t : threads) t.join();
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const long rss_after = rss_kib(server.pid);

    std::vector<double> all;
    for (const auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    kill(server.pid, SIGTERM);
    waitpid(server.pid, nullptr, 0);

    fmt::print("{}\n", o.vary ? "distinct requests (--vary: every one runs the plan search)"
                               : "identical requests (after the first, answered from the response cache)");
    fmt::print("requests {} over {} connections in {:.2f} s ({:.0f} req/s), errors {}\n", all.size(), o.connections,
               wall_s, static_cast<double>(all.size()) / wall_s, errors.load());
    fmt::print("latency ms: p50 {:.2f}, p90 {:.2f}, p99 {:.2f}, max {:.2f}\n", percentile(all, 0.50),
               percentile(all, 0.90), percentile(all, 0.99), all.back());
    fmt::print("server VmRSS KiB: at start {}, after warm-up {}, at 25/50/75% {}, after the run {} (growth {:+})\n",
               rss_start, rss_before, fmt::join(rss_quarters, "/"), rss_after, rss_after - rss_before);
    return errors.load() == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "load_test: {}\n", e.what());
    return 2;
  }
}
