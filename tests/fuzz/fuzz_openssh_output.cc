// Fuzz target: what an openssh host prints back to pkiform (script_output.h) as
// the provider reads it. The first byte picks the reader, the rest is the host's
// output: '0' Observe with a CRL file (observation.h), '1' Observe without one,
// '2' the trust stores alone (ReadStores), '3' InstallIdentity's prepare step
// (identity_scripts.h). Every reader also meets the raw output parser, the
// decoders and the stderr tail that error messages quote.
#include "providers/openssh/identity_scripts.h"
#include "providers/openssh/observation.h"
#include "providers/openssh/remote_script.h"
#include "providers/openssh/script_output.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/csr.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace pkiform::openssh;
using pkiform::fuzz::Expect;

// A peer as the provider asks about it: one slot with every file, one with the certificate only.
std::vector<SlotToObserve> Slots() {
  SlotFileSet full;
  full.certificate = "/etc/nginx/tls/server.crt";
  full.chain = "/etc/nginx/tls/chain.pem";
  full.fullchain = "/etc/nginx/tls/fullchain.pem";
  full.private_key = "/etc/nginx/tls/server.key";
  SlotFileSet bare;
  bare.certificate = "/etc/haproxy/site.pem";
  return {{"server", full}, {"client", bare}};
}

const std::vector<std::string> kStores = {"/etc/ssl/certs/fleet-ca.pem", "/etc/nginx/trust.d/"};

void Observe(std::string_view output, const std::string& crl_file) {
  auto actual = ReadObservation(output, Slots(), kStores, "web-eu", "web1.example.com", crl_file);
  if (!actual.ok()) return;
  // The planner reads every PEM the observation kept: each must be one it can parse.
  for (const auto& slot : actual->slots) {
    if (slot.certificate_pem)
      Expect(pkiform::pki::Certificate::FromPem(*slot.certificate_pem).ok(), "an observed certificate parses");
    for (const auto& pem : slot.chain_pems)
      Expect(pkiform::pki::Certificate::FromPem(pem).ok(), "an observed chain certificate parses");
    if (slot.pending_csr_pem)
      Expect(pkiform::pki::Csr::FromPem(*slot.pending_csr_pem).ok(), "an observed pending CSR parses");
  }
  for (const auto& store : actual->trust)
    for (const auto& pem : store.certificate_pems)
      Expect(pkiform::pki::Certificate::FromPem(pem).ok(), "an observed trusted CA parses");
  Expect(actual->crls.size() == (crl_file.empty() ? 0u : 1u), "the CRL file is reported when asked for");
  (void)actual->Digest();
}

void Prepare(std::string_view output) {
  PrepareRequest request;
  request.files = Slots()[0].files;
  request.files.owner = "www-data";
  request.files.group = "ssl-cert";
  request.key = KeySource::kPending;
  request.replaced = {request.files.certificate, request.files.chain, request.files.fullchain};
  auto outcome = ReadPrepareOutput(request, 0, output, "");
  if (!outcome.ok()) return;
  Expect(outcome->existed.size() == request.replaced.size(), "prepare reports on every replaced file");
  if (!outcome->refusal.empty()) (void)RefusalMessage(request, outcome->refusal);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view output = pkiform::fuzz::AsText(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: Observe(output, "/etc/nginx/tls/crl.pem"); break;
    case 1: Observe(output, ""); break;
    case 2: {
      auto stores = ReadStores(output, kStores, "web1.example.com", "add trust");
      if (stores.ok()) Expect(stores->size() == kStores.size(), "every store asked for is reported");
      break;
    }
    default: Prepare(output); break;
  }
  // A failed script's stderr is quoted in errors; that must hold for any bytes.
  (void)StderrTail(output);
  if (auto failed = ReadPrepareOutput(PrepareRequest{}, 1, "", output); failed.ok())
    Expect(false, "a failed exit status is an error");
  (void)DecodeBase64(output);
  (void)DecodeHex(output);
  return 0;
}
