// Actual: what one peer really has, as its provider observed it over SSH.
// Plain data, compared by the planner with the desired state. Certificates are
// kept as PEM text so the observation can be hashed (the plan records that
// digest; `apply PLANFILE` refuses a peer whose digest has changed) and saved.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pkiform {

struct ObservedSlot {
  std::string slot;
  std::optional<std::string> certificate_pem;  // absent: no certificate installed
  std::vector<std::string> chain_pems;         // as installed, in file order
  // SHA-256 of the DER SubjectPublicKeyInfo of the private key on the peer
  // (pki::PublicKeyDigestOf), empty when there is no key or it is unreadable.
  std::string key_public_digest;
  std::optional<std::string> pending_csr_pem;  // a CSR made on the appliance and not yet answered
  // Files the slot names besides the certificate and the key that are not on the
  // peer (openssh: the chain and fullchain files), in slot order. An empty chain
  // file (a root issuer's) and a missing one differ only here.
  std::vector<std::string> missing_files;
  // Backup files pkiform made while installing this slot and an interrupted apply
  // left behind (openssh: `<file>.pkiform-backup` and `.pkiform-backup.tmp`),
  // their paths only, in slot file order. The planner has them removed, never restored.
  std::vector<std::string> leftover_backups;
  // Why the provider knows this identity must be replaced whatever the manifest says (vcs:
  // the factory's temporary identity, V17); "" when it knows no such reason. It follows
  // from the certificate, so it is not part of the digests.
  std::string must_replace;
};

struct ObservedTrustStore {
  std::string store;
  std::vector<std::string> certificate_pems;  // one CA each
  std::vector<std::string> builtin_fingerprints;  // entries the platform ships (never pruned unless asked)
};

struct ObservedCrl {
  std::string location;            // where it lives on the peer (openssh: revocation.crl.path)
  std::optional<std::string> pem;  // the file's text as found (one or more CRLs); absent: no such file
};

// What a node says of itself (ucm: `show version active`, `show network cluster`). The
// planner compares it with the manifest (node_facts.h); absent on platforms whose hosts
// report nothing of the kind (openssh).
struct ObservedNode {
  std::string role;       // "publisher" | "subscriber"
  std::string node_type;  // "unifiedCM" | "imAndPresence"
  std::string build;      // "14.0.1.12900-161", as printed
  std::string release;    // "14SU2"; "" when the build is not in the provider's table of builds
};

struct Actual {
  std::string cluster;
  std::string peer;  // FQDN
  std::optional<ObservedNode> node;
  std::vector<ObservedSlot> slots;
  std::vector<ObservedTrustStore> trust;
  std::vector<ObservedCrl> crls;
  // Node settings the provider reports (catalogue `settings`, e.g. "ocsp.enabled" -> "true");
  // empty when it reports none (openssh).
  std::map<std::string, std::string> settings;
  // Services the node reports not running (ucm: `utils service list`), name -> state as
  // printed ("[STOPPED]"). The planner restarts those a managed slot's restarts include, so
  // that a restart an earlier apply could not finish is made up. Not part of the digests:
  // a service coming up between plan and apply does not make a plan stale.
  std::map<std::string, std::string> stopped_services;
  // What the provider saw that people should know before applying, as plan notes ("warning:
  // the node is in Common Criteria mode ...", rule U16). Not part of the digests.
  std::vector<std::string> notes;

  const ObservedSlot* FindSlot(const std::string& name) const;
  const ObservedTrustStore* FindTrustStore(const std::string& name) const;
  const ObservedCrl* FindCrl(const std::string& location) const;
  // SHA-256 over a canonical serialisation: equal digests mean nothing observable changed.
  std::string Digest() const;
  // The same without the trust stores named in `excluded` (an empty set: Digest()).
  std::string Digest(const std::vector<std::string>& excluded) const;
  // SHA-256 over the named trust stores only (in `stores` order; an absent store counts
  // as absent); "" when `stores` is empty.
  std::string StoresDigest(const std::vector<std::string>& stores) const;
};

}  // namespace pkiform
