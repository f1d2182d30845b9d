// Fuzz target: CRL files (one CRL in PEM or DER, or a PEM bundle of several, as
// the repository uploads them and as hosts hold them), everything pkiform reads
// from a CRL, and the bundle it writes back.
#include "reconciler/pki/crl.h"
#include "reconciler/pki/crl_bundle.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using pkiform::fuzz::Expect;

int Sign(int v) { return (v > 0) - (v < 0); }

void AskEverything(const pkiform::pki::Crl& crl) {
  std::string seen = crl.Issuer().ToString() + crl.Number().value_or("");
  for (const auto& serial : crl.RevokedSerials()) seen += serial;
  (void)crl.ThisUpdate();
  (void)crl.NextUpdate();
  Expect(crl.SameIssuer(crl), "a CRL has its own issuer");
  Expect(pkiform::pki::CompareCrlAge(crl, crl) == 0, "a CRL is as old as itself");
  auto der = pkiform::pki::Crl::Parse(crl.ToDer());
  Expect(der.ok() && der->ToDer() == crl.ToDer(), "a CRL's DER reads back as the same CRL");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = pkiform::fuzz::AsText(data, size);

  if (auto one = pkiform::pki::Crl::Parse(bytes); one.ok()) AskEverything(*one);

  auto bundle = pkiform::pki::ParseCrlBundle(bytes);
  if (!bundle.ok()) return 0;
  Expect(!bundle->empty(), "a CRL bundle that parses holds a CRL");
  for (size_t i = 0; i < bundle->size(); ++i) {
    AskEverything((*bundle)[i]);
    if (i > 0) {
      const int forward = Sign(pkiform::pki::CompareCrlAge((*bundle)[i - 1], (*bundle)[i]));
      const int backward = Sign(pkiform::pki::CompareCrlAge((*bundle)[i], (*bundle)[i - 1]));
      Expect(forward == -backward, "CompareCrlAge is antisymmetric");
    }
  }
  // What apply installs must read back as the same CRLs (apply checks it does).
  const std::string written = pkiform::pki::CrlBundlePem(*bundle);
  auto again = pkiform::pki::ParseCrlBundle(written);
  Expect(again.ok() && again->size() == bundle->size(), "a written CRL bundle reads back with every CRL");
  Expect(pkiform::pki::CrlBundlePem(*again) == written, "a written CRL bundle is a fixed point");
  return 0;
}
