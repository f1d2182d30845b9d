#include "reconciler/cli/commands.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "reconciler/cli/global_options.h"
#include "reconciler/cli/handlers.h"

namespace pkiform::cli {
namespace {

// One row per command: its name, its one-line summary, how it declares its own
// options, and its handler. `main` only dispatches through this table.
struct Command {
  const char* name;
  const char* summary;
  std::function<void(CLI::App&, CommandArgs&)> declare;
  std::function<int(const GlobalOptions&, const CommandArgs&)> handler;
};

void ManifestOption(CLI::App& app, CommandArgs& a) {
  app.add_option("-f,--file", a.manifests,
                 "Manifest file or directory (every *.yaml below, sorted); repeatable. "
                 "Default: ./pkiform.yaml or ./manifests/");
}

int NotImplemented(const char* name) {
  std::fprintf(stderr, "pkiform: error: '%s' is not implemented yet in this version\n", name);
  return kExitError;
}

const std::vector<Command>& Table() {
  static const std::vector<Command> table = {
      {"validate", "Check manifests and every file they reference, offline; no appliance is contacted",
       [](CLI::App& app, CommandArgs& a) {
         ManifestOption(app, a);
         app.add_flag("--strict", a.strict, "Treat warnings as errors");
         app.add_option("--now", a.now, "Evaluate expiry at this time (RFC 3339, e.g. 2027-01-01T00:00:00Z)");
         app.add_flag("--quiet,-q", a.quiet, "Print problems only, not the fleet summary");
       },
       RunValidate},
      {"plan", "Show the changes that would bring the fleet to the manifests' state",
       [](CLI::App& app, CommandArgs& a) { ManifestOption(app, a); },
       [](const GlobalOptions&, const CommandArgs&) { return NotImplemented("plan"); }},
      {"apply", "Apply a saved plan, or plan and apply after confirmation",
       [](CLI::App& app, CommandArgs& a) { ManifestOption(app, a); },
       [](const GlobalOptions&, const CommandArgs&) { return NotImplemented("apply"); }},
      {"reconcile", "Scheduled, non-interactive plan and apply",
       [](CLI::App& app, CommandArgs& a) { ManifestOption(app, a); },
       [](const GlobalOptions&, const CommandArgs&) { return NotImplemented("reconcile"); }},
      {"status", "Inventory and expiry of the whole fleet",
       [](CLI::App& app, CommandArgs& a) { ManifestOption(app, a); },
       [](const GlobalOptions&, const CommandArgs&) { return NotImplemented("status"); }},
      {"show", "Print a saved plan", [](CLI::App&, CommandArgs&) {},
       [](const GlobalOptions&, const CommandArgs&) { return NotImplemented("show"); }},
      {"import", "Write a starting manifest from an appliance's actual state", [](CLI::App&, CommandArgs&) {},
       [](const GlobalOptions&, const CommandArgs&) { return NotImplemented("import"); }},
      {"schema", "Print the JSON Schema of the manifests", [](CLI::App&, CommandArgs&) {}, RunSchema},
      {"version", "Print pkiform's version", [](CLI::App&, CommandArgs&) {}, RunVersion},
  };
  return table;
}

}  // namespace

int Run(int argc, char** argv) {
  CLI::App app{"pkiform: keeps the TLS identity of appliance fleets in the state a Git repository describes"};
  app.name("pkiform");
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("--state-dir", global.state_dir, "State directory (default ./.pkiform/)");
  app.add_option("--log-format", global.log_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  app.add_flag("-v,--verbose", global.verbose, "More log output (repeat for more)");
  app.add_flag("--no-color", global.no_color, "Never colour the output");

  CommandArgs args;
  std::vector<std::pair<CLI::App*, const Command*>> subs;
  for (const auto& cmd : Table()) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.summary);
    cmd.declare(*sub, args);
    subs.emplace_back(sub, &cmd);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "pkiform: error: %s\nRun 'pkiform --help' for usage.\n", e.what());
    return kExitError;
  }
  for (const auto& [sub, cmd] : subs)
    if (sub->parsed()) return cmd->handler(global, args);
  return kExitError;
}

}  // namespace pkiform::cli
