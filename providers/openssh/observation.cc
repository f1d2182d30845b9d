#include "providers/openssh/observation.h"

#include <openssl/x509.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <utility>

#include "providers/openssh/pem_text.h"
#include "providers/openssh/script_output.h"
#include "providers/openssh/shell_quote.h"
#include "providers/openssh/slot_files.h"
#include "providers/ssh/remote_files.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/handles.h"
#include "reconciler/pki/key.h"

namespace pkiform::openssh {

const std::string_view kObserveFunctions = R"SH(
keysum() {
  r=$(sha256sum <"$1" 2>/dev/null) || return 0
  printf '%s' "${r%% *}"
}
pubkey() {
  if [ ! -e "$3" ] && [ ! -L "$3" ]; then mark "$1" "$2" absent
  elif [ -n "${4:-}" ] && [ "$(sha256sum <"$3" 2>/dev/null)" = "$4  -" ]; then mark "$1" "$2" same
  elif ! command -v openssl >/dev/null 2>&1; then mark "$1" "$2" noopenssl
  else
    before=$(keysum "$3")
    mark "$1" "$2" present
    openssl pkey -in "$3" -passin pass: -pubout -outform DER </dev/null 2>/dev/null | enc
    if [ "$1" = key ] && [ -n "$before" ] && [ "$(keysum "$3")" = "$before" ]; then mark keysum "$2" "$before"; fi
  fi
}
leftover() {
  if [ -e "$3" ] || [ -L "$3" ]; then mark leftover "$1" "$2"; fi
}
uploads() {
  for e in "$2"*; do
    if [ -e "$e" ] || [ -L "$e" ]; then mark upload "$1" name; printf '%s' "$e" | enc; fi
  done
}
store() {
  if [ -d "$2" ]; then
    mark store "$1" directory
    for e in "$2"/*.pem "$2"/*.crt; do
      [ -f "$e" ] || continue
      mark entryname "$1" name
      printf '%s' "${e##*/}" | enc
      dump entry "$1" "$e"
    done
  else
    dump store "$1" "$2"
  fi
}
)SH";

std::string BuildObserveScript(const std::vector<SlotToObserve>& slots, const std::vector<std::string>& stores,
                               const std::string& crl_file, const KeyProofs& proven) {
  std::string script;
  for (size_t i = 0; i < slots.size(); ++i) {
    const SlotFileSet& f = slots[i].files;
    const std::string n = std::to_string(i);
    script += "dump cert " + n + " " + ShellQuote(f.certificate) + "\n";
    if (!f.chain.empty()) script += "dump chain " + n + " " + ShellQuote(f.chain) + "\n";
    if (!f.fullchain.empty()) script += "dump fullchain " + n + " " + ShellQuote(f.fullchain) + "\n";
    if (!f.private_key.empty()) {
      auto proof = proven.find(f.private_key);
      script += "pubkey key " + n + " " + ShellQuote(f.private_key) +
                (proof != proven.end() ? " " + proof->second.file_sha256 : "") + "\n";
      script += "pubkey pendingkey " + n + " " + ShellQuote(PendingKeyPathOf(f.private_key)) + "\n";
      script += "dump pendingcsr " + n + " " + ShellQuote(PendingCsrPathOf(f.private_key)) + "\n";
    }
    const std::vector<std::string> backups = BackupPathsOf(f);
    for (size_t k = 0; k < backups.size(); ++k)
      script += "leftover " + n + " " + std::to_string(k) + " " + ShellQuote(backups[k]) + "\n";
    // Temporary upload names carry a random part: listed by their prefix (slot_files.h).
    for (const auto& file : f.All()) script += "uploads " + n + " " + ShellQuote(ssh::UploadTempPrefixOf(file)) + "\n";
  }
  for (size_t j = 0; j < stores.size(); ++j)
    script += "store " + std::to_string(j) + " " + ShellQuote(stores[j]) + "\n";
  if (!crl_file.empty()) script += "dump crl 0 " + ShellQuote(crl_file) + "\n";
  script += "finish\n";
  return script;
}

std::string DigestOfPublicKeyDer(std::string_view der) {
  if (der.empty()) return "";
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  pki::EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!key || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) return "";
  return pki::PublicKeyDigestOf(key.get());
}

