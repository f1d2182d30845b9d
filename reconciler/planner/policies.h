// Whether an installed identity certificate is in the desired state, decided as
// cert-manager decides renewals: a chain of small pure policies, each looking at
// one aspect of the certificate and returning the reason shown in the plan when
// the certificate must be replaced. The first policy that fires wins.
//
// A certificate is in the desired state when it has the right subject, SANs, key
// type and size and key usages for its slot, is issued by the desired issuer and
// is not within renewBefore of expiry. Its exact bytes are never compared, so a
// correct certificate is never replaced (DESIGN.md, "What is compared, not copied").
//
// SlotInput is plain data the planner fills (slot_input.h); tests build it by hand.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reconciler/manifest/duration.h"
#include "reconciler/manifest/model.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/clock.h"
#include "reconciler/pki/distinguished_name.h"
#include "reconciler/pki/key.h"
#include "reconciler/plan/actual.h"

namespace pkiform::planner {

struct SlotInput {
  // Which slot of which peer (for messages).
  std::string cluster, peer, slot;

  // Desired, from the manifest and the platform catalogue.
  pki::DistinguishedName expected_subject;       // CN from CommonName(), the rest from `subject`
  std::vector<std::string> expected_dns_names;   // CertificateNames(): CN first, no duplicates (V1)
  std::vector<std::string> expected_ip_addresses;
  pki::KeySpec expected_key;
  std::vector<std::string> expected_key_usage;           // the catalogue's usage row (U2)
  std::vector<std::string> expected_extended_key_usage;  // (U2, V3)
  Duration duration;      // lifetime of a new certificate (for the plan's "after" lines)
  Duration renew_before;  // zero: renew only once expired

  // The issuer.
  std::string issuer_name;
  Issuer::Kind issuer_kind = Issuer::Kind::kSelfSigned;
  // ca and external: the issuer's certificate, then its chain; selfSigned: none.
  std::vector<pki::Certificate> issuer_certificates;
  // What the installed chain must hold, in any order (D11); empty: nothing to judge.
  // Files a TLS server reads (openssh): the issuer's certificates without a
  // self-signed root (pki/presented_chain.h), so a root issuer wants none and a root
  // found there is neither missing nor wrong. Chains imported with the identity
  // (dms): all of them. Chains delivered through a trust store: none.
  std::vector<pki::Certificate> expected_chain;
  // The provider reads the slot's private key (a key file on the host), so an empty
  // key digest means there is no key. False for keys held inside an appliance.
  bool key_readable = false;

  // Observed.
  ObservedSlot observed;                        // certificate_pem absent: nothing installed
  std::optional<pki::Certificate> certificate;  // observed.certificate_pem, parsed
  std::string certificate_error;                // why it could not be parsed, if it could not
  std::vector<pki::Certificate> chain;          // observed.chain_pems that parse, in order

  pki::TimePoint now;
};

// A policy: the reason the certificate must be replaced, or nothing.
using IdentityPolicy = std::optional<std::string> (*)(const SlotInput&);

// The policies, in the order IdentityPolicies() applies them. Each but the first
// stays silent when there is no certificate.
std::optional<std::string> MissingCertificate(const SlotInput& in);  // none installed, or unreadable
std::optional<std::string> ProviderReplaces(const SlotInput& in);    // ObservedSlot::must_replace (V17)
std::optional<std::string> KeyMismatch(const SlotInput& in);         // key missing or not the certificate's (V5)
std::optional<std::string> Expired(const SlotInput& in);             // D10, D12
std::optional<std::string> NotYetValid(const SlotInput& in);         // D10
std::optional<std::string> WithinRenewBefore(const SlotInput& in);   // D12
std::optional<std::string> SubjectMismatch(const SlotInput& in);     // CN, O, OU, L, ST, C (V1)
std::optional<std::string> SanMismatch(const SlotInput& in);         // DNS names and IP addresses (V1, V6)
std::optional<std::string> KeyTypeMismatch(const SlotInput& in);     // algorithm, size, curve
std::optional<std::string> UsageMissing(const SlotInput& in);        // key usage, extended key usage (U2, V3)
std::optional<std::string> IssuerMismatch(const SlotInput& in);      // chain to the issuer; self-signed
std::optional<std::string> ChainIncomplete(const SlotInput& in);     // expected_chain not all installed (D11)
std::optional<std::string> SlotFileMissing(const SlotInput& in);     // a chain or fullchain file the slot names

// Every policy above, in that order.
const std::vector<IdentityPolicy>& IdentityPolicies();

// The reason of the first policy that fires, or nothing when the certificate is
// in the desired state.
std::optional<std::string> FirstReason(const SlotInput& in,
                                       const std::vector<IdentityPolicy>& policies = IdentityPolicies());

}  // namespace pkiform::planner
