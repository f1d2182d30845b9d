// Options every command shares (DESIGN.md "Command line"), and the union of
// the per-command options that the command table fills in.
#pragma once

#include <string>
#include <vector>

namespace pkiform::cli {

struct GlobalOptions {
  std::string state_dir = ".pkiform";
  std::string log_format = "text";
  int verbose = 0;
  bool no_color = false;
};

struct CommandArgs {
  std::vector<std::string> manifests;
  bool strict = false;
  bool quiet = false;
  std::string now;  // RFC 3339; empty: the system clock
  // plan / apply / show
  std::string target;      // cluster[/peer[/slot]]
  std::string out_plan;    // plan -o
  std::string plan_file;   // apply PLANFILE, show PLANFILE
  bool json = false;
  bool detailed_exitcode = false;
  bool auto_approve = false;
  bool accept_new_host_keys = false;
  int parallelism = 16;
  double lock_timeout_seconds = -1;  // < 0: the command's default (0; reconcile waits 600 s)
  std::string metrics_file;  // --metrics: node_exporter textfile, written at the end of the run
  // plan / apply / reconcile: maintenance windows, backoff, shards (issue 12)
  bool ignore_windows = false;
  bool ignore_backoff = false;
  std::string shard;  // "i/n" (cli/shard.h); "" every cluster
  // status (also uses now, json, target and metrics_file above)
  std::string expiring_within;  // --expiring-within DURATION ("30d"); empty: not asked
  std::string html_file;        // --html FILE: the self-contained report page
  // import (docs/import.md): the one host to read, how to reach it, what to read on it
  // (openssh: the slots' files and the trust stores' paths) and where the manifest goes.
  // --accept-new-host-keys is accept_new_host_keys above; -f the manifests holding the Issuers.
  std::string import_platform, import_host, import_fqdn, import_cluster, import_cluster_fqdn;
  int import_port = 22;
  std::string import_user, import_identity_file, import_known_hosts, import_password_file, import_password_env;
  std::vector<std::string> import_slots;  // NAME:CERT_PATH:KEY_PATH[:CHAIN_PATH[:FULLCHAIN_PATH]]
  std::vector<std::string> import_trust;  // STORE_PATH
  std::string import_reload;              // the slots' reload command (openssh)
  int import_verify_port = 0;             // 0: no verify endpoint
  std::string import_platform_version;    // vcs: the release, whose dialect the provider speaks
  std::string import_root_user = "root", import_root_password_file, import_root_password_env;  // vcs
  // dms: the staging server (D16) and the keystore passphrase (D14), as the manifest's spec.staging
  std::string import_staging_host, import_staging_user, import_staging_path;
  int import_staging_port = 22;
  std::string import_staging_password_file, import_staging_password_env, import_staging_known_hosts;
  std::string import_keystore_passphrase_file, import_keystore_passphrase_env;
  std::string import_out;                 // -o FILE; "" stdout
  bool import_force = false;
};

}  // namespace pkiform::cli
