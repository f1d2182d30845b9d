// UcmProvider: construction, the shared helpers, Observe, Restart and what the CLI cannot
// do. Identity changes are in ucm_identity.cc, trust changes in ucm_trust.cc.
#include "providers/ucm/ucm_provider.h"

#include <algorithm>
#include <set>

#include "providers/platform_data.h"
#include "providers/ucm/cli_text.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::ucm {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// A service name the CLI line can carry: letters, digits, spaces, '-', '.', '_'.
bool PlainServiceName(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == ' ' || c == '-' || c == '.' || c == '_';
  });
}

// A self-signed certificate whose common name holds the host name of a cluster node
// ("cucm-pub.example.com", "cucm-pub-EC.example.com", "ITLRECOVERY_cucm-pub").
bool IsNodeIdentity(const std::string& pem, const std::vector<std::string>& hostnames) {
  auto cert = pki::Certificate::FromPem(pem);
  if (!cert.ok() || !cert->IsSelfSigned()) return false;
  const std::string cn = Lower(cert->Subject().commonName);
  return std::any_of(hostnames.begin(), hostnames.end(),
                     [&](const std::string& h) { return !h.empty() && cn.find(h) != std::string::npos; });
}

}  // namespace

UcmProvider::UcmProvider(ssh::SshSession& session, const Cluster& cluster, const Peer& peer)
    : session_(session), cluster_(cluster), peer_(peer) {}

UcmProvider::~UcmProvider() = default;

std::string UcmProvider::Where(const std::string& subject, const std::string& step) const {
  return StepWhere(subject, peer_.fqdn, step);
}

Status UcmProvider::Fail(const std::string& subject, const std::string& step, const Status& cause) const {
  return cause.WithContext(Where(subject, step));
}

Status UcmProvider::Ready(const std::string& subject, const std::string& step) {
  Status loaded = LoadPlatformData(BuiltinDialect(), "ucm", dialect_, catalogue_);
  return loaded.ok() ? loaded : Fail(subject, step, loaded);
}

Result<CliSession*> UcmProvider::Cli(const std::string& subject, const std::string& step) {
  Status ready = Ready(subject, step);
  if (!ready.ok()) return ready;
  if (!cli_) {
    auto cli = CliSession::Open(session_, *dialect_);
    if (!cli.ok()) return Fail(subject, step, cli.status());
    cli_ = std::move(cli).value();
  }
  return cli_.get();
}

Result<const NodeObservation*> UcmProvider::Observation(const std::string& subject, const std::string& step) {
  if (!observed_) {
    auto a = Observe();
    if (!a.ok()) return Fail(subject, step, a.status());
  }
  return &*observed_;
}

Result<const catalogue::SlotSpec*> UcmProvider::SlotFor(const std::string& slot, const std::string& step) {
  Status ready = Ready(slot, step);
  if (!ready.ok()) return ready;
  const catalogue::SlotSpec* spec = catalogue_->FindSlot(slot);
  if (!spec) return Status::NotFound(Where(slot, step) + ": not a certificate purpose of Unified CM (U1)");
  bool named = std::any_of(cluster_.identity.begin(), cluster_.identity.end(),
                           [&](const IdentitySlot& s) { return s.slot == slot; });
  if (!named) return Status::NotFound(Where(slot, step) + ": cluster " + cluster_.name + " names no such slot");
  return spec;
}

Result<const catalogue::TrustStoreSpec*> UcmProvider::StoreFor(const std::string& store, const std::string& step) {
  const std::string subject = "trust store " + store;
  Status ready = Ready(subject, step);
  if (!ready.ok()) return ready;
  const catalogue::TrustStoreSpec* spec = catalogue_->FindTrustStore(store);
  // rule U11: only the -trust stores hold deletable entries; an identity is never one.
  if (!spec) return Status::NotFound(Where(subject, step) + ": not a trust store of Unified CM (U1, U11)");
  return spec;
}

namespace {

// Runs the `show` command for a unit's file (both from the dialect) and returns the one
// PEM block of `label` it prints, parsed by `parse` and written back as PEM.
// The `show` command (show_pattern) of a unit's file (file_pattern), both from the dialect.
Result<std::string> ShowCommand(const std::string& file_pattern, const std::string& show_pattern,
                                const std::string& unit) {
  auto file = Fill(file_pattern, {{"unit", unit}});
  if (!file.ok()) return file.status();
  return Fill(show_pattern, {{"file", *file}});
}

template <typename Parsed>
Result<std::string> ShowPem(CliSession& cli, const Result<std::string>& command, const char* label,
                            Result<Parsed> (*parse)(std::string_view)) {
  if (!command.ok()) return command.status();
  auto out = cli.Run(*command);
  if (!out.ok()) return out.status();
  auto pem = ExtractPemBlock(*out, label);
  if (!pem.ok()) return pem.status().WithContext(*command);
  auto parsed = parse(*pem);
  if (!parsed.ok()) return parsed.status().WithContext(*command);
  return parsed->ToPem();
}

}  // namespace

