// Key proofs: what an earlier observation proved of a private key file on a peer, so that
// the next observation need not run `openssl pkey` again (issue 13).
//
// Proving that a host's key matches its certificate means deriving the public key on the
// host: `openssl pkey -pubout`, about 6 ms of host CPU, most of an in-sync observation's
// work there. A proof records the key file's SHA-256 beside the public key derived from
// it. The next observation sends the hash; the host answers "same" after one `sha256sum`
// when the file is byte for byte what was proved, else derives the public key again.
// The private key never leaves the host either way; its hash is kept in the state folder
// (key-proofs.json, 0600), as a fingerprint of a random key reveals nothing usable.
// A proof is learned only when the file hashed the same before and after openssl read it,
// so a key replaced while being read is never recorded under the wrong hash.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "reconciler/util/result.h"

namespace pkiform::openssh {

struct KeyProof {
  std::string file_sha256;     // 64 lowercase hex digits
  std::string public_key_der;  // the SubjectPublicKeyInfo openssl derived from that file
  // pki::PublicKeyDigestOf that key, kept so that a proved key costs no parse of its DER
  // (OpenSSL 3's decoder: 9% of a plan's client CPU, perf); empty in files written before it.
  std::string public_key_digest;
};

using KeyProofs = std::map<std::string, KeyProof>;  // by key file path

bool IsLowerHexSha256(const std::string& text);

// The proofs of every peer of a run, shared by the providers observing in parallel.
class KeyProofCache {
 public:
  KeyProofs For(const std::string& peer) const;  // "cluster/peer"
  // Records what an observation of `peer` proved (paths not in `proofs` are kept).
  void Learn(const std::string& peer, const KeyProofs& proofs);
  // Drops every peer `keep` answers false for (peers no longer in the manifests).
  template <typename Keep>
  void Prune(Keep keep) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = peers_.begin(); it != peers_.end();) it = keep(it->first) ? std::next(it) : peers_.erase(it);
  }
  std::string ToJson() const;
  // A broken file is an error naming what is wrong; the caller starts from an empty cache.
  static Result<KeyProofCache> FromJson(const std::string& text);

  KeyProofCache() = default;
  KeyProofCache(KeyProofCache&& other) noexcept : peers_(std::move(other.peers_)) {}
  KeyProofCache& operator=(KeyProofCache&& other) noexcept {
    std::scoped_lock lock(mutex_, other.mutex_);
    peers_ = std::move(other.peers_);
    return *this;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, KeyProofs> peers_;
};

}  // namespace pkiform::openssh