namespace {

using SectionKey = std::pair<std::string, int>;

using Indexed = std::map<SectionKey, const ScriptSection*>;

Status Unreadable(const std::string& what, const std::string& path) {
  return Status::IoError("cannot read " + what + " " + path + " (permission denied or not a regular file)");
}

// The content of a file section: nullopt when absent (or not printed at all).
Result<std::optional<std::string>> FileContent(const Indexed& idx, const std::string& kind, int index,
                                               const std::string& what, const std::string& path) {
  auto it = idx.find({kind, index});
  if (it == idx.end() || it->second->state == "absent") return std::optional<std::string>();
  if (it->second->state != "present") return Unreadable(what, path);
  return std::optional<std::string>(it->second->data);
}

std::string PublicKeyDigest(const Indexed& idx, const std::string& kind, int index) {
  auto it = idx.find({kind, index});
  if (it == idx.end() || it->second->state != "present") return "";
  return DigestOfPublicKeyDer(it->second->data);
}

// `proven_key_digest`: the key's digest from its proof when the host answered "same".
Result<ObservedSlot> ReadSlot(const Indexed& idx, int i, const SlotToObserve& slot, const std::string* proven_key_digest) {
  const SlotFileSet& f = slot.files;
  ObservedSlot out;
  out.slot = slot.name;

  auto cert = FileContent(idx, "cert", i, "certificate file", f.certificate);
  if (!cert.ok()) return cert.status();
  std::vector<std::string> certPems = cert->has_value() ? CertificatePems(**cert) : std::vector<std::string>{};
  if (!certPems.empty()) out.certificate_pem = certPems.front();

  std::optional<std::string> full;
  if (!f.fullchain.empty()) {
    auto read = FileContent(idx, "fullchain", i, "fullchain file", f.fullchain);
    if (!read.ok()) return read.status();
    full = std::move(read).value();
  }
  std::optional<std::string> chainText;
  if (!f.chain.empty()) {
    auto read = FileContent(idx, "chain", i, "chain file", f.chain);
    if (!read.ok()) return read.status();
    chainText = std::move(read).value();
    if (!chainText) out.missing_files.push_back(f.chain);
  }
  if (!f.fullchain.empty() && !full) out.missing_files.push_back(f.fullchain);
  // The chain as installed: the chain file, else what follows the leaf in the
  // fullchain file, else what follows it in the certificate file.
  if (!f.chain.empty()) {
    if (chainText) out.chain_pems = CertificatePems(*chainText);
  } else if (full) {
    auto pems = CertificatePems(*full);
    if (!pems.empty()) out.chain_pems.assign(pems.begin() + 1, pems.end());
  } else if (certPems.size() > 1) {
    out.chain_pems.assign(certPems.begin() + 1, certPems.end());
  }

  if (!f.private_key.empty()) {
    out.key_public_digest = proven_key_digest ? *proven_key_digest : PublicKeyDigest(idx, "key", i);
    const std::string pendingDigest = PublicKeyDigest(idx, "pendingkey", i);
    auto csrText = FileContent(idx, "pendingcsr", i, "pending CSR", PendingCsrPathOf(f.private_key));
    if (!pendingDigest.empty() && csrText.ok() && csrText->has_value()) {
      // Only a CSR that belongs to the pending key is pending: anything else is debris.
      auto csr = pki::Csr::FromPem(**csrText);
      if (csr.ok() && csr->PublicKeyDigest() == pendingDigest) out.pending_csr_pem = csr->ToPem();
    }
  }
  return out;
}

// Errors read "trust store <path> on <peer>: <step>: ...".
Result<std::vector<ObservedStore>> ReadStoreSections(const std::vector<ScriptSection>& sections,
                                                     const std::vector<std::string>& stores, const std::string& peer,
                                                     const std::string& step) {
  auto where = [&](const std::string& path) { return "trust store " + path + " on " + peer + ": " + step + ": "; };
  std::vector<ObservedStore> out(stores.size());
  std::vector<bool> seen(stores.size(), false);
  std::string pendingName;
  bool haveName = false;
  for (const auto& s : sections) {
    if (s.kind != "store" && s.kind != "entryname" && s.kind != "entry") continue;
    if (s.index < 0 || static_cast<size_t>(s.index) >= stores.size())
      return Status::Failed(peer + ": " + step + ": the output names trust store #" + std::to_string(s.index) +
                            ", which was not asked for");
    ObservedStore& store = out[s.index];
    const std::string& path = stores[s.index];
    if (s.kind == "store") {
      seen[s.index] = true;
      if (s.state == "directory") {
        store.directory = true;
      } else if (s.state == "present") {
        store.present = true;
        store.bundle = s.data;
      } else if (s.state != "absent") {
        return Status::IoError(where(path) + Unreadable("bundle file", path).message());
      }
    } else if (s.kind == "entryname") {
      pendingName = s.data;
      haveName = true;
    } else {
      if (!haveName) return Status::Failed(where(path) + "the output lists a file without its name");
      haveName = false;
      if (s.state == "absent") continue;  // removed while we listed it
      if (s.state != "present")
        return Status::IoError(where(path) + Unreadable("file", path + "/" + pendingName).message());
      store.entries.push_back(StoreEntry{pendingName, s.data});
    }
  }
  for (size_t j = 0; j < stores.size(); ++j)
    if (!seen[j]) return Status::Failed(where(stores[j]) + "the output lacks this store");
  return out;
}

// The CRL file's section: the file's text, nullopt when absent. Errors read
// "CRL <path> on <peer>: observe: ...".
Result<std::optional<std::string>> ReadCrlSection(const std::vector<ScriptSection>& sections,
                                                  const std::string& path, const std::string& peer) {
  const std::string where = "CRL " + path + " on " + peer + ": observe: ";
  const ScriptSection* found = nullptr;
  for (const auto& s : sections) {
    if (s.kind != "crl") continue;
    if (s.index != 0 || found) return Status::Failed(where + "the output repeats or misnumbers the CRL file");
    found = &s;
  }
  if (!found) return Status::Failed(where + "the output lacks the CRL file");
  if (found->state == "absent") return std::optional<std::string>();
  if (found->state != "present") return Status::IoError(where + Unreadable("CRL file", path).message());
  return std::optional<std::string>(found->data);
}

// A `leftover` i k marker: backup name k of slot i exists. Only names the script
// asked about are taken, each once.
Status ReadLeftover(const ScriptSection& s, std::vector<std::vector<bool>>& found, const std::string& peer) {
  int k = -1;
  auto [end, ec] = std::from_chars(s.state.data(), s.state.data() + s.state.size(), k);
  const bool number = ec == std::errc() && end == s.state.data() + s.state.size();
  if (s.index < 0 || static_cast<size_t>(s.index) >= found.size() || !number || k < 0 ||
      static_cast<size_t>(k) >= found[s.index].size())
    return Status::Failed(peer + ": observe: the output names backup file '" + s.state + "' of slot #" +
                          std::to_string(s.index) + ", which was not asked for");
  if (found[s.index][k])
    return Status::Failed(peer + ": observe: the output repeats backup file " + s.state + " of slot #" +
                          std::to_string(s.index));
  found[s.index][k] = true;
  return Status::Ok();
}

// An `upload` i marker with a path: a file whose name starts like a temporary upload
// name of slot i's files. The glob also matches names pkiform never makes (someone's
// ".server.key.pkiform-tmp-old"): those are left alone, as the path comes from the host and
// only pkiform's own names are ever planned for removal. Each is taken once.
Status ReadLeftoverUpload(const ScriptSection& s, const std::vector<SlotToObserve>& slots,
                          std::vector<std::vector<std::string>>& found, const std::string& peer) {
  if (s.index < 0 || static_cast<size_t>(s.index) >= slots.size() || s.state != "name")
    return Status::Failed(peer + ": observe: the output names a temporary upload file of slot #" +
                          std::to_string(s.index) + ", which was not asked for");
  if (!IsLeftoverUploadOf(slots[static_cast<size_t>(s.index)].files, s.data)) return Status::Ok();
  auto& list = found[static_cast<size_t>(s.index)];
  if (std::find(list.begin(), list.end(), s.data) != list.end())
    return Status::Failed(peer + ": observe: the output repeats a temporary upload file of slot #" +
                          std::to_string(s.index));
  list.push_back(s.data);
  return Status::Ok();
}

// A key section the host answered "same" gets the public key of the proof it matched;
// a "keysum" after a key section derived now is what a later run may send (key_proofs.h).
Status ApplyKeyProofs(std::vector<ScriptSection>& sections, const std::vector<SlotToObserve>& slots,
                      const KeyProofs& proven, KeyProofs* learned, std::map<int, std::string>& proven_digests) {
  std::map<int, const ScriptSection*> derived;
  for (auto& s : sections) {
    if (s.kind != "key" && s.kind != "keysum") continue;
    if (s.index < 0 || static_cast<size_t>(s.index) >= slots.size())
      return Status::Failed("the output names slot #" + std::to_string(s.index) + ", which was not asked for");
    const std::string& path = slots[static_cast<size_t>(s.index)].files.private_key;
    auto proof = proven.find(path);
    if (s.kind == "key" && s.state == "same") {
      if (proof == proven.end())
        return Status::Failed("the host answered 'same' for the key file " + path + ", which had no earlier proof");
      s.state = "present";
      s.data = proof->second.public_key_der;
      if (!proof->second.public_key_digest.empty()) proven_digests[s.index] = proof->second.public_key_digest;
    } else if (s.kind == "key" && s.state == "present") {
      derived[s.index] = &s;
    } else if (s.kind == "keysum") {
      if (!IsLowerHexSha256(s.state))
        return Status::Failed("the key file hash of slot #" + std::to_string(s.index) + " is not a SHA-256 in hex");
      auto key = derived.find(s.index);
      if (key == derived.end())
        return Status::Failed("the output gives a key file hash for slot #" + std::to_string(s.index) +
                              " without its public key");
      if (!learned) continue;
      std::string digest = DigestOfPublicKeyDer(key->second->data);
      if (!digest.empty()) (*learned)[path] = KeyProof{s.state, key->second->data, std::move(digest)};
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ObservedStore>> ReadStores(std::string_view output, const std::vector<std::string>& stores,
                                              const std::string& peer, const std::string& step) {
  auto sections = ParseScriptOutput(output);
  if (!sections.ok()) return sections.status().WithContext(peer + ": " + step);
  return ReadStoreSections(*sections, stores, peer, step);
}

Result<Actual> ReadObservation(std::string_view output, const std::vector<SlotToObserve>& slots,
                               const std::vector<std::string>& stores, const std::string& cluster,
                               const std::string& peer, const std::string& crl_file, const KeyProofs& proven,
                               KeyProofs* learned) {
  auto sections = ParseScriptOutput(output);
  if (!sections.ok()) return sections.status().WithContext(peer + ": observe");
  std::map<int, std::string> proven_digests;  // slot -> its key's digest, from a proof
  Status proofs = ApplyKeyProofs(*sections, slots, proven, learned, proven_digests);
  if (!proofs.ok()) return proofs.WithContext(peer + ": observe");
  Indexed idx;
  std::vector<std::vector<bool>> leftovers(slots.size());
  for (size_t i = 0; i < slots.size(); ++i) leftovers[i].assign(BackupPathsOf(slots[i].files).size(), false);
  std::vector<std::vector<std::string>> uploads(slots.size());
  for (const auto& s : *sections) {
    if (s.kind == "leftover") {
      Status read = ReadLeftover(s, leftovers, peer);
      if (!read.ok()) return read;
      continue;
    }
    if (s.kind == "upload") {
      Status read = ReadLeftoverUpload(s, slots, uploads, peer);
      if (!read.ok()) return read;
      continue;
    }
    if (s.kind == "crl" && crl_file.empty())
      return Status::Failed(peer + ": observe: the output names a CRL file, which was not asked for");
    if (s.kind == "store" || s.kind == "entryname" || s.kind == "entry" || s.kind == "crl" || s.kind == "keysum")
      continue;
    if (s.index < 0 || static_cast<size_t>(s.index) >= slots.size())
      return Status::Failed(peer + ": observe: the output names slot #" + std::to_string(s.index) +
                            ", which was not asked for");
    if (!idx.emplace(SectionKey{s.kind, s.index}, &s).second)
      return Status::Failed(peer + ": observe: the output repeats section '" + s.kind + " " +
                            std::to_string(s.index) + "'");
  }

  Actual actual;
  actual.cluster = cluster;
  actual.peer = peer;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (!idx.count({"cert", static_cast<int>(i)}))
      return Status::Failed(slots[i].name + " on " + peer + ": observe: the output lacks the certificate file");
    auto digest = proven_digests.find(static_cast<int>(i));
    auto slot = ReadSlot(idx, static_cast<int>(i), slots[i], digest != proven_digests.end() ? &digest->second : nullptr);
    if (!slot.ok()) return slot.status().WithContext(slots[i].name + " on " + peer + ": observe");
    const std::vector<std::string> backups = BackupPathsOf(slots[i].files);
    for (size_t k = 0; k < backups.size(); ++k)
      if (leftovers[i][k]) slot->leftover_backups.push_back(backups[k]);
    for (auto& path : uploads[i]) slot->leftover_backups.push_back(std::move(path));
    actual.slots.push_back(std::move(slot).value());
  }

  auto read = ReadStoreSections(*sections, stores, peer, "observe");
  if (!read.ok()) return read.status();
  for (size_t j = 0; j < stores.size(); ++j) {
    ObservedTrustStore t;
    t.store = stores[j];
    const ObservedStore& s = (*read)[j];
    if (s.directory) {
      for (const auto& e : s.entries)
        for (auto& pem : CertificatePems(e.content)) t.certificate_pems.push_back(std::move(pem));
    } else if (s.present) {
      t.certificate_pems = CertificatePems(s.bundle);
    }
    actual.trust.push_back(std::move(t));
  }
  if (!crl_file.empty()) {
    auto crl = ReadCrlSection(*sections, crl_file, peer);
    if (!crl.ok()) return crl.status();
    actual.crls.push_back(ObservedCrl{crl_file, std::move(crl).value()});
  }
  return actual;
}

}  // namespace pkiform::openssh
