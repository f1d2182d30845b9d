// UcmProvider: AddTrust and RemoveTrust. A trust store is "<unit>-trust"; the CLI imports
// into it by unit and deletes by file name, which the last observation knows (TrustEntry).
#include <algorithm>
#include <set>
#include <utility>

#include "providers/ucm/cli_text.h"
#include "providers/ucm/ucm_provider.h"
#include "reconciler/pki/certificate.h"

namespace pkiform::ucm {
namespace {

std::string Normalize(std::string_view fingerprint) {
  std::string out;
  for (char c : fingerprint) {
    if (c == ':') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

Status UcmProvider::AddTrust(const std::string& store, const std::string& certificate_pem) {
  const std::string subject = "trust store " + store, step = "add a CA";
  auto spec = StoreFor(store, step);
  if (!spec.ok()) return spec.status();
  const std::string& suffix = dialect_->trust_suffix;
  if (store.size() <= suffix.size() || store.substr(store.size() - suffix.size()) != suffix)
    return Status::InvalidInput(Where(subject, step) + ": not a <unit>" + suffix + " store; refused");
  const std::string unit = store.substr(0, store.size() - suffix.size());
  auto certificate = pki::Certificate::FromPem(certificate_pem);
  if (!certificate.ok()) return Fail(subject, step, certificate.status());
  auto observed = Observation(subject, step);
  if (!observed.ok()) return observed.status();
  std::set<std::pair<std::string, std::string>> known;  // (store, file)
  for (const auto& e : (*observed)->trust_entries) known.insert({e.store, e.file});

  auto cli_or = Cli(subject, step);
  if (!cli_or.ok()) return cli_or.status();
  CliSession& cli = **cli_or;
  auto command = Fill(dialect_->import_trust.send, {{"unit", unit}});
  if (!command.ok()) return Fail(subject, step, command.status());
  auto out = cli.Paste(*command, dialect_->import_trust, certificate->ToPem());
  if (!out.ok()) return Fail(subject, step, out.status());

  // The node names the file; the new entry is read back so RemoveTrust can name it later.
  // Every new entry is, not only this store's: a CAPF-trust import is also copied to
  // CallManager-trust (catalogue copiesTo, U10), and a later identity import checks that
  // store (U7) against this observation.
  auto list = cli.Run(dialect_->list_trust);
  if (!list.ok()) return Fail(subject, "read back the store", list.status());
  const std::string want = certificate->FingerprintSha256();
  bool added = false;
  for (const auto& e : ParseCertList(*list)) {
    if (known.count({e.unit, e.file})) continue;
    auto entry = ReadTrust(cli, e.unit, e.file, e.description);
    if (!entry.ok()) return Fail(subject, "read back the store", entry.status());
    CacheTrust(*entry);
    if (e.unit == store && entry->fingerprint == want) added = true;
  }
  if (added) return Status::Ok();
  // Already there under a known name (an import of an existing CA replaces it in place).
  if (std::any_of((*observed)->trust_entries.begin(), (*observed)->trust_entries.end(),
                  [&](const TrustEntry& e) { return e.store == store && e.fingerprint == want; }))
    return Status::Ok();
  return Status::Failed(Where(subject, step) + ": the node reported success but the CA is not in " + store);
}

Status UcmProvider::RemoveTrust(const std::string& store, const std::string& fingerprint_sha256) {
  const std::string subject = "trust store " + store, step = "remove a CA";
  auto spec = StoreFor(store, step);
  if (!spec.ok()) return spec.status();
  // rule U11: only trust entries are deleted, never an identity.
  if (!(*spec)->deletable)
    return Status::Unsupported(Where(subject, step) + ": entries of " + store + " cannot be deleted (U11)");
  auto observed = Observation(subject, step);
  if (!observed.ok()) return observed.status();
  const std::string want = Normalize(fingerprint_sha256);
  const TrustEntry* entry = nullptr;
  for (const auto& e : (*observed)->trust_entries)
    if (e.store == store && Normalize(e.fingerprint) == want) entry = &e;
  if (!entry)
    return Status::NotFound(Where(subject, step) + ": no entry with the fingerprint " + fingerprint_sha256 +
                            " in the last observation");
  auto cli_or = Cli(subject, step);
  if (!cli_or.ok()) return cli_or.status();
  auto command = Fill(dialect_->delete_trust.send, {{"store", entry->store}, {"file", entry->file}});
  if (!command.ok()) return Fail(subject, step, command.status());
  auto out = (*cli_or)->Run(*command, std::chrono::seconds(dialect_->command_seconds),
                            dialect_->delete_trust.questions, dialect_->delete_trust.success);
  if (!out.ok()) return Fail(subject, step, out.status());
  // The entry is gone from the cached observation (U10: cluster-wide where the catalogue says).
  auto& entries = observed_->trust_entries;
  const std::string file = entry->file;
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [&](const TrustEntry& e) { return e.store == store && e.file == file; }),
                entries.end());
  for (auto& t : observed_->actual.trust) {
    if (t.store != store) continue;
    auto& pems = t.certificate_pems;
    pems.erase(std::remove_if(pems.begin(), pems.end(),
                              [&](const std::string& pem) {
                                auto c = pki::Certificate::FromPem(pem);
                                return c.ok() && Normalize(c->FingerprintSha256()) == want;
                              }),
               pems.end());
  }
  return Status::Ok();
}

}  // namespace pkiform::ucm
