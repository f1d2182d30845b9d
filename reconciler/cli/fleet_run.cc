#include "reconciler/cli/fleet_run.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "providers/registry.h"
#include "reconciler/cli/report_diagnostics.h"
#include "reconciler/diag/render.h"
#include "reconciler/executor/executor.h"
#include "reconciler/issuers/external_layout.h"
#include "reconciler/issuers/issuer.h"
#include "reconciler/log/log.h"
#include "reconciler/pki/digest.h"
#include "reconciler/planner/planner.h"
#include "reconciler/planner/slot_input.h"
#include "reconciler/rules/load_and_check.h"
#include "reconciler/tls/probe.h"
#include "reconciler/util/file_reader.h"
#include "state/atomic_file.h"
#include "state/current_user.h"

namespace pkiform::cli {
namespace {

std::string Key(const std::string& cluster, const std::string& peer) { return cluster + "/" + peer; }

// A path as people at this terminal read it: relative to the working directory.
std::string DisplayPath(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);
  if (ec) return path;
  return std::filesystem::path(path).lexically_normal().lexically_proximate(cwd).string();
}

ssh::SshTarget TargetFor(const Cluster& c, const Peer& p, bool accept_new_host_keys) {
  ssh::SshTarget t;
  t.host = p.address.empty() ? p.fqdn : p.address;
  t.port = p.port.value_or(c.connection.port);
  t.hostKeyAlias = p.fqdn;
  t.user = c.connection.user;
  if (c.connection.identity_file) t.identityFile = c.connection.identity_file->path;
  t.useAgent = c.connection.agent;
  t.passwordEnv = c.connection.password_env;
  if (c.connection.password_file) t.passwordFile = c.connection.password_file->path;
  const char* home = std::getenv("HOME");
  t.knownHostsFile = c.connection.known_hosts ? c.connection.known_hosts->path
                                              : std::string(home ? home : "") + "/.ssh/known_hosts";
  t.acceptNewHostKeys = accept_new_host_keys;
  t.legacyAlgorithms = c.connection.legacy_algorithms;
  t.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(c.connection.timeout.length);
  return t;
}


// One outcome line per peer the apply touched (the summary on stdout is for people).
void LogPeerOutcomes(const ApplyReport& report) {
  for (const auto& p : report.peers) {
    // A peer that failed is "failed" even when its changes were rolled back (their own lines say so).
    const std::string outcome = p.skipped ? "skipped" : !p.ok ? "failed" : "applied";
    std::string text = p.cluster + "/" + p.peer + ": " + outcome;
    if (p.ok) text += ": " + std::to_string(p.applied) + (p.applied == 1 ? " change" : " changes");
    else if (!p.skipped) text += ": " + p.error;
    log::Outcome(p.ok ? log::Level::kInfo : log::Level::kError, {p.cluster, p.peer, "", outcome}, text);
  }
}

}  // namespace

std::unique_ptr<FleetRun> FleetRun::Open(const GlobalOptions& global, const CommandArgs& args,
                                         const std::string& command) {
  std::optional<pki::FixedClock> pinned;
  if (!args.now.empty()) {
    auto at = pki::ParseRfc3339Utc(args.now);
    if (!at.ok()) {
      log::Error({}, "--now: " + at.status().message());
      return nullptr;
    }
    pinned.emplace(*at);
  }
  std::optional<Shard> shard;
  if (!args.shard.empty()) {
    auto parsed = ParseShard(args.shard);
    if (!parsed.ok()) {
      log::Error({}, parsed.status().message());
      return nullptr;
    }
    shard = *parsed;
  }
  // The manifests are checked as of now, whatever --now says: a file that will have expired by
  // then is validate --now's question, and must not stop a rehearsal or a status report.
  DiagnosticList diags;
  LoadedManifests loaded = LoadAndCheck(args.manifests, pki::SystemClock(), diags);
  ReportDiagnostics(diags, loaded.sources);
  if (diags.has_errors()) {
    log::Verdict(log::Level::kError, {}, DiagnosticSummary(diags) + " in the manifests; no appliance was contacted");
    return nullptr;
  }
  const std::string state_dir = shard ? global.state_dir + "/" + shard->StateDirName() : global.state_dir;
  auto store = state::StateStore::Open(state_dir);
  if (!store.ok()) {
    log::Error({}, store.status().message());
    return nullptr;
  }
  // A scheduled run meets a person's apply politely: it says whom it waits for, and for how long.
  const double wait_seconds =
      args.lock_timeout_seconds >= 0 ? args.lock_timeout_seconds : command == "reconcile" ? 600 : 0;
  auto lock = store->Lock(std::chrono::milliseconds(0));
  if (!lock.ok() && wait_seconds > 0) {
    log::Progress(log::Level::kInfo, {},
                  lock.status().message() + "; waiting up to " + std::to_string(static_cast<long long>(wait_seconds)) +
                      " s (--lock-timeout)");
    lock = store->Lock(std::chrono::milliseconds(static_cast<long long>(wait_seconds * 1000)));
  }
  if (!lock.ok()) {
    log::Error({}, lock.status().message());
    return nullptr;
  }
  std::unique_ptr<FleetRun> run(new FleetRun(global, args, std::move(store).value(), std::move(lock).value()));
  run->loaded_ = std::move(loaded);
  run->pinned_ = pinned;
  run->command_ = command;
  run->shard_ = shard;
  run->LoadKeyProofs();
  return run;
}

