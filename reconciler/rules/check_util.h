// Small helpers shared by the checks: the catalogue entry of a cluster's
// platform and of a slot, rule ids recorded in the catalogue, list joining, and
// the checks of files a login names (secrets, known_hosts) without reading them.
#pragma once

#include <string>
#include <vector>

#include "reconciler/manifest/certificate_names.h"
#include "reconciler/rules/checks.h"
#include "reconciler/util/excerpt.h"

namespace pkiform {

const catalogue::PlatformCatalogue* PlatformOf(const CheckContext& ctx, const Cluster& cluster);
// The catalogue's rule ids for a fact of the platform's limits ("wildcards"), joined
// with spaces, or `fallback` when the data names none.
std::string LimitRules(const catalogue::PlatformCatalogue& platform, const std::string& fact,
                       const std::string& fallback);
std::string JoinNames(const std::vector<std::string>& names, const std::string& sep = ", ");

// A file validate names but does not read (a password, passphrase or key file): an error
// [ref] unless it is a regular file.
void CheckNamedFile(const FileRef& ref, DiagnosticList& out);
// A known_hosts file: a warning [ssh] when it does not exist yet (--accept-new-host-keys
// can create it), an error [ref] when it is not a regular file.
void CheckKnownHostsRef(const FileRef& ref, DiagnosticList& out);

}  // namespace pkiform
