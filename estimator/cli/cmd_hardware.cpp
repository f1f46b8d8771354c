// traincost hardware list | show ID: the accelerator profiles.
#include "commands.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/report/reports.hpp"

namespace traincost::cli {

namespace {

struct ListArgs {
  std::string format = "table";
};

struct ShowArgs {
  std::string id, format = "table";
};

void run_list(const ListArgs& a, CommandResult& r) {
  const Format f = parse_format(a.format);
  const auto all = load_all_accelerators();
  emit(r, f, [&] { return report::hardware_list_json(all); }, [&] { return report::hardware_list_text(all); });
}

void run_show(const ShowArgs& a, CommandResult& r) {
  const Format f = parse_format(a.format);
  const Accelerator hw = load_accelerator(a.id);
  emit(r, f, [&] { return report::hardware_show_json(hw); }, [&] { return report::hardware_show_text(hw); });
}

}  // namespace

Command hardware_list_command() {
  CommandDef<ListArgs> d;
  d.group = "hardware";
  d.name = "list";
  d.help = "All profiles, one line each";
  d.run = run_list;
  return make_command(d);
}

Command hardware_show_command() {
  Option<ShowArgs> id = file_or_id("id", &ShowArgs::id, "Accelerator id or profile path");
  id.positional = true;
  CommandDef<ShowArgs> d;
  d.group = "hardware";
  d.name = "show";
  d.help = "One profile with its sources";
  d.options = {id};
  d.run = run_show;
  return make_command(d);
}

}  // namespace traincost::cli
