// Checks of the files manifests reference: the issuers' CA certificates, keys
// and chains (D11, U5), the trust store certificates (V17) and the CRLs (V12).
#include <filesystem>

#include "reconciler/pki/chain.h"
#include "reconciler/rules/check_util.h"

namespace pkiform {
namespace {

constexpr auto kCaExpiryWarning = std::chrono::hours(24 * 30);

// A CA's key is judged as leaf keys are (RSA 2048 at least, catalogue_checks.cc),
// by bits of security so that every key type is covered: 112 is RSA 2048 or
// P-224. Below 80 (RSA 1024) what the CA signs can be forged today.
constexpr int kStrongKeyBits = 112;
constexpr int kBrokenKeyBits = 80;

std::string WeakKeyMessage(const FileRef& ref, const pki::Certificate& cert, const std::string& consequence) {
  return ref.written + ": CA certificate '" + Excerpt(cert.Subject().ToString()) + "' has an " +
         cert.Key().ToString() + " key (" + std::to_string(cert.KeySecurityBits()) + " bits of security), too weak: " +
         consequence + "; use RSA 2048 or ECDSA P-256 or stronger";
}

// An issuer's CA (or one above it) signs what pkiform installs: a weak key there
// is an error.
void CheckIssuerKeyStrength(const pki::Certificate& cert, const FileRef& ref, DiagnosticList& out) {
  if (cert.KeySecurityBits() >= kStrongKeyBits) return;
  out.Error(ref.where, WeakKeyMessage(ref, cert, "certificates it signs can be forged"), "key");
}

// Reports the validity of a CA certificate at `now`; returns false when it is unusable.
bool CheckCaValidity(const pki::Certificate& cert, const FileRef& ref, pki::TimePoint now, DiagnosticList& out) {
  if (now > cert.NotAfter()) {
    out.Error(ref.where, ref.written + ": CA certificate '" + Excerpt(cert.Subject().ToString()) + "' expired on " +
                             pki::FormatDate(cert.NotAfter()), "lifetime");
    return false;
  }
  if (now < cert.NotBefore()) {
    out.Error(ref.where, ref.written + ": CA certificate '" + Excerpt(cert.Subject().ToString()) + "' is not valid before " +
                             pki::FormatDate(cert.NotBefore()), "lifetime");
    return false;
  }
  if (now + kCaExpiryWarning > cert.NotAfter())
    out.Warning(ref.where, ref.written + ": CA certificate '" + Excerpt(cert.Subject().ToString()) + "' expires on " +
                               pki::FormatDate(cert.NotAfter()), "lifetime");
  return true;
}

// An external issuer's folder may be missing (made when a request is handed
// over); what is there must be a folder.
void CheckFolder(const FileRef& ref, DiagnosticList& out) {
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(ref.path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    out.Error(ref.where, ref.written + ": cannot read: " + ec.message(), "ref");
  else if (std::filesystem::exists(st) && !std::filesystem::is_directory(st))
    out.Error(ref.where, ref.written + ": is a file; a folder is expected", "ref");
}

// The single certificate of a CA file, or null (reported).
const pki::Certificate* OneCa(const CheckContext& ctx, const FileRef& ref, DiagnosticList& out) {
  const auto* certs = ctx.artifacts.Certificates(ref, out);
  if (!certs) return nullptr;
  if (certs->size() != 1) {
    out.Error(ref.where, ref.written + ": holds " + std::to_string(certs->size()) +
                             " certificates; give one CA certificate per file", "D5");
    return nullptr;
  }
  if (!certs->front().IsCa()) {
    out.Error(ref.where, ref.written + ": '" + Excerpt(certs->front().Subject().ToString()) +
                             "' is not a CA certificate (basicConstraints CA:FALSE or absent)", "ca");
    return nullptr;
  }
  return &certs->front();
}

void CheckChain(const CheckContext& ctx, const Issuer& is, const pki::Certificate& leaf, DiagnosticList& out) {
  std::vector<pki::Certificate> bundle;
  for (const auto& ref : is.chain) {
    const auto* ca = OneCa(ctx, ref, out);
    if (!ca) return;  // that file's problem is reported; a "broken chain" on top would only repeat it
    bundle.push_back(*ca);
  }
  auto chain = pki::BuildChain(leaf, bundle);
  if (!chain.ok()) {
    out.Error(is.certificate->where, chain.status().message(), "D11");
    return;
  }
  const pki::Certificate& top = chain->back();
  if (!top.IsSelfSigned()) {
    out.Error(is.fields.count("chain") ? is.at("chain") : is.certificate->where,
              "the CA chain is broken: no certificate for '" + Excerpt(top.Issuer().ToString()) + "', the issuer of '" +
                  Excerpt(top.Subject().ToString()) + "' (MISSING_CA_CERTIFICATE); add it to chain",
              "D11");
    return;
  }
  if (chain->size() == 1) return;  // the issuer is a root itself
  std::vector<pki::Certificate> intermediates(chain->begin() + 1, chain->end() - 1);
  Status s = pki::VerifyChain(leaf, intermediates, {top}, ctx.clock.Now());
  if (!s.ok()) out.Error(is.certificate->where, "the CA chain does not verify: " + s.message(), "D11");
}

}  // namespace

void CheckIssuerFiles(const CheckContext& ctx, DiagnosticList& out) {
  pki::TimePoint now = ctx.clock.Now();
  for (const auto& is : ctx.desired().issuers) {
    for (const auto& ref : is.chain)
      if (const auto* ca = OneCa(ctx, ref, out)) {
        CheckCaValidity(*ca, ref, now, out);
        CheckIssuerKeyStrength(*ca, ref, out);
      }
    if (is.kind == Issuer::Kind::kExternal) {
      for (const auto* dir : {&is.requests_dir, &is.certificates_dir})
        if (*dir) CheckFolder(**dir, out);
      continue;
    }
    if (is.kind != Issuer::Kind::kCa || !is.certificate) continue;
    const pki::Certificate* ca = OneCa(ctx, *is.certificate, out);
    if (ca) {
      CheckCaValidity(*ca, *is.certificate, now, out);
      CheckIssuerKeyStrength(*ca, *is.certificate, out);
    }
    const pki::PrivateKey* key = ctx.artifacts.IssuerKey(is, out);
    if (ca && key && key->PublicKeyDigest() != ca->PublicKeyDigest())
      out.Error(is.private_key->where, is.private_key->written + ": private key does not match the CA certificate " +
                                           is.certificate->written, "key");
    if (ca) CheckChain(ctx, is, *ca, out);
  }
}

void CheckTrustFiles(const CheckContext& ctx, DiagnosticList& out) {
  pki::TimePoint now = ctx.clock.Now();
  for (const auto& c : ctx.desired().clusters)
    for (const auto& t : c.trust)
      for (const auto& ref : t.certificates) {
        const auto* certs = ctx.artifacts.Certificates(ref, out);
        if (!certs) continue;
        for (const auto& cert : *certs) {
          if (!cert.IsCa())
            out.Warning(ref.where, ref.written + ": '" + Excerpt(cert.Subject().ToString()) +
                                       "' is not a CA certificate; a trust store holds CAs", "ca");
          // A trust anchor with a weak key lets whoever breaks it be trusted: broken
          // keys are an error, merely weak ones a warning (old roots linger in stores).
          if (cert.KeySecurityBits() < kBrokenKeyBits)
            out.Error(ref.where, WeakKeyMessage(ref, cert, "whoever breaks it is trusted"), "key");
          else if (cert.KeySecurityBits() < kStrongKeyBits)
            out.Warning(ref.where, WeakKeyMessage(ref, cert, "whoever breaks it is trusted"), "key");
          if (now > cert.NotAfter())
            out.Error(ref.where, ref.written + ": CA certificate '" + Excerpt(cert.Subject().ToString()) + "' expired on " +
                                     pki::FormatDate(cert.NotAfter()), "lifetime");
          // V17: a new VCS ships a temporary CA; trusting it keeps the factory identity valid.
          if (cert.Subject().commonName.find("Temporary CA") != std::string::npos)
            out.Warning(ref.where, ref.written + ": '" + Excerpt(cert.Subject().ToString()) +
                                       "' is the temporary CA of a new installation; replace its identities instead "
                                       "of trusting it", "V17");
        }
      }
}

namespace {

// One CRL of an upload file: its nextUpdate (V12) and who signed it.
void CheckCrl(const FileRef& ref, const pki::Crl& crl, const CrlSettings& settings,
              const std::vector<pki::Certificate>& trusted, pki::TimePoint now, DiagnosticList& out) {
  std::string who = ref.written + ": CRL of '" + Excerpt(crl.Issuer().ToString()) + "'";
  if (auto next = crl.NextUpdate()) {
    if (now > *next)
      out.Error(ref.where, who + " passed its nextUpdate on " + pki::FormatDate(*next) +
                               ": every certificate that CA issued is treated as revoked", "V12");
    else if (now + settings.warn_before.length > *next)
      out.Warning(ref.where, who + " reaches its nextUpdate on " + pki::FormatDate(*next) + ", within warnBefore (" +
                                 settings.warn_before.text + ")", "V12");
  }
  bool signed_by_trusted = false;
  for (const auto& ca : trusted) signed_by_trusted = signed_by_trusted || crl.VerifySignature(ca).ok();
  if (!trusted.empty() && !signed_by_trusted)
    out.Warning(ref.where, who + " is not signed by any CA in this cluster's trust stores", "crl");
}

}  // namespace

void CheckCrlFiles(const CheckContext& ctx, DiagnosticList& out) {
  pki::TimePoint now = ctx.clock.Now();
  for (const auto& c : ctx.desired().clusters) {
    if (!c.revocation || !c.revocation->crl) continue;
    const CrlSettings& settings = *c.revocation->crl;
    std::vector<pki::Certificate> trusted;
    for (const auto& t : c.trust)
      for (const auto& ref : t.certificates)
        if (const auto* certs = ctx.artifacts.Certificates(ref, out)) trusted.insert(trusted.end(), certs->begin(), certs->end());
    for (const auto& ref : settings.upload) {
      const std::vector<pki::Crl>* crls = ctx.artifacts.Crls(ref, out);
      if (!crls) continue;
      for (const pki::Crl& crl : *crls) CheckCrl(ref, crl, settings, trusted, now, out);
    }
  }
}

}  // namespace pkiform
