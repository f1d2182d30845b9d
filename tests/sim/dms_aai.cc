#include "tests/sim/dms_aai.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "tests/sim/cert_text.h"
#include "tests/sim/dms_import.h"
#include "tests/sim/dms_keystore.h"
#include "tests/sim/dms_screen.h"
#include "tests/sim/dms_state.h"
#include "tests/sim/dms_transfer.h"
#include "tests/sim/sim_args.h"
#include "tests/sim/ucm_cli.h"

namespace pkiform::sim {
namespace {

// The form title of the (S)FTP screens (seed, the Import procedure's screen text).
constexpr char kBackTitle[] = "Cisco Digital Media Manager";

// Wipes a secret typed into a form once it has been used (or not).
void Wipe(std::string& s) {
  std::fill(s.begin(), s.end(), '\0');
  s.clear();
}

// The comma-separated parts of a path field.
std::vector<std::string> SplitPaths(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) parts.push_back(part);
  return parts;
}

// Comma-separated absolute paths without blanks (seed: "/certificate_01.crt,/certificate_02.crt").
bool AbsolutePaths(const std::string& text, bool allowEmpty) {
  if (text.empty()) return allowEmpty;
  for (const auto& part : SplitPaths(text))
    if (part.empty() || part[0] != '/' || part.find_first_of(" \t") != std::string::npos) return false;
  return text.back() != ',';
}

class Aai {
 public:
  Aai(const DmsAppliance& a, Terminal& t) : a_(a), t_(t) {}
  ~Aai() { Wipe(password_); }
  Aai(const Aai&) = delete;
  Aai& operator=(const Aai&) = delete;
  int Run();

 private:
  void CertificateManagement();
  void ManageSigned();
  void ManageSelfSigned();
  void SubjectForm(const std::string& title, bool selfSigned);
  void ImportCertificate();
  void Keystore(const std::string& title, bool isExport);
  void View(bool chain);
  // The (S)FTP server, user and password forms (D16); false when cancelled. Sets server_ and
  // password_ (wiped by Connect, and at the end of the session).
  bool ServerCredentials(const std::string& title);
  // Connects to server_ with password_ (then wiped); null after a message box saying why,
  // `failed` (the seed's "Failed to get file ... from remote server." for downloads) first.
  std::unique_ptr<DmsTransfer> Connect(const std::string& title, const std::string& failed);
  // Pulls every file of a path field; false after the seed's message for the first that fails.
  bool Pull(DmsTransfer& transfer, const std::string& title, const std::string& field,
            std::vector<DmsPulledFile>* out);
  void Message(const std::string& title, const std::vector<std::string>& lines) { RunMessage(t_, title, lines); }

