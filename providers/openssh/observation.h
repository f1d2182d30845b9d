// Observe in one round trip: the script that reads every slot's files and every
// trust store of a peer, and the reading of its output into an Actual.
//
// Per slot i the script prints the certificate, chain and fullchain files
// (`cert`, `chain`, `fullchain` i), the public key of the private key file
// computed on the host with `openssl pkey -pubout` (`key` i: the private key
// itself never leaves the host), the same for a pending key left by GenerateCsr
// (`pendingkey` i) and that pending key's CSR (`pendingcsr` i), and a marker
// `leftover` i k for each backup name k of BackupPathsOf(files) that exists (the
// name is known from k, nothing of the file is read). Per trust store
// j: either the bundle file (`store` j present|absent) or `store` j directory
// followed by `entryname` j / `entry` j for each *.pem and *.crt file in it.
// The cluster's CRL file (revocation.crl.path), when it has one: `crl` 0.
// A key file with an earlier proof (key_proofs.h) is first hashed on the host: when it
// is unchanged the host prints `key` i same and no openssl runs; when a public key is
// derived, `keysum` i <sha256> follows it if the file did not change meanwhile.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "providers/openssh/key_proofs.h"
#include "providers/openssh/slot_files.h"
#include "reconciler/manifest/model.h"
#include "reconciler/plan/actual.h"
#include "reconciler/util/result.h"

namespace pkiform::openssh {

// Shell functions the observation script and RemoveTrust share (after kScriptPrelude).
extern const std::string_view kObserveFunctions;

// One configured slot, with its checked files.
struct SlotToObserve {
  std::string name;
  SlotFileSet files;
};

// The script body (after kScriptPrelude and kObserveFunctions) for these slots,
// trust stores (store paths, already checked) and CRL file (checked; "" for none).
std::string BuildObserveScript(const std::vector<SlotToObserve>& slots, const std::vector<std::string>& stores,
                               const std::string& crl_file = "", const KeyProofs& proven = {});

// A file of a directory trust store, as the script printed it.
struct StoreEntry {
  std::string name;  // file name inside the directory
  std::string content;
};

struct ObservedStore {
  bool directory = false;
  bool present = false;  // bundle file: exists
  std::string bundle;    // bundle file content
  std::vector<StoreEntry> entries;
};

// Reads the output of BuildObserveScript. `peer` names the host in errors. A CRL
// file is reported in Actual::crls whether it exists or not (pem absent).
// `proven`: the proofs the script was built with; `learned` (may be null) receives the
// proofs of the keys derived by this observation.
Result<Actual> ReadObservation(std::string_view output, const std::vector<SlotToObserve>& slots,
                               const std::vector<std::string>& stores, const std::string& cluster,
                               const std::string& peer, const std::string& crl_file = "",
                               const KeyProofs& proven = {}, KeyProofs* learned = nullptr);

// The stores part alone (for trust changes), indexed as in `stores`. Errors
// read "trust store <path> on <peer>: <step>: ...".
Result<std::vector<ObservedStore>> ReadStores(std::string_view output, const std::vector<std::string>& stores,
                                              const std::string& peer, const std::string& step);

// SHA-256 hex of a DER SubjectPublicKeyInfo (pki::PublicKeyDigestOf), or empty
// when `der` is not one.
std::string DigestOfPublicKeyDer(std::string_view der);

}  // namespace pkiform::openssh
