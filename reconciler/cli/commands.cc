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
#include "reconciler/log/log.h"

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

void FleetOptions(CLI::App& app, CommandArgs& a) {
  ManifestOption(app, a);
  app.add_option("--target", a.target, "Only this cluster, cluster/peer or cluster/peer/slot");
  app.add_option("--parallelism", a.parallelism, "Peers observed, and peers applied, at once (default 16; a peer waiting for a restart does not count)")->check(CLI::Range(1, 1024));
  app.add_flag("--accept-new-host-keys", a.accept_new_host_keys,
               "Record unknown SSH host keys in known_hosts (a changed key is always refused)");
  app.add_option("--lock-timeout", a.lock_timeout_seconds,
                 "Wait this many seconds for another run's state lock (default: 0; reconcile 600)")
      ->check(CLI::Range(0.0, 86400.0));
  app.add_option("--metrics", a.metrics_file,
                 "Write node_exporter textfile metrics (expiries, pending and applied changes, last run) to FILE");
  app.add_flag("--ignore-windows", a.ignore_windows,
               "Plan and apply changes that restart services even outside the clusters' maintenance windows");
  app.add_option("--shard", a.shard,
                 "Only the clusters of shard i of n (i/n, from 1; a stable hash of the cluster name), "
                 "with the state in <state-dir>/shard-i-of-n");
  app.add_option("--now", a.now,
                 "Decide as if it were this time (RFC 3339): expiry, maintenance windows, backoff; "
                 "certificates are still issued and verified on the system clock");
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
       [](CLI::App& app, CommandArgs& a) {
         FleetOptions(app, a);
         app.add_option("-o,--out", a.out_plan, "Save the plan to this file (for apply PLANFILE)");
         app.add_flag("--json", a.json, "Print the plan as JSON");
         app.add_flag("--detailed-exitcode", a.detailed_exitcode, "Exit 2 when there are changes, 0 when none");
       },
       RunPlan},
      {"apply", "Apply a saved plan, or plan and apply after confirmation",
       [](CLI::App& app, CommandArgs& a) {
         FleetOptions(app, a);
         app.add_option("planfile", a.plan_file, "A plan saved by plan -o: applied exactly, refused if stale");
         app.add_flag("--auto-approve", a.auto_approve, "Do not ask for confirmation");
         app.add_flag("--json", a.json, "Print the plan as JSON");
       },
       RunApply},
      {"reconcile",
       "Scheduled, non-interactive plan and apply: honours maintenance windows, backs off failing peers "
       "(exit 0 in sync or applied, 1 a failure, 2 changes deferred)",
       [](CLI::App& app, CommandArgs& a) {
         FleetOptions(app, a);
         app.add_flag("--ignore-backoff", a.ignore_backoff, "Retry peers that failed now, whatever their backoff");
         app.add_flag("--json", a.json, "Print the plan as JSON");
       },
       RunReconcile},
      {"status", "Inventory and expiry of the whole fleet: identities, trust stores, CRLs",
       [](CLI::App& app, CommandArgs& a) {
         FleetOptions(app, a);
         app.add_flag("--json", a.json, "Print the report as one JSON document");
         app.add_option("--expiring-within", a.expiring_within,
                        "Exit 2 when a certificate or a CRL's nextUpdate falls within DURATION (e.g. 30d)");
         app.add_option("--html", a.html_file, "Also write a self-contained HTML report with an expiry timeline to FILE");
       },
       RunStatus},
      {"show", "Print a saved plan",
       [](CLI::App& app, CommandArgs& a) {
         app.add_option("planfile", a.plan_file, "The plan file")->required();
         app.add_flag("--json", a.json, "Print the plan as JSON");
       },
       RunShow},
      {"import", "Write a starting Cluster manifest from one host's actual state (docs/import.md)",
       [](CLI::App& app, CommandArgs& a) {
         ManifestOption(app, a);
         app.add_option("--platform", a.import_platform, "The host's platform (openssh, vcs, ucm, dms)")->required();
         app.add_option("--host", a.import_host, "Address or name to connect to")->required();
         app.add_option("--fqdn", a.import_fqdn, "The peer's FQDN (default: --host, when it is a name)");
         app.add_option("--port", a.import_port, "SSH port (default 22)")->check(CLI::Range(1, 65535));
         app.add_option("--user", a.import_user, "SSH user (default: the local user)");
         app.add_option("--identity-file", a.import_identity_file, "SSH private key file");
         app.add_option("--known-hosts", a.import_known_hosts, "known_hosts file (default ~/.ssh/known_hosts)");
         app.add_flag("--accept-new-host-keys", a.accept_new_host_keys,
                      "Record an unknown SSH host key in known_hosts (a changed key is always refused)");
         auto* pf = app.add_option("--password-file", a.import_password_file, "File whose first line is the password");
         app.add_option("--password-env", a.import_password_env, "Environment variable holding the password")->excludes(pf);
         app.add_option("--cluster", a.import_cluster, "The cluster's name (default: the peer FQDN's first label)");
         app.add_option("--cluster-fqdn", a.import_cluster_fqdn, "The cluster's shared FQDN among the SANs");
         app.add_option("--slot", a.import_slots,
                        "openssh: NAME:CERT_PATH:KEY_PATH[:CHAIN_PATH[:FULLCHAIN_PATH]], absolute paths; repeatable");
         app.add_option("--trust", a.import_trust, "openssh: a trust store's path (bundle file or folder); repeatable");
         app.add_option("--reload", a.import_reload, "openssh: the command that makes the service read its slots");
         app.add_option("--verify-port", a.import_verify_port, "openssh: the TLS port to verify after a reload")
             ->check(CLI::Range(1, 65535));
         app.add_option("--platform-version", a.import_platform_version,
                        "vcs: the release the host runs (X8.1.1); dms: likewise (5.2.1), optional");
         app.add_option("--root-user", a.import_root_user, "vcs: the root login (default root)");
         auto* rf = app.add_option("--root-password-file", a.import_root_password_file,
                                   "vcs: file whose first line is the root password");
         app.add_option("--root-password-env", a.import_root_password_env,
                        "vcs: environment variable holding the root password")->excludes(rf);
         app.add_option("--staging-host", a.import_staging_host, "dms: the (S)FTP staging server, as the appliance reaches it");
         app.add_option("--staging-port", a.import_staging_port, "dms: its SSH port (default 22)")->check(CLI::Range(1, 65535));
         app.add_option("--staging-user", a.import_staging_user, "dms: the staging login");
         app.add_option("--staging-path", a.import_staging_path, "dms: the absolute staging folder");
         auto* sf = app.add_option("--staging-password-file", a.import_staging_password_file,
                                   "dms: file whose first line is the staging password");
         app.add_option("--staging-password-env", a.import_staging_password_env,
                        "dms: environment variable holding the staging password")->excludes(sf);
         app.add_option("--staging-known-hosts", a.import_staging_known_hosts,
                        "dms: the staging server's known_hosts (default: the connection's)");
         auto* kf = app.add_option("--keystore-passphrase-file", a.import_keystore_passphrase_file,
                                   "dms: file whose first line is the keystore passphrase (D14)");
         app.add_option("--keystore-passphrase-env", a.import_keystore_passphrase_env,
                        "dms: environment variable holding the keystore passphrase")->excludes(kf);
         app.add_option("-o,--out", a.import_out, "Write the manifest here (and its trust files next to it)");
         app.add_flag("--force", a.import_force, "Overwrite the manifest and trust files if they exist");
       },
       RunImport},
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
  app.fallthrough();  // global options may follow the command: `pkiform plan --no-color`
  GlobalOptions global;
  app.add_option("--state-dir", global.state_dir, "State directory (default ./.pkiform/)");
  app.add_option("--log-format", global.log_format,
                 "Log lines on stderr: text, or json (one object per line, with a run id)")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("-v,--verbose", global.verbose, "More log output: -v info, -vv debug");
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
  log::ConfigureLogging(global.log_format == "json" ? log::Format::kJson : log::Format::kText, global.verbose);
  for (const auto& [sub, cmd] : subs)
    if (sub->parsed()) return cmd->handler(global, args);
  return kExitError;
}

}  // namespace pkiform::cli
