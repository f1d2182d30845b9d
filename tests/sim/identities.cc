// Identities of the simulated node: self-signed generation and regeneration (rule U12),
// CSRs (rule U9) and the import of a CA-signed identity with its checks (U2, U6-U8, U15).
#include <openssl/x509_vfy.h>

#include <chrono>

#include "reconciler/catalogue/usage.h"
#include "reconciler/pki/signer.h"
#include "tests/sim/appliance_helpers.h"
#include "tests/sim/appliance_state.h"
#include "tests/sim/sim_files.h"

namespace pkiform::sim {

using catalogue::KeyAlgorithm;
using catalogue::SlotSpec;
using catalogue::TrustStoreSpec;
using detail::ChainPem;
using detail::Contains;
using detail::DefaultKeyOf;
using detail::NodeNames;
using detail::ReadChain;
using detail::SelfSignedCommonName;
using detail::SubjectFrom;
using detail::UsageOf;

Status Appliance::CreateSelfSigned(const std::string& unit, const pki::KeySpec& spec) {
  const SlotSpec* slot = FindUnit(unit);
  if (!slot) return Status::NotFound("unknown unit " + unit);
  auto key = pki::PrivateKey::Generate(spec);
  if (!key.ok()) return key.status();
  WebSecurity ws = LoadWebSecurity();
  pki::SigningPolicy p;
  p.subject = SubjectFrom(ws, SelfSignedCommonName(config_, unit), true);
  p.dnsNames = NodeNames(config_, ws);
  if (const auto* usage = UsageOf(*slot, config_.nodeType)) {
    for (auto u : usage->key_usage) p.keyUsage.insert(std::string(catalogue::Name(u)));
    for (auto u : usage->extended_key_usage) p.extendedKeyUsage.insert(std::string(catalogue::Name(u)));
  } else {
    p.keyUsage = {"digitalSignature", "keyEncipherment"};
  }
  p.isCa = p.keyUsage.count("keyCertSign") > 0;  // CAPF issues LSCs
  p.notBefore = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) -
                std::chrono::minutes(5);
  p.validity = std::chrono::hours(24 * 365 * 5);
  auto cert = pki::SelfSign(*key, p);
  if (!cert.ok()) return cert.status();
  auto keyPem = key->ToPem();
  if (!keyPem.ok()) return keyPem.status();
  if (auto s = WriteIdentity(dir_ / "own", unit, cert->ToPem(), keyPem->str()); !s.ok()) return s;
  if (slot->trust_store.empty()) return Status::Ok();
  return AddTrust(slot->trust_store, *cert, "Trust Certificate");
}

Status Appliance::Regenerate(const std::string& unit) {
  const SlotSpec* slot = FindUnit(unit);
  if (!slot) return Status::NotFound("Invalid unit " + unit);
  auto old = Installed(unit);
  pki::KeySpec spec = old.ok() ? old->front().Key() : DefaultKeyOf(*slot);  // rule U12: same key length
  if (old.ok() && old->front().IsSelfSigned() && !slot->trust_store.empty()) {
    // The old self-signed entry leaves the trust store(s) it replicated to.
    std::string der = old->front().ToDer();
    for (const auto& m : ReplicationMembers()) {
      if (m.address != config_.address && FindTrustStore(slot->trust_store)->replication != catalogue::Scope::kCluster)
        continue;
      fs::path storeDir = m.dir / "trust" / slot->trust_store;
      for (const auto& f : ListDir(storeDir)) {
        if (!f.ends_with(".pem")) continue;
        auto chain = ReadChain(storeDir / f);
        if (chain.ok() && chain->front().ToDer() == der) {
          std::error_code ec;
          fs::remove(storeDir / f, ec);
          fs::remove(storeDir / (f.substr(0, f.size() - 4) + ".desc"), ec);
        }
      }
    }
  }
  return CreateSelfSigned(unit, spec);
}

Status Appliance::GenerateCsr(const std::string& unit, bool includeOu) {
  const SlotSpec* slot = FindUnit(unit);
  if (!slot) return Status::NotFound("Invalid unit " + unit);
  auto current = Installed(unit);
  pki::KeySpec spec = current.ok() ? current->front().Key() : DefaultKeyOf(*slot);
  auto key = pki::PrivateKey::Generate(spec);
  if (!key.ok()) return key.status();
  WebSecurity ws = LoadWebSecurity();
  pki::CsrRequest req;
  req.subject = SubjectFrom(ws, config_.fqdn, includeOu);
  req.dnsNames = NodeNames(config_, ws);
  if (const auto* usage = UsageOf(*slot, config_.nodeType)) {
    for (auto u : usage->key_usage) req.keyUsage.insert(std::string(catalogue::Name(u)));
    for (auto u : usage->extended_key_usage) req.extendedKeyUsage.insert(std::string(catalogue::Name(u)));
  }
  auto csr = pki::Csr::Create(req, *key);
  if (!csr.ok()) return csr.status();
  auto keyPem = key->ToPem();
  if (!keyPem.ok()) return keyPem.status();
  // rule U9: the new CSR and key replace the pending ones.
  if (auto s = WriteTextAtomic(dir_ / "csr" / (unit + ".key"), keyPem->str(), fs::perms(0600)); !s.ok()) return s;
  return WriteTextAtomic(dir_ / "csr" / (unit + ".csr"), csr->ToPem());
}

