// pkiform-sim: the appliance simulator of the test fleet (platform ucm: Cisco Unified CM
// and IM and Presence 14). Sub-commands:
//   init   --platform ucm --dir DIR --fqdn FQDN --address IP --role publisher|subscriber
//          --node-type unifiedCM|imAndPresence --release 14|14SU1|14SU2|14SU3 --cluster-dir CDIR
//          [--https-port 443] [--sip-tls-port 5061] [--cup-sip-tls-port 5062] [--xmpp-client-port 5222]
//          [--xmpp-server-port 5269] [--restart-ms 0] [--startup-ms 0] [--command-ms 0] [--country US]
//          [--admin-user NAME --admin-password-file FILE] [--common-criteria on|off]
//          writes the factory state (appliance_state.h) and joins the cluster in CDIR; the
//          administrator's password (first line of FILE) is kept only as a salted hash, for
//          the REST API's basic auth (admin_credentials.h);
//   shell  --fleet FLEETDIR | --dir DIR: the node's CLI (ucm_cli.h) on stdin/stdout, what
//          sshd's ForceCommand runs; exec requests (SSH_ORIGINAL_COMMAND) are refused;
//   tls    --fleet FLEETDIR | --dir DIR ...: the TLS services (tls_services.h) and the platform
//          REST API on the HTTPS port (rest_api.h).
// Platform vcs (Cisco VCS / Expressway X8.1; docs/platforms/vcs.md): `init --platform vcs`
// (vcs_init.h); `shell` on a vcs appliance runs the admin xACLI or, for the root user, the
// root exec emulator (vcs_shell.h); `tls` also serves vcs appliances.
// Platform dms (Cisco DMS Show and Share 5.2.1; docs/platforms/dms.md): `init --platform dms`
// (dms_init.h); `shell` on a dms appliance runs the full-screen AAI (dms_aai.h); `tls` serves
// its identity over HTTPS (dms_tls.h).
#include <arpa/inet.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/sim/admin_credentials.h"
#include "tests/sim/appliance_state.h"
#include "tests/sim/dms_aai.h"
#include "tests/sim/dms_init.h"
#include "tests/sim/dms_state.h"
#include "tests/sim/os_settings.h"
#include "tests/sim/sim_files.h"
#include "tests/sim/tls_services.h"
#include "tests/sim/ucm_cli.h"
#include "tests/sim/vcs_init.h"
#include "tests/sim/vcs_shell.h"
#include "tests/sim/vcs_state.h"

