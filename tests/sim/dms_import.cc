#include "tests/sim/dms_import.h"

#include <strings.h>

#include "reconciler/pki/chain.h"
#include "tests/sim/dms_state.h"
#include "tests/sim/dms_transfer.h"

namespace pkiform::sim {
namespace {

constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE-----";

using Box = std::vector<std::string>;

// The box for a file that cannot be used: "Certificate import failed." (seed: "At least one
// parameter is not valid") for an identity file, "Cannot process CA certificate:" <exception
// message> (seed) for a CA file; the second row (why) is ASSUMED wording.
Box FileRefused(bool ca, const DmsPulledFile& f, const std::string& why) {
  std::string path = DmsScreenLine(f.path);  // echoed escaped
  if (ca) return {"Cannot process CA certificate:", path + ": " + why};
  return {"Certificate import failed.", path + ": " + why};
}

size_t Count(std::string_view text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// D1, D2, D5 on one file; the certificate it holds, or the refusal.
std::optional<pki::Certificate> ReadFile(const DmsPulledFile& f, bool ca, Box* refusal) {
  std::string_view text = f.text;
  // D1: PEM only; DER, PKCS#7 or a ZIP (binary) never starts with the PEM header.
  auto cert = pki::Certificate::FromPem(text);
  if (!text.starts_with(kBegin) || !cert.ok()) {
    *refusal = FileRefused(ca, f, "not a PEM-encoded certificate (PEM is the only format supported).");
    return std::nullopt;
  }
  // D2: nothing but one line end after the last END line: no carriage return, no blank line.
  size_t end = text.rfind(kEnd);
  std::string_view tail = text.substr(end + kEnd.size());
  if (!(tail.empty() || tail == "\n")) {
    *refusal = FileRefused(ca, f, "extra carriage returns or blank lines after the END line.");
    return std::nullopt;
  }
  // D5: one certificate per file.
  if (Count(text, "-----BEGIN ") != 1) {
    *refusal = FileRefused(ca, f, "more than one certificate in one file.");
    return std::nullopt;
  }
  return *cert;
}

bool HasForbidden(const std::string& value) {
  return value.find_first_of(kDmsForbiddenCharacters) != std::string::npos;
}

}  // namespace

DmsImportVerdict CheckDmsImport(const std::vector<DmsPulledFile>& identityFiles,
                                const std::vector<DmsPulledFile>& caFiles, const std::string& newestCsrKeyDigest,
                                const std::string& fqdn, pki::TimePoint now) {
  DmsImportVerdict v;
  std::optional<pki::Certificate> identity;
  std::vector<pki::Certificate> cas;
  auto read = [&](const std::vector<DmsPulledFile>& files, bool ca) {
    for (const auto& f : files) {
      Box refusal;
      auto cert = ReadFile(f, ca, &refusal);
      if (!cert) {
        v.messages.push_back(refusal);
        return false;
      }
      if (!ca && !cert->IsCa() && !identity) identity = std::move(*cert);
      else cas.push_back(std::move(*cert));
    }
    return true;
  };
  if (!read(identityFiles, false) || !read(caFiles, true)) return v;
  if (!identity) {
    v.messages.push_back({"The certificate chain is broken.", "An identity certificate is missing for " + fqdn + "."});
    return v;
  }
  const auto subject = identity->Subject();
  if (subject.commonName.empty()) {  // D4 (seed: "Certificate import fails when the subject is missing its CN")
    v.messages.push_back({"Certificate import failed.", "The certificate's subject has no common name (CN)."});
    return v;
  }
  if (subject.commonName.find('*') != std::string::npos) {  // D3
    v.messages.push_back({"Certificate import failed.", "Do not use any wildcards (*) in the common name (CN)."});
    return v;
  }
  for (const auto* field : {&subject.organizationalUnit, &subject.organization, &subject.locality, &subject.state,
                            &subject.country}) {
    if (HasForbidden(*field)) {  // D6
      v.messages.push_back({"Certificate import failed.",
                            "Do not use any of these characters: , + = \" ' ` \\ < > # ;"});
      return v;
    }
  }
  // D10, each with its own message (seed, Error Messages).
  if (newestCsrKeyDigest.empty() || identity->PublicKeyDigest() != newestCsrKeyDigest) {
    v.messages.push_back(
        {"Certificate rejected.", "It does not match the newest certificate signing request (CSR) for " + fqdn + "."});
    return v;
  }
  if (strcasecmp(subject.commonName.c_str(), fqdn.c_str()) != 0) {
    v.messages.push_back({"Certificate rejected.", "Its subject does not match " + fqdn + "."});
    return v;
  }
  if (identity->NotAfter() < now) {
    v.messages.push_back({"Certificate rejected.", "It has expired and is no longer valid."});
    return v;
  }
  if (identity->NotBefore() > now) {
    v.messages.push_back(
        {"Certificate not yet valid.", "It takes effect in the future, on " + pki::FormatDate(identity->NotBefore()) + "."});
    return v;
  }
  // D11: the chain from the identity up to a self-signed root, from the files given.
  auto path = pki::BuildChain(*identity, cas);
  if (!path.ok() || path->empty() || !path->back().IsSelfSigned()) {
    v.messages.push_back({"Internal Error:", "Cannot build certificate chain."});
    v.messages.push_back({"1 MISSING_CA_CERTIFICATE"});
    return v;
  }
  v.chain.assign(path->begin() + 1, path->end());
  v.identity = std::move(identity);
  return v;
}

}  // namespace pkiform::sim