// The key proofs are a cache: a file that cannot be read or is broken costs one openssl per
// key on the next observation, never the run.
void FleetRun::LoadKeyProofs() {
  const std::string path = store_.dir() + "/" + kKeyProofsFile;
  auto text = ReadBoundedFile(path, limits::FileLimit{kKeyProofsFileBytes, "a key proofs file"});
  if (!text.ok()) {
    if (text.status().code() != Status::Code::kNotFound)
      log::Warn({}, path + ": " + text.status().message() + "; keys are proved again");
    return;
  }
  auto read = openssh::KeyProofCache::FromJson(*text);
  if (!read.ok()) {
    log::Warn({}, path + ": " + read.status().message() + "; keys are proved again");
    return;
  }
  key_proofs_ = std::move(read).value();
}

void FleetRun::SaveKeyProofs() {
  std::set<std::string> peers;
  for (const auto& c : loaded_.desired.clusters)
    for (const auto& p : c.peers) peers.insert(Key(c.name, p.fqdn));
  key_proofs_.Prune([&](const std::string& peer) { return peers.count(peer) > 0; });
  const std::string path = store_.dir() + "/" + kKeyProofsFile;
  if (Status s = state::WriteFileAtomic(path, key_proofs_.ToJson(), 0600); !s.ok())
    log::Warn({}, path + ": " + s.message() + "; keys are proved again next time");
}

std::string FleetRun::ManifestsDigest() const {
  // The text that was loaded and checked, not a second read that could differ from it.
  std::string all;
  for (const auto& f : loaded_.files) {
    const std::string* text = loaded_.sources.Text(f);
    all += f + "\n" + std::to_string(text ? text->size() : 0) + "\n" + (text ? *text : "") + "\n";
  }
  return pki::Sha256Hex(all);
}

void FleetRun::Exclude(const std::string& cluster, const std::string& peer) { excluded_.insert(Key(cluster, peer)); }

std::vector<std::pair<const Cluster*, const Peer*>> FleetRun::TargetedPeers() const {
  std::vector<std::pair<const Cluster*, const Peer*>> out;
  for (const auto& c : loaded_.desired.clusters)
    for (const auto& p : c.peers)
      if (Targeted(c, p)) out.emplace_back(&c, &p);
  return out;
}

bool FleetRun::Targeted(const Cluster& cluster, const Peer& peer) const {
  if (shard_ && !shard_->Holds(cluster.name)) return false;
  const std::string& t = args_.target;
  if (t.empty()) return true;
  std::string head = t.substr(0, t.find('/'));
  if (head != cluster.name) return false;
  if (t.find('/') == std::string::npos) return true;
  std::string rest = t.substr(t.find('/') + 1);
  return rest.substr(0, rest.find('/')) == peer.fqdn;
}

int FleetRun::ConnectionsToHold() const {
  if (command_ != "apply" && command_ != "reconcile") return 0;
  struct rlimit files {};
  if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return 0;
  // Half of what the limit leaves after the connections observing at once and a margin for
  // files, the state store and libraries; the rest reconnect when the apply reaches them.
  const long long room = files.rlim_cur == RLIM_INFINITY ? kMaxHeldConnections * 2LL
                                                         : static_cast<long long>(files.rlim_cur);
  const long long spare = (room - args_.parallelism - 64) / 2;
  return static_cast<int>(std::clamp<long long>(spare, 0, kMaxHeldConnections));
}

