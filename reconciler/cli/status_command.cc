// `pkiform status`: observes the targeted peers (FleetRun, as plan does), plans to
// learn what is out of sync, fetches the issuers' CRL distribution points, and
// reports (reconciler/status/): a text table, --json, --html FILE; --expiring-within
// turns the report into an exit code for monitoring (docs/status.md).

#include <iostream>

#include "reconciler/cli/commands.h"
#include "reconciler/cli/fleet_run.h"
#include "reconciler/cli/handlers.h"
#include "reconciler/cli/run_metrics.h"
#include "reconciler/issuers/issuer.h"
#include "reconciler/log/log.h"
#include "reconciler/status/build_status.h"
#include "reconciler/status/crl_fetch.h"
#include "reconciler/status/expiring.h"
#include "reconciler/status/status_html.h"
#include "reconciler/status/status_json.h"
#include "reconciler/status/status_text.h"
#include "state/atomic_file.h"

namespace pkiform::cli {
namespace {

std::map<std::string, std::vector<pki::Certificate>> IssuerChains(const Desired& desired) {
  std::map<std::string, std::vector<pki::Certificate>> chains;
  for (const auto& is : desired.issuers) {
    auto certs = IssuerCertificates(is);
    if (!certs.ok()) {
      log::Warn({}, "issuer " + is.name + ": " + certs.status().message() + " (its CRLs are not verified)");
      continue;
    }
    chains[is.name] = std::move(certs).value();
  }
  return chains;
}

std::map<std::string, Result<std::string>> FetchDistributionPoints(const Desired& desired) {
  std::map<std::string, Result<std::string>> fetched;
  for (const auto& is : desired.issuers)
    for (const auto& url : is.crl_distribution_points) {
      if (fetched.count(url)) continue;
      log::Info({}, "fetching the CRL of issuer " + is.name + " from " + url);
      fetched.emplace(url, status::FetchCrl(url));
    }
  return fetched;
}

// Every problem and V12 warning of the report, as log lines (stdout has the report itself).
void LogFindings(const status::FleetStatus& fs) {
  auto crl = [](const log::Event& ev, const std::string& where, const status::CrlStatus& c) {
    if (!c.error.empty()) log::Error(ev, where + c.location + ": " + c.error);
    else if (!c.signature_ok) log::Error(ev, where + c.location + ": " + c.signature);
    if (!c.warning.empty()) log::Warn(ev, where + c.location + ": " + c.warning);
  };
  for (const auto& c : fs.clusters)
    for (const auto& p : c.peers) {
      if (!p.reachable) log::Error({c.name, p.fqdn, "", "unreachable"}, c.name + "/" + p.fqdn + ": unreachable: " + p.error);
      for (const auto& x : p.crls) crl({c.name, p.fqdn, "", ""}, c.name + "/" + p.fqdn + " crl ", x);
    }
  for (const auto& d : fs.distribution_points) crl({}, "issuer " + d.issuer + " distribution point ", d);
}

int StatusSteps(const GlobalOptions& global, const CommandArgs& args, std::unique_ptr<FleetRun>& run,
                std::optional<Plan>& plan) {
  std::optional<Duration> within;
  if (!args.expiring_within.empty()) {
    within = ParseDuration(args.expiring_within);
    if (!within) {
      log::Error({}, "--expiring-within " + args.expiring_within + ": not a duration (e.g. 30d, 12h, 1d12h)");
      return kExitError;
    }
  }
  run = FleetRun::Open(global, args, "status");
  if (!run) return kExitError;
  const pki::TimePoint now = run->Now();  // --now, else the system clock
  (void)run->ObserveAll();                 // a peer that did not answer is reported below, the others still are
  std::string plan_unavailable;
  auto made = run->MakePlan();             // the peers that answered (FleetRun leaves the others out)
  if (made.ok()) plan = std::move(made).value();
  else plan_unavailable = made.status().message();
  const Desired& desired = run->manifests().desired;
  const auto chains = IssuerChains(desired);
  status::StatusInput in{desired, run->observed(), chains};
  in.plan = plan ? &*plan : nullptr;
  in.plan_unavailable = plan_unavailable;
  in.fetched = FetchDistributionPoints(desired);
  for (const auto& [peer, error] : run->failed()) in.peer_errors[peer] = error;
  in.now = now;
  in.target = args.target;
  auto fs = status::BuildFleetStatus(in);
  if (!fs.ok()) {
    log::Error({}, fs.status().message());
    return kExitError;
  }
  std::cout << (args.json ? status::StatusJsonText(*fs) + "\n" : status::RenderStatusText(*fs)) << std::flush;
  LogFindings(*fs);
  if (!args.html_file.empty()) {
    if (Status s = state::WriteFileAtomic(args.html_file, status::RenderStatusHtml(*fs), 0644); !s.ok()) {
      log::Error({}, "--html " + args.html_file + ": " + s.message());
      return kExitError;
    }
    log::Progress(log::Level::kInfo, {}, "Wrote the status page " + args.html_file);
  }
  if (fs->HasProblems()) return kExitError;
  if (!within) return kExitOk;
  const auto expiring = status::ExpiringWithin(*fs, within->length);
  for (const auto& line : expiring) log::Warn({}, "within " + within->text + ": " + line);
  return expiring.empty() ? kExitOk : kExitChanges;
}

}  // namespace

int RunStatus(const GlobalOptions& global, const CommandArgs& args) {
  std::unique_ptr<FleetRun> run;
  std::optional<Plan> plan;
  const int code = StatusSteps(global, args, run, plan);
  return FinishWithMetrics(code, args, "status", run.get(), plan ? &*plan : nullptr);
}

}  // namespace pkiform::cli
