// Identity changes (identity_change.h).
#include "reconciler/planner/identity_change.h"

#include "reconciler/pki/csr.h"
#include "reconciler/planner/describe.h"

namespace pkiform::planner {
namespace {

// Why the committed certificate cannot be installed, or nothing when it can.
std::optional<std::string> CommittedProblem(const SlotInput& in, const pki::Certificate& committed) {
  if (in.observed.pending_csr_pem) {
    auto csr = pki::Csr::FromPem(*in.observed.pending_csr_pem);
    if (csr.ok() && csr->PublicKeyDigest() != committed.PublicKeyDigest())
      return std::string("it does not answer the pending CSR");
  }
  // Judge it as if installed, with the issuer's chain that goes in with it.
  SlotInput next = in;
  next.observed.certificate_pem = committed.ToPem();
  next.certificate = committed;
  next.certificate_error.clear();
  next.chain = in.issuer_certificates;
  return FirstReason(next);
}

}  // namespace

std::string IdentityAddress(const std::string& cluster, const std::string& peer, const std::string& slot) {
  return cluster + "/" + peer + "/identity/" + slot;
}

IdentityDecision PlanIdentity(const SlotInput& in, const std::optional<std::string>& committed) {
  IdentityDecision d;
  const std::optional<std::string> reason = FirstReason(in);
  if (!reason) return d;

  Change c;
  c.address = IdentityAddress(in.cluster, in.peer, in.slot);
  c.action = in.observed.certificate_pem ? Action::kReplace : Action::kCreate;
  c.kind = ChangeKind::kIdentity;
  c.slot_or_store = in.slot;
  c.reason = *reason;
  if (in.certificate) {
    c.before = DescribeCertificate(*in.certificate);
    c.before_fingerprint = in.certificate->FingerprintSha256();
  }
  c.after = DescribeDesired(in);

  if (in.issuer_kind == Issuer::Kind::kExternal) {
    std::string problem;
    if (committed) {
      auto parsed = pki::Certificate::FromPem(*committed);
      if (!parsed.ok()) {
        problem = "it cannot be read: " + parsed.status().message();
      } else if (auto p = CommittedProblem(in, *parsed)) {
        problem = *p;
      } else {
        c.certificate_pem = parsed->ToPem();
        c.after = DescribeCertificate(*parsed);
        c.after_fingerprint = parsed->FingerprintSha256();
      }
    }
    if (c.certificate_pem.empty()) {
      c.waiting_for = "a signed certificate for " + in.peer + " " + in.slot + " from issuer " + in.issuer_name;
      d.note = "waiting for " + c.waiting_for;
      if (!problem.empty()) d.note += " (the committed certificate cannot be used: " + problem + ")";
    }
  }
  d.change = std::move(c);
  return d;
}

}  // namespace pkiform::planner