int FleetRun::ClustersAtOnce() const {
  struct rlimit files {};
  if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return args_.parallelism;
  // One connection per cluster in flight, beside the connections held from the observation,
  // the verifier's handshakes and a margin for files and libraries.
  const long long room = files.rlim_cur == RLIM_INFINITY ? kMaxClustersAtOnce * 4LL
                                                         : static_cast<long long>(files.rlim_cur);
  const long long spare = (room - ConnectionsToHold() - args_.parallelism - 64) / 2;
  return std::max(args_.parallelism, static_cast<int>(std::clamp<long long>(spare, 0, kMaxClustersAtOnce)));
}

void FleetRun::Disconnect(PeerConnection& conn) {
  conn.provider.reset();  // the provider first: it uses the session
  conn.session.reset();
}

void FleetRun::ReleaseIdleConnections(const Plan& plan) {
  std::set<std::string> busy;
  for (const auto& pp : plan.peers)
    if (!pp.changes.empty() || !pp.restarts.empty()) busy.insert(Key(pp.cluster, pp.peer));
  for (auto& [key, conn] : connections_)
    if (!busy.count(key)) Disconnect(conn);
}

Result<PeerConnection*> FleetRun::Connect(const Cluster& cluster, const Peer& peer) {
  PeerConnection& conn = connections_[Key(cluster.name, peer.fqdn)];
  if (Status s = ConnectTo(conn, cluster, peer); !s.ok()) return s;
  return &conn;
}

Status FleetRun::ConnectTo(PeerConnection& conn, const Cluster& cluster, const Peer& peer) {
  if (conn.provider) return Status::Ok();
  auto session = ssh::SshSession::Connect(TargetFor(cluster, peer, args_.accept_new_host_keys));
  if (!session.ok()) return session.status();
  conn.session = std::move(session).value();
  auto provider = MakeProvider(*conn.session, cluster, peer, ProviderContext{&key_proofs_});
  if (!provider.ok()) return provider.status();
  conn.provider = std::move(provider).value();
  return Status::Ok();
}

bool FleetRun::ObserveAll() {
  struct Job {
    const Cluster* cluster;
    const Peer* peer;
    Result<Actual> result = Status::Failed("not observed");
  };
  std::vector<Job> jobs;
  const auto targeted = TargetedPeers();
  for (const auto& [c, p] : targeted)
    if (!excluded_.count(Key(c->name, p->fqdn))) {
      jobs.push_back({c, p});
      connections_[Key(c->name, p->fqdn)];  // every map node exists before the threads start
    }
  if (targeted.empty() && !args_.target.empty()) {
    log::Error({}, "--target " + args_.target + " matches no peer" + (shard_ ? " in shard " + args_.shard : ""));
    return false;
  }
  std::atomic<size_t> next{0}, done{0};
  std::atomic<int> held{0};
  const int may_hold = ConnectionsToHold();
  const auto started = std::chrono::steady_clock::now();
  auto worker = [&] {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      log::ScopedPeer about(jobs[i].cluster->name, jobs[i].peer->fqdn);  // the providers' notes name the peer
      auto conn = Connect(*jobs[i].cluster, *jobs[i].peer);
      jobs[i].result = conn.ok() ? (*conn)->provider->Observe() : Result<Actual>(conn.status());
      if (conn.ok() && held++ >= may_hold) Disconnect(**conn);
      const auto seconds =
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
      log::ShowStatus("Observing: " + std::to_string(++done) + "/" + std::to_string(jobs.size()) + " peers, " +
                      std::to_string(seconds) + "s elapsed (last: " + jobs[i].cluster->name + "/" +
                      jobs[i].peer->fqdn + ")");
    }
  };
  std::vector<std::thread> threads;
  size_t n = std::min<size_t>(std::max(1, args_.parallelism), jobs.size());
  for (size_t i = 0; i < n; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  log::ClearStatus();
  SaveKeyProofs();
  bool ok = true;
  for (auto& j : jobs) {
    if (!j.result.ok()) {
      log::Error({j.cluster->name, j.peer->fqdn, "", "failed"},
                 j.cluster->name + "/" + j.peer->fqdn + ": " + j.result.status().message());
      failed_[Key(j.cluster->name, j.peer->fqdn)] = j.result.status().message();
      ok = false;
      continue;
    }
    Actual a = std::move(j.result).value();
    a.cluster = j.cluster->name;
    a.peer = j.peer->fqdn;
    observed_.push_back(std::move(a));
  }
  return ok;
}

