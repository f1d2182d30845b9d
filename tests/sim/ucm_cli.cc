#include "tests/sim/ucm_cli.h"

#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/pki/certificate_file.h"
#include "tests/sim/appliance_state.h"
#include "tests/sim/cert_text.h"
#include "tests/sim/cli_lines.h"
#include "tests/sim/faults.h"
#include "tests/sim/os_settings_cli.h"
#include "tests/sim/sim_files.h"

namespace pkiform::sim {
namespace {

void SleepMs(int ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Words of a command line; "double quoted" values may hold spaces (ASSUMED).
std::vector<std::string> Tokenize(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool inQuotes = false, have = false;
  for (char c : line) {
    if (c == '"') {
      inQuotes = !inQuotes;
      have = true;
    } else if (!inQuotes && (c == ' ' || c == '\t')) {
      if (have) out.push_back(cur);
      cur.clear();
      have = false;
    } else {
      cur += c;
      have = true;
    }
  }
  if (have) out.push_back(cur);
  return out;
}

// Control characters of untrusted input are not echoed back raw.
std::string Printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

class Session {
 public:
  Session(Appliance appliance, int in, int out)
      : a_(std::move(appliance)), in_(in), out_(out), reader_(in, kMaxLineLength) {
    inputIsTty_ = isatty(in_);
    outputIsTty_ = isatty(out_);
  }
  int Run();

 private:
  enum class Read { kLine, kEof, kTooLong };
  Read ReadLine(std::string& line);
  void Write(const std::string& text);
  void Line(const std::string& text) { Write(text + "\r\n"); }
  void Prompt() { Write("admin:"); }
  // An answer to a question: over a pipe nothing echoes it, so the line is ended here.
  Read Answer(const std::string& question, std::string& answer);
  void Refuse(const std::string& message);
  bool Dispatch(const std::string& line);  // false: end of session

  void ShowVersion();
  void ShowCluster();
  void ShowCertList(const std::string& what);
  void ShowCert(const std::string& kind, const std::string& handle);
  void SetWebSecurity(const std::vector<std::string>& args);
  void ShowWebSecurity();
  bool CsrGen(const std::string& unit);
  void ShowCsrList();
  void ShowCsr(const std::string& handle);
  bool Import(const std::string& kind, const std::string& unit);
  void Delete(const std::string& store, const std::string& file);
  bool Regen(const std::string& unit);
  void ServiceList();
  void ServiceRestart(const std::string& service);

  Appliance a_;
  int in_, out_;
  bool inputIsTty_ = false;
  bool outputIsTty_ = false;  // the PTY turns "\n" into CRLF itself (ONLCR), also in its echo
  CliLineReader reader_;
  int commands_ = 0;
  bool restarting_ = false;  // a service restart is under way
  bool clientGone_ = false;  // the client went away during it
};

void Session::Write(const std::string& crlfText) {
  if (clientGone_) return;
  const std::string text = ForOutput(crlfText, outputIsTty_);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(out_, text.data() + done, text.size() - done);
    if (n <= 0) {
      // The client went away. A restart under way still completes (the node does not
      // leave a service down because a session dropped); anything else ends here.
      if (restarting_) {
        clientGone_ = true;
        return;
      }
      _exit(1);
    }
    done += static_cast<size_t>(n);
  }
}

Session::Read Session::ReadLine(std::string& line) {
  switch (reader_.Next(line)) {
    case CliLineReader::Read::kLine:
      return Read::kLine;
    case CliLineReader::Read::kTooLong:
      return Read::kTooLong;
    default:
      return Read::kEof;
  }
}

Session::Read Session::Answer(const std::string& question, std::string& answer) {
  Write(question);
  Read r = ReadLine(answer);
  if (!inputIsTty_) Write("\r\n");
  answer = Lower(Trim(answer));
  return r;
}

void Session::Refuse(const std::string& message) {
  Line("Executed command unsuccessfully");
  Line(message);
}

int Session::Run() {
  // Simulator hygiene, not node behaviour: a session lives at most kMaxSessionSeconds
  // (SIGALRM's default action ends it). A CI run once found two shells whose client and
  // fleet were gone still using the CPU; whatever the cause, a session can no longer
  // outlive its test by more than this.
  alarm(kMaxSessionSeconds);
  Faults f = LoadFaults(a_.dir());
  SleepMs(f.slowMs);
  Line("Command Line Interface is starting up, please wait ...");
  SleepMs(a_.config().startupMs);
  Line("");
  Line("   Welcome to the Platform Command Line Interface");
  Line("");
  Line("VMware Installation:");
  Line("\t2 vCPU: Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz");
  Line("\tDisk 1: 110GB, Partitions aligned");
  Line("\t8192 Mbytes RAM");
  Line("");
  if (f.noPrompt) {  // fault: the prompt never comes
    std::string ignored;
    while (ReadLine(ignored) != Read::kEof) {
    }
    return 0;
  }
  Prompt();
  std::string line;
  for (;;) {
    Read r = ReadLine(line);
    if (r == Read::kEof) return 0;
    if (r == Read::kTooLong) {
      Refuse("Input line too long (more than " + std::to_string(kMaxLineLength) + " characters)");
      Line("");
      Prompt();
      continue;
    }
    if (!inputIsTty_) Write("\r\n");  // what the PTY's echo of the line end would give
    if (Trim(line).empty()) {
      Prompt();
      continue;
    }
    f = LoadFaults(a_.dir());
    ++commands_;
    if (f.dropAtCommand > 0 && commands_ == f.dropAtCommand) _exit(0);  // fault: connection dropped
    SleepMs(f.slowMs);
    SleepMs(a_.config().commandMs);
    if (!Dispatch(Trim(line))) return 0;
    Line("");
    Prompt();
  }
}

bool Session::Dispatch(const std::string& line) {
  auto t = Tokenize(line);
  std::vector<std::string> w;
  for (const auto& x : t) w.push_back(Lower(x));
  auto is = [&](std::initializer_list<const char*> words) {
    if (w.size() < words.size()) return false;
    size_t i = 0;
    for (const char* word : words)
      if (w[i++] != word) return false;
    return true;
  };
  size_t n = w.size();
  if (n == 1 && (w[0] == "quit" || w[0] == "exit")) return false;
  if (n == 4 && is({"set", "cli", "pagination", "off"})) {
    Line("Automatic pagination is turned off");
  } else if (n == 3 && is({"show", "version", "active"})) {
    ShowVersion();
  } else if (n == 3 && is({"show", "network", "cluster"})) {
    ShowCluster();
  } else if (n == 4 && is({"show", "cert", "list"}) && (w[3] == "own" || w[3] == "trust")) {
    ShowCertList(w[3]);
  } else if (n == 4 && is({"show", "cert"}) && (w[2] == "own" || w[2] == "trust")) {
    ShowCert(w[2], t[3]);
  } else if (n >= 6 && n <= 8 && is({"set", "web-security"})) {
    SetWebSecurity(std::vector<std::string>(t.begin() + 2, t.end()));
  } else if (n == 2 && is({"show", "web-security"})) {
    ShowWebSecurity();
  } else if (n == 4 && is({"set", "csr", "gen"})) {
    return CsrGen(t[3]);
  } else if (n == 4 && is({"show", "csr", "list", "own"})) {
    ShowCsrList();
  } else if (n == 4 && is({"show", "csr", "own"})) {
    ShowCsr(t[3]);
  } else if (n == 5 && is({"set", "cert", "import"}) && (w[3] == "own" || w[3] == "trust")) {
    return Import(w[3], t[4]);
  } else if (n == 5 && is({"set", "cert", "delete"})) {
    Delete(t[3], t[4]);
  } else if (n == 4 && is({"set", "cert", "regen"})) {
    return Regen(t[3]);
  } else if (n == 3 && is({"utils", "service", "list"})) {
    ServiceList();
  } else if (n >= 4 && is({"utils", "service", "restart"})) {
    std::string rest = Trim(line);
    for (int i = 0; i < 3; ++i) rest = Trim(rest.substr(rest.find_first_of(" \t")));
    ServiceRestart(rest);
  } else if (!DispatchOsSettings(a_, t, w, {[this](const std::string& l) { Line(l); },
                                             [this](const std::string& m) { Refuse(Printable(m)); }})) {
    Refuse("No valid command entered");
  }
  return true;
}

void Session::ShowVersion() {
  Line("Active Master Version: " + VersionOfRelease(a_.config().release));
  Line("Active Version Installed Software Options:");
  Line("No Installed Software Options Found.");
}

void Session::ShowCluster() {
  for (const auto& m : a_.ClusterMembers()) {
    bool pub = m.role == "publisher";
    Line(m.address + " " + m.fqdn + " " + m.fqdn.substr(0, m.fqdn.find('.')) + " " +
         (pub ? "Publisher" : "Subscriber") + " " + (m.nodeType == "imAndPresence" ? "cups" : "callmanager") + " " +
         (pub ? "DBPub" : "DBSub") + " authenticated");
  }
}

void Session::ShowCertList(const std::string& what) {
  if (what == "own") {
    for (const auto* slot : a_.Units()) {
      auto chain = a_.Installed(slot->name);
      if (!chain.ok()) continue;
      const auto& leaf = chain->front();
      Line(slot->name + "/" + slot->name + ".pem: " +
           (leaf.IsSelfSigned() ? std::string("Self-signed certificate generated by system")
                                : "Certificate Signed by " + leaf.Issuer().commonName));
    }
    return;
  }
  for (const auto& e : a_.AllTrustEntries()) Line(e.store + "/" + e.file + ": " + e.description);
}

void Session::ShowCert(const std::string& kind, const std::string& handle) {
  auto slash = handle.find('/');
  if (slash == std::string::npos) {
    Refuse("Invalid certificate name " + Printable(handle) + ": expected <unit>/<file>");
    return;
  }
  std::string unit = handle.substr(0, slash), file = handle.substr(slash + 1);
  if (kind == "own") {
    if (!a_.FindUnit(unit) || file != unit + ".pem") {
      Refuse("Certificate " + Printable(handle) + " not found");
      return;
    }
    auto chain = a_.Installed(unit);
    if (!chain.ok()) {
      Refuse("Certificate " + Printable(handle) + " not found");
      return;
    }
    for (const auto& l : DescribeCertificate(chain->front())) Line(l);
    return;
  }
  for (const auto& e : a_.TrustEntries(unit)) {
    if (e.file == file) {
      for (const auto& l : DescribeCertificate(e.certificate)) Line(l);
      return;
    }
  }
  Refuse("Certificate " + Printable(handle) + " not found");
}

void Session::SetWebSecurity(const std::vector<std::string>& args) {
  FileLock lock(a_.ClusterLockPath());
  WebSecurity ws = a_.LoadWebSecurity();
  ws.orgUnit = args[0];
  ws.orgName = args[1];
  ws.locality = args[2];
  ws.state = args[3];
  bool countryKept = false;
  if (args.size() >= 5 && args[4] != ws.country) countryKept = true;  // public record: fixed at installation
  ws.alternateHostName = args.size() >= 6 ? args[5] : "";
  if (auto s = a_.SaveWebSecurity(ws); !s.ok()) {
    Refuse(s.message());
    return;
  }
  Line("Successfully set web-security");
  if (countryKept) Line("The country cannot be changed after installation; it stays " + ws.country + ".");
}

void Session::ShowWebSecurity() {
  WebSecurity ws = a_.LoadWebSecurity();
  Line("OrgUnit: " + ws.orgUnit);
  Line("OrgName: " + ws.orgName);
  Line("Locality: " + ws.locality);
  Line("State: " + ws.state);
  Line("Country: " + ws.country);
  Line("AlternateHostName: " + ws.alternateHostName);
}

bool Session::CsrGen(const std::string& unit) {
  const auto* slot = a_.FindUnit(unit);
  if (!slot) {
    Refuse("Invalid unit " + Printable(unit));
    return true;
  }
  if (!slot->csr) {
    Refuse("CSR generation is not supported for " + unit + ".");
    return true;
  }
  bool includeOu = true;
  if (a_.ReleaseAtLeast("14SU1")) {
    std::string answer;
    for (int attempt = 0;; ++attempt) {
      if (Answer("Include OU in CSR (yes|no)?", answer) == Read::kEof) return false;
      if (answer == "yes" || answer == "no") break;
      if (attempt == 2) {
        Refuse("Invalid answer: expected yes or no");
        return true;
      }
    }
    includeOu = answer == "yes";
  }
  FileLock lock(a_.ClusterLockPath());
  if (auto s = a_.GenerateCsr(unit, includeOu); !s.ok()) {
    Refuse(s.message());
    return true;
  }
  Line("Successfully Generated CSR for " + unit + ".");
  return true;
}

void Session::ShowCsrList() {
  for (const auto& unit : a_.PendingCsrUnits()) Line(unit + "/" + unit + ".csr");
}

void Session::ShowCsr(const std::string& handle) {
  auto slash = handle.find('/');
  std::string unit = handle.substr(0, slash);
  auto pem = a_.FindUnit(unit) && handle == unit + "/" + unit + ".csr" ? a_.PendingCsrPem(unit) : std::nullopt;
  if (!pem) {
    Refuse("CSR " + Printable(handle) + " not found");
    return;
  }
  std::string l;
  for (char c : *pem) {
    if (c == '\n') {
      Line(l);
      l.clear();
    } else {
      l += c;
    }
  }
  if (!l.empty()) Line(l);
}

bool Session::Import(const std::string& kind, const std::string& unit) {
  Line("Paste the Certificate and Hit Enter");
  std::string text, line;
  bool sawEnd = false;
  for (;;) {
    Read r = ReadLine(line);
    if (r == Read::kEof) return false;
    if (!inputIsTty_) Write("\r\n");
    if (r == Read::kTooLong || text.size() + line.size() > kMaxPasteBytes) {
      // Drain to the terminating empty line so the rest is not taken as commands.
      while (!(sawEnd && Trim(line).empty())) {
        if (line.starts_with("-----END ")) sawEnd = true;
        if (ReadLine(line) == Read::kEof) return false;
      }
      Refuse("The pasted certificate is too long");
      return true;
    }
    std::string trimmed = Trim(line);
    if (trimmed.empty() && sawEnd) break;
    if (trimmed.starts_with("-----END ")) sawEnd = true;
    text += trimmed + "\n";
  }
  auto certs = pki::ParseCertificates(text);
  if (!certs.ok()) {
    // rule U4: PEM (one or several certificates, or PKCS#7 in PEM) is what can be pasted.
    Refuse("Unable to read the certificate: paste PEM text (-----BEGIN CERTIFICATE-----). " +
           Printable(certs.status().message()));
    return true;
  }
  FileLock lock(a_.ClusterLockPath());
  Status s = kind == "own" ? a_.ImportOwn(unit, *certs) : a_.ImportTrust(unit, *certs);
  if (!s.ok()) {
    Refuse(Printable(s.message()));
    return true;
  }
  Line("Successfully imported certificate for " + unit + ".");
  Line("Please restart services related to " + unit + " for the new certificate to become active.");
  return true;
}

void Session::Delete(const std::string& store, const std::string& file) {
  FileLock lock(a_.ClusterLockPath());
  if (auto s = a_.DeleteTrust(store, file); !s.ok()) {
    Refuse(Printable(s.message()));
    return;
  }
  Line("Successfully deleted certificate " + store + "/" + file + ".");
}

bool Session::Regen(const std::string& unit) {
  if (!a_.FindUnit(unit)) {
    Refuse("Invalid unit " + Printable(unit));
    return true;
  }
  Line("WARNING: This operation will overwrite any CA signed certificate previously imported for " + unit);
  std::string answer;
  if (Answer("Proceed with regeneration (yes|no)? ", answer) == Read::kEof) return false;
  if (answer != "yes") {
    Line("Regeneration of " + unit + " cancelled.");
    return true;
  }
  FileLock lock(a_.ClusterLockPath());
  if (auto s = a_.Regenerate(unit); !s.ok()) {
    Refuse(Printable(s.message()));
    return true;
  }
  Line("Successfully Regenerated Certificate for " + unit + ".");
  Line("Please restart services related to " + unit + " for the regenerated certificate to become active.");
  return true;
}

void Session::ServiceList() {
  Line("Requesting service status, please wait...");
  for (const auto& s : a_.Services()) {
    std::string state = a_.ServiceState(s);
    Line(s + "[" + (state.empty() ? "STOPPED" : state) + "]");
  }
}

void Session::ServiceRestart(const std::string& service) {
  auto services = a_.Services();
  if (std::find(services.begin(), services.end(), service) == services.end()) {
    Refuse("Service not found: " + Printable(service));
    return;
  }
  Line("Do not press Ctrl+C while the service is restarting. If the service has not restarted properly, execute "
       "the same command again.");
  int ms = a_.config().restartMs;
  restarting_ = true;
  struct RestartEnd {
    Session& s;
    ~RestartEnd() {
      s.restarting_ = false;
      if (s.clientGone_) _exit(0);
    }
  } end{*this};
  {
    FileLock lock(a_.ClusterLockPath());
    (void)a_.SetServiceState(service, "STOPPING");
  }
  Line(service + "[STOPPING]");
  SleepMs(ms / 2);
  {
    FileLock lock(a_.ClusterLockPath());
    (void)a_.SetServiceState(service, "STARTING");
  }
  Line(service + "[STARTING]");
  SleepMs(ms - ms / 2);
  Faults f = LoadFaults(a_.dir());
  FileLock lock(a_.ClusterLockPath());
  if (f.failRestart == service) {  // fault: the service stays down, still with its old identity
    (void)a_.SetServiceState(service, "STOPPED");
    Line(service + "[FAILED]");
    return;
  }
  // rule U13: the units this service serves now run with their installed identity.
  if (auto s = a_.RefreshRunning(service); !s.ok()) {
    (void)a_.SetServiceState(service, "STOPPED");
    Line(service + "[FAILED]");
    return;
  }
  (void)a_.SetServiceState(service, "STARTED");
  Line(service + "[STARTED]");
}

}  // namespace

int RunUcmCli(const std::filesystem::path& dir, int inFd, int outFd) {
  // A dropped session shows as a failed write (SIGPIPE) or a hang-up (SIGHUP); both are
  // handled where they matter (Session::Write) instead of killing the process.
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  auto appliance = Appliance::Open(dir);
  if (!appliance.ok()) {
    std::fprintf(stderr, "pkiform-sim: %s\n", appliance.status().message().c_str());
    return 1;
  }
  Session session(std::move(*appliance), inFd, outFd);
  return session.Run();
}

}  // namespace pkiform::sim
