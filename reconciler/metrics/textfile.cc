#include "reconciler/metrics/textfile.h"

#include <cstdio>
#include <filesystem>
#include <set>

#include "reconciler/pki/certificate.h"
#include "reconciler/pki/crl_bundle.h"
#include "state/atomic_file.h"

namespace pkiform::metrics {
namespace {

constexpr size_t kMaxLabelValue = 256;      // a subject or a path; longer ones are cut
constexpr uintmax_t kMaxPreviousFile = 16 << 20;  // the earlier file is ours; a bound all the same

double Seconds(pki::TimePoint t) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

// Label values in the exposition format: backslash, double quote and line feed escaped;
// other control bytes (from appliances or manifests) are replaced, so a value never breaks a
// line of the file.
std::string LabelValue(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < kMaxLabelValue; ++i) {
    const unsigned char c = static_cast<unsigned char>(v[i]);
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else if (c < 0x20 || c == 0x7f) out += '?';
    else out += static_cast<char>(c);
  }
  return out;
}

using Labels = std::vector<std::pair<std::string, std::string>>;

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// One metric family: HELP and TYPE once, then its samples in a stable order.
class Family {
 public:
  Family(std::string name, std::string help) : name_(std::move(name)), help_(std::move(help)) {}
  void Add(const Labels& labels, double value) {
    std::string line = name_;
    if (!labels.empty()) {
      line += '{';
      for (size_t i = 0; i < labels.size(); ++i)
        line += (i ? "," : "") + labels[i].first + "=\"" + LabelValue(labels[i].second) + "\"";
      line += '}';
    }
    samples_.insert(line + " " + Number(value));
  }
  void Render(std::string& out) const {
    if (samples_.empty()) return;
    out += "# HELP " + name_ + " " + help_ + "\n# TYPE " + name_ + " gauge\n";
    for (const auto& s : samples_) out += s + "\n";
  }

 private:
  std::string name_, help_;
  std::set<std::string> samples_;  // sorted, and one line per distinct label set
};

void AddCertificates(const Actual& a, Family& expiry) {
  for (const auto& slot : a.slots) {
    if (!slot.certificate_pem) continue;
    auto cert = pki::Certificate::FromPem(*slot.certificate_pem);
    if (!cert.ok()) continue;  // the plan says what is wrong with it
    expiry.Add({{"cluster", a.cluster}, {"peer", a.peer}, {"kind", "identity"}, {"slot", slot.slot}},
               Seconds(cert->NotAfter()));
  }
  for (const auto& store : a.trust)
    for (const auto& pem : store.certificate_pems) {
      auto cert = pki::Certificate::FromPem(pem);
      if (!cert.ok()) continue;
      expiry.Add({{"cluster", a.cluster},
                  {"peer", a.peer},
                  {"kind", "trust"},
                  {"store", store.store},
                  {"subject", cert->Subject().ToString()},
                  {"fingerprint", cert->FingerprintSha256()}},
                 Seconds(cert->NotAfter()));
    }
}

void AddCrls(const Actual& a, Family& next_update) {
  for (const auto& crl : a.crls) {
    if (!crl.pem) continue;
    auto crls = pki::ParseCrlBundle(*crl.pem);
    if (!crls.ok()) continue;
    for (const auto& c : *crls)
      if (c.NextUpdate())
        next_update.Add({{"cluster", a.cluster}, {"peer", a.peer}, {"location", crl.location},
                         {"issuer", c.Issuer().ToString()}},
                        Seconds(*c.NextUpdate()));
  }
}

constexpr std::string_view kRunSeries[] = {"pkiform_last_run_timestamp_seconds", "pkiform_last_run_success",
                                           "pkiform_last_success_timestamp_seconds"};

}  // namespace

