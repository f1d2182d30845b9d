// Where an openssh slot's chain goes (what InstallIdentity writes is laid out in
// providers/openssh/slot_contents.h): each named file is written with its own
// content, so two fields naming one file is an error; a slot with neither a chain
// nor a fullchain file gets its issuer's chain after the certificate in the
// certificate file, which validate points out whenever that chain is not empty
// (an intermediate issuer), naming the file and the CAs that go there.
#include <utility>

#include "reconciler/pki/presented_chain.h"
#include "reconciler/rules/check_util.h"

namespace pkiform {
namespace {

// The issuer's certificates a server presents, from the issuer's own certificate
// upward, without a self-signed root; [] when the files cannot be read (the issuer
// files check reports those).
std::vector<pki::Certificate> PresentedIssuerChain(const CheckContext& ctx, const Issuer& is) {
  DiagnosticList reported_elsewhere;
  std::vector<pki::Certificate> above;
  for (const auto& ref : is.chain) {
    const auto* certs = ctx.artifacts.Certificates(ref, reported_elsewhere);
    if (!certs) return {};
    above.insert(above.end(), certs->begin(), certs->end());
  }
  if (is.kind == Issuer::Kind::kExternal) return pki::WithoutRoots(above);
  if (is.kind != Issuer::Kind::kCa || !is.certificate) return {};
  const auto* own = ctx.artifacts.Certificates(*is.certificate, reported_elsewhere);
  if (!own || own->size() != 1) return {};
  const pki::Certificate& ca = own->front();
  std::vector<pki::Certificate> chain;
  if (!ca.IsSelfSigned()) chain.push_back(ca);
  for (auto& c : pki::PresentedChain(ca, above))
    if (!(c == ca)) chain.push_back(std::move(c));
  return chain;
}

std::string Subjects(const std::vector<pki::Certificate>& certs) {
  std::vector<std::string> names;
  for (const auto& c : certs) names.push_back(c.Subject().ToString());
  return JoinNames(names, "; ");
}

// Two fields of `files` naming one file: the second is refused.
void CheckDistinctFiles(const SlotFiles& files, DiagnosticList& out) {
  const std::vector<std::pair<const char*, const std::string*>> named = {
      {"certificate", &files.certificate},
      {"chain", &files.chain},
      {"fullchain", &files.fullchain},
      {"privateKey", &files.private_key},
  };
  for (size_t i = 0; i < named.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (named[i].second->empty() || *named[i].second != *named[j].second) continue;
      std::string message = std::string(named[i].first) + " names the same file as " + named[j].first + " (" +
                            *named[i].second + "); pkiform writes each file with its own content";
      if (j == 0 && i < 3)
        message += ". For the chain after the certificate in one file, name only certificate: with no chain or "
                   "fullchain file, the chain is written there";
      out.Error(files.at(named[i].first), message, "chain");
      break;
    }
  }
}

}  // namespace

void CheckChainPlacement(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const catalogue::PlatformCatalogue* platform = PlatformOf(ctx, c);
    if (!platform) continue;
    for (const auto& s : c.identity) {
      const catalogue::SlotSpec* spec = platform->FindSlot(s.slot);
      if (!s.files || !spec || spec->chain_delivery != catalogue::ChainDelivery::kFiles) continue;
      const SlotFiles& files = *s.files;
      CheckDistinctFiles(files, out);
      if (files.certificate.empty() || !files.chain.empty() || !files.fullchain.empty()) continue;
      const Issuer* is = ctx.desired().FindIssuer(s.issuer);
      if (!is) continue;
      const std::vector<pki::Certificate> chain = PresentedIssuerChain(ctx, *is);
      if (chain.empty()) continue;
      out.Warning(files.at("certificate"),
                  "the slot names no chain or fullchain file, so " + files.certificate +
                      " will hold the certificate followed by the chain of issuer '" + is->name + "' (" +
                      Subjects(chain) + "), as nginx ssl_certificate and HAProxy crt read it; to keep that file "
                      "the certificate alone, add chain: (the CAs) or fullchain: (certificate and CAs)",
                  "chain");
    }
  }
}

}  // namespace pkiform
