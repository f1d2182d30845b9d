// A cluster's knownHosts file must be one (providers/ssh/known_hosts_file.h): a
// file that OpenSSH would read as known_hosts. Anything else (a passwd file, a
// public key, a typo'd path to another file) would refuse every host at plan
// time, or worse, be taken for an empty file: say so before any connection.
#include <sys/stat.h>

#include <set>

#include "providers/ssh/known_hosts_file.h"
#include "reconciler/rules/checks.h"

namespace pkiform {
namespace {

// The problems quoted for one file; more are counted.
constexpr size_t kQuotedProblems = 3;

void CheckOneFile(const FileRef& ref, DiagnosticList& out) {
  // A file that is missing, unreadable or not a regular file is the reference
  // checks' to report (reference_checks.cc); this check reads what is there.
  struct stat st {};
  if (::stat(ref.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  auto known = ssh::ReadKnownHosts(ref.path);
  if (!known.ok()) {
    out.Error(ref.where, ref.written + ": " + known.status().message(), "ssh");
    return;
  }
  const auto& problems = known->problems;
  if (problems.empty()) return;
  std::string quoted;
  for (size_t i = 0; i < problems.size() && i < kQuotedProblems; ++i)
    quoted += (quoted.empty() ? "" : "; ") + std::string("line ") + std::to_string(problems[i].line) + ": " +
              problems[i].message;
  if (problems.size() > kQuotedProblems)
    quoted += "; and " + std::to_string(problems.size() - kQuotedProblems) + " more";
  const std::string what = known->entries.empty() ? " is not a known_hosts file (" : " has lines that are not host keys (";
  out.Error(ref.where, ref.written + what + quoted + ")", "ssh");
}

}  // namespace

void CheckKnownHostsFiles(const CheckContext& ctx, DiagnosticList& out) {
  std::set<std::string> checked;  // one report per file, at its first reference
  for (const auto& c : ctx.desired().clusters) {
    // dms: the staging server's own file, when written (else it is the connection's).
    for (const auto* ref : {&c.connection.known_hosts, c.staging && c.staging->known_hosts_written
                                                           ? &c.staging->known_hosts
                                                           : nullptr}) {
      if (!ref || !*ref || !checked.insert((*ref)->path).second) continue;
      CheckOneFile(**ref, out);
    }
  }
}

}  // namespace pkiform
