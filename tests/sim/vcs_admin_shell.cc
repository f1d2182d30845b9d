// The admin account's xACLI of a simulated VCS peer (vcs_shell.h; docs/platforms/vcs.md,
// "Login and sessions", "Answer forms", "Settings", "Certificate actions", "Restart").
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/util/terminal_escape.h"
#include "tests/sim/cli_lines.h"
#include "tests/sim/faults.h"
#include "tests/sim/vcs_settings.h"
#include "tests/sim/vcs_shell.h"
#include "tests/sim/vcs_state.h"

namespace pkiform::sim {
namespace {

// The longest an admin session lives (SIGALRM ends it), as for the ucm CLI.
constexpr unsigned kMaxSessionSeconds = 120;

void SleepMs(int ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Untrusted text echoed in an answer: control bytes as \xNN.
std::string Safe(const std::string& s) { return EscapeForTerminal(s, Backslash::kKeep); }

// One word of an xACLI line; "double quotes" keep spaces and ':' (ASSUMED: no escapes).
struct Word {
  std::string text;
  bool quoted = false;
};

std::vector<Word> Words(const std::string& line) {
  std::vector<Word> out;
  Word cur;
  bool inQuotes = false, have = false;
  for (char c : line) {
    if (c == '"') {
      inQuotes = !inQuotes;
      cur.quoted = have = true;
    } else if (!inQuotes && (c == ' ' || c == '\t')) {
      if (have) out.push_back(cur);
      cur = Word{};
      have = false;
    } else {
      cur.text += c;
      have = true;
    }
  }
  if (have) out.push_back(cur);
  return out;
}

struct Action {
  std::vector<std::string> path;  // canonical words: {"Certificates", "CSR", "Generate"}
  std::vector<std::string> params;
};

const std::vector<Action>& Actions() {
  static const std::vector<Action> actions{
      {{"Certificates", "CSR", "Generate"},
       {"CommonName", "AlternativeNames", "Organization", "OrganizationalUnit", "Locality", "State", "Country",
        "KeyLength"}},
      {{"Certificates", "CSR", "Discard"}, {}},
      {{"Certificates", "Server", "Upload"}, {"CertificateFile", "KeyFile"}},
      {{"Certificates", "Server", "ResetToDefault"}, {}},
      {{"Certificates", "CA", "Append"}, {"File"}},
      {{"Certificates", "CA", "Delete"}, {"Fingerprint"}},
      {{"Certificates", "CA", "ResetToDefault"}, {}},
      {{"Certificates", "CRL", "Upload"}, {"File"}},
      {{"Certificates", "CRL", "Remove"}, {}},
      {{"Restart"}, {}},
  };
  return actions;
}

class AdminShell {
 public:
  AdminShell(const VcsAppliance& a, int in, int out) : a_(a), in_(in), out_(out), outputIsTty_(isatty(out)) {}
  int Run();

 private:
  using Read = CliLineReader::Read;  // kStopped: the peer restarted (rule V7)
  Read ReadLine(std::string& line) { return reader_.Next(line); }
  void Write(const std::string& crlfText);
  void Line(const std::string& text) { Write(text + "\r\n"); }
  void Ok() { Line("OK"); }
  void Error(const std::string& name, const std::string& reason);
  void Result(const std::string& name, const VcsResultLines& lines);
  bool Dispatch(const std::string& line);  // false: end of session
  void Status(const std::vector<Word>& w);
  void Configuration(const std::vector<Word>& w);
  bool Command(const std::vector<Word>& w);

  const VcsAppliance& a_;
  int in_, out_;
  bool outputIsTty_;
  int generation_ = 0;
  CliLineReader reader_{in_, kVcsMaxLineLength, [this] { return VcsWaitReadable(in_, a_, generation_); }};
};

void AdminShell::Write(const std::string& crlfText) {
  const std::string text = ForOutput(crlfText, outputIsTty_);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(out_, text.data() + done, text.size() - done);
    if (n <= 0) _exit(1);  // the client went away
    done += static_cast<size_t>(n);
  }
}

void AdminShell::Error(const std::string& name, const std::string& reason) {
  Line("*r " + name + "Result (status=Error):");
  Line("    Reason: " + Safe(reason));
  Line("*r/end");
  Ok();
}

void AdminShell::Result(const std::string& name, const VcsResultLines& lines) {
  Line("*r " + name + "Result (status=OK):");
  for (const auto& [leaf, value] : lines) Line("    " + leaf + ": " + value);
  Line("*r/end");
  Ok();
}

int AdminShell::Run() {
  alarm(kMaxSessionSeconds);  // simulator hygiene, as for the ucm CLI
  generation_ = a_.Generation();
  Faults f = LoadFaults(a_.dir());
  SleepMs(f.slowMs);
  Line("TANDBERG Video Communication Server " + a_.config().release);
  Line("");
  if (f.noPrompt) {  // fault: the shell never answers after the banner
    std::string ignored;
    Read r;
    while ((r = ReadLine(ignored)) != Read::kEof && r != Read::kStopped) {
    }
    return 0;
  }
  int commands = 0;
  std::string line;
  for (;;) {
    Read r = ReadLine(line);
    if (r == Read::kEof || r == Read::kStopped) return 0;
    if (r == Read::kTooLong) {
      Error("Command", "Line too long (more than " + std::to_string(kVcsMaxLineLength) + " characters)");
      continue;
    }
    if (Words(line).empty()) continue;
    f = LoadFaults(a_.dir());
    if (f.dropAtCommand > 0 && ++commands == f.dropAtCommand) _exit(0);  // fault: connection dropped
    SleepMs(f.slowMs);
    if (a_.Generation() != generation_) return 0;  // restarted meanwhile: the session is gone
    if (!Dispatch(line)) return 0;
  }
}

bool AdminShell::Dispatch(const std::string& line) {
  auto w = Words(line);
  std::string first = Lower(w[0].text);
  if (w.size() == 1 && (first == "bye" || first == "exit" || first == "quit")) return false;
  if (w.size() == 2 && first == "echo" && (Lower(w[1].text) == "off" || Lower(w[1].text) == "on")) {
    Ok();  // the simulator never echoes; over a PTY the echo is the PTY's own
  } else if (first == "xstatus") {
    Status(w);
  } else if (first == "xconfiguration") {
    Configuration(w);
  } else if (first == "xcommand") {
    return Command(w);
  } else {
    Error("Command", "Unknown command");
  }
  return true;
}

void AdminShell::Status(const std::vector<Word>& w) {
  if (w.size() != 2 || Lower(w[1].text) != "systemunit") {
    Error("Command", "Unknown command");
    return;
  }
  Line("*s SystemUnit: /");
  Line("*s SystemUnit Product: \"TANDBERG VCS\"");
  Line("*s SystemUnit Software Version: \"" + a_.config().release + "\"");
  Line("*s SystemUnit Software Build: \"pkiform-sim\"");
  Line("*s SystemUnit ExpresswaySeries: \"False\"");
  Line("*s/end");
  Ok();
}

void AdminShell::Configuration(const std::vector<Word>& w) {
  // Path words up to the first "<Leaf>:" word; a write names one leaf and one value.
  std::vector<std::string> path;
  size_t i = 1;
  bool write = false;
  for (; i < w.size(); ++i) {
    std::string t = w[i].text;
    if (!w[i].quoted && t.ends_with(":")) {
      path.push_back(Lower(t.substr(0, t.size() - 1)));
      write = true;
      ++i;
      break;
    }
    path.push_back(Lower(t));
  }
  std::vector<const VcsLeaf*> matched;
  for (const auto& leaf : VcsLeaves()) {
    auto words = Words(leaf.path);
    if (path.size() > words.size() || (write && path.size() != words.size())) continue;
    bool same = true;
    for (size_t k = 0; k < path.size(); ++k) same = same && Lower(words[k].text) == path[k];
    if (same) matched.push_back(&leaf);
  }
  if (matched.empty()) {
    Error("Command", "Unknown command");
    return;
  }
  if (!write) {
    auto values = LoadVcsSettings(a_.dir());
    for (const auto* leaf : matched) {
      const std::string& v = values[leaf->path];
      Line("*c xConfiguration " + leaf->path + ": " + (leaf->choices.empty() ? "\"" + Safe(v) + "\"" : Safe(v)));
    }
    Ok();
    return;
  }
  const VcsLeaf& leaf = *matched.front();
  if (i + 1 != w.size()) {  // exactly one value (quoted when it holds spaces)
    std::string rest;
    for (size_t k = i; k < w.size(); ++k) rest += (k == i ? "" : " ") + w[k].text;
    Error("Configuration", "Invalid value for " + leaf.path.substr(leaf.path.rfind(' ') + 1) + ": " + rest);
    return;
  }
  if (auto s = SetVcsSetting(a_.dir(), leaf, w[i].text); !s.ok()) {
    Error("Configuration", s.message());
    return;
  }
  Ok();
}

bool AdminShell::Command(const std::vector<Word>& w) {
  // The command's words, then "<Param>: <value>" pairs.
  size_t i = 1;
  std::vector<std::string> path;
  while (i < w.size() && (w[i].quoted || !w[i].text.ends_with(":"))) path.push_back(Lower(w[i++].text));
  const Action* action = nullptr;
  for (const auto& candidate : Actions()) {
    if (candidate.path.size() != path.size()) continue;
    bool same = true;
    for (size_t k = 0; k < path.size(); ++k) same = same && Lower(candidate.path[k]) == path[k];
    if (same) action = &candidate;
  }
  if (!action) {
    Error("Command", "Unknown command");
    return true;
  }
  std::string name;
  for (const auto& p : action->path) name += p;
  std::map<std::string, std::string> args;
  while (i < w.size()) {
    std::string param = w[i].text.substr(0, w[i].text.size() - 1);
    const std::string* known = nullptr;
    for (const auto& p : action->params)
      if (Lower(p) == Lower(param)) known = &p;
    if (!known || args.count(*known) || i + 1 >= w.size()) {
      Error(name, "Invalid parameter: " + param);
      return true;
    }
    args[*known] = w[i + 1].text;
    i += 2;
    if (i < w.size() && (w[i].quoted || !w[i].text.ends_with(":"))) {
      Error(name, "Invalid value for " + *known + ": " + args[*known] + " " + w[i].text);
      return true;
    }
  }
  auto arg = [&](const char* p) { return args.count(p) ? args[p] : std::string(); };
  const std::string verb = Lower(name);
  ::pkiform::Result<VcsResultLines> r = VcsResultLines{};
  if (verb == "restart") {
    Result(name, {});
    if (auto s = a_.Restart(); !s.ok()) std::fprintf(stderr, "pkiform-sim: restart: %s\n", s.message().c_str());
    return false;  // rule V7: the restart drops this session too
  } else if (verb == "certificatescsrgenerate") {
    r = a_.GenerateCsr({arg("CommonName"), arg("AlternativeNames"), arg("Organization"), arg("OrganizationalUnit"),
                        arg("Locality"), arg("State"), arg("Country"), arg("KeyLength")});
  } else if (verb == "certificatescsrdiscard") {
    r = a_.DiscardCsr();
  } else if (verb == "certificatesserverupload") {
    if (!args.count("CertificateFile")) {
      Error(name, "Missing parameter: CertificateFile");
      return true;
    }
    std::optional<std::string> key;
    if (args.count("KeyFile")) key = args["KeyFile"];
    r = a_.UploadServer(args["CertificateFile"], key);
  } else if (verb == "certificatesserverresettodefault") {
    r = a_.ResetServer();
  } else if (verb == "certificatescaappend") {
    r = a_.AppendCa(arg("File"));
  } else if (verb == "certificatescadelete") {
    r = a_.DeleteCa(arg("Fingerprint"));
  } else if (verb == "certificatescaresettodefault") {
    r = a_.ResetCa();
  } else if (verb == "certificatescrlupload") {
    r = a_.UploadCrl(arg("File"));
  } else {
    r = a_.RemoveCrl();
  }
  if (r.ok())
    Result(name, *r);
  else
    Error(name, r.status().message());
  return true;
}

}  // namespace

int RunVcsAdminShell(const VcsAppliance& appliance, int inFd, int outFd) {
  AdminShell shell(appliance, inFd, outFd);
  return shell.Run();
}

}  // namespace pkiform::sim