namespace {

namespace fs = std::filesystem;

int Usage(const std::string& why) {
  std::fprintf(stderr,
               "pkiform-sim: %s\n"
               "usage: pkiform-sim init --platform ucm --dir DIR --fqdn FQDN --address IP --role publisher|subscriber\n"
               "                        --node-type unifiedCM|imAndPresence --release 14|14SU1|14SU2|14SU3\n"
               "                        --cluster-dir CDIR [--https-port N] [--sip-tls-port N] [--restart-ms N]\n"
               "                        [--startup-ms N] [--command-ms N] [--country CC] [--cup-sip-tls-port N]\n"
               "                        [--xmpp-client-port N] [--xmpp-server-port N]\n"
               "                        [--admin-user NAME --admin-password-file F] [--common-criteria on|off]\n"
               "%s%s"
               "       pkiform-sim shell (--fleet FLEETDIR | --dir DIR)\n"
               "       pkiform-sim tls (--fleet FLEETDIR | --dir DIR)...\n",
               why.c_str(), pkiform::sim::kVcsInitUsage, pkiform::sim::kDmsInitUsage);
  return 2;
}

bool ValidIpv4(const std::string& s) {
  in_addr addr{};
  return !s.empty() && s.find_first_not_of("0123456789.") == std::string::npos &&
         inet_pton(AF_INET, s.c_str(), &addr) == 1;
}

// "--name value" pairs; repeated names keep every value. False on a stray word.
bool ParseOptions(int argc, char** argv, std::multimap<std::string, std::string>& out, std::string& error) {
  for (int i = 2; i < argc; i += 2) {
    std::string name = argv[i];
    if (!name.starts_with("--") || i + 1 >= argc) {
      error = "unexpected argument '" + name + "'";
      return false;
    }
    out.emplace(name.substr(2), argv[i + 1]);
  }
  return true;
}

bool ParsePort(const std::string& text, int min, int max, int& out) {
  if (text.empty() || text.size() > 7 || text.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoi(text);
  return out >= min && out <= max;
}

int Init(const std::multimap<std::string, std::string>& o) {
  auto get = [&](const char* k) {
    auto it = o.find(k);
    return it == o.end() ? std::string() : it->second;
  };
  if (get("platform") == "vcs") return pkiform::sim::VcsInitMain(o);
  if (get("platform") == "dms") return pkiform::sim::DmsInitMain(o);
  for (const auto& [k, v] : o) {
    static const char* known[] = {"platform",  "dir",        "fqdn",         "address",    "role",      "node-type",
                                  "release",   "cluster-dir", "https-port",  "sip-tls-port", "restart-ms", "startup-ms", "command-ms", "country",
                                  "cup-sip-tls-port", "xmpp-client-port", "xmpp-server-port",
                                  "admin-user", "admin-password-file", "common-criteria"};
    bool found = false;
    for (const char* n : known) found = found || k == n;
    if (!found) return Usage("unknown option --" + k);
  }
  if (get("platform") != "ucm") return Usage("--platform must be ucm, vcs or dms");
  pkiform::sim::NodeConfig c;
  c.fqdn = get("fqdn");
  c.address = get("address");
  c.role = get("role");
  c.nodeType = get("node-type");
  c.release = get("release");
  c.clusterDir = get("cluster-dir");
  if (get("dir").empty() || c.clusterDir.empty()) return Usage("--dir and --cluster-dir are required");
  if (c.fqdn.empty() || c.fqdn.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") !=
                            std::string::npos)
    return Usage("--fqdn must be a host name");
  c.hostname = c.fqdn.substr(0, c.fqdn.find('.'));
  if (!ValidIpv4(c.address)) return Usage("--address must be an IPv4 address");
  if (c.role != "publisher" && c.role != "subscriber") return Usage("--role must be publisher or subscriber");
  if (c.nodeType != "unifiedCM" && c.nodeType != "imAndPresence")
    return Usage("--node-type must be unifiedCM or imAndPresence");
  c.country = get("country");  // the installer's choice; the CLI cannot change it afterwards
  if (!c.country.empty() && (c.country.size() != 2 || c.country.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
                                                           std::string::npos))
    return Usage("--country must be two capital letters");
  if (pkiform::sim::VersionOfRelease(c.release).empty()) return Usage("--release must be 14, 14SU1, 14SU2 or 14SU3");
  if (!get("https-port").empty() && !ParsePort(get("https-port"), 1, 65535, c.httpsPort))
    return Usage("--https-port must be 1..65535");
  if (!get("sip-tls-port").empty() && !ParsePort(get("sip-tls-port"), 1, 65535, c.sipTlsPort))
    return Usage("--sip-tls-port must be 1..65535");
  // IM and Presence endpoints (cup, cup-xmpp, cup-xmpp-s2s).
  for (auto [name, port] : {std::pair{"cup-sip-tls-port", &c.cupSipTlsPort}, std::pair{"xmpp-client-port", &c.xmppClientPort},
                            std::pair{"xmpp-server-port", &c.xmppServerPort}}) {
    if (!get(name).empty() && !ParsePort(get(name), 1, 65535, *port))
      return Usage(std::string("--") + name + " must be 1..65535");
  }
  if (!get("restart-ms").empty() && !ParsePort(get("restart-ms"), 0, 600000, c.restartMs))
    return Usage("--restart-ms must be 0..600000");
  if (!get("startup-ms").empty() && !ParsePort(get("startup-ms"), 0, 600000, c.startupMs))
    return Usage("--startup-ms must be 0..600000");
  if (!get("command-ms").empty() && !ParsePort(get("command-ms"), 0, 600000, c.commandMs))
    return Usage("--command-ms must be 0..600000");
  if (get("admin-user").empty() != get("admin-password-file").empty())
    return Usage("--admin-user and --admin-password-file go together");
  const std::string cc = get("common-criteria");
  if (!cc.empty() && cc != "on" && cc != "off") return Usage("--common-criteria must be on or off");
  auto s = pkiform::sim::Appliance::Init(fs::absolute(get("dir")), c);
  if (s.ok() && cc == "on") {  // chosen at set-up (utils fips_common_criteria enable on a real node): rule U16
    auto settings = pkiform::sim::LoadOsSettings(fs::absolute(get("dir")));
    settings.commonCriteria = true;
    s = pkiform::sim::SaveOsSettings(fs::absolute(get("dir")), settings);
  }
  if (s.ok() && !get("admin-user").empty()) {
    // The password never travels in argv: only the name of the file holding it does.
    auto text = pkiform::sim::ReadText(get("admin-password-file"));
    if (!text) {
      s = pkiform::Status::IoError("cannot read --admin-password-file " + get("admin-password-file"));
    } else {
      std::string password = text->substr(0, text->find_first_of("\r\n"));
      s = pkiform::sim::SaveAdminCredentials(fs::absolute(get("dir")), get("admin-user"), password);
      std::fill(password.begin(), password.end(), '\0');
      std::fill(text->begin(), text->end(), '\0');
    }
  }
  if (!s.ok()) {
    std::fprintf(stderr, "pkiform-sim init: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}

// The login of this session: sshd sets USER; without it, the process's user.
std::string LoginUser() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  const passwd* pw = getpwuid(getuid());
  return pw ? pw->pw_name : "";
}

int Shell(const std::multimap<std::string, std::string>& o) {
  if (auto d = o.find("dir"); d != o.end() && pkiform::sim::DmsAppliance::IsDms(d->second)) {
    const char* command = std::getenv("SSH_ORIGINAL_COMMAND");
    return pkiform::sim::RunDmsSession(d->second, command ? command : "");
  }
  if (auto d = o.find("dir"); d != o.end() && pkiform::sim::VcsAppliance::IsVcs(d->second)) {
    const char* command = std::getenv("SSH_ORIGINAL_COMMAND");
    return pkiform::sim::RunVcsSession(d->second, LoginUser(), command ? command : "");
  }
  if (const char* conn = std::getenv("SSH_CONNECTION"); conn && o.count("fleet") && !o.count("dir")) {
    std::istringstream in(conn);
    std::string clientIp, clientPort, localIp;
    in >> clientIp >> clientPort >> localIp;
    fs::path host = fs::path(o.find("fleet")->second) / "hosts" / localIp;
    if (ValidIpv4(localIp) && pkiform::sim::DmsAppliance::IsDms(host)) {
      const char* command = std::getenv("SSH_ORIGINAL_COMMAND");
      return pkiform::sim::RunDmsSession(host, command ? command : "");
    }
    if (ValidIpv4(localIp) && pkiform::sim::VcsAppliance::IsVcs(host)) {
      const char* command = std::getenv("SSH_ORIGINAL_COMMAND");
      return pkiform::sim::RunVcsSession(host, LoginUser(), command ? command : "");
    }
  }
  const char* exec = std::getenv("SSH_ORIGINAL_COMMAND");
  if (exec && *exec) {
    // Real nodes offer no exec channel (ASSUMED wording).
    std::fprintf(stderr, "pkiform-sim: exec requests are not supported: this node offers only the interactive "
                         "Command Line Interface\n");
    return 1;
  }
  fs::path dir;
  if (auto it = o.find("dir"); it != o.end()) {
    dir = it->second;
  } else if (auto f = o.find("fleet"); f != o.end()) {
    const char* conn = std::getenv("SSH_CONNECTION");
    std::istringstream in(conn ? conn : "");
    std::string clientIp, clientPort, localIp;
    in >> clientIp >> clientPort >> localIp;
    if (!ValidIpv4(localIp)) {
      std::fprintf(stderr, "pkiform-sim: SSH_CONNECTION has no local IPv4 address; run me as sshd's ForceCommand\n");
      return 1;
    }
    dir = fs::path(f->second) / "hosts" / localIp;
  } else {
    return Usage("shell needs --fleet FLEETDIR or --dir DIR");
  }
  return pkiform::sim::RunUcmCli(dir, 0, 1);
}

int Tls(const std::multimap<std::string, std::string>& o) {
  pkiform::sim::TlsDaemonOptions options;
  for (const auto& [k, v] : o) {
    if (k == "fleet") options.fleetDirs.emplace_back(v);
    else if (k == "dir") options.applianceDirs.emplace_back(v);
    else return Usage("unknown option --" + k);
  }
  if (options.fleetDirs.empty() && options.applianceDirs.empty()) return Usage("tls needs --fleet or --dir");
  return pkiform::sim::RunTlsDaemon(options);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage("missing sub-command");
  std::string command = argv[1];
  std::multimap<std::string, std::string> options;
  std::string error;
  if (!ParseOptions(argc, argv, options, error)) return Usage(error);
  if (command == "init") return Init(options);
  if (command == "shell") return Shell(options);
  if (command == "tls") return Tls(options);
  return Usage("unknown sub-command '" + command + "'");
}
