// A dms cluster's staging server (spec.staging): the (S)FTP server through which the
// appliance moves every file (D16) and keeps its keystore backup (D14). What pkiform and the
// appliance both need from it is checked before any connection: it is there, it is reached
// over SFTP, its login has exactly one secret, its folder can be typed into the appliance's
// forms as it is, and the keystore passphrase that the backup before an import needs (D9).
#include <algorithm>

#include "reconciler/rules/check_util.h"

namespace pkiform {
namespace {

// The appliance's forms are typed over a terminal, where such bytes are keys.
bool HasControlCharacter(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; });
}

// Why a staging folder cannot be used as written, or "" when it can.
std::string PathProblem(const std::string& path) {
  if (path.empty() || path[0] != '/')
    return "must be absolute: the appliance's forms take full pathnames on the server (\"Path to PEM file:\", "
           "the keystore's full pathname)";
  for (size_t start = 0; start < path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (path.compare(start, end - start, "..") == 0)
      return "must not contain a '..' segment: write the folder out, so that pkiform's SFTP session and the "
             "appliance's forms name the same one";
    start = end + 1;
  }
  if (path.find(',') != std::string::npos)
    return "must not contain ',': the appliance's \"Path to CAchain file(s):\" field separates files with commas";
  if (HasControlCharacter(path))
    return "must not contain control characters: the appliance's form would read them as keys";
  return "";
}

// `block` is where the staging block is written (its key), for what is missing from it.
void CheckSecrets(const StagingServer& st, const SourceLocation& block, DiagnosticList& out) {
  // The login's secret: exactly one source, reported at the second one written.
  std::vector<std::string> secrets;
  if (!st.password_env.empty()) secrets.push_back("passwordEnv");
  if (st.password_file) secrets.push_back("passwordFile");
  if (st.identity_file) secrets.push_back("identityFile");
  if (secrets.empty()) out.Error(block, "the staging login needs its secret: set passwordEnv or passwordFile", "ssh");
  if (secrets.size() > 1)
    out.Error(st.at(secrets[1]),
              "set one of passwordEnv, passwordFile or identityFile, not " + JoinNames(secrets, " and "), "ssh");
  // The seed's forms ask for a user name and "Please enter password for (S)FTP server": the
  // appliance has no way to use a key, and it logs in with the same account as pkiform.
  if (st.identity_file)
    out.Error(st.identity_file->where,
              "the appliance logs in to the staging server with the password typed into its form (\"Please enter "
              "password for (S)FTP server\"), never a key: set passwordEnv or passwordFile",
              "D16");
  if (!st.identity_passphrase_env.empty() && !st.identity_file)
    out.Error(st.at("identityPassphraseEnv"),
              "identityPassphraseEnv is the passphrase of identityFile, which is not set", "ssh");
  // D9: pkiform exports the keystore before every import, and D14: export and import take a passphrase.
  if (st.keystore_passphrase_env.empty() && !st.keystore_passphrase_file)
    out.Error(block,
              "pkiform exports the keystore before any import (D9), and EXPORT_KEYSTORE / IMPORT_KEYSTORE take a "
              "passphrase: set keystorePassphraseEnv or keystorePassphraseFile",
              "D14");
  if (!st.keystore_passphrase_env.empty() && st.keystore_passphrase_file)
    out.Error(st.at("keystorePassphraseFile"), "set keystorePassphraseEnv or keystorePassphraseFile, not both", "D14");
}

}  // namespace

std::vector<const FileRef*> StagingFileRefs(const StagingServer& st) {
  std::vector<const FileRef*> refs;
  for (const auto* ref : {&st.password_file, &st.identity_file, &st.keystore_passphrase_file})
    if (*ref) refs.push_back(&**ref);
  if (st.known_hosts_written && st.known_hosts) refs.push_back(&*st.known_hosts);
  return refs;
}

void CheckStaging(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    if (c.platform == "dms" && !c.staging)
      out.Error(c.at("platform"),
                "a dms appliance moves every file through an (S)FTP staging server (CSRs, certificates, CA files, "
                "keystore backups): set spec.staging with its host, user, path, password and keystore passphrase",
                "D16");
    if (!c.staging || c.platform != "dms") continue;  // elsewhere: refused by the platform-field check
    const StagingServer& st = *c.staging;
    if (st.protocol == "ftp")
      out.Error(st.at("protocol"),
                "ftp sends the staging password, the certificates and the keystore in clear: use sftp (the "
                "appliance's forms take either)",
                "ssh");
    if (HasControlCharacter(st.user))
      out.Error(
          st.at("user"),
          "staging user '" + Excerpt(st.user) +
              "' must not contain control characters: the appliance's \"USER NAME:\" field would read them as keys",
          "D16");
    if (std::string why = PathProblem(st.path); !why.empty())
      out.Error(st.at("path"), "staging path '" + Excerpt(st.path) + "' " + why, "D16");
    CheckSecrets(st, c.at("staging"), out);
    for (const FileRef* ref : StagingFileRefs(st)) {
      if (st.known_hosts && ref == &*st.known_hosts)
        CheckKnownHostsRef(*ref, out);
      else
        CheckNamedFile(*ref, out);
    }
  }
}

}  // namespace pkiform