Result<std::string> UcmProvider::ShowOwnCommand(const std::string& unit) const {
  return ShowCommand(dialect_->own_file, dialect_->show_own, unit);
}

Result<std::string> UcmProvider::ShowCsrCommand(const std::string& unit) const {
  return ShowCommand(dialect_->csr_file, dialect_->csr_show_own, unit);
}

Result<std::string> UcmProvider::ShowTrustCommand(const std::string& store, const std::string& file) const {
  return Fill(dialect_->show_trust, {{"file", store + "/" + file}});
}

Result<std::string> UcmProvider::ReadOwn(CliSession& cli, const std::string& unit) {
  return ShowPem<pki::Certificate>(cli, ShowOwnCommand(unit), "CERTIFICATE", &pki::Certificate::FromPem);
}

Result<std::string> UcmProvider::ReadCsr(CliSession& cli, const std::string& unit) {
  return ShowPem<pki::Csr>(cli, ShowCsrCommand(unit), "CERTIFICATE REQUEST", &pki::Csr::FromPem);
}

Result<TrustEntry> UcmProvider::ReadTrust(CliSession& cli, const std::string& store, const std::string& file,
                                          const std::string& description) {
  auto command = ShowTrustCommand(store, file);
  if (!command.ok()) return command.status();
  auto out = cli.Run(*command);
  if (!out.ok()) return out.status();
  auto pem = ExtractPemBlock(*out, "CERTIFICATE");
  if (!pem.ok()) return pem.status().WithContext(*command);
  auto certificate = pki::Certificate::FromPem(*pem);
  if (!certificate.ok()) return certificate.status().WithContext(*command);
  TrustEntry e;
  e.store = store;
  e.file = file;
  e.fingerprint = certificate->FingerprintSha256();
  e.subject = certificate->Subject().ToString();
  e.pem = certificate->ToPem();
  e.builtin = !Contains(dialect_->imported_descriptions, description);
  return e;
}

ObservedSlot* UcmProvider::CachedSlot(const std::string& slot) {
  if (!observed_) return nullptr;
  for (auto& s : observed_->actual.slots)
    if (s.slot == slot) return &s;
  return nullptr;
}

void UcmProvider::CacheTrust(const TrustEntry& entry) {
  if (!observed_) return;
  observed_->trust_entries.push_back(entry);
  for (auto& t : observed_->actual.trust) {
    if (t.store != entry.store) continue;
    t.certificate_pems.push_back(entry.pem);
    if (entry.builtin) t.builtin_fingerprints.push_back(entry.fingerprint);
  }
}

