// UcmProvider: GenerateCsr and InstallIdentity, the identity changes the CLI can make.
#include <algorithm>
#include <set>

#include "providers/ucm/cli_text.h"
#include "providers/ucm/ucm_provider.h"
#include "reconciler/catalogue/usage.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/csr.h"

namespace pkiform::ucm {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string CollapseTrailingSpaces(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

const char* const kRestApi =
    "the platform REST API can with a multi-server distribution, which pkiform does not request in this version";

// rule U2: the catalogue's key usages for this purpose on this node type, checked on what came back.
Status CheckKeyUsages(const catalogue::SlotSpec& spec, const std::string& node_type, const pki::Certificate& cert) {
  const catalogue::KeyAlgorithm algorithm = cert.Key().algorithm == pki::KeySpec::kEcdsa
                                                ? catalogue::KeyAlgorithm::kEc
                                                : catalogue::KeyAlgorithm::kRsa;
  const catalogue::UsageSpec* usage = spec.UsageFor(node_type, algorithm);
  if (!usage) return Status::Ok();  // the document states no usage for it
  std::vector<std::string> missing;
  const auto ku = cert.KeyUsage();
  if (!ku.empty()) {  // no keyUsage extension: the key is not restricted
    for (auto u : usage->key_usage)
      if (!ku.count(std::string(catalogue::Name(u)))) missing.push_back(std::string(catalogue::Name(u)));
  }
  const auto eku = cert.ExtendedKeyUsage();
  if (!eku.empty()) {
    for (auto u : usage->extended_key_usage) {
      if (!eku.count(std::string(catalogue::Name(u))) && !eku.count(std::string(catalogue::Oid(u))))
        missing.push_back(std::string(catalogue::Name(u)));
    }
  }
  if (missing.empty()) return Status::Ok();
  std::string list;
  for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
  return Status::Failed("the certificate lacks the key usages " + usage->source + " requires for " + spec.name +
                        ": " + list + " (U2)");
}

}  // namespace

Result<std::string> UcmProvider::GenerateCsr(const CsrOnPeer& request) {
  const std::string step = "generate CSR";
  const std::string& slot = request.slot;
  auto spec = SlotFor(slot, step);
  if (!spec.ok()) return spec.status();
  if (!(*spec)->csr)
    return Status::Unsupported(Where(slot, step) + ": " + slot + " takes no CSR on Unified CM; it is only regenerated");
  // rule U3: one CSR shared by several nodes (a multi-server CSR) is made by the REST API, not the CLI.
  for (const auto& s : cluster_.identity) {
    if (s.slot == slot && s.sans == "shared")
      return Status::Unsupported(Where(slot, step) + ": a shared multi-server CSR (U3) cannot be made with the CLI; " +
                                 kRestApi);
  }
  auto observed = Observation(slot, step);
  if (!observed.ok()) return observed.status();
  const NodeObservation& o = **observed;
  if ((*spec)->placement == catalogue::Placement::kPublisher && o.role != "publisher")
    return Status::Unsupported(Where(slot, step) + ": " + slot + " lives on the publisher only (U6); this node is a " +
                               o.role);

  const pki::DistinguishedName& dn = request.request.subject;
  if (Lower(dn.commonName) != Lower(peer_.fqdn))
    return Status::Unsupported(Where(slot, step) + ": a CSR made on this node (the CLI's, or the platform API's for "
                               "this-server) has the node's FQDN (" + peer_.fqdn + ") as common name, not \"" +
                               dn.commonName + "\"; " + kRestApi);
  if (!request.request.ipAddresses.empty())
    return Status::Unsupported(Where(slot, step) + ": neither the CLI nor the platform REST API (altNames: DNS "
                               "names) puts IP addresses in a CSR made on the node");
  // SANs: the node always names itself; the CLI adds one alternatehostname at most.
  std::set<std::string> sans;
  std::vector<std::string> alt_names;  // in the manifest's order, for the platform API
  for (const auto& n : request.request.dnsNames) {
    if (Lower(n) == Lower(peer_.fqdn) || !sans.insert(Lower(n)).second) continue;
    alt_names.push_back(n);
  }
  std::string alternate;
  bool through_api = false;  // rule U15: more names than `set web-security` carries
  if (sans.size() == 1 && !cluster_.fqdn.empty() && *sans.begin() == Lower(cluster_.fqdn)) {
    alternate = cluster_.fqdn;
  } else if (!sans.empty()) {
    through_api = true;
  }
  if (through_api) {
    // rule U5: the API makes the manifest's key, RSA for the RSA purposes, EC for the ECDSA ones.
    const bool ec = request.key.algorithm == pki::KeySpec::kEcdsa;
    if ((*spec)->key_algorithm && (*(*spec)->key_algorithm == catalogue::KeyAlgorithm::kEc) != ec)
      return Status::Unsupported(Where(slot, step) + ": " + slot + " takes " +
                                 ((*(*spec)->key_algorithm == catalogue::KeyAlgorithm::kEc) ? "an EC" : "an RSA") +
                                 " key, not " + request.key.ToString() + " (U5)");
    if (request.key.algorithm != pki::KeySpec::kRsa && !ec)
      return Status::Unsupported(Where(slot, step) + ": the platform API makes RSA or EC keys, not " +
                                 request.key.ToString());
    // ASSUMED: the API asks no OU question; the CSR carries web-security's OU.
    if (dn.organizationalUnit.empty())
      return Status::Unsupported(Where(slot, step) + ": a CSR made through the platform REST API (U15) carries "
                                 "web-security's OU; the subject has none (give organizationalUnit)");
    Status password = LoadApiPassword(slot, step);  // before the node is asked anything
    if (!password.ok()) return password;
  }
  if (dn.organization.empty() || dn.locality.empty() || dn.state.empty())
    return Status::Unsupported(Where(slot, step) + ": `set web-security` needs an organization, a locality and a "
                               "state; the subject lacks one of them");
  if (!alternate.empty() && dn.country.empty())
    return Status::Unsupported(Where(slot, step) + ": `set web-security` takes the alternate host name after the "
                               "country; the subject has no country");
  // The CLI makes the key with the current identity's algorithm and size.
  const ObservedSlot* current = nullptr;
  for (const auto& s : o.actual.slots)
    if (s.slot == slot) current = &s;
  if (!through_api && current && current->certificate_pem) {
    auto cert = pki::Certificate::FromPem(*current->certificate_pem);
    if (cert.ok()) {
      pki::KeySpec have = cert->Key();
      if (have.algorithm != request.key.algorithm || have.bits != request.key.bits)
        return Status::Unsupported(Where(slot, step) + ": the CLI makes the CSR's key like the current one (" +
                                   have.ToString() + "), not " + request.key.ToString() +
                                   "; regenerating with another key (U12) is not implemented in this version");
    }
  }
  const catalogue::Release su1{{14}, 1};
  const bool asks_ou = !o.release || catalogue::CompareReleases(*o.release, su1) >= 0;
  if (dn.organizationalUnit.empty() && o.release && !asks_ou)
    return Status::Unsupported(Where(slot, step) + ": before 14SU1 the CLI always puts the OU in the CSR; the "
                               "subject has none");

  auto cli_or = Cli(slot, step);
  if (!cli_or.ok()) return cli_or.status();
  CliSession& cli = **cli_or;
  const Dialect& d = *dialect_;
  // Without an OU the node still needs one on the command line; answering "no" keeps it out.
  std::map<std::string, std::string> values;
  for (auto [key, value] : {std::pair<std::string, std::string>{"orgunit", dn.organizationalUnit.empty()
                                                                               ? dn.organization
                                                                               : dn.organizationalUnit},
                            {"orgname", dn.organization},
                            {"locality", dn.locality},
                            {"state", dn.state}}) {
    auto arg = CliArgument(value);
    if (!arg.ok()) return Fail(slot, step, arg.status().WithContext(key));
    values[key] = *arg;
  }
  values["country"] = "";
  values["alternatehostname"] = "";
  if (!dn.country.empty()) {
    auto arg = CliArgument(dn.country);
    if (!arg.ok()) return Fail(slot, step, arg.status().WithContext("country"));
    values["country"] = *arg;
  }
  if (!alternate.empty()) {
    auto arg = CliArgument(alternate);
    if (!arg.ok()) return Fail(slot, step, arg.status().WithContext("alternatehostname"));
    values["alternatehostname"] = *arg;
  }
  auto set = Fill(d.web_security.send, values);
  if (!set.ok()) return Fail(slot, step, set.status());
  auto out = cli.Run(CollapseTrailingSpaces(*set), std::chrono::seconds(d.command_seconds), d.web_security.questions,
                     d.web_security.success);
  if (!out.ok()) return Fail(slot, step, out.status());
  if (through_api) return GenerateCsrThroughApi(request, cli, alt_names);  // rule U15

  auto gen = Fill(d.csr_generate.send, {{"unit", slot}});
  if (!gen.ok()) return Fail(slot, step, gen.status());
  // From 14SU1 the node asks whether the OU goes into the CSR.
  std::vector<Question> questions = {{d.ou_question, dn.organizationalUnit.empty() ? "no" : "yes"}};
  out = cli.Run(*gen, std::chrono::seconds(d.command_seconds), questions, d.csr_generate.success);
  if (!out.ok()) return Fail(slot, step, out.status());

  auto pem = ReadCsr(cli, slot);
  if (!pem.ok()) return Fail(slot, step, pem.status());
  auto csr = pki::Csr::FromPem(*pem);
  if (!csr.ok()) return Fail(slot, step, csr.status());
  Status verified = csr->VerifySignature();
  if (!verified.ok()) return Fail(slot, step, verified);
  // What the node made must be what was asked: a silent difference would be signed.
  pki::DistinguishedName got = csr->Subject();
  pki::DistinguishedName want = dn;
  got.commonName = Lower(got.commonName);
  want.commonName = Lower(want.commonName);
  if (!(got == want))
    return Status::Failed(Where(slot, step) + ": the node's CSR has the subject \"" + csr->Subject().ToString() +
                          "\", not \"" + dn.ToString() + "\"");
  if (ObservedSlot* cached = CachedSlot(slot)) cached->pending_csr_pem = csr->ToPem();  // U9: it replaced any other
  return csr->ToPem();
}

Result<IdentityBackup> UcmProvider::InstallIdentity(const IdentityInstall& install) {
  const std::string step = "install certificate";
  const std::string& slot = install.slot;
  auto spec = SlotFor(slot, step);
  if (!spec.ok()) return spec.status();
  if (install.private_key_pem)
    return Status::Unsupported(Where(slot, step) + ": a ucm node takes no private key; its keys are made on the "
                               "node (key location \"appliance\")");
  auto observed = Observation(slot, step);
  if (!observed.ok()) return observed.status();
  const NodeObservation& o = **observed;
  // rule U6: CAPF (and the other publisher-only purposes) on the publisher only.
  if ((*spec)->placement == catalogue::Placement::kPublisher && o.role != "publisher")
    return Status::Unsupported(Where(slot, step) + ": " + slot + " is uploaded on the publisher only (U6); this node "
                               "is a " + o.role + "; refused");
  auto certificate = pki::Certificate::FromPem(install.certificate_pem);
  if (!certificate.ok()) return Fail(slot, step, certificate.status());

  // The import answers the pending CSR's key (else the node refuses it).
  const ObservedSlot* current = CachedSlot(slot);
  if (!current || !current->pending_csr_pem)
    return Status::Failed(Where(slot, step) + ": the node has no pending CSR for " + slot +
                          "; the certificate can only answer one made on the node");
  auto pending = pki::Csr::FromPem(*current->pending_csr_pem);
  if (!pending.ok()) return Fail(slot, step, pending.status());
  if (pending->PublicKeyDigest() != certificate->PublicKeyDigest())
    return Status::Failed(Where(slot, step) + ": the certificate does not answer the node's pending CSR (another "
                          "key; a newer CSR replaced it? U9)");

  // rule U7: every CA of the chain must already be in <unit>-trust, else the node refuses.
  const std::string& store = (*spec)->trust_store;
  auto in_store = [&](const std::string& fingerprint) {
    return std::any_of(o.trust_entries.begin(), o.trust_entries.end(), [&](const TrustEntry& e) {
      return e.store == store && e.fingerprint == fingerprint;
    });
  };
  for (const auto& pem : install.chain_pems) {
    auto ca = pki::Certificate::FromPem(pem);
    if (!ca.ok()) return Fail(slot, step, ca.status().WithContext("chain"));
    if (!in_store(ca->FingerprintSha256()))
      return Status::Failed(Where(slot, step) + ": the CA \"" + ca->Subject().ToString() + "\" is not in " + store +
                            "; add it to the trust store first (U7)");
  }
  if (install.chain_pems.empty()) {
    const std::string issuer = certificate->Issuer().ToString();
    bool found = std::any_of(o.trust_entries.begin(), o.trust_entries.end(),
                             [&](const TrustEntry& e) { return e.store == store && e.subject == issuer; });
    if (!found && !certificate->IsSelfSigned())
      return Status::Failed(Where(slot, step) + ": the issuer \"" + issuer + "\" is not in " + store +
                            "; add it to the trust store first (U7)");
  }

  // rule U2 before the import too: the import cannot be undone (U8), so a certificate
  // without the purpose's usages is refused before it overwrites the identity.
  Status usages = CheckKeyUsages(**spec, o.node_type, *certificate);
  if (!usages.ok()) return Fail(slot, step, usages);

  auto cli_or = Cli(slot, step);
  if (!cli_or.ok()) return cli_or.status();
  CliSession& cli = **cli_or;
  // rule U15: from 14SU2 a multi-SAN certificate (names besides the node's FQDN and one
  // alternate name) goes through the platform REST API; the CLI refuses it.
  int other_names = 0;
  for (const auto& n : certificate->DnsNames())
    if (Lower(n) != Lower(peer_.fqdn)) ++other_names;
  const auto& cli_before = catalogue_->limits.multi_san_cli_upload_before;  // 14SU2 (schema/platforms/ucm.yaml)
  const bool through_api =
      other_names > 1 && o.release && cli_before && catalogue::CompareReleases(*o.release, *cli_before) >= 0;
  std::vector<std::string> pems{certificate->ToPem()};
  for (const auto& pem : install.chain_pems) {
    auto ca = pki::Certificate::FromPem(pem);
    if (ca.ok()) pems.push_back(ca->ToPem());
  }
  if (through_api) {
    const std::string api_step = step + " (platform REST API, U15)";
    auto endpoint = Api(cli, slot, api_step);
    if (!endpoint.ok()) return endpoint.status();
    Status uploaded = ApiUploadIdentity(*endpoint, slot, pems);
    if (!uploaded.ok()) return Fail(slot, api_step, uploaded);
  } else {
    auto command = Fill(dialect_->import_own.send, {{"unit", slot}});
    if (!command.ok()) return Fail(slot, step, command.status());
    // rule U4: PEM, the leaf then its chain, pasted in one go.
    std::string text;
    for (const auto& pem : pems) text += pem;
    auto out = cli.Paste(*command, dialect_->import_own, text);
    if (!out.ok()) return Fail(slot, step, out.status());
  }

  // rule U8: the import overwrote the identity and deleted the CSR; nothing can be put back.
  IdentityBackup backup;
  backup.slot = slot;
  backup.had_identity = true;
  if (ObservedSlot* cached = CachedSlot(slot)) cached->pending_csr_pem.reset();

  // Re-read what the node now holds: the certificate must be the one sent, with the usages of U2.
  auto now = ReadOwn(cli, slot);
  if (!now.ok()) return Fail(slot, "re-read the installed certificate", now.status());
  auto installed = pki::Certificate::FromPem(*now);
  if (!installed.ok()) return Fail(slot, "re-read the installed certificate", installed.status());
  if (ObservedSlot* cached = CachedSlot(slot)) {
    cached->certificate_pem = *now;
    cached->key_public_digest = installed->PublicKeyDigest();
  }
  if (installed->FingerprintSha256() != certificate->FingerprintSha256())
    return Status::Failed(Where(slot, step) + ": the node reports success but holds another certificate");
  usages = CheckKeyUsages(**spec, o.node_type, *installed);
  if (!usages.ok()) return Fail(slot, "re-read the installed certificate", usages);
  return backup;
}

}  // namespace pkiform::ucm