PreviousRuns ReadPreviousRuns(std::string_view text) {
  PreviousRuns out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    for (std::string_view series : kRunSeries) {
      const std::string prefix = std::string(series) + "{command=\"";
      if (line.substr(0, prefix.size()) != prefix) continue;
      const size_t close = line.find("\"} ", prefix.size());
      if (close == std::string_view::npos) break;
      const std::string command(line.substr(prefix.size(), close - prefix.size()));
      const std::string value(line.substr(close + 3));
      char* stop = nullptr;
      const double v = std::strtod(value.c_str(), &stop);
      // Only what this file format writes: a plain command name and a number.
      if (!stop || *stop != '\0' || command.empty() || command.size() > 32 ||
          command.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos)
        break;
      out.by_command[command][std::string(series)] = v;
      break;
    }
  }
  return out;
}

std::string RenderMetrics(const RunMetrics& run, const PreviousRuns& previous) {
  Family expiry("pkiform_certificate_expiry_timestamp_seconds",
                "When each certificate a peer holds expires (identity slots and trust store entries).");
  Family crl("pkiform_crl_next_update_timestamp_seconds", "The nextUpdate of each CRL a peer holds.");
  Family pending("pkiform_pending_changes", "Changes the last plan found, by cluster.");
  Family deferred("pkiform_deferred_changes", "Changes left for a later maintenance window, by cluster.");
  Family applied("pkiform_changes_applied", "Changes the last run applied, by cluster.");
  Family failures("pkiform_change_failures", "Changes the last run could not apply, by cluster.");
  Family last_run("pkiform_last_run_timestamp_seconds", "When the last run of this command ended.");
  Family last_ok("pkiform_last_run_success", "1 when the last run of this command succeeded, else 0.");
  Family last_success("pkiform_last_success_timestamp_seconds", "When a run of this command last succeeded.");

  std::set<std::string> clusters;
  if (run.observed)
    for (const auto& a : *run.observed) {
      clusters.insert(a.cluster);
      AddCertificates(a, expiry);
      AddCrls(a, crl);
    }
  if (run.plan) {
    std::map<std::string, int> counts;
    for (const auto& c : clusters) counts[c] = 0;
    for (const auto& p : run.plan->peers) counts[p.cluster] += static_cast<int>(p.changes.size());
    for (const auto& [cluster, n] : counts) pending.Add({{"cluster", cluster}}, n);
  }
  for (const auto& [cluster, o] : run.outcomes) {
    applied.Add({{"cluster", cluster}}, o.applied);
    failures.Add({{"cluster", cluster}}, o.failed);
    deferred.Add({{"cluster", cluster}}, o.deferred);
  }
  // Other commands' runs as the earlier file had them; this command's from this run, its last
  // success carried over when this run failed.
  for (const auto& [command, series] : previous.by_command) {
    if (command == run.command) continue;
    const Labels labels{{"command", command}};
    if (auto it = series.find("pkiform_last_run_timestamp_seconds"); it != series.end()) last_run.Add(labels, it->second);
    if (auto it = series.find("pkiform_last_run_success"); it != series.end()) last_ok.Add(labels, it->second);
    if (auto it = series.find("pkiform_last_success_timestamp_seconds"); it != series.end())
      last_success.Add(labels, it->second);
  }
  const Labels command{{"command", run.command}};
  last_run.Add(command, Seconds(run.finished));
  last_ok.Add(command, run.success ? 1 : 0);
  if (run.success) {
    last_success.Add(command, Seconds(run.finished));
  } else if (auto it = previous.by_command.find(run.command); it != previous.by_command.end()) {
    if (auto s = it->second.find("pkiform_last_success_timestamp_seconds"); s != it->second.end())
      last_success.Add(command, s->second);
  }

  std::string out;
  for (const Family* f : {&expiry, &crl, &pending, &deferred, &applied, &failures, &last_run, &last_ok, &last_success})
    f->Render(out);
  return out;
}

Status WriteMetricsFile(const std::string& path, const RunMetrics& run) {
  PreviousRuns previous;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size <= kMaxPreviousFile)
    if (auto text = state::ReadFile(path); text.ok()) previous = ReadPreviousRuns(*text);
  Status s = state::WriteFileAtomic(path, RenderMetrics(run, previous), 0644);
  return s.ok() ? s : s.WithContext("--metrics " + path);
}

}  // namespace pkiform::metrics
