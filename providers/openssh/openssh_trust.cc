// OpensshProvider: AddTrust and RemoveTrust, for bundle files and directories.
// Certificates are matched by SHA-256 fingerprint, never by name or bytes.
#include "providers/openssh/openssh_provider.h"
#include "providers/openssh/pem_text.h"
#include "providers/openssh/remote_script.h"
#include "providers/openssh/shell_quote.h"
#include "providers/openssh/trust_store_files.h"
#include "providers/ssh/remote_files.h"
#include "reconciler/pki/certificate.h"

namespace pkiform::openssh {
namespace {

std::string Subject(const std::string& store) { return "trust store " + store; }

std::string AddStep(const std::string& fingerprint) { return "add " + fingerprint; }
std::string RemoveStep(const std::string& fingerprint) { return "remove " + fingerprint; }

bool IsSha256Hex(const std::string& normalized) {
  if (normalized.size() != 64) return false;
  for (char c : normalized)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

}  // namespace

Result<std::optional<ssh::FileStat>> OpensshProvider::StatStore(const std::string& store, const std::string& step) {
  Status checked = CheckStore(store, step);
  if (!checked.ok()) return checked;
  auto files = Files(Subject(store), step);
  if (!files.ok()) return files.status();
  auto stat = (*files)->Stat(store);
  if (!stat.ok()) return Fail(Subject(store), step, stat.status());
  if (*stat && !(*stat)->isDirectory && !(*stat)->isRegular)
    return Status::Failed(Where(Subject(store), step) + ": neither a regular file nor a directory");
  return std::move(stat).value();
}

Status OpensshProvider::AddTrust(const std::string& store, const std::string& certificate_pem) {
  auto certificate = pki::Certificate::FromPem(certificate_pem);
  if (!certificate.ok()) return Fail(Subject(store), "add certificate", certificate.status());
  const std::string fingerprint = certificate->FingerprintSha256();
  const std::string step = AddStep(fingerprint);
  auto stat = StatStore(store, step);
  if (!stat.ok()) return stat.status();
  if (*stat && (*stat)->isDirectory) return AddToDirectory(store, certificate->ToPem(), fingerprint);
  return AddToBundle(store, certificate->ToPem(), fingerprint, *stat);
}

Status OpensshProvider::AddToDirectory(const std::string& store, const std::string& certificatePem,
                                       const std::string& fingerprint) {
  const std::string step = AddStep(fingerprint);
  auto files = Files(Subject(store), step);
  if (!files.ok()) return files.status();
  return Fail(Subject(store), step,
              (*files)->Upload(JoinPath(store, DirectoryEntryNameFor(fingerprint)), certificatePem, kTrustFileMode));
}

Status OpensshProvider::AddToBundle(const std::string& store, const std::string& certificatePem,
                                    const std::string& fingerprint, const std::optional<ssh::FileStat>& stat) {
  const std::string step = AddStep(fingerprint);
  if (store.back() == '/') return Status::NotFound(Where(Subject(store), step) + ": the directory does not exist");
  auto files = Files(Subject(store), step);
  if (!files.ok()) return files.status();
  if (!stat) return Fail(Subject(store), step, (*files)->Upload(store, certificatePem, kTrustFileMode));

  auto bundle = (*files)->Download(store);
  if (!bundle.ok()) return Fail(Subject(store), step, bundle.status());
  if (ContainsFingerprint(*bundle, fingerprint)) return Status::Ok();
  const ssh::FileStat& attrs = *stat;
  return Fail(Subject(store), step,
              (*files)->Upload(store, AppendPem(*bundle, certificatePem), static_cast<int>(attrs.mode & 07777),
                              attrs.uid, attrs.gid));
}

Status OpensshProvider::RemoveTrust(const std::string& store, const std::string& fingerprint_sha256) {
  const std::string normalized = NormalizeFingerprint(fingerprint_sha256);
  const std::string step = RemoveStep(fingerprint_sha256);
  if (!IsSha256Hex(normalized))
    return Status::InvalidInput(Where(Subject(store), step) + ": not a SHA-256 fingerprint");
  auto stat = StatStore(store, step);
  if (!stat.ok()) return stat.status();
  if (!*stat) return Status::Ok();  // no store, nothing to remove
  if ((*stat)->isDirectory) return RemoveFromDirectory(store, fingerprint_sha256);
  return RemoveFromBundle(store, fingerprint_sha256, **stat);
}

Status OpensshProvider::RemoveFromBundle(const std::string& store, const std::string& fingerprint,
                                         const ssh::FileStat& attrs) {
  const std::string step = RemoveStep(fingerprint);
  auto files = Files(Subject(store), step);
  if (!files.ok()) return files.status();
  auto bundle = (*files)->Download(store);
  if (!bundle.ok()) return Fail(Subject(store), step, bundle.status());
  if (!ContainsFingerprint(*bundle, fingerprint)) return Status::Ok();
  return Fail(Subject(store), step,
              (*files)->Upload(store, RemoveFingerprint(*bundle, fingerprint), static_cast<int>(attrs.mode & 07777),
                              attrs.uid, attrs.gid));
}

Status OpensshProvider::RemoveFromDirectory(const std::string& store, const std::string& fingerprint) {
  const std::string step = RemoveStep(fingerprint);
  const std::vector<std::string> stores = {store};
  std::string list(kObserveFunctions);
  list += BuildObserveScript({}, stores);
  auto run = RunScript(session_, list);
  if (!run.ok()) return Fail(Subject(store), step, run.status());
  if (run->exitStatus != 0) {
    return Status::Failed(Where(Subject(store), step) + ": listing the directory ended with exit status " +
                          std::to_string(run->exitStatus) + ": " + StderrTail(run->err));
  }
  auto observed = ReadStores(run->out, stores, peer_.fqdn, step);
  if (!observed.ok()) return observed.status();

  std::string removeScript;
  for (const auto& entry : (*observed)[0].entries) {
    if (!ContainsFingerprint(entry.content, fingerprint)) continue;
    const std::string path = JoinPath(store, entry.name);
    std::string rest = RemoveFingerprint(entry.content, fingerprint);
    if (FindCertificates(rest).empty()) {
      removeScript += "rm -f " + ShellQuote(path) + " || exit 1\n";
      continue;
    }
    // A file holding other CAs as well keeps them.
    auto files = Files(Subject(store), step);
    if (!files.ok()) return files.status();
    auto stat = (*files)->Stat(path);
    if (!stat.ok()) return Fail(Subject(store), step, stat.status());
    if (!*stat) continue;
    Status written = (*files)->Upload(path, rest, static_cast<int>((*stat)->mode & 07777), (*stat)->uid, (*stat)->gid);
    if (!written.ok()) return Fail(Subject(store), step, written);
  }
  if (removeScript.empty()) return Status::Ok();
  auto removed = RunScript(session_, removeScript + "finish\n");
  if (!removed.ok()) return Fail(Subject(store), step, removed.status());
  if (removed->exitStatus != 0) {
    return Status::Failed(Where(Subject(store), step) + ": removing the file ended with exit status " +
                          std::to_string(removed->exitStatus) + ": " + StderrTail(removed->err));
  }
  return Status::Ok();
}

}  // namespace pkiform::openssh
