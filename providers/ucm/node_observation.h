// What the ucm provider learnt about one node in its last observation, beyond Actual:
// the node's role, type and release (from `show network cluster` and `show version
// active`), and every trust entry with its handle (store/file), so that RemoveTrust can
// name the file the CLI deletes. The provider keeps it up to date as it changes the node.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reconciler/catalogue/release.h"
#include "reconciler/plan/actual.h"

namespace pkiform::ucm {

struct TrustEntry {
  std::string store;        // "tomcat-trust"
  std::string file;         // "corp-root.pem"
  std::string fingerprint;  // SHA-256, as pki::Certificate::FingerprintSha256
  std::string subject;      // the subject DN, to find a certificate's issuer
  std::string pem;
  bool builtin = false;     // shipped with the node (its description is not an imported one)
};

struct NodeObservation {
  Actual actual;
  std::string role;       // "publisher" | "subscriber"
  std::string node_type;  // "unifiedCM" | "imAndPresence"
  std::string build;      // "14.0.1.11900-132"
  std::optional<catalogue::Release> release;  // nullopt: a build the dialect does not list
  std::vector<TrustEntry> trust_entries;      // of the stores the manifest names
  int commands = 0;                           // CLI commands this observation sent
  int round_trips = 0;                        // writes it waited on (commands typed ahead share one)
};

}  // namespace pkiform::ucm
