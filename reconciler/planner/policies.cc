// The identity policies (policies.h).
#include "reconciler/planner/policies.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "reconciler/pki/chain.h"

namespace pkiform::planner {
namespace {

std::string Join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Quoted(const std::string& value) { return value.empty() ? "absent" : "'" + value + "'"; }

std::string DurationText(const Duration& d) { return d.text.empty() ? FormatDuration(d.length) : d.text; }

// Items of `want` not in `have`, in `want`'s order; compared as `key` says.
template <typename Key>
std::vector<std::string> Missing(const std::vector<std::string>& want, const std::vector<std::string>& have, Key key) {
  std::set<std::string> present;
  for (const auto& h : have) present.insert(key(h));
  std::vector<std::string> out;
  for (const auto& w : want)
    if (!present.count(key(w)) && std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
  return out;
}

}  // namespace

std::optional<std::string> MissingCertificate(const SlotInput& in) {
  if (!in.observed.certificate_pem) return "no certificate installed";
  if (!in.certificate) return "installed certificate cannot be read: " + in.certificate_error;
  return std::nullopt;
}

std::optional<std::string> KeyMismatch(const SlotInput& in) {
  if (!in.certificate) return std::nullopt;
  if (in.observed.key_public_digest.empty())
    return in.key_readable ? std::optional<std::string>("private key missing") : std::nullopt;
  if (in.observed.key_public_digest != in.certificate->PublicKeyDigest())
    return "private key does not match the certificate";
  return std::nullopt;
}

std::optional<std::string> Expired(const SlotInput& in) {
  if (!in.certificate || in.now < in.certificate->NotAfter()) return std::nullopt;
  return "certificate expired " + pki::FormatDate(in.certificate->NotAfter());
}

std::optional<std::string> NotYetValid(const SlotInput& in) {
  if (!in.certificate || in.now >= in.certificate->NotBefore()) return std::nullopt;
  return "certificate not valid before " + pki::FormatDate(in.certificate->NotBefore());
}

std::optional<std::string> WithinRenewBefore(const SlotInput& in) {
  if (!in.certificate || in.renew_before.length.count() <= 0) return std::nullopt;
  if (in.now < in.certificate->NotAfter() - in.renew_before.length) return std::nullopt;
  return "certificate expires " + pki::FormatDate(in.certificate->NotAfter()) + ", within renewBefore " +
         DurationText(in.renew_before);
}

std::optional<std::string> SubjectMismatch(const SlotInput& in) {
  if (!in.certificate) return std::nullopt;
  const pki::DistinguishedName have = in.certificate->Subject();
  const pki::DistinguishedName& want = in.expected_subject;
  const std::vector<std::tuple<const char*, std::string, std::string>> fields = {
      {"CN", have.commonName, want.commonName},
      {"O", have.organization, want.organization},
      {"OU", have.organizationalUnit, want.organizationalUnit},
      {"L", have.locality, want.locality},
      {"ST", have.state, want.state},
      {"C", have.country, want.country},
  };
  std::vector<std::string> differences;
  for (const auto& [name, h, w] : fields)
    if (h != w) differences.push_back(std::string(name) + " is " + Quoted(h) + ", want " + Quoted(w));
  if (differences.empty()) return std::nullopt;
  return "subject differs: " + Join(differences, "; ");
}

std::optional<std::string> SanMismatch(const SlotInput& in) {
  if (!in.certificate) return std::nullopt;
  std::vector<std::string> want = in.expected_dns_names, have = in.certificate->DnsNames();
  for (const auto& ip : in.expected_ip_addresses) want.push_back("IP " + ip);
  for (const auto& ip : in.certificate->IpAddresses()) have.push_back("IP " + ip);
  const std::vector<std::string> missing = Missing(want, have, Lower);
  const std::vector<std::string> extra = Missing(have, want, Lower);
  if (missing.empty() && extra.empty()) return std::nullopt;
  std::vector<std::string> parts;
  if (!missing.empty()) parts.push_back("missing " + Join(missing));
  if (!extra.empty()) parts.push_back("extra " + Join(extra));
  return "subject alternative names differ: " + Join(parts, "; ");
}

std::optional<std::string> KeyTypeMismatch(const SlotInput& in) {
  if (!in.certificate) return std::nullopt;
  const pki::KeySpec have = in.certificate->Key();
  if (have == in.expected_key) return std::nullopt;
  return "key is " + have.ToString() + ", want " + in.expected_key.ToString();
}

std::optional<std::string> UsageMissing(const SlotInput& in) {
  if (!in.certificate) return std::nullopt;
  auto same = [](const std::string& s) { return s; };
  const auto ku = in.certificate->KeyUsage();
  const auto eku = in.certificate->ExtendedKeyUsage();
  const auto missing_ku = Missing(in.expected_key_usage, {ku.begin(), ku.end()}, same);
  const auto missing_eku = Missing(in.expected_extended_key_usage, {eku.begin(), eku.end()}, same);
  std::vector<std::string> parts;
  if (!missing_ku.empty()) parts.push_back("key usage lacks " + Join(missing_ku));
  if (!missing_eku.empty()) parts.push_back("extended key usage lacks " + Join(missing_eku));
  if (parts.empty()) return std::nullopt;
  return Join(parts, "; ");
}

std::optional<std::string> IssuerMismatch(const SlotInput& in) {
  if (!in.certificate) return std::nullopt;
  if (in.issuer_kind == Issuer::Kind::kSelfSigned) {
    if (in.certificate->IsSelfSigned()) return std::nullopt;
    return "not self-signed: issued by " + in.certificate->Issuer().ToString();
  }
  if (in.issuer_certificates.empty()) return "issuer " + in.issuer_name + " has no CA certificate to verify against";
  const pki::Certificate& ca = in.issuer_certificates.front();
  // The issuer's own certificate is the anchor: a certificate from another CA under
  // the same root is not "issued by the desired issuer".
  const Status verified = pki::VerifyChain(*in.certificate, {}, {ca}, in.now);
  if (verified.ok()) return std::nullopt;
  return "not issued by issuer " + in.issuer_name + " (" + ca.Subject().ToString() + "): " + verified.message();
}

std::optional<std::string> ChainIncomplete(const SlotInput& in) {
  if (!in.certificate) return std::nullopt;
  std::set<std::string> installed;
  for (const auto& c : in.chain) installed.insert(c.FingerprintSha256());
  std::vector<std::string> missing;
  for (const auto& c : in.expected_chain)
    if (!installed.count(c.FingerprintSha256())) missing.push_back(c.Subject().ToString());
  if (missing.empty()) return std::nullopt;
  return "installed chain lacks " + Join(missing, "; ") + " of issuer " + in.issuer_name;
}

// A root issuer's chain file is empty, so its absence would otherwise go unseen
// while the service that reads it (Apache's SSLCertificateChainFile) fails to start.
std::optional<std::string> SlotFileMissing(const SlotInput& in) {
  if (!in.certificate || in.observed.missing_files.empty()) return std::nullopt;
  return "missing on the peer: " + Join(in.observed.missing_files);
}

std::optional<std::string> ProviderReplaces(const SlotInput& in) {
  if (!in.certificate || in.observed.must_replace.empty()) return std::nullopt;
  return in.observed.must_replace;
}

const std::vector<IdentityPolicy>& IdentityPolicies() {
  static const std::vector<IdentityPolicy> kPolicies = {
      MissingCertificate, ProviderReplaces, KeyMismatch,     Expired,      NotYetValid,    WithinRenewBefore, SubjectMismatch,
      SanMismatch,        KeyTypeMismatch, UsageMissing, IssuerMismatch, ChainIncomplete,   SlotFileMissing,
  };
  return kPolicies;
}

std::optional<std::string> FirstReason(const SlotInput& in, const std::vector<IdentityPolicy>& policies) {
  for (IdentityPolicy policy : policies)
    if (auto reason = policy(in)) return reason;
  return std::nullopt;
}

}  // namespace pkiform::planner