Result<std::map<std::string, std::vector<pki::Certificate>>> FleetRun::IssuerChains() const {
  std::map<std::string, std::vector<pki::Certificate>> chains;
  for (const auto& is : loaded_.desired.issuers) {
    auto certs = IssuerCertificates(is);
    if (!certs.ok()) return certs.status().WithContext("issuer " + is.name);
    chains[is.name] = std::move(certs).value();
  }
  return chains;
}

Result<Plan> FleetRun::MakePlan() {
  auto chains = IssuerChains();
  if (!chains.ok()) return chains.status();
  std::map<std::string, std::vector<std::string>> trust_pems;
  for (const auto& c : loaded_.desired.clusters)
    for (const auto& t : c.trust)
      for (const auto& ref : t.certificates) {
        auto text = ReadBoundedFile(ref.path, limits::kCertificateFile);
        if (!text.ok()) return text.status().WithContext(ref.written);
        trust_pems[ref.path] = {*text};
      }
  const Desired& desired = loaded_.desired;
  planner::ExternalFilesFn external = [&desired](const std::string& issuer, const std::string& cluster,
                                                 const std::string& peer, const std::string& slot) {
    planner::ExternalFiles files;
    const Issuer* is = desired.FindIssuer(issuer);
    if (!is) return files;
    auto read = [](const std::string& path) -> std::optional<std::string> {
      // Committed by someone else: a FIFO or a huge file there is no certificate.
      auto text = ReadBoundedFile(path, limits::kCertificateFile);
      if (!text.ok()) return std::nullopt;
      return std::move(text).value();
    };
    if (is->certificates_dir) files.certificate = read(ExternalCertificatePath(is->certificates_dir->path, cluster, peer, slot));
    if (is->requests_dir) {
      const std::string path = ExternalRequestPath(is->requests_dir->path, cluster, peer, slot);
      files.request = read(path);
      files.request_path = DisplayPath(path);
    }
    return files;
  };
  auto windows = Windows();
  if (!windows.ok()) return windows.status();
  planner::PlanInput in{desired,           observed_,   *catalogue::BuiltinCatalogue(), std::move(chains).value(),
                        Now(),             args_.target, external,                      std::move(trust_pems),
                        ManifestsDigest()};
  in.windows = std::move(windows).value();
  // Left out: excluded peers, peers that did not answer, and the clusters of other shards.
  in.excluded = excluded_;
  for (const auto& [key, error] : failed_) in.excluded.insert(key);
  if (shard_)
    for (const auto& c : desired.clusters)
      if (!shard_->Holds(c.name))
        for (const auto& p : c.peers) in.excluded.insert(Key(c.name, p.fqdn));
  for (const auto& c : loaded_.desired.clusters)  // the CRL files, as the trust files above
    if (c.revocation && c.revocation->crl)
      for (const auto& ref : c.revocation->crl->upload) {
        auto text = ReadBoundedFile(ref.path, limits::kCrlFile);
        if (!text.ok()) return text.status().WithContext(ref.written);
        in.crl_pems[ref.path] = *text;
      }
  auto plan = planner::MakePlan(in);
  if (plan.ok()) {
    plan->pkiform_version = PKIFORM_VERSION;
    plan->created_at = pki::FormatRfc3339Utc(clock_.Now());
    ReleaseIdleConnections(*plan);
  }
  return plan;
}

Result<std::map<std::string, planner::Window>> FleetRun::Windows() const {
  std::map<std::string, planner::Window> windows;
  if (args_.ignore_windows) return windows;
  for (const auto& c : loaded_.desired.clusters) {
    if (c.restarts.window.empty()) continue;
    planner::TimeZone zone;
    if (c.restarts.time_zone != "UTC") {
      auto loaded = planner::LoadTimeZone(c.restarts.time_zone);
      if (!loaded.ok()) return loaded.status().WithContext(c.name + ": restarts.timeZone");
      zone = *loaded;
    }
    auto window = planner::ParseWindow(c.restarts.window, zone);
    if (!window.ok()) return window.status().WithContext(c.name + ": restarts.window");
    windows.emplace(c.name, std::move(window).value());
  }
  return windows;
}