Result<Actual> UcmProvider::Observe() {
  const std::string subject = peer_.fqdn, step = "observe";
  auto cli_or = Cli(subject, step);
  if (!cli_or.ok()) return cli_or.status();
  CliSession& cli = **cli_or;
  const int before = cli.commands_sent(), trips_before = cli.round_trips();
  const Dialect& d = *dialect_;
  NodeObservation o;
  o.actual.cluster = cluster_.name;
  o.actual.peer = peer_.fqdn;
  // What is typed ahead serves this observation only: an answer kept past it could be stale.
  struct DropOnExit {
    CliSession& cli;
    ~DropOnExit() { cli.DropPrefetched(); }
  } drop{cli};
  // Round trip 1: every list (P5). The answers are taken below in the same order.
  std::vector<std::string> lists = {d.version_send, d.cluster_send, d.list_own, d.list_trust, d.csr_list_own,
                                    d.service_list};
  for (auto& read : SettingsReads()) lists.push_back(std::move(read));
  if (Status typed = cli.Prefetch(lists); !typed.ok()) return Fail(subject, step, typed);

  auto version = cli.Run(d.version_send);
  if (!version.ok()) return Status(version.status()).WithContext(peer_.fqdn + ": observe");
  auto build = ParseVersion(*version, d.version_field);
  if (!build) return Status::Failed(peer_.fqdn + ": observe: no \"" + d.version_field + "\" in the node's answer");
  o.build = *build;
  if (auto it = d.builds.find(o.build); it != d.builds.end()) {
    auto release = catalogue::ParseRelease(it->second);
    if (!release.ok()) return Fail(subject, step, release.status().WithContext("ucm dialect"));
    o.release = *release;
  }

  auto cluster = cli.Run(d.cluster_send);
  if (!cluster.ok()) return Fail(subject, step, cluster.status());
  std::vector<std::string> hostnames;  // of every node: their own identities sit in the -trust stores
  for (const auto& node : ParseCluster(*cluster, d)) {
    hostnames.push_back(Lower(node.fqdn.substr(0, node.fqdn.find('.'))));
    if (Lower(node.fqdn) != Lower(peer_.fqdn)) continue;
    o.role = node.role;
    o.node_type = node.node_type;
  }
  if (o.role.empty() || o.node_type.empty())
    return Status::Failed(Where(subject, step) + ": \"" + d.cluster_send + "\" does not list this node (" +
                          peer_.fqdn + ") with a role and a node type");
  if (!peer_.role.empty() && peer_.role != o.role)
    return Status::Failed(Where(subject, step) + ": the manifest says " + peer_.role + ", the node says " + o.role);

  auto own = cli.Run(d.list_own);
  if (!own.ok()) return Fail(subject, step, own.status());
  auto trust = cli.Run(d.list_trust);
  if (!trust.ok()) return Fail(subject, step, trust.status());
  auto csrs = cli.Run(d.csr_list_own);
  if (!csrs.ok()) return Fail(subject, step, csrs.status());
  // A service that is not running (a restart that failed) must be started again: the
  // planner restarts it when a managed slot needs it (U13). A service that is off on
  // purpose ("[STOPPED]  Service Not Activated", "Commanded Out of Service") prints a
  // reason after its state, which ParseServiceStates does not report: it stays off.
  auto services = cli.Run(d.service_list);
  if (!services.ok()) return Fail(subject, step, services.status());
  for (const auto& s : ParseServiceStates(*services))
    if (s.state != d.restart_started) o.actual.stopped_services[s.service] = s.state;
  const auto own_entries = ParseCertList(*own);
  const auto trust_entries = ParseCertList(*trust);
  const auto csr_entries = ParseCsrList(*csrs);
  auto named_store = [&](const std::string& unit) {
    return std::any_of(cluster_.trust.begin(), cluster_.trust.end(), [&](const TrustStore& t) { return t.store == unit; });
  };
  // Round trip 2: every certificate and CSR the lists name for the manifest's slots and stores.
  std::vector<std::string> shows;
  for (const auto& slot : cluster_.identity) {
    auto own_file = Fill(d.own_file, {{"unit", slot.slot}});
    auto csr_file = Fill(d.csr_file, {{"unit", slot.slot}});
    auto own_show = ShowOwnCommand(slot.slot);
    auto csr_show = ShowCsrCommand(slot.slot);
    if (!own_file.ok() || !csr_file.ok() || !own_show.ok() || !csr_show.ok()) continue;  // reported below
    for (const auto& e : own_entries)
      if (e.Handle() == *own_file) shows.push_back(*own_show);
    for (const auto& e : csr_entries)
      if (e.Handle() == *csr_file) shows.push_back(*csr_show);
  }
  for (const auto& e : trust_entries) {
    auto show = ShowTrustCommand(e.unit, e.file);
    if (named_store(e.unit) && show.ok()) shows.push_back(*show);
  }
  if (Status typed = cli.Prefetch(shows); !typed.ok()) return Fail(subject, step, typed);

  for (const auto& slot : cluster_.identity) {
    ObservedSlot observed;
    observed.slot = slot.slot;
    auto own_file = Fill(d.own_file, {{"unit", slot.slot}});
    auto csr_file = Fill(d.csr_file, {{"unit", slot.slot}});
    if (!own_file.ok() || !csr_file.ok()) return Fail(slot.slot, step, own_file.ok() ? csr_file.status() : own_file.status());
    for (const auto& e : own_entries) {
      if (e.Handle() != *own_file) continue;
      auto pem = ReadOwn(cli, slot.slot);
      if (!pem.ok()) return Fail(slot.slot, step, pem.status());
      auto certificate = pki::Certificate::FromPem(*pem);
      // The node holds the key of its certificate (it never leaves the node).
      if (certificate.ok()) observed.key_public_digest = certificate->PublicKeyDigest();
      observed.certificate_pem = *pem;
    }
    for (const auto& e : csr_entries) {
      if (e.Handle() != *csr_file) continue;
      auto pem = ReadCsr(cli, slot.slot);
      if (!pem.ok()) return Fail(slot.slot, step, pem.status());
      observed.pending_csr_pem = *pem;
    }
    o.actual.slots.push_back(std::move(observed));
  }

  for (const auto& store : cluster_.trust) {
    ObservedTrustStore observed;
    observed.store = store.store;
    o.actual.trust.push_back(observed);
  }
  for (const auto& e : trust_entries) {
    if (!named_store(e.unit)) continue;
    auto entry = ReadTrust(cli, e.unit, e.file, e.description);
    if (!entry.ok()) return Fail("trust store " + e.unit, step, entry.status());
    // A node's own system self-signed identity is copied into its -trust store (U1) with
    // the description of an import (ASSUMED): it counts as built-in, never pruned unasked.
    if (!entry->builtin) entry->builtin = IsNodeIdentity(entry->pem, hostnames);
    o.trust_entries.push_back(*entry);
    for (auto& t : o.actual.trust) {
      if (t.store != entry->store) continue;
      t.certificate_pems.push_back(entry->pem);
      if (entry->builtin) t.builtin_fingerprints.push_back(entry->fingerprint);
    }
  }
  o.actual.node = ObservedNode{o.role, o.node_type, o.build, o.release ? o.release->ToString() : ""};
  if (Status s = ObserveSettings(cli, o); !s.ok()) return Fail(subject, step, s);
  o.commands = cli.commands_sent() - before;
  o.round_trips = cli.round_trips() - trips_before;
  observed_ = std::move(o);
  return observed_->actual;
}

