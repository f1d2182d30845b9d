// UcmProvider: the node's platform REST API, for the identities the CLI cannot express
// (rule U15): where it is, who logs in, which certificates the TLS connection trusts, and
// the CSR made through it.
#include <algorithm>
#include <set>

#include "providers/ssh/auth.h"
#include "providers/ucm/cli_text.h"
#include "providers/ucm/ucm_provider.h"
#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/csr.h"
#include "reconciler/util/file_reader.h"

namespace pkiform::ucm {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

Status UcmProvider::LoadApiPassword(const std::string& subject, const std::string& step) {
  if (api_password_) return Status::Ok();
  auto password = ssh::TargetPassword(session_.target());
  if (!password.ok())
    return Status::Unsupported(Where(subject, step) + ": this change needs the platform REST API (U15), which logs "
                               "in with the CLI administrator's password, and " + password.status().message());
  api_password_ = std::move(*password);
  return Status::Ok();
}

Result<ApiEndpoint> UcmProvider::Api(CliSession& cli, const std::string& subject, const std::string& step) {
  Status loaded = LoadApiPassword(subject, step);
  if (!loaded.ok()) return loaded;
  ApiEndpoint e;
  e.fqdn = peer_.fqdn;
  e.address = peer_.address;
  e.port = peer_.https_port;
  e.user = session_.target().user;
  e.password = &*api_password_;
  // Trust: the tomcat identity the node reports over SSH (the host key was verified,
  // so this is the node's own word), the one observed at the start of the run (still
  // served until Cisco Tomcat restarts), and the CAs the manifest puts in tomcat-trust.
  // Cisco Tomcat serves tomcat or tomcat-ECDSA, as the client's signature algorithms choose.
  for (const char* unit : {"tomcat", "tomcat-ECDSA"}) {
    auto own = ReadOwn(cli, unit);
    if (!own.ok()) return Fail(subject, step + " (read the " + unit + " certificate to trust)", own.status());
    e.trusted_pems.push_back(*own);
    if (const ObservedSlot* seen = CachedSlot(unit); seen && seen->certificate_pem)
      e.trusted_pems.push_back(*seen->certificate_pem);
  }
  for (const auto& store : cluster_.trust) {
    if (store.store != "tomcat-trust") continue;
    for (const auto& file : store.certificates) {
      auto bytes = ReadBoundedFile(file.path, limits::kCertificateFile);
      if (!bytes.ok()) return Fail(subject, step, bytes.status().WithContext(file.written));
      auto certs = pki::ParseCertificates(*bytes);
      if (!certs.ok()) return Fail(subject, step, certs.status().WithContext(file.written));
      for (const auto& c : *certs) e.trusted_pems.push_back(c.ToPem());
    }
  }
  return e;
}

Result<std::string> UcmProvider::GenerateCsrThroughApi(const CsrOnPeer& request, CliSession& cli,
                                                       const std::vector<std::string>& alt_names) {
  const std::string step = "generate CSR (platform REST API)";
  const std::string& slot = request.slot;
  auto endpoint = Api(cli, slot, step);
  if (!endpoint.ok()) return endpoint.status();
  ApiCsr csr;
  csr.service = slot;
  csr.common_name = peer_.fqdn;
  csr.key = request.key;  // rule U5: the manifest's key, checked against the purpose by the caller
  csr.alt_names = alt_names;
  auto pem = ApiGenerateCsr(*endpoint, csr);
  if (!pem.ok()) return Fail(slot, step, pem.status());
  auto made = pki::Csr::FromPem(*pem);
  if (!made.ok()) return Fail(slot, step, made.status().WithContext("the node's CSR"));
  Status verified = made->VerifySignature();
  if (!verified.ok()) return Fail(slot, step, verified);
  // What the node made must be what was asked: a silent difference would be signed.
  pki::DistinguishedName got = made->Subject(), want = request.request.subject;
  got.commonName = Lower(got.commonName);
  want.commonName = Lower(want.commonName);
  if (!(got == want))
    return Status::Failed(Where(slot, step) + ": the node's CSR has the subject \"" + made->Subject().ToString() +
                          "\", not \"" + request.request.subject.ToString() + "\"");
  std::set<std::string> asked, have;
  for (const auto& n : request.request.dnsNames) asked.insert(Lower(n));
  asked.insert(Lower(peer_.fqdn));
  for (const auto& n : made->DnsNames()) have.insert(Lower(n));
  if (asked != have)
    return Status::Failed(Where(slot, step) + ": the node's CSR names other DNS names than were asked");
  if (!(made->Key() == request.key))
    return Status::Failed(Where(slot, step) + ": the node's CSR has a " + made->Key().ToString() + " key, not " +
                          request.key.ToString());
  if (ObservedSlot* cached = CachedSlot(slot)) cached->pending_csr_pem = made->ToPem();  // U9: it replaced any other
  return made->ToPem();
}

}  // namespace pkiform::ucm
