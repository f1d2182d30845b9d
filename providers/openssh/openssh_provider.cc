// OpensshProvider: construction, the shared helpers, Observe, GenerateCsr, SelfSignPending,
// InstallCrl and Restart. Identity changes are in openssh_identity.cc, trust
// changes in openssh_trust.cc.
#include "providers/openssh/openssh_provider.h"

#include <algorithm>
#include <chrono>

#include "reconciler/pki/key.h"

#include "providers/openssh/csr_script.h"
#include "providers/openssh/remote_script.h"
#include "providers/openssh/self_sign_script.h"
#include "providers/openssh/script_output.h"
#include "providers/openssh/trust_store_files.h"
#include "providers/ssh/remote_files.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/crl_bundle.h"
#include "reconciler/pki/csr.h"

namespace pkiform::openssh {
namespace {

// CRLs are public data that a service's unprivileged workers may read again.
constexpr int kCrlFileMode = 0644;

}  // namespace

OpensshProvider::OpensshProvider(ssh::SshSession& session, const Cluster& cluster, const Peer& peer,
                                 KeyProofCache* key_proofs)
    : session_(session), cluster_(cluster), peer_(peer), key_proofs_(key_proofs) {}

std::string OpensshProvider::Where(const std::string& subject, const std::string& step) const {
  return subject + " on " + peer_.fqdn + ": " + step;
}

Status OpensshProvider::Fail(const std::string& subject, const std::string& step, const Status& cause) const {
  return cause.WithContext(Where(subject, step));  // Ok stays Ok
}

Result<SlotToObserve> OpensshProvider::SlotNamed(const std::string& name, const std::string& step) const {
  for (const auto& slot : cluster_.identity) {
    if (slot.slot != name) continue;
    auto files = SlotFilesOf(slot);
    if (!files.ok()) return Fail(name, step, files.status());
    return SlotToObserve{name, std::move(files).value()};
  }
  return Status::NotFound(Where(name, step) + ": cluster " + cluster_.name + " has no identity slot '" + name + "'");
}

Status OpensshProvider::CheckStore(const std::string& store, const std::string& step) const {
  const std::string subject = "trust store " + store;
  for (const auto& t : cluster_.trust) {
    if (t.store == store) return Fail(subject, step, CheckStorePath(store));
  }
  return Status::NotFound(Where(subject, step) + ": cluster " + cluster_.name + " has no such trust store");
}

const CrlSettings* OpensshProvider::CrlFile() const {
  if (!cluster_.revocation || !cluster_.revocation->crl || cluster_.revocation->crl->path.empty()) return nullptr;
  return &*cluster_.revocation->crl;
}

Result<ssh::RemoteFiles*> OpensshProvider::Files(const std::string& subject, const std::string& step) {
  auto files = session_.Files();
  if (!files.ok()) return Fail(subject, step, files.status());
  return files;
}

Result<Actual> OpensshProvider::Observe() {
  std::vector<SlotToObserve> slots;
  for (const auto& slot : cluster_.identity) {
    auto files = SlotFilesOf(slot);
    if (!files.ok()) return Fail(slot.slot, "observe", files.status());
    slots.push_back(SlotToObserve{slot.slot, std::move(files).value()});
  }
  std::vector<std::string> stores;
  for (const auto& t : cluster_.trust) {
    Status s = CheckStorePath(t.store);
    if (!s.ok()) return Fail("trust store " + t.store, "observe", s);
    stores.push_back(t.store);
  }
  std::string crl_file;
  if (const CrlSettings* crl = CrlFile()) {
    Status s = CheckRemoteFilePath(crl->path);
    if (!s.ok()) return Fail("CRL " + crl->path, "observe", s);
    crl_file = crl->path;
  }
  const std::string proof_key = cluster_.name + "/" + peer_.fqdn;
  const KeyProofs proven = key_proofs_ ? key_proofs_->For(proof_key) : KeyProofs{};
  std::string body(kObserveFunctions);
  body += BuildObserveScript(slots, stores, crl_file, proven);
  auto run = RunScript(session_, body);
  if (!run.ok()) return run.status().WithContext(peer_.fqdn + ": observe");
  if (run->exitStatus != 0) {
    return Status::Failed(peer_.fqdn + ": observe: the observation script ended with exit status " +
                          std::to_string(run->exitStatus) + ": " + StderrTail(run->err));
  }
  KeyProofs learned;
  auto actual = ReadObservation(run->out, slots, stores, cluster_.name, peer_.fqdn, crl_file, proven, &learned);
  if (actual.ok() && key_proofs_) key_proofs_->Learn(proof_key, learned);
  return actual;
}

Result<std::string> OpensshProvider::RunKeyScript(const std::string& slot_name, const std::string& step,
                                                  const KeyScriptBuilder& build, const std::string& kind) {
  auto slot = SlotNamed(slot_name, step);
  if (!slot.ok()) return slot.status();
  if (slot->files.private_key.empty())
    return Status::InvalidInput(Where(slot_name, step) + ": the slot names no privateKey file");
  auto script = build(slot->files.private_key);
  if (!script.ok()) return Fail(slot_name, step, script.status());
  auto run = RunScript(session_, *script);
  if (!run.ok()) return Fail(slot_name, step, run.status());
  if (run->exitStatus != 0) {
    return Status::Failed(Where(slot_name, step) + ": openssl failed with exit status " +
                          std::to_string(run->exitStatus) + ": " + StderrTail(run->err));
  }
  // Never quote this output: should a private key ever appear in it, it stays out of messages.
  if (pki::ContainsPrivateKeyPem(run->out))
    return Status::Failed(Where(slot_name, step) + ": the host printed private key material; refused");
  auto sections = ParseScriptOutput(run->out);
  if (!sections.ok()) return Fail(slot_name, step, sections.status());
  for (const auto& s : *sections)
    if (s.kind == kind) return s.data;
  return Status::Failed(Where(slot_name, step) + ": the host printed no " + kind);
}

Result<std::string> OpensshProvider::GenerateCsr(const CsrOnPeer& request) {
  const std::string step = "generate CSR";
  auto pem = RunKeyScript(request.slot, step, [&](const std::string& key) {
    return BuildCsrScript(key, request.request, request.key);
  }, "csr");
  if (!pem.ok()) return pem.status();
  auto csr = pki::Csr::FromPem(*pem);
  if (!csr.ok()) return Fail(request.slot, step, csr.status());
  Status verified = csr->VerifySignature();
  if (!verified.ok()) return Fail(request.slot, step, verified);
  return csr->ToPem();
}

Result<std::string> OpensshProvider::SelfSignPending(const SelfSignOnPeer& request) {
  const std::string step = "self-sign the pending CSR";
  auto pem = RunKeyScript(request.slot, step, [&](const std::string& key) {
    return BuildSelfSignScript(key, request.validity, request.serial_hex);
  }, "certificate");
  if (!pem.ok()) return pem.status();
  auto certificate = pki::Certificate::FromPem(*pem);
  if (!certificate.ok()) return Fail(request.slot, step, certificate.status());
  if (!certificate->IsSelfSigned())
    return Status::Failed(Where(request.slot, step) + ": the host's certificate is not self-signed");
  return certificate->ToPem();
}

Status OpensshProvider::InstallCrl(const std::string& location, const std::string& crl_pem) {
  const std::string subject = "CRL " + location;
  const std::string step = "upload";
  // Only the file the manifest names is ever written.
  const CrlSettings* crl = CrlFile();
  if (!crl || crl->path != location)
    return Status::NotFound(Where(subject, step) + ": not the CRL file (revocation.crl.path) of cluster " +
                            cluster_.name + "; refused");
  Status path = CheckRemoteFilePath(location);
  if (!path.ok()) return Fail(subject, step, path);
  if (crl_pem.find("-----BEGIN X509 CRL-----") == std::string::npos)
    return Status::InvalidInput(Where(subject, step) + ": the CRLs are not PEM");
  // Every CRL must parse: a service refuses to start on a CRL file it cannot read.
  auto crls = pki::ParseCrlBundle(crl_pem);
  if (!crls.ok()) return Fail(subject, step, crls.status());
  auto files = Files(subject, step);
  if (!files.ok()) return files.status();
  return Fail(subject, step, (*files)->Upload(location, pki::CrlBundlePem(*crls), kCrlFileMode));
}

Status OpensshProvider::Restart(const pkiform::Restart& restart) {
  // Only commands the manifest gave this cluster are run.
  std::string subject;
  for (const auto& slot : cluster_.identity)
    if (!slot.reload.empty() && slot.reload == restart.target) subject = slot.slot;
  for (const auto& t : cluster_.trust)
    if (subject.empty() && !t.update.empty() && t.update == restart.target) subject = "trust store " + t.store;
  const CrlSettings* crl = CrlFile();
  if (subject.empty() && crl && !crl->update.empty() && crl->update == restart.target) subject = "CRL " + crl->path;
  const std::string step = "restart (" + restart.target + ")";
  if (restart.kind != RestartKind::kCommand)
    return Status::InvalidInput(peer_.fqdn + ": " + step + ": an openssh host restarts through commands only; refused");
  if (subject.empty()) {
    return Status::InvalidInput(peer_.fqdn + ": " + step + ": not the reload command of a slot, nor the update " +
                                "command of a trust store or of the CRL file of cluster " + cluster_.name +
                                "; refused");
  }
  // A reload may take longer than a connection may (restartTimes, restarts.timeout), never less.
  const auto limit = std::max<std::chrono::milliseconds>(session_.target().timeout,
                                                         std::chrono::seconds(restart.timeout_seconds));
  auto run = session_.Exec(restart.target, {}, limit);
  if (!run.ok()) return Fail(subject, step, run.status());
  if (run->exitStatus == 0) return Status::Ok();
  std::string how = run->exitStatus < 0 ? std::string("ended without an exit status (killed by a signal?)")
                                        : "exit status " + std::to_string(run->exitStatus);
  std::string tail = StderrTail(run->err);
  return Status::Failed(Where(subject, step) + ": " + how + (tail.empty() ? "" : ": " + tail));
}

}  // namespace pkiform::openssh