Status UcmProvider::Restart(const pkiform::Restart& restart) {
  const std::string step = "restart " + restart.target;
  const std::string subject = peer_.fqdn;
  if (restart.kind != RestartKind::kService)
    return Status::InvalidInput(Where(subject, step) + ": a ucm node restarts named services only; refused");
  Status ready = Ready(subject, step);
  if (!ready.ok()) return ready;
  // rule U13: only a service the catalogue names for a slot or a trust store is restarted.
  std::set<std::string> known;
  for (const auto& slot : catalogue_->slots)
    for (const auto& r : slot.restarts)
      if (r.kind == catalogue::RestartSpec::Kind::kService) known.insert(r.name);
  for (const auto& store : catalogue_->trust_stores)
    for (const auto& r : store.restarts)
      if (r.kind == catalogue::RestartSpec::Kind::kService) known.insert(r.name);
  if (!known.count(restart.target) || !PlainServiceName(restart.target))
    return Status::InvalidInput(Where(subject, step) + ": not a service the ucm catalogue restarts (U13); refused");
  auto cli = Cli(subject, step);
  if (!cli.ok()) return cli.status();
  auto command = Fill(dialect_->restart_send, {{"service", restart.target}});
  if (!command.ok()) return Fail(subject, step, command.status());
  // Completion is the service's state line, not a sleep: the command returns when the
  // node has printed the final state (a Tomcat restart takes minutes). The bound is the
  // catalogue's restartTimes for this service when the plan carries one, else the dialect's.
  const int bound = restart.timeout_seconds > 0 ? restart.timeout_seconds : dialect_->restart_seconds;
  auto out = (*cli)->Run(*command, std::chrono::seconds(bound));
  if (!out.ok()) return Fail(subject, step, out.status());
  const std::string state = LastState(ParseServiceStates(*out), restart.target);
  if (state == dialect_->restart_started) return Status::Ok();
  if (state.empty())
    return Status::Failed(Where(subject, step) + ": the node printed no state for the service; it said: " +
                          Excerpt(*out, 600));
  return Status::Failed(Where(subject, step) + ": the service ended " + state + " (not " +
                        dialect_->restart_started + ")");
}

Result<std::string> UcmProvider::SelfSignPending(const SelfSignOnPeer& request) {
  return Status::Unsupported(Where(request.slot, "self-sign the pending CSR") +
                             ": the ucm CLI cannot self-sign a pending CSR; a self-signed identity is regenerated "
                             "by the node (`set cert regen`, U12), which pkiform does not drive in this version");
}

Status UcmProvider::InstallCrl(const std::string& location, const std::string&) {
  return Status::Unsupported(Where("CRL " + location, "upload") +
                             ": a ucm node takes no CRL file through its CLI; its revocation checking is OCSP "
                             "(revocation.ocsp, U16)");
}

Status UcmProvider::RemoveLeftoverBackups(const std::string& slot, const std::vector<std::string>&) {
  return Status::Unsupported(Where(slot, "remove leftover backups") +
                             ": a ucm node keeps no backup files of pkiform's (its import overwrites, U8)");
}

Status UcmProvider::RestoreIdentity(const IdentityBackup& backup) {
  return Status::Unsupported(Where(backup.slot, "restore the previous identity") + ": the " + backup.slot +
                             " identity cannot be rolled back on ucm: the import overwrote the certificate and "
                             "deleted the CSR it answered, and the node keeps no copy (U8)");
}

Status UcmProvider::DiscardBackup(const IdentityBackup&) { return Status::Ok(); }  // nothing was saved (U8)

}  // namespace pkiform::ucm