  const DmsAppliance& a_;
  Terminal& t_;
  DmsServer server_;
  std::string password_;
};

int Aai::Run() {
  const std::vector<std::string> items{"CERTIFICATE_MANAGEMENT", "EXIT"};
  int at = 0;
  while (!t_.ended()) {
    Choice c = RunMenu(t_, "Appliance Administration Interface", items, false, at);
    at = c.index;
    if (c.outcome != Outcome::kChosen || c.index == 1) break;
    CertificateManagement();
  }
  return 0;
}

void Aai::CertificateManagement() {
  const std::vector<std::string> items{"MANAGE_SIGNED_CERTS", "MANAGE_SELF_SIGNED_CERTS", "VIEW_CERTIFICATE",
                                       "VIEW_CERT_CHAIN",     "EXPORT_KEYSTORE",          "IMPORT_KEYSTORE"};
  int at = 0;
  while (!t_.ended()) {
    Choice c = RunMenu(t_, "CERTIFICATE_MANAGEMENT", items, true, at);
    at = c.index;
    if (c.outcome != Outcome::kChosen) return;
    switch (c.index) {
      case 0: ManageSigned(); break;
      case 1: ManageSelfSigned(); break;
      case 2: View(false); break;
      case 3: View(true); break;
      case 4: Keystore("EXPORT_KEYSTORE", true); break;
      default: Keystore("IMPORT_KEYSTORE", false); break;
    }
  }
}

void Aai::ManageSigned() {
  int at = 0;
  while (!t_.ended()) {
    Choice c = RunMenu(t_, "MANAGE_SIGNED_CERTS", {"GENERATE_CSR", "IMPORT_CERTIFICATE"}, true, at);
    at = c.index;
    if (c.outcome != Outcome::kChosen) return;
    if (c.index == 0) SubjectForm("GENERATE_CSR", false);
    else ImportCertificate();
  }
}

void Aai::ManageSelfSigned() {
  while (!t_.ended()) {
    Choice c = RunMenu(t_, "MANAGE_SELF_SIGNED_CERTS", {"GENERATE_NEW_CERT"});
    if (c.outcome != Outcome::kChosen) return;
    SubjectForm("GENERATE_NEW_CERT", true);
  }
}

// GENERATE_CSR and GENERATE_NEW_CERT share their fields (seed, step 2 of both procedures).
void Aai::SubjectForm(const std::string& title, bool selfSigned) {
  std::vector<FormField> fields{{"Department:", "", false}, {"Organization:", "", false},
                                {"Location:", "", false},   {"State:", "", false},
                                {"Country:", "", false},    {"Months Before Expiration:", "", false}};
  const std::vector<std::string> prompts{"Do not use any of these characters: , + = \" ' ` \\ < > # ;"};
  for (;;) {
    if (RunForm(t_, title, prompts, fields) != Outcome::kChosen) return;
    DmsSubjectFields f{fields[0].value, fields[1].value, fields[2].value, fields[3].value, fields[4].value};
    if (auto problem = DmsFieldProblem(f)) {  // rules D6, and the 2-character country
      Message(title, {*problem});
      continue;
    }
    if (!selfSigned) {
      // The months are "not useful in this procedure" (seed): ignored.
      auto csr = a_.GenerateCsr(f);
      if (!csr.ok()) {
        Message(title, {"Internal Error:", csr.status().message()});
        return;
      }
      if (!ServerCredentials(title)) return;
      // Delivered as <fqdn>.csr in the login's home directory (ASSUMED: the form has no path).
      const std::string name = a_.config().fqdn + ".csr";
      const std::string failed = "Failed to put file " + name + " on remote server.";
      auto transfer = Connect(title, failed);
      if (!transfer) return;
      if (auto put = transfer->Put(name, *csr); !put.ok()) {
        Message(title, {failed, DmsTransferReason(put)});
        return;
      }
      Message(title, {"The certificate signing request (CSR) was transferred to", server_.host + ":",
                      name + " in the home directory of " + server_.user + "."});
      return;
    }
    auto months = DmsMonths(fields[5].value);
    if (!months) {  // rule D8
      Message(title, {"Permitted values range from 1 to 999."});
      continue;
    }
    if (auto s = a_.GenerateSelfSigned(f, *months); !s.ok()) {
      Message(title, {"Internal Error:", s.message()});
      return;
    }
    // Rule D15: a self-signed identity draws the seed's warning.
    Message(title, {"Warning! Browsers will reject this certificate.", "It is self-signed."});
    return;
  }
}

bool Aai::ServerCredentials(const std::string& title) {
  std::vector<FormField> server{{"(S)FTP SERVER FQDN/IP:", "", false}, {"USER NAME:", "", false}};
  for (;;) {
    if (RunForm(t_, kBackTitle, {"Please enter (S)FTP server credentials:"}, server) != Outcome::kChosen)
      return false;
    if (!ParseDmsServer(server[0].value)) {
      Message(title, {"Please enter a routable IP address or DNS-resolvable FQDN."});
      continue;
    }
    if (server[1].value.empty()) {
      Message(title, {"Please enter a user name."});
      continue;
    }
    break;
  }
  std::vector<FormField> password{{"PASSWORD:", "", true}};
  Outcome o = RunForm(t_, kBackTitle, {"Please enter password for (S)FTP server"}, password);
  Wipe(password_);
  password_.swap(password[0].value);  // kept only until Connect
  server_ = *ParseDmsServer(server[0].value);
  server_.user = server[1].value;
  if (o != Outcome::kChosen) Wipe(password_);
  return o == Outcome::kChosen;
}

void Aai::ImportCertificate() {
  const std::string title = "IMPORT_CERTIFICATE";
  Choice yes = RunMessage(t_, title, {"Overwrite your active identity certificates with their replacements?"},
                          {"Yes", "No"});
  if (yes.outcome != Outcome::kChosen || yes.index != 0) return;
  if (!ServerCredentials(title)) return;
  std::vector<FormField> paths{{"Path to PEM file:", "", false}, {"Path to CAchain file(s):", "", false}};
  for (;;) {
    if (RunForm(t_, title, {"Please provide following information :"}, paths) != Outcome::kChosen) return;
    if (!AbsolutePaths(paths[0].value, false) || !AbsolutePaths(paths[1].value, true)) {
      Message(title, {"Please enter absolute file paths, comma-separated."});
      continue;
    }
    break;
  }
  auto transfer = Connect(title, "Failed to get file " + SplitPaths(paths[0].value)[0] + " from remote server.");
  if (!transfer) return;
  std::vector<DmsPulledFile> identityFiles, caFiles;
  if (!Pull(*transfer, title, paths[0].value, &identityFiles)) return;
  if (!Pull(*transfer, title, paths[1].value, &caFiles)) return;
  transfer.reset();
  auto verdict = CheckDmsImport(identityFiles, caFiles, a_.NewestCsrKeyDigest(), a_.config().fqdn,
                                std::chrono::system_clock::now());
  for (const auto& box : verdict.messages) Message(title, box);
  if (!verdict.identity) return;
  if (auto s = a_.ImportIdentity(*verdict.identity, verdict.chain); !s.ok()) {
    Message(title, {"Certificate import failed.", DmsTransferReason(s)});
    return;
  }
  Message(title, {"The identity certificate was imported for " + a_.config().fqdn + ",",
                  "with " + std::to_string(verdict.chain.size()) + " CA certificate(s)."});
}

std::unique_ptr<DmsTransfer> Aai::Connect(const std::string& title, const std::string& failed) {
  auto transfer = DmsTransfer::Connect(a_.dir(), server_, password_);
  Wipe(password_);
  if (!transfer.ok()) {
    Message(title, {failed, DmsTransferReason(transfer.status())});
    return nullptr;
  }
  return std::move(*transfer);
}

bool Aai::Pull(DmsTransfer& transfer, const std::string& title, const std::string& field,
               std::vector<DmsPulledFile>* out) {
  if (field.empty()) return true;
  for (const auto& path : SplitPaths(field)) {
    auto text = transfer.Get(path);
    if (!text.ok()) {
      // The seed's words; then why (ASSUMED second row). A missing file is the seed's
      // "Certificate is not readable or does not exist:" <absolute file path>.
      Message(title, {"Failed to get file " + path + " from remote server.", DmsTransferReason(text.status())});
      if (text.status().code() == Status::Code::kNotFound)
        Message(title, {"Certificate is not readable or does not exist:", path});
      return false;
    }
    out->push_back({path, std::move(*text)});
  }
  return true;
}

void Aai::Keystore(const std::string& title, bool isExport) {
  std::vector<FormField> passphrase{{"Passphrase:", "", true}};
  for (;;) {
    if (RunForm(t_, title, {"Please enter the passphrase from which your private key was derived"}, passphrase) !=
        Outcome::kChosen) {
      Wipe(passphrase[0].value);
      return;
    }
    if (!passphrase[0].value.empty()) break;
    Message(title, {"Please enter a passphrase."});
  }
  // D14: the passphrase is kept in memory until the keystore is written or read, then wiped.
  std::string passphraseText;
  passphraseText.swap(passphrase[0].value);
  struct WipeAtEnd {
    std::string& s;
    ~WipeAtEnd() { Wipe(s); }
  } wipeAtEnd{passphraseText};
  if (!ServerCredentials(title)) return;
  std::vector<FormField> path{{"Path to keystore file:", "", false}};
  for (;;) {
    if (RunForm(t_, title, {"Please enter the full pathname of the keystore file on the remote server"}, path) !=
        Outcome::kChosen)
      return;
    if (AbsolutePaths(path[0].value, false) && path[0].value.find(',') == std::string::npos) break;
    Message(title, {"Please enter an absolute file path."});
  }
  const std::string& file = path[0].value;
  if (isExport) {
    auto data = DmsExportKeystore(a_, passphraseText);
    if (!data.ok()) {
      Message(title, {"Internal Error:", DmsTransferReason(data.status())});
      return;
    }
    const std::string failed = "Failed to put file " + file + " on remote server.";
    auto transfer = Connect(title, failed);
    if (!transfer) return;
    if (auto put = transfer->Put(file, *data); !put.ok()) {
      Message(title, {failed, DmsTransferReason(put)});
      return;
    }
    Message(title, {"The keystore was exported to " + server_.host + ":" + file + "."});
    return;
  }
  const std::string failed = "Failed to get file " + file + " from remote server.";
  auto transfer = Connect(title, failed);
  if (!transfer) return;
  auto data = transfer->Get(file);
  if (!data.ok()) {
    Message(title, {failed, DmsTransferReason(data.status())});
    return;
  }
  if (auto s = DmsImportKeystore(a_, *data, passphraseText); !s.ok()) {
    // ASSUMED wording: the seed has no message for a wrong passphrase or a damaged keystore.
    Message(title, {s.code() == Status::Code::kInvalidInput ? "The passphrase does not open this keystore."
                                                            : "Cannot read the keystore file.",
                    "Nothing was imported: the keystore is unchanged."});
    return;
  }
  Message(title, {"The keystore was imported from " + server_.host + ":" + file + "."});
}

void Aai::View(bool chain) {
  const std::string title = chain ? "VIEW_CERT_CHAIN" : "VIEW_CERTIFICATE";
  auto identity = a_.Identity();
  if (!identity.ok()) {
    RunMessage(t_, title, {"Certificate is not readable or does not exist:", identity.status().message()}, {"EXIT"});
    return;
  }
  std::vector<std::string> lines;
  std::vector<pki::Certificate> certs{*identity};
  if (chain) {
    auto cas = a_.Chain();
    certs.insert(certs.end(), cas.begin(), cas.end());
  }
  for (size_t i = 0; i < certs.size(); ++i) {
    if (chain) {
      if (i) lines.push_back("");
      lines.push_back("Certificate " + std::to_string(i + 1) + " of " + std::to_string(certs.size()));
    }
    auto described = DescribeCertificate(certs[i]);
    lines.insert(lines.end(), described.begin(), described.end());
  }
  RunMessage(t_, title, lines, {"EXIT"});
}

}  // namespace

int RunDmsAai(const DmsAppliance& appliance, int inFd, int outFd) {
  Terminal t(inFd, outFd);
  Aai aai(appliance, t);
  int code = aai.Run();
  static const char kClear[] = "\x1b[2J\x1b[H";  // leave a clean terminal behind
  (void)!::write(outFd, kClear, sizeof kClear - 1);
  return code;
}

int RunDmsSession(const std::filesystem::path& dir, const std::string& execCommand) {
  if (!execCommand.empty()) {
    std::fprintf(stderr, "pkiform-sim: exec requests are not supported: this appliance offers only the "
                         "Appliance Administration Interface\n");
    return 1;
  }
  auto a = DmsAppliance::Open(dir);
  if (!a.ok()) {
    std::fprintf(stderr, "pkiform-sim shell: %s\n", a.status().ToString().c_str());
    return 1;
  }
  alarm(kMaxSessionSeconds);  // simulator hygiene, as for the ucm CLI: no session outlives its test for long
  return RunDmsAai(*a, 0, 1);
}

}  // namespace pkiform::sim
