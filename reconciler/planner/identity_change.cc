// Identity changes (identity_change.h).
#include "reconciler/planner/identity_change.h"

#include <algorithm>

#include "reconciler/pki/csr.h"
#include "reconciler/planner/describe.h"

namespace pkiform::planner {
namespace {

template <typename Strings>
std::vector<std::string> Sorted(const Strings& in) {
  std::vector<std::string> out(in.begin(), in.end());
  std::sort(out.begin(), out.end());
  return out;
}

// The pending CSR on the peer, when it still asks for what the manifest wants.
std::optional<pki::Csr> FittingPendingRequest(const SlotInput& in) {
  if (!in.observed.pending_csr_pem) return std::nullopt;
  auto csr = pki::Csr::FromPem(*in.observed.pending_csr_pem);
  if (!csr.ok() || !RequestFits(in, *csr)) return std::nullopt;
  return std::move(csr).value();
}

// Why the committed certificate cannot be installed, or nothing when it can.
std::optional<std::string> CommittedProblem(const SlotInput& in, const pki::Certificate& committed) {
  const std::string key = committed.PublicKeyDigest();
  bool pending_key = false;
  if (in.observed.pending_csr_pem) {
    auto csr = pki::Csr::FromPem(*in.observed.pending_csr_pem);
    pending_key = csr.ok() && csr->PublicKeyDigest() == key;
  }
  const bool installed_key = !in.observed.key_public_digest.empty() && in.observed.key_public_digest == key;
  if (!pending_key && !installed_key) {
    if (in.observed.pending_csr_pem) return std::string("it does not answer the pending CSR");
    // Without a readable key file the appliance holds its key; the executor checks it there.
    if (in.key_readable) return std::string("no key on the peer belongs to it (no pending request answers it)");
  }
  // Judge it as if installed, with the chain that goes in with it.
  SlotInput next = in;
  next.observed.certificate_pem = committed.ToPem();
  if (pending_key) next.observed.key_public_digest = key;
  next.certificate = committed;
  next.certificate_error.clear();
  next.chain = in.expected_chain;
  next.observed.missing_files.clear();  // installing writes every file the slot names
  return FirstReason(next);
}

}  // namespace

bool RequestFits(const SlotInput& in, const pki::Csr& csr) {
  return csr.Subject() == in.expected_subject && Sorted(csr.DnsNames()) == Sorted(in.expected_dns_names) &&
         Sorted(csr.IpAddresses()) == Sorted(in.expected_ip_addresses) && csr.Key() == in.expected_key &&
         Sorted(csr.KeyUsage()) == Sorted(in.expected_key_usage) &&
         Sorted(csr.ExtendedKeyUsage()) == Sorted(in.expected_extended_key_usage);
}

std::string IdentityAddress(const std::string& cluster, const std::string& peer, const std::string& slot) {
  return cluster + "/" + peer + "/identity/" + slot;
}

IdentityDecision PlanIdentity(const SlotInput& in, const ExternalFiles& external) {
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

  if (in.issuer_kind != Issuer::Kind::kExternal) {
    d.change = std::move(c);
    return d;
  }

  std::string problem;
  if (external.certificate) {
    auto parsed = pki::Certificate::FromPem(*external.certificate);
    if (!parsed.ok()) {
      problem = "it cannot be read: " + parsed.status().message();
    } else if (auto p = CommittedProblem(in, *parsed)) {
      problem = *p;
    } else {
      c.certificate_pem = parsed->ToPem();
      c.after = DescribeCertificate(*parsed);
      c.after_fingerprint = parsed->FingerprintSha256();
      d.change = std::move(c);
      return d;
    }
  }

  c.waiting_for = "a signed certificate for " + in.peer + " " + in.slot + " from issuer " + in.issuer_name;
  d.note = "waiting for " + c.waiting_for;
  if (!problem.empty()) d.note += " (the committed certificate cannot be used: " + problem + ")";
  const std::optional<pki::Csr> pending = FittingPendingRequest(in);
  std::optional<pki::Csr> handed_over;
  if (external.request)
    if (auto csr = pki::Csr::FromPem(*external.request); csr.ok()) handed_over = std::move(csr).value();
  if (pending && handed_over && handed_over->ToPem() == pending->ToPem()) {
    d.note += "; its request is " + external.request_path;
    return d;  // handed over already: nothing to do but wait
  }
  if (pending) c.request_pem = pending->ToPem();
  c.after.push_back("request: " + external.request_path + (pending ? " (the CSR pending on the peer)" : " (a new CSR)"));
  d.note += "; apply writes its request to " + external.request_path;
  d.change = std::move(c);
  return d;
}

}  // namespace pkiform::planner
