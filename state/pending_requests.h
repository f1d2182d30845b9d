// Pending requests: CSRs that wait for an external issuer (kind Issuer with
// `external: {requests: ..., certificates: ...}`). pkiform writes the CSR into the
// repository folder the manifest names, for people or another system to have it
// signed, and remembers the request in the state directory until the signed
// certificate has been installed.
//
//   <state_dir>/requests/<cluster>/<peer>/<slot>.json   the record (0600)
//   <requests_dir>/<cluster>/<peer>/<slot>.csr          the CSR, PEM (0644)
//
// PendingRequest is the state; the functions below are its store. A CSR is public;
// anything containing a private key is refused.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::state {

struct PendingRequest {
  std::string cluster, peer, slot;
  std::string issuer;   // the external Issuer's name
  std::string csr_pem;  // PEM "CERTIFICATE REQUEST"
  std::string created;  // RFC 3339 UTC

  bool operator==(const PendingRequest&) const = default;
};

// Writes the CSR file under `requests_dir` first, then the record: a record
// always has its CSR delivered. Saving again for the same slot replaces both.
Status SavePendingRequest(const std::string& state_dir, const std::string& requests_dir, const PendingRequest& request);

// Every pending request, sorted by cluster, peer, slot. A record that cannot be
// read is an error naming its file.
Result<std::vector<PendingRequest>> ListPendingRequests(const std::string& state_dir);

// The pending request of one slot, or nullopt.
Result<std::optional<PendingRequest>> FindPendingRequest(const std::string& state_dir, const std::string& cluster,
                                                         const std::string& peer, const std::string& slot);

// Forgets the request once its signed certificate is installed: removes the CSR
// file, then the record. Removing a request that does not exist is not an error,
// so a run interrupted half-way can simply repeat it.
Status RemovePendingRequest(const std::string& state_dir, const std::string& requests_dir, const std::string& cluster,
                            const std::string& peer, const std::string& slot);

}  // namespace pkiform::state
