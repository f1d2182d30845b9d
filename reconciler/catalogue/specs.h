// The parts of a platform catalogue: identity slots, trust stores, restarts, follow-ups
// and the platform's limits, as plain structs filled from schema/platforms/<name>.yaml.
//
// Nothing here knows a platform: every fact (which services a CallManager change restarts,
// which trust store replicates) is data. Where the seed document is silent the catalogue
// says so ("undocumented") instead of guessing, so that a plan can tell the user.
// `rules` maps a fact (the YAML key that holds it) to the SEED-RULES.md ids justifying it.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/catalogue/release.h"
#include "reconciler/catalogue/usage.h"

namespace pkiform::catalogue {

// Fact name (YAML key, e.g. "restarts") -> rule ids ("U13").
struct RuleRefs {
  std::map<std::string, std::vector<std::string>, std::less<>> by_fact;
  // Empty when no rule is recorded for that fact.
  const std::vector<std::string>& For(std::string_view fact) const;
};

// One thing to restart after a change.
struct RestartSpec {
  enum class Kind {
    kService,      // a named service on the node ("Cisco Tomcat")
    kAppliance,    // the whole appliance (VCS: rule V7)
    kSlotReload,   // the reload command the user gave the slot (openssh)
    kStoreUpdate,  // the update command the user gave the trust store (openssh)
    kCrlUpdate,    // the update command the user gave the CRL file (openssh: revocation.crl.update)
  };
  Kind kind = Kind::kService;
  std::string name;                     // service or appliance name; empty for the reload kinds
  std::string document_name;            // how the seed document words it, when that differs
  std::vector<std::string> node_types;  // empty: every node that carries the slot or store
  ReleaseRange releases;
};

// How long a restart of one service (or of the appliance) takes, when to give up
// waiting, and whether it drops the SSH session (the executor then reconnects).
struct RestartTiming {
  std::string name;           // the service or appliance name of RestartSpec; "" for the default
  int expected_seconds = 0;   // what a real node usually needs (ucm: Cisco Tomcat, minutes)
  int timeout_seconds = 0;    // the provider gives up after this
  bool drops_session = false; // vcs: an appliance restart ends the session
};

// The TLS endpoint on the node that proves a slot's new identity (ucm tomcat: HTTPS 443;
// tomcat-ECDSA: 443 offering only ECDSA signature algorithms, so the EC identity answers;
// CallManager: SIP TLS 5061). openssh slots name theirs in the manifest (`verify`).
struct VerifySpec {
  int port = 0;
  // The endpoint is the node's HTTPS listener, which `peers[].httpsPort` moves (ucm: Cisco
  // Tomcat and the platform REST API share it); `port` is its default.
  bool peer_https_port = false;
  std::string signature_algorithms;  // OpenSSL sigalgs list the client offers; "": any
  // "": TLS from the first byte; "xmpp-client" / "xmpp-server": an XMPP stream that
  // negotiates STARTTLS first (IM and Presence cup-xmpp on 5222, cup-xmpp-s2s on 5269).
  std::string starttls;
};

// A node setting pkiform keeps as the manifest says (ChangeKind::kSetting): its name as
// the provider reports it in Actual::settings, and the manifest field it comes from.
struct SettingSpec {
  std::string name;  // "ocsp.enabled"
  std::string from;  // one of kSettingSources: "revocation.ocsp.enabled", "monitor.notifyBefore", ...
  std::vector<std::string> rules;
  // Durations only: what the node takes (`pkiform validate` refuses the rest). `step`: a
  // whole number of these ("1h": whole hours); min/max inclusive. Absent: any.
  std::optional<std::chrono::seconds> step, min, max;
};

// The manifest fields a setting may come from (the planner knows how to read each).
inline constexpr std::string_view kSettingSources[] = {
    "revocation.ocsp.enabled",     "revocation.ocsp.useCertificateUri", "revocation.ocsp.responder",
    "revocation.ocsp.checkInterval", "monitor.notifyBefore",            "monitor.frequency",
    "monitor.email",                 "revocation.crl.automaticUpdates",   "revocation.crl.distributionPoints",
    "revocation.crl.dailyUpdateTime", "revocation.sipTls.enabled",        "revocation.sipTls.useOcsp",
    "revocation.sipTls.useCrls",     "revocation.sipTls.allowCdpDownloads", "revocation.sipTls.fallback"};

// One row of a key usage table: which extensions a slot's certificate carries.
// Cells marked Y are in `key_usage` / `extended_key_usage`; cells marked N in the
// `*_marked_no` lists; blank cells are in neither.
struct UsageSpec {
  std::string source;                        // "Table 1", ...
  std::vector<std::string> node_types;       // empty: all of the slot's node types
  std::vector<KeyAlgorithm> key_algorithms;  // empty: any algorithm the slot allows
  bool multi_server = false;                 // SAN / multi-server certificate allowed (U3)
  std::vector<KeyUsage> key_usage;
  std::vector<KeyUsage> key_usage_marked_no;
  std::vector<ExtendedKeyUsage> extended_key_usage;
  std::vector<ExtendedKeyUsage> extended_key_usage_marked_no;