bool FleetRun::Execute(const Plan& plan) {
  const Desired& desired = loaded_.desired;
  const auto& catalogue = *catalogue::BuiltinCatalogue();
  std::map<std::string, std::unique_ptr<CertificateIssuer>> issuers;
  std::map<std::string, std::vector<pki::Certificate>> issuer_certificates;  // read once per run, not per peer
  const std::string user = state::CurrentUserName();
  std::string commit = state::ManifestCommit(loaded_.files.empty() ? "." : std::filesystem::path(loaded_.files[0]).parent_path().string());
  // Clusters apply in parallel (--parallelism peers at work): the hooks below share the state store,
  // the connection map and the caches, so each takes this lock, never while it talks to a peer.
  // A peer's connection is only ever used by its cluster's thread: the SSH handshake runs
  // outside the lock (with hundreds of clusters in flight, hundreds of peers connect during an
  // apply, and one at a time they made the apply wait).
  std::mutex hooks_mu;
  auto connection_of = [&](const Cluster& c, const Peer& p) -> PeerConnection& {
    std::lock_guard<std::mutex> g(hooks_mu);
    return connections_[Key(c.name, p.fqdn)];  // map nodes stay where they are while others are added
  };

  ExecutorHooks hooks;
  hooks.parallelism = args_.parallelism;
  hooks.clusters_at_once = ClustersAtOnce();
  hooks.connect = [&](const Cluster& c, const Peer& p) -> Result<Provider*> {
    PeerConnection& conn = connection_of(c, p);
    if (Status s = ConnectTo(conn, c, p); !s.ok()) return s;
    return conn.provider.get();
  };
  // Closes a peer's connection (outside the lock: closing a session waits for the peer).
  auto drop = [&](const Cluster& c, const Peer& p) {
    PeerConnection& conn = connection_of(c, p);
    conn.provider.reset();  // the provider first: it uses the session
    conn.session.reset();
  };
  hooks.release = drop;
  hooks.reconnect = [&](const Cluster& c, const Peer& p) -> Result<Provider*> {
    drop(c, p);
    PeerConnection& conn = connection_of(c, p);
    if (Status s = ConnectTo(conn, c, p); !s.ok()) return s;
    return conn.provider.get();
  };
  hooks.issuer = [&](const std::string& name) -> Result<CertificateIssuer*> {
    std::lock_guard<std::mutex> g(hooks_mu);
    auto it = issuers.find(name);
    if (it == issuers.end()) {
      const Issuer* is = desired.FindIssuer(name);
      if (!is) return Status::InvalidInput("unknown issuer '" + name + "'");
      auto opened = OpenIssuer(*is, [this, name] { return store_.NextSerial(name); });
      if (!opened.ok()) return opened.status().WithContext("issuer " + name);
      it = issuers.emplace(name, std::move(opened).value()).first;
    }
    return it->second.get();
  };
  hooks.order = [&](const Cluster& c, const Peer& p, const IdentitySlot& s) -> Result<IdentityOrder> {
    const Issuer* is = desired.FindIssuer(s.issuer);
    const auto* platform = catalogue.Find(c.platform);
    if (!is || !platform) return Status::InvalidInput("slot " + s.slot + ": unknown issuer or platform");
    std::unique_lock<std::mutex> g(hooks_mu);
    auto cached = issuer_certificates.find(is->name);
    if (cached == issuer_certificates.end()) {
      auto certs = IssuerCertificates(*is);
      if (!certs.ok()) return certs.status();
      cached = issuer_certificates.emplace(is->name, std::move(certs).value()).first;
    }
    auto in = planner::MakeSlotInput(c, p, s, *is, *platform, cached->second, nullptr, clock_.Now());
    if (!in.ok()) return in.status();
    IdentityOrder order;
    order.csr.subject = in->expected_subject;
    order.csr.dnsNames = in->expected_dns_names;
    order.csr.ipAddresses = in->expected_ip_addresses;
    order.csr.keyUsage = {in->expected_key_usage.begin(), in->expected_key_usage.end()};
    order.csr.extendedKeyUsage = {in->expected_extended_key_usage.begin(), in->expected_extended_key_usage.end()};
    order.key = in->expected_key;
    order.policy.subject = order.csr.subject;
    order.policy.dnsNames = order.csr.dnsNames;
    order.policy.ipAddresses = order.csr.ipAddresses;
    order.policy.keyUsage = order.csr.keyUsage;
    order.policy.extendedKeyUsage = order.csr.extendedKeyUsage;
    order.policy.validity = s.duration.length;
    order.policy.crlDistributionPoints = is->crl_distribution_points;
    order.policy.ocspUrls = is->ocsp_urls;
    return order;
  };
  // What each peer held when observed, for the certificate backups below (one lookup per change,
  // not a walk of the fleet).
  std::map<std::string, const Actual*> observed_by_peer;
  for (const auto& a : observed_) observed_by_peer[Key(a.cluster, a.peer)] = &a;
  // Verification is the executor's (reconciler/executor/verifier.h): a real TLS handshake.
  TlsVerifier verifier;
  hooks.verifier = &verifier;
  hooks.catalogue = &catalogue;
  hooks.record = [&](const PeerPlan& pp, const Change& ch, const std::string& outcome, const std::string& after,
                     const std::string& detail) {
    std::lock_guard<std::mutex> g(hooks_mu);
    state::HistoryEntry e;
    e.time = pki::FormatRfc3339Utc(clock_.Now());
    e.user = user;
    e.manifest_commit = commit;
    e.command = command_ == "reconcile" ? "reconcile" : "apply";
    e.cluster = pp.cluster;
    e.peer = pp.peer;
    e.address = ch.address;
    e.action = ActionName(ch.action);
    e.before_fingerprint = ch.before_fingerprint;
    e.after_fingerprint = after;
    e.outcome = outcome;
    e.detail = detail;
    if (Status s = store_.AppendHistory(e); !s.ok())
      log::Warn({pp.cluster, pp.peer, ch.address, ""}, "history: " + s.message());
    // What the history says, in the log too (with -v in text: the summary says it already).
    const log::Level level = outcome == "failed"        ? log::Level::kError
                             : outcome == "rolled-back" ? log::Level::kWarn
                                                        : log::Level::kInfo;
    log::Outcome(level, {pp.cluster, pp.peer, ch.address, outcome},
                 ch.address + ": " + outcome + (detail.empty() ? "" : " (" + detail + ")"));
    if (ch.kind == ChangeKind::kIdentity && outcome == "applied" && !ch.before_fingerprint.empty())
      if (auto seen = observed_by_peer.find(Key(pp.cluster, pp.peer)); seen != observed_by_peer.end())
        if (const auto* slot = seen->second->FindSlot(ch.slot_or_store); slot && slot->certificate_pem)
          (void)store_.BackupCertificate(pp.cluster, pp.peer, ch.slot_or_store, *slot->certificate_pem, e.time);
  };
  hooks.hand_over = [&](const PeerPlan& pp, const IdentitySlot& slot, const std::string& csr_pem) -> Status {
    std::lock_guard<std::mutex> g(hooks_mu);
    const Issuer* is = desired.FindIssuer(slot.issuer);
    if (!is || !is->requests_dir) return Status::InvalidInput("issuer " + slot.issuer + " has no requests folder");
    state::PendingRequest request{pp.cluster, pp.peer, slot.slot, is->name, csr_pem, pki::FormatRfc3339Utc(clock_.Now())};
    return store_.SavePendingRequest(is->requests_dir->path, request);
  };
  hooks.answered = [&](const PeerPlan& pp, const IdentitySlot& slot) {
    std::lock_guard<std::mutex> g(hooks_mu);
    const Issuer* is = desired.FindIssuer(slot.issuer);
    if (!is || !is->requests_dir) return;
    if (Status s = store_.RemovePendingRequest(is->requests_dir->path, pp.cluster, pp.peer, slot.slot); !s.ok())
      log::Warn({pp.cluster, pp.peer, "", ""}, "pending request: " + s.message());
  };
  // On a terminal, a status line under the progress lines: which peer, how many, how long.
  size_t peers_with_work = 0;
  for (const auto& pp : plan.peers) peers_with_work += pp.changes.empty() && pp.restarts.empty() ? 0 : 1;
  std::set<std::string> peers_begun;
  std::mutex progress_mu;  // not hooks_mu: that one is held while a peer is connected
  const auto started = std::chrono::steady_clock::now();
  hooks.progress = [&](log::Level level, const log::Event& event, const std::string& line) {
    log::Progress(level, event, line);  // the sink writes one line at a time
    std::lock_guard<std::mutex> g(progress_mu);
    if (!event.peer.empty()) peers_begun.insert(Key(event.cluster, event.peer));
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
    log::ShowStatus("Applying: " + std::to_string(peers_begun.size()) + "/" + std::to_string(peers_with_work) +
                    " peers begun, " + std::to_string(seconds) + "s elapsed" +
                    (event.peer.empty() ? "" : " (now: " + event.cluster + "/" + event.peer + ")"));
  };
  report_ = pkiform::Execute(plan, desired, clock_, hooks);
  log::ClearStatus();
  LogPeerOutcomes(*report_);
  std::cout << report_->Summary() << "\n";
  return report_->ok();
}

}  // namespace pkiform::cli