std::optional<std::string> Appliance::PendingCsrPem(const std::string& unit) const {
  return ReadText(dir_ / "csr" / (unit + ".csr"));
}

std::vector<std::string> Appliance::PendingCsrUnits() const {
  std::vector<std::string> out;
  for (const auto* slot : Units())
    if (fs::exists(dir_ / "csr" / (slot->name + ".csr"))) out.push_back(slot->name);
  return out;
}

Status Appliance::ImportOwn(const std::string& unit, const std::vector<pki::Certificate>& pasted, Channel channel) {
  const SlotSpec* any = platform_->FindSlot(unit);
  if (any && any->placement == catalogue::Placement::kPublisher && !config_.IsPublisher() &&
      Contains(any->node_types, config_.nodeType)) {
    // rule U6 (ASSUMED wording)
    return Status::InvalidInput("The " + unit +
                                " certificate can be uploaded only on the publisher (first node) of the cluster.")
        .WithRule("U6");
  }
  const SlotSpec* slot = FindUnit(unit);
  if (!slot) return Status::NotFound("Invalid unit " + unit);
  if (!slot->csr) return Status::InvalidInput("Certificate import is not supported for " + unit + ".");
  if (pasted.empty()) return Status::InvalidInput("No certificate was found in the input.");
  const pki::Certificate& leaf = pasted.front();
  // Public record (Cisco's security guide): certificates up to 4096 bits only.
  if (leaf.Key().algorithm == pki::KeySpec::kRsa && leaf.Key().bits > 4096)
    return Status::InvalidInput("Unable to import certificate for " + unit + ": keys over 4096 bits are not supported.");
  auto csrKeyPem = ReadText(dir_ / "csr" / (unit + ".key"));
  auto csrPem = PendingCsrPem(unit);
  if (!csrKeyPem || !csrPem) {
    return Status::InvalidInput("No CSR is pending for " + unit + ": generate one with set csr gen " + unit + ".")
        .WithRule("U8");
  }
  auto csr = pki::Csr::FromPem(*csrPem);
  if (!csr.ok() || csr->PublicKeyDigest() != leaf.PublicKeyDigest()) {
    return Status::InvalidInput("The certificate does not match the CSR of " + unit +
                                ": its public key is not the key of the pending CSR.")
        .WithRule("U8");
  }
  // rule U7: the issuer (root and intermediates) must already be in <unit>-trust.
  if (!leaf.IsSelfSigned()) {
    pki::X509StorePtr store(X509_STORE_new());
    for (const auto& e : TrustEntries(slot->trust_store)) X509_STORE_add_cert(store.get(), e.certificate.get());
    X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
    pki::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
    if (X509_verify_cert(ctx.get()) != 1) {
      int err = X509_STORE_CTX_get_error(ctx.get());
      if (err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID) {
        return Status::InvalidInput(std::string("Unable to import certificate for ") + unit + ": " +
                                    X509_verify_cert_error_string(err) + ".");
      }
      return Status::InvalidInput("Unable to import certificate for " + unit + ": the CA certificate of issuer " +
                                  leaf.Issuer().ToString() + " is not in " + slot->trust_store +
                                  " (upload the root and intermediate certificates first; " +
                                  X509_verify_cert_error_string(err) + ").")
          .WithRule("U7");
    }
  }
  // rule U2: the purpose's key usages, Data Encipherment included, must survive CA signing.
  if (const auto* usage = UsageOf(*slot, config_.nodeType)) {
    auto ku = leaf.KeyUsage();
    auto eku = leaf.ExtendedKeyUsage();
    std::vector<std::string> missing;
    for (auto u : usage->key_usage)
      if (!ku.count(std::string(catalogue::Name(u)))) missing.emplace_back(catalogue::Name(u));
    for (auto u : usage->extended_key_usage)
      if (!eku.count(std::string(catalogue::Name(u)))) missing.emplace_back(catalogue::Name(u));
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      return Status::InvalidInput("The certificate's key usage does not match the " + unit + " purpose: missing " +
                                  list + ".")
          .WithRule("U2");
    }
  }
  // rule U15: from 14SU2 multi-SAN certificates only through the administrative web
  // interface or its REST API (rest_api.h), not the CLI.
  if (channel == Channel::kCli && ReleaseAtLeast("14SU2")) {
    int others = 0;
    for (const auto& n : leaf.DnsNames())
      if (n != config_.fqdn) ++others;
    if (others > 1) {
      return Status::InvalidInput(
                 "Multi-server (SAN) certificates cannot be uploaded through the CLI on this release. Use the "
                 "Cisco Unified OS Administration web interface to upload the certificate.")
          .WithRule("U15");
    }
  }
  // rule U8: the identity is overwritten and the CSR deleted.
  if (auto s = WriteIdentity(dir_ / "own", unit, ChainPem(pasted), *csrKeyPem); !s.ok()) return s;
  std::error_code ec;
  fs::remove(dir_ / "csr" / (unit + ".csr"), ec);
  fs::remove(dir_ / "csr" / (unit + ".key"), ec);
  return Status::Ok();
}

}  // namespace pkiform::sim