  bool Requires(KeyUsage u) const;
  bool Requires(ExtendedKeyUsage u) const;
};

enum class Placement { kEveryNode, kPublisher };
enum class ChainDelivery { kTrustStoreFirst, kWithIdentity, kFiles };

// An identity certificate a node presents (UCM purpose, VCS server, DMS identity, openssh slot).
struct SlotSpec {
  std::string name;  // empty for a template (openssh: slots are named by the user)
  std::string description;
  std::optional<KeyAlgorithm> key_algorithm;  // nullopt: any the platform allows
  std::optional<KeyAlgorithm> ca_signature;   // the issuing CA must sign with this (U5)
  std::string twin_of;                        // "CallManager" for CallManager-ECDSA
  std::vector<std::string> node_types;
  Placement placement = Placement::kEveryNode;
  std::string trust_store;  // "" when none; "user" for a user-named store (openssh)
  ChainDelivery chain_delivery = ChainDelivery::kTrustStoreFirst;
  bool csr = false;                  // a CA-signed certificate can be requested by CSR
  bool system_self_signed = false;   // the system generates it self-signed (U11)
  bool deletable = false;            // U11: identities cannot be deleted
  std::vector<UsageSpec> usage;      // empty: the document states no key usage
  bool restarts_documented = false;  // false: the document names nothing to restart
  std::vector<RestartSpec> restarts;
  std::optional<VerifySpec> verify;  // nullopt: the catalogue names no endpoint
  RuleRefs rules;

  // The usage row for that node type and key algorithm, or nullptr.
  const UsageSpec* UsageFor(std::string_view node_type, KeyAlgorithm algorithm) const;
  // True when any row of the slot's tables allows multi-server (SAN) certificates.
  bool MultiServerAllowed() const;
  // What to restart on a node of `node_type` ("" = any) after this slot changed, on
  // `release` (nullopt = unknown: every restart that may apply).
  std::vector<RestartSpec> RestartsFor(std::string_view node_type = {},
                                       const std::optional<Release>& release = std::nullopt) const;
};

// Where a trust store's additions and deletions take effect.
enum class Scope { kCluster, kNode, kUndocumented };
// What happens when a CA with the same issuer and subject as an existing entry is added.
enum class SameSubject { kDeleteFirst, kUndocumented };

struct TrustStoreSpec {
  std::string name;  // empty for a template (openssh: user paths)
  std::string description;
  std::vector<std::string> node_types;
  Scope replication = Scope::kUndocumented;               // U10
  Scope deletion = Scope::kUndocumented;                  // U10
  bool deletable = true;                                  // U11
  bool append = true;                                     // adding keeps the other entries (V9)
  SameSubject same_subject = SameSubject::kUndocumented;  // V9
  bool reset_to_default = false;                          // V9
  std::vector<std::string> copies_to;                     // CAPF-trust roots are copied to CallManager-trust
  bool restarts_documented = false;
  std::vector<RestartSpec> restarts;
  RuleRefs rules;
};

// The one file of uploaded CRLs that the user names on each node (openssh:
// revocation.crl.path), and what a change of it restarts.
struct CrlFileSpec {
  std::string description;
  // A platform whose uploaded CRL lives in one place of its own (vcs: the CRL management
  // page's upload, V11) names it here, and the manifest gives no path; "": the manifest's
  // revocation.crl.path (openssh).
  std::string location;
  std::vector<RestartSpec> restarts;
};

enum class ChangeKind {
  kInstall,     // a CA-signed certificate uploaded / imported
  kRegenerate,  // a self-signed certificate (re)generated on the node
  kRestore,     // a backup (keystore) restored
};

// A step the plan shows but pkiform does not perform (or performs before the change).
struct FollowUpSpec {
  enum class Phase { kBefore, kAfter };
  std::string id;
  std::string text;  // for the plan: "Regenerate the CTL file: the cluster is in mixed mode"
  Phase phase = Phase::kAfter;
  bool any_slot = false;
  std::vector<std::string> slots;
  std::vector<std::string> flags;   // all must be set (e.g. mixedMode)
  std::vector<ChangeKind> changes;  // empty: every kind
  ReleaseRange releases;
  std::vector<std::string> rules;
  std::string source;  // where in the document, when no rule id names it

