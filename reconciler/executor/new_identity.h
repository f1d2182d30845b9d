// How the new certificate for one identity slot of one peer comes to be, by the
// issuer's kind and the key's location:
//
//   ca          generated  pkiform makes the key and the CSR; the CA signs it
//               appliance  the peer makes the key and the CSR (GenerateCsr); the CA signs it
//   selfSigned  generated  pkiform makes the key and signs with it
//               appliance  the peer makes the key and the CSR, and signs it with that key (SelfSignPending);
//                          or, where its self-signing makes a key of its own (dms), it does
//                          that alone, with no CSR first
//   external    the certificate committed to the repository (the plan carries it), installed
//               with the key on the peer that it answers; while it is awaited, the change only
//               hands a request over (the CSR pending on the peer, or a new one made there)
//
// Private keys made by pkiform stay in memory (SecretString) until InstallIdentity uploads them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "providers/provider.h"
#include "reconciler/executor/executor.h"
#include "reconciler/issuers/issuer.h"
#include "reconciler/manifest/model.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/passphrase.h"
#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"

namespace pkiform {

struct NewIdentityContext {
  Provider& provider;
  const Issuer& issuer;
  CertificateIssuer& signer;  // the issuer, opened (its chain; ca: its key)
  const IdentitySlot& slot;
  const IdentityOrder& order;  // notBefore already set
  const Change& change;
  const ObservedSlot* observed;  // the slot as observed just before applying; null: nothing there
  // External issuers: writes the CSR to the requests folder and records it in the state.
  std::function<Status(const std::string& csr_pem)> hand_over;
  // The platform's self-signing makes its own key and installs at once (catalogue
  // selfSignedValidity.newKey: dms GENERATE_NEW_CERT): no CSR is made first.
  bool self_sign_new_key = false;
};

struct NewIdentity {
  IdentityInstall install;  // private_key_pem is left null: point it at generated_key when installing
  std::optional<pki::SecretString> generated_key;
  pki::Certificate certificate;
  std::vector<pki::Certificate> chain;
};

// The identity to install, or nothing (Ok) when the change only handed a request over.
Result<std::optional<NewIdentity>> MakeNewIdentity(const NewIdentityContext& ctx);

}  // namespace pkiform
