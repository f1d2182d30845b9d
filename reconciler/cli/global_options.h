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
};

}  // namespace pkiform::cli