  bool AppliesTo(std::string_view slot, ChangeKind change, const std::vector<std::string>& set_flags,
                 const std::optional<Release>& release = std::nullopt) const;
};

struct KeyAlgorithmLimits {
  KeyAlgorithm algorithm = KeyAlgorithm::kRsa;
  std::vector<int> sizes;              // empty: the document restricts none
  std::vector<int> self_signed_sizes;  // sizes offered when regenerating (U12)
  std::vector<std::string> curves;     // empty: the document names none
  int min_bits = 0;                    // 0: none
  int max_recommended_bits = 0;        // 0: none; vcs warns above 4096 (V14)
};

// What can be put back when a new identity fails its verification after the install.
// The plan marks the identity changes of a platform that cannot ("cannot be rolled
// back: ..."); the executor then verifies each node before it touches the next one
// and never reports as rolled back what it could not restore.
struct RollbackSpec {
  enum class Identity {
    kRestore,       // the provider keeps the previous identity and puts it back (openssh: files)
    kNone,          // the platform offers no way back (ucm: an import overwrites and deletes the CSR, U8)
    kUndocumented,  // the seed document says nothing: treated as kNone, and the plan says so
  };
  Identity identity = Identity::kUndocumented;
  std::string how;     // kRestore: how it is done, for people
  std::string reason;  // otherwise: why not, for the plan ("an import overwrites ...")
  std::vector<std::string> rules;

  bool CanRestore() const { return identity == Identity::kRestore; }
  // The plan's text for an identity change that cannot be rolled back; "" when it can.
  std::string NoRollbackReason() const;
};

enum class CertificateFormat { kPem, kDer, kPkcs7Pem };
enum class CsrScope { kAppliance, kSlot };
enum class WhileCsrPending { kOverwrite, kDiscardFirst };
enum class Wildcards { kAllowed, kRefusedInCn, kRefused };

struct PlatformLimits {
  std::vector<KeyAlgorithmLimits> key_algorithms;
  std::vector<CertificateFormat> certificate_formats;  // accepted uploads (D1, U4, V8)
  std::optional<CertificateFormat> csr_format;         // CSRs produced on the node (U4)
  bool one_certificate_per_file = false;               // D5
  bool no_trailing_blank_lines = false;                // D2
  // Private key upload (V8, V15).
  bool private_key_upload = false;
  bool private_key_must_be_unencrypted = false;
  bool private_key_refused_while_csr_pending = false;
  bool private_key_trailing_newline = false;
  // CSR made on the appliance (V4, U9).
  bool csr_on_appliance = false;
  CsrScope csr_scope = CsrScope::kSlot;
  WhileCsrPending while_csr_pending = WhileCsrPending::kOverwrite;
  // Self-signed validity (D8); unit empty when the document gives none.
  std::string self_signed_validity_unit;
  int self_signed_validity_min = 0;
  int self_signed_validity_max = 0;
  // The appliance's self-signed procedure makes its own new key and installs the certificate
  // at once (dms GENERATE_NEW_CERT): no CSR comes first, and the certificate is taken as the
  // appliance reports it (selfSignedValidity.newKey).
  bool self_signed_new_key = false;
  // Subject (D3, D4, D6, D7, V2).
  Wildcards wildcards = Wildcards::kAllowed;
  bool require_cn = false;
  std::string forbidden_subject_characters;
  std::vector<std::string> forbidden_in_fields;  // "OU", "O", "L", "ST", "C"
  bool country_from_iana_table = false;
  // U15: multi-SAN certificates can be uploaded through the CLI only before this release.
  std::optional<Release> multi_san_cli_upload_before;
  RuleRefs rules;

  const KeyAlgorithmLimits* For(KeyAlgorithm algorithm) const;
  bool Accepts(CertificateFormat format) const;
};

}  // namespace pkiform::catalogue
