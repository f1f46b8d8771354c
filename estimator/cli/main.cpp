// traincost: the command-line front end. Registers every command of the
// command layer (commands.hpp) with CLI11, runs the chosen one and prints its
// result. Exit status: 0 ok, 1 bad data (a model or profile file) or a run that
// failed (no plan fits), 2 bad usage (options, unknown ids).
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "server/server.hpp"
#include "traincost/util/error.hpp"

using namespace traincost;

namespace {

// CLI11 reports a missing or misspelt command only as "A subcommand is
// required". Walk the leading words of the command line and name the one that
// is not a command, with the commands accepted at that level.
std::optional<std::string> command_error(const CLI::App& app, int argc, char** argv, const std::string& what) {
  const CLI::App* level = &app;
  std::string path = "traincost";
  auto names = [](const CLI::App* a) {
    std::vector<std::string> v;
    for (const CLI::App* s : a->get_subcommands([](const CLI::App*) { return true; })) v.push_back(s->get_name());
    return v;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') break;
    const auto match = level->get_subcommands([&](const CLI::App* s) { return s->get_name() == word; });
    if (match.empty()) {
      const auto known = names(level);
      if (known.empty()) return std::nullopt;
      return fmt::format("unknown command '{}' for `{}` (commands: {})", word, path, fmt::join(known, ", "));
    }
    level = match.front();
    path += " " + word;
  }
  const auto known = names(level);
  // CLI11 reports a missing required option before an unknown one: "--model is required"
  // for `params --modle x`. Name the option it does not know first.
  if (known.empty() && level != &app) {
    for (int i = 1; i < argc; ++i) {
      std::string word = argv[i];
      if (word.rfind("--", 0) != 0 || word == "--") continue;
      word = word.substr(0, word.find('='));
      if (word != "--help" && level->get_option_no_throw(word) == nullptr)
        return fmt::format("unknown option '{}' for `{}` (see `{} --help`)", word, path, path);
    }
  }
  if (!known.empty() && level->get_require_subcommand_min() > 0 && what.find("subcommand") != std::string::npos)
    return fmt::format("`{}` needs a command (commands: {})", path, fmt::join(known, ", "));
  return std::nullopt;
}

// Text for a terminal: a name or message taken from a config may carry escape sequences
// or other control bytes; they print as \xNN instead of acting on the terminal.
std::string terminal_safe(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const unsigned char ch : text) {
    if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f) out += fmt::format("\\x{:02x}", ch);
    else out += static_cast<char>(ch);
  }
  return out;
}

void print(const cli::CommandResult& r) {
  for (const auto& n : r.notes) std::cerr << "traincost: " << terminal_safe(n) << "\n";
  if (r.format == cli::Format::json)  // JSON escapes control characters itself
    std::cout << r.json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  else
    std::cout << terminal_safe(r.text);
  if (r.exit_code != 0) std::cerr << "traincost: error: " << terminal_safe(r.error) << "\n";
}

// Notes gathered before a failure still go out, ahead of the error.
int fail(const cli::CommandResult& r, const std::string& line, int status) {
  for (const auto& n : r.notes) std::cerr << "traincost: " << terminal_safe(n) << "\n";
  std::cerr << terminal_safe(line) << "\n";
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"traincost: training cost and efficiency estimator for dense and MoE language models", "traincost"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "traincost 0.1.0");

  std::vector<cli::CliBinding> bound;
  std::map<std::string, CLI::App*> groups;
  for (const cli::Command& c : cli::commands()) {
    CLI::App* parent = &app;
    if (!c.group.empty()) {
      auto& g = groups[c.group];
      if (g == nullptr) {
        g = app.add_subcommand(c.group, cli::group_help(c.group));
        g->require_subcommand(1);
      }
      parent = g;
    }
    bound.push_back(c.add_to_cli(*parent));
  }

  server::ServeOptions so;
  std::string port = "8080";
  auto* serve = app.add_subcommand("serve", "Serve the web page and the JSON API (see the README's Web API section)");
  serve->add_option("--host", so.host, "Address to bind (default 127.0.0.1, loopback only)");
  serve->add_option("--port", port, "TCP port, 0..65535 (default 8080; 0 picks a free one)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (auto msg = command_error(app, argc, argv, e.what())) {
      std::cerr << "traincost: error: " << *msg << "\n";
      return 2;
    }
    std::cerr << "traincost: error: " << e.what() << " (see traincost --help)\n";
    return 2;
  }

  cli::CommandResult r;
  r.progress = true;  // bars on stderr when it is a terminal; the web API never draws them
  try {
    if (*serve) {
      so.port = static_cast<int>(cli::parse_count("--port", port, 0, 65535));
      if (so.host.empty()) throw UsageError("--host: empty; give an address to bind, e.g. 127.0.0.1");
      return server::serve(so);
    }
    for (const auto& b : bound) {
      if (!*b.app) continue;
      b.run(r);
      print(r);
      return r.exit_code;
    }
  } catch (const UsageError& e) {
    return fail(r, fmt::format("traincost: error: {}", e.what()), 2);
  } catch (const InputError& e) {
    return fail(r, fmt::format("traincost: error: {}", e.what()), 1);
  } catch (const std::exception& e) {
    return fail(r, fmt::format("traincost: internal error: {}", e.what()), 1);
  }
  return 0;
}
