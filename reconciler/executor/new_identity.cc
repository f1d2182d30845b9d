// Making the new identity of a slot (new_identity.h).
#include "reconciler/executor/new_identity.h"

#include "reconciler/pki/csr.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"

namespace pkiform {
namespace {

bool OnPeer(const IdentitySlot& slot) { return slot.key.location == "appliance"; }

Result<pki::Csr> CsrFromPeer(const NewIdentityContext& ctx) {
  auto pem = ctx.provider.GenerateCsr({ctx.slot.slot, ctx.order.csr, ctx.order.key});
  if (!pem.ok()) return pem.status();
  auto csr = pki::Csr::FromPem(*pem);
  if (!csr.ok()) return csr.status().WithContext("the CSR made on the peer");
  return csr;
}

struct LocalKey {
  pki::PrivateKey key;
  pki::SecretString pem;
};

Result<LocalKey> MakeLocalKey(const NewIdentityContext& ctx) {
  auto key = pki::PrivateKey::Generate(ctx.order.key);
  if (!key.ok()) return key.status();
  auto pem = key->ToPem();
  if (!pem.ok()) return pem.status();
  return LocalKey{std::move(key).value(), std::move(pem).value()};
}

NewIdentity Made(std::string slot, pki::Certificate certificate, std::vector<pki::Certificate> chain) {
  NewIdentity made{IdentityInstall{}, std::nullopt, std::move(certificate), std::move(chain)};
  made.install.slot = std::move(slot);
  made.install.certificate_pem = made.certificate.ToPem();
  for (const auto& ca : made.chain) made.install.chain_pems.push_back(ca.ToPem());
  return made;
}

Result<std::optional<NewIdentity>> FromCa(const NewIdentityContext& ctx) {
  std::optional<LocalKey> local;
  std::optional<pki::Csr> csr;
  if (OnPeer(ctx.slot)) {
    auto made = CsrFromPeer(ctx);
    if (!made.ok()) return made.status();
    csr = std::move(made).value();
  } else {
    auto key = MakeLocalKey(ctx);
    if (!key.ok()) return key.status();
    local = std::move(key).value();
    auto made = pki::Csr::Create(ctx.order.csr, local->key);
    if (!made.ok()) return made.status();
    csr = std::move(made).value();
  }
  auto issued = ctx.signer.Issue(*csr, ctx.order.policy);
  if (!issued.ok()) return issued.status();
  NewIdentity made = Made(ctx.slot.slot, std::move(issued->certificate), std::move(issued->chain));
  made.install.use_pending_key = !local;
  if (local) made.generated_key = std::move(local->pem);
  return std::optional<NewIdentity>(std::move(made));
}

Result<std::optional<NewIdentity>> SelfSigned(const NewIdentityContext& ctx) {
  if (!OnPeer(ctx.slot)) {
    auto key = MakeLocalKey(ctx);
    if (!key.ok()) return key.status();
    auto cert = pki::SelfSign(key->key, ctx.order.policy);
    if (!cert.ok()) return cert.status();
    NewIdentity made = Made(ctx.slot.slot, std::move(cert).value(), {});
    made.generated_key = std::move(key->pem);
    return std::optional<NewIdentity>(std::move(made));
  }
  auto serial = pki::RandomSerialHex();
  if (!serial.ok()) return serial.status();
  const SelfSignOnPeer request{ctx.slot.slot, ctx.order.policy.validity, *serial, ctx.slot.duration.whole_months,
                               ctx.order.csr};
  if (ctx.self_sign_new_key) {
    // The peer makes a key of its own and installs at once (dms GENERATE_NEW_CERT): there is
    // no CSR whose key to compare, so what it reports must at least be self-signed and say
    // what was asked.
    auto pem = ctx.provider.SelfSignPending(request);
    if (!pem.ok()) return pem.status();
    auto cert = pki::Certificate::FromPem(*pem);
    if (!cert.ok()) return cert.status().WithContext("the certificate the peer made");
    if (!cert->IsSelfSigned() || cert->Subject() != ctx.order.policy.subject)
      return Status::Failed("the certificate the peer made is not the self-signed certificate asked for (" +
                            cert->Subject().ToString() + ")");
    NewIdentity made = Made(ctx.slot.slot, std::move(cert).value(), {});
    made.install.use_pending_key = true;
    return std::optional<NewIdentity>(std::move(made));
  }
  auto csr = CsrFromPeer(ctx);
  if (!csr.ok()) return csr.status();
  auto pem = ctx.provider.SelfSignPending(request);
  if (!pem.ok()) return pem.status();
  auto cert = pki::Certificate::FromPem(*pem);
  if (!cert.ok()) return cert.status().WithContext("the certificate signed on the peer");
  // The peer signed it: make sure it is what was asked, for the key it was asked for.
  if (cert->PublicKeyDigest() != csr->PublicKeyDigest() || !cert->IsSelfSigned() ||
      cert->Subject() != ctx.order.policy.subject || cert->DnsNames() != csr->DnsNames())
    return Status::Failed("the certificate signed on the peer is not the self-signed certificate of its pending CSR");
  NewIdentity made = Made(ctx.slot.slot, std::move(cert).value(), {});
  made.install.use_pending_key = true;
  return std::optional<NewIdentity>(std::move(made));
}

Result<std::optional<NewIdentity>> FromExternal(const NewIdentityContext& ctx) {
  if (!OnPeer(ctx.slot))
    return Status::InvalidInput("issuer " + ctx.issuer.name + " is external: the key must be made on the peer "
                                "(key.location: appliance), pkiform keeps no key while a request waits");
  if (!ctx.change.waiting_for.empty()) {
    std::string csr_pem = ctx.change.request_pem;
    if (csr_pem.empty()) {
      auto csr = CsrFromPeer(ctx);
      if (!csr.ok()) return csr.status();
      csr_pem = csr->ToPem();
    }
    if (Status s = ctx.hand_over(csr_pem); !s.ok()) return s.WithContext("hand the request over");
    return std::optional<NewIdentity>();
  }
  auto cert = pki::Certificate::FromPem(ctx.change.certificate_pem);
  if (!cert.ok()) return cert.status().WithContext("the committed certificate");
  const std::string key = cert->PublicKeyDigest();
  bool pending = false;
  if (ctx.observed && ctx.observed->pending_csr_pem)
    if (auto csr = pki::Csr::FromPem(*ctx.observed->pending_csr_pem); csr.ok()) pending = csr->PublicKeyDigest() == key;
  // Not the pending key: the installed key must be its key (an appliance that holds its key checks that itself).
  NewIdentity made = Made(ctx.slot.slot, std::move(cert).value(), ctx.signer.Chain());
  made.install.use_pending_key = pending;
  return std::optional<NewIdentity>(std::move(made));
}

}  // namespace

Result<std::optional<NewIdentity>> MakeNewIdentity(const NewIdentityContext& ctx) {
  switch (ctx.issuer.kind) {
    case Issuer::Kind::kCa: return FromCa(ctx);
    case Issuer::Kind::kSelfSigned: return SelfSigned(ctx);
    case Issuer::Kind::kExternal: return FromExternal(ctx);
  }
  return Status::Failed("unknown issuer kind");
}

}  // namespace pkiform
