#pragma once
// One command layer behind both front ends. Each command declares its options
// once (name, help, required, flag) and runs without printing into a
// CommandResult. The CLI registers the table with CLI11 and prints the result;
// the web API maps a JSON body onto the same Args struct (request.hpp).
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "options.hpp"
#include "request.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/progress.hpp"

namespace traincost::cli {

struct CommandResult {
  Format format = Format::table;
  nlohmann::ordered_json json;     // printed as json.dump(2) with --format json
  std::string text;                // printed as is with --format table
  std::vector<std::string> notes;  // stderr lines without "traincost: ", e.g. "warning: ...", "note: ..."
  int exit_code = 0;               // 1: the result is printed but the run failed (no plan fits)
  std::string error;               // why, when exit_code != 0
  bool progress = false;           // the CLI sets it: long loops may draw a bar on stderr (a terminal only)
};

// A progress bar for a long loop when the CLI runs the command (and stderr is a
// terminal); nothing when the web API does.
class CommandProgress {
 public:
  CommandProgress(const CommandResult& r, std::string label) {
    if (r.progress) bar_.emplace(std::move(label));
  }
  ProgressFn callback() { return bar_ ? bar_->callback() : ProgressFn{}; }

 private:
  std::optional<ProgressBar> bar_;
};

// Fills only the output that was asked for.
template <class MakeJson, class MakeText>
void emit(CommandResult& r, Format f, MakeJson&& json, MakeText&& text) {
  r.format = f;
  if (f == Format::json)
    r.json = json();
  else
    r.text = text();
}

// One option of one command. Exactly one of `text` and `flag` is set.
template <class Args>
struct Option {
  const char* name = "";  // long option without dashes ("seq-len"); JSON key "seq_len"
  const char* help = "";
  std::string Args::*text = nullptr;
  bool Args::*flag = nullptr;
  bool required = false;
  bool positional = false;  // `hardware show ID`
  bool local_path = false;  // the CLI also takes a file path here; the web API does not read files
};

template <class Args>
Option<Args> value(const char* name, std::string Args::*m, const char* help) {
  Option<Args> o;
  o.name = name;
  o.help = help;
  o.text = m;
  return o;
}
template <class Args>
Option<Args> required(const char* name, std::string Args::*m, const char* help) {
  Option<Args> o = value(name, m, help);
  o.required = true;
  return o;
}
template <class Args>
Option<Args> flag(const char* name, bool Args::*m, const char* help) {
  Option<Args> o;
  o.name = name;
  o.help = help;
  o.flag = m;
  return o;
}
// `--model` / `--hardware`: a preset or id, or (CLI only) a path to a JSON file.
template <class Args>
Option<Args> file_or_id(const char* name, std::string Args::*m, const char* help) {
  Option<Args> o = required(name, m, help);
  o.local_path = true;
  return o;
}

// A command's whole declaration. Args must have `std::string format`; an Args
// with `std::optional<nlohmann::json> model_config` also takes an inline model.
template <class Args>
struct CommandDef {
  std::string group;  // "hardware" for `hardware list`
  std::string name;
  std::string help;
  std::vector<Option<Args>> options;                           // --format is added last
  std::vector<std::pair<std::string, std::string>> excludes;  // option names, CLI11's order
  void (*run)(const Args&, CommandResult&) = nullptr;
};

struct CliBinding {
  CLI::App* app = nullptr;
  std::function<void(CommandResult&)> run;  // after parsing, when *app was chosen
};

// Type-erased command, as the CLI, the server and the tests see it.
struct Command {
  std::string group, name, help;
  std::vector<OptionInfo> options;
  bool takes_model_config = false;
  std::function<CliBinding(CLI::App& parent)> add_to_cli;
  // Runs with a JSON body (keys: option names with '-' -> '_'). Bad keys throw RequestError.
  std::function<void(const nlohmann::json& body, CommandResult&)> run_json;
};

// Every command, in `traincost --help` order (registry.cpp).
const std::vector<Command>& commands();
// By name ("estimate", or group "hardware" + "show"); nullptr when unknown.
const Command* find_command(const std::string& group, const std::string& name);

// Names and paths (--model, --hardware, an id) reach the filesystem only if they are
// text it accepts: see check_name.
template <class Args>
void check_names(const CommandDef<Args>& def, const Args& a) {
  for (const auto& o : def.options)
    if (o.text && (o.local_path || o.positional) && !(a.*(o.text)).empty())
      check_name(o.positional ? std::string(o.name) : "--" + std::string(o.name), a.*(o.text));
}

template <class Args>
Command make_command(CommandDef<Args> def) {
  constexpr bool kModelConfig = requires(Args a) { a.model_config = nlohmann::json::object(); };
  Command c;
  c.group = def.group;
  c.name = def.name;
  c.help = def.help;
  c.takes_model_config = kModelConfig;
  for (const auto& o : def.options)
    c.options.push_back(OptionInfo{o.name, o.help, o.required, o.flag != nullptr, o.positional, o.local_path});

  c.add_to_cli = [def](CLI::App& parent) {
    auto args = std::make_shared<Args>();
    CLI::App* app = parent.add_subcommand(def.name, def.help);
    std::vector<std::pair<std::string, CLI::Option*>> added;
    for (const auto& o : def.options) {
      const std::string cli_name = o.positional ? std::string(o.name) : "--" + std::string(o.name);
      CLI::Option* opt = o.flag ? app->add_flag(cli_name, (*args).*(o.flag), o.help)
                                : app->add_option(cli_name, (*args).*(o.text), o.help);
      if (o.required) opt->required();
      added.emplace_back(o.name, opt);
    }
    app->add_option("--format", args->format, "table | json");
    auto find = [&](const std::string& n) {
      for (auto& [name, opt] : added)
        if (name == n) return opt;
      throw std::logic_error("excludes names an unknown option: " + n);
    };
    for (const auto& [a, b] : def.excludes) find(a)->excludes(find(b));
    return CliBinding{app, [args, def, added](CommandResult& r) {
                        // An optional option given with an empty value ("--gpus ''") is a mistake, never
                        // "not given" (a required one's parser says what it expects).
                        for (std::size_t i = 0; i < def.options.size(); ++i)
                          if (def.options[i].text && !def.options[i].required && added[i].second->count() > 0 &&
                              ((*args).*(def.options[i].text)).empty())
                            throw UsageError(fmt::format("{}{}: empty; give a value or leave the option out",
                                                         def.options[i].positional ? "" : "--", def.options[i].name));
                        check_names(def, *args);
                        def.run(*args, r);
                      }};
  };

  c.run_json = [def, info = RequestShape{c.name, c.options, kModelConfig}](const nlohmann::json& body, CommandResult& r) {
    Args a;
    a.format = "json";
    const RequestKeys keys = check_request(info, body);
    for (const auto& o : def.options) {
      if (o.flag) {
        if (auto it = keys.flags.find(o.name); it != keys.flags.end()) a.*(o.flag) = it->second;
      } else if (auto it = keys.values.find(o.name); it != keys.values.end()) {
        a.*(o.text) = it->second;
      }
    }
    if constexpr (kModelConfig) {
      if (keys.model_config) a.model_config = *keys.model_config;
    }
    check_names(def, a);
    def.run(a, r);
  };
  return c;
}

}  // namespace traincost::cli
