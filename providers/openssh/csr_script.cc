#include "providers/openssh/csr_script.h"

#include <algorithm>
#include <cctype>

#include "providers/openssh/shell_quote.h"
#include "providers/openssh/slot_files.h"
#include "reconciler/pki/extensions.h"

namespace pkiform::openssh {
namespace {

bool AllOf(const std::string& s, const char* extra) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view(extra).find(c) != std::string_view::npos;
  });
}

bool IsDottedOid(const std::string& s) { return AllOf(s, ".") && std::isdigit(static_cast<unsigned char>(s[0])); }

Result<std::string> AddExtensions(const pki::CsrRequest& request) {
  std::string args;
  std::string sans;
  for (const auto& dns : request.dnsNames) {
    if (!AllOf(dns, ".-_*")) return Status::InvalidInput("DNS name '" + dns + "' holds characters a DNS name cannot");
    sans += (sans.empty() ? "" : ",") + std::string("DNS:") + dns;
  }
  for (const auto& ip : request.ipAddresses) {
    if (!AllOf(ip, ".:")) return Status::InvalidInput("'" + ip + "' is not an IP address");
    sans += (sans.empty() ? "" : ",") + std::string("IP:") + ip;
  }
  if (!sans.empty()) args += " -addext " + ShellQuote("subjectAltName=" + sans);

  if (!request.keyUsage.empty()) {
    std::string ku = "keyUsage=critical";
    const auto& known = pki::KeyUsageNames();
    for (const auto& u : request.keyUsage) {
      if (std::find(known.begin(), known.end(), u) == known.end())
        return Status::InvalidInput("unknown key usage '" + u + "'");
      ku += "," + u;
    }
    args += " -addext " + ShellQuote(ku);
  }
  if (!request.extendedKeyUsage.empty()) {
    std::string eku = "extendedKeyUsage=";
    bool first = true;
    for (const auto& u : request.extendedKeyUsage) {
      if (pki::ExtendedKeyUsageNid(u) == 0 && !IsDottedOid(u))
        return Status::InvalidInput("unknown extended key usage '" + u + "'");
      eku += (first ? "" : ",") + u;
      first = false;
    }
    args += " -addext " + ShellQuote(eku);
  }
  return args;
}

}  // namespace

std::string SubjectArgument(const pki::DistinguishedName& name) {
  std::string out;
  auto add = [&](const char* type, const std::string& value) {
    if (value.empty()) return;
    out += "/";
    out += type;
    out += "=";
    for (char c : value) {
      if (c == '/' || c == '+' || c == '\\' || c == '=') out += '\\';
      out += c;
    }
  };
  add("C", name.country);
  add("ST", name.state);
  add("L", name.locality);
  add("O", name.organization);
  add("OU", name.organizationalUnit);
  add("CN", name.commonName);
  return out.empty() ? "/" : out;
}

Result<std::string> NewKeyArguments(const pki::KeySpec& key) {
  switch (key.algorithm) {
    case pki::KeySpec::kRsa:
      if (key.bits < 2048 || key.bits > 16384) return Status::Unsupported("RSA " + std::to_string(key.bits) + " keys");
      return "-newkey rsa:" + std::to_string(key.bits);
    case pki::KeySpec::kEcdsa:
      if (key.curve != "P-256" && key.curve != "P-384" && key.curve != "P-521")
        return Status::Unsupported("EC curve '" + key.curve + "'");
      return "-newkey ec -pkeyopt ec_paramgen_curve:" + key.curve;
    case pki::KeySpec::kEd25519:
      return std::string("-newkey ed25519");
    case pki::KeySpec::kOther:
      break;
  }
  return Status::Unsupported("key type " + key.ToString());
}

Result<std::string> BuildCsrScript(const std::string& privateKey, const pki::CsrRequest& request,
                                   const pki::KeySpec& key) {
  auto newKey = NewKeyArguments(key);
  if (!newKey.ok()) return newKey.status();
  auto extensions = AddExtensions(request);
  if (!extensions.ok()) return extensions.status();
  const pki::DistinguishedName& dn = request.subject;
  for (const std::string* v : {&dn.commonName, &dn.organization, &dn.organizationalUnit, &dn.locality, &dn.state,
                               &dn.country}) {
    if (!IsShellSafe(*v)) return Status::InvalidInput("the subject holds a NUL byte");
  }

  std::string script;
  script += "umask 077\n";
  script += "n=" + ShellQuote(PendingKeyPathOf(privateKey)) + "\n";
  script += "c=" + ShellQuote(PendingCsrPathOf(privateKey)) + "\n";
  script += "subj=" + ShellQuote(SubjectArgument(dn)) + "\n";
  script += R"SH(
command -v openssl >/dev/null 2>&1 || { echo 'openssl is not installed on the host' >&2; exit 127; }
rm -f "$n" "$c" || exit 1
openssl req -new -utf8 -config /dev/stdin -nodes -keyout "$n" -out "$c" -subj "$subj" )SH";
  script += *newKey + *extensions;
  script += R"SH( <<'PKIFORM_OPENSSL_CONFIG' >/dev/null || { s=$?; rm -f "$n" "$c"; exit $s; }
[ req ]
distinguished_name = pkiform_dn
string_mask = utf8only
[ pkiform_dn ]
PKIFORM_OPENSSL_CONFIG
chmod 644 "$c" || exit 1
mark csr 0 present
enc <"$c"
finish
)SH";
  return script;
}

}  // namespace pkiform::openssh
