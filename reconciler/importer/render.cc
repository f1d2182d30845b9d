// Rendering an imported Cluster as a manifest (render.h).
#include "reconciler/importer/render.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "reconciler/util/excerpt.h"
#include "reconciler/util/terminal_escape.h"

namespace pkiform::importer {
namespace {

// One comment line: escaped to a single visible line, and bounded.
std::string Comment(const std::string& text) {
  return "# " + EscapeForTerminal(Excerpt(text, 400)) + "\n";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Text a YAML reader would take for something other than a string is
// double-quoted: null and the booleans (YAML 1.1's too: yes, no, on, off), numbers
// in any form strtod reads (hex, exponents, inf, nan), YAML's .inf/.nan and 0o
// octal, and 1.1's base-60 integers (12:30). The emitter quotes what else needs it.
bool LooksTyped(const std::string& s) {
  static const char* kWords[] = {"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
                                 ".inf", "+.inf", "-.inf", ".nan"};
  const std::string lower = Lower(s);
  if (std::find(std::begin(kWords), std::end(kWords), lower) != std::end(kWords)) return true;
  if (lower.rfind("0o", 0) == 0) return true;
  const char* begin = s.c_str();
  char* end = nullptr;
  std::strtod(begin, &end);
  if (end == begin + s.size()) return true;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == ':' || c == '_'; }) &&
         s.find(':') != std::string::npos;
}

void Str(YAML::Emitter& e, const std::string& value) {
  if (LooksTyped(value))
    e << YAML::DoubleQuoted << value;
  else
    e << value;
}

void Field(YAML::Emitter& e, const char* key, const std::string& value) {
  if (value.empty()) return;
  e << YAML::Key << key << YAML::Value;
  Str(e, value);
}

void List(YAML::Emitter& e, const char* key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  e << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& v : values) Str(e, v);
  e << YAML::EndSeq;
}

void FileField(YAML::Emitter& e, const char* key, const std::optional<FileRef>& ref) {
  if (ref) Field(e, key, ref->written);
}

void EmitConnection(YAML::Emitter& e, const Connection& c) {
  e << YAML::Key << "connection" << YAML::Value << YAML::BeginMap;
  Field(e, "user", c.user);
  e << YAML::Key << "port" << YAML::Value << c.port;
  FileField(e, "identityFile", c.identity_file);
  FileField(e, "knownHosts", c.known_hosts);
  FileField(e, "passwordFile", c.password_file);
  Field(e, "passwordEnv", c.password_env);
  if (!c.timeout.text.empty()) Field(e, "timeout", c.timeout.text);
  if (c.root) {
    e << YAML::Key << "root" << YAML::Value << YAML::Flow << YAML::BeginMap;
    Field(e, "user", c.root->user);
    FileField(e, "passwordFile", c.root->password_file);
    Field(e, "passwordEnv", c.root->password_env);
    e << YAML::EndMap;
  }
  e << YAML::EndMap;
}

void EmitStaging(YAML::Emitter& e, const StagingServer& st) {
  e << YAML::Key << "staging" << YAML::Value << YAML::BeginMap;
  Field(e, "host", st.host);
  if (st.port != 22) e << YAML::Key << "port" << YAML::Value << st.port;
  Field(e, "user", st.user);
  Field(e, "path", st.path);
  if (st.known_hosts_written) FileField(e, "knownHosts", st.known_hosts);
  FileField(e, "passwordFile", st.password_file);
  Field(e, "passwordEnv", st.password_env);
  FileField(e, "keystorePassphraseFile", st.keystore_passphrase_file);
  Field(e, "keystorePassphraseEnv", st.keystore_passphrase_env);
  e << YAML::EndMap;
}

void EmitPeer(YAML::Emitter& e, const Peer& p) {
  e << YAML::Flow << YAML::BeginMap;
  Field(e, "fqdn", p.fqdn);
  Field(e, "address", p.address);
  if (p.port) e << YAML::Key << "port" << YAML::Value << *p.port;
  Field(e, "role", p.role);
  e << YAML::EndMap;
}

void EmitSlot(YAML::Emitter& e, const IdentitySlot& s) {
  e << YAML::BeginMap;
  Field(e, "slot", s.slot);
  Field(e, "issuer", s.issuer);
  const auto& d = s.subject;
  if (!(d.common_name + d.organization + d.organizational_unit + d.locality + d.state + d.country).empty()) {
    e << YAML::Key << "subject" << YAML::Value << YAML::Flow << YAML::BeginMap;
    Field(e, "commonName", d.common_name);
    Field(e, "organization", d.organization);
    Field(e, "organizationalUnit", d.organizational_unit);
    Field(e, "locality", d.locality);
    Field(e, "state", d.state);
    Field(e, "country", d.country);
    e << YAML::EndMap;
  }
  Field(e, "sans", s.sans);
  List(e, "extraDnsNames", s.extra_dns_names);
  List(e, "ipAddresses", s.ip_addresses);
  e << YAML::Key << "key" << YAML::Value << YAML::Flow << YAML::BeginMap;
  Field(e, "algorithm", s.key.algorithm);
  if (s.key.algorithm == "rsa") e << YAML::Key << "size" << YAML::Value << s.key.size;
  if (s.key.algorithm == "ecdsa") Field(e, "curve", s.key.curve);
  Field(e, "location", s.key.location);
  e << YAML::EndMap;
  Field(e, "duration", s.duration.text);
  Field(e, "renewBefore", s.renew_before.text);
  if (s.files) {
    e << YAML::Key << "files" << YAML::Value << YAML::BeginMap;
    Field(e, "certificate", s.files->certificate);
    Field(e, "chain", s.files->chain);
    Field(e, "fullchain", s.files->fullchain);
    Field(e, "privateKey", s.files->private_key);
    e << YAML::EndMap;
  }
  Field(e, "reload", s.reload);
  if (s.verify) {
    e << YAML::Key << "verify" << YAML::Value << YAML::Flow << YAML::BeginMap;
    Field(e, "host", s.verify->host);
    e << YAML::Key << "port" << YAML::Value << s.verify->port;
    Field(e, "sni", s.verify->sni);
    e << YAML::EndMap;
  }
  e << YAML::EndMap;
}

void EmitTrust(YAML::Emitter& e, const TrustStore& t) {
  e << YAML::BeginMap;
  Field(e, "store", t.store);
  e << YAML::Key << "certificates" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& ref : t.certificates) Str(e, ref.written);
  e << YAML::EndSeq;
  Field(e, "update", t.update);
  e << YAML::EndMap;
}

}  // namespace

std::string RenderManifest(const Imported& imported, const std::string& source, pki::TimePoint now) {
  const Cluster& c = imported.cluster;
  std::string head = Comment("Imported by `pkiform import` from " + source + " on " + pki::FormatRfc3339Utc(now) +
                             ": a starting point to review and commit, not a record (docs/import.md).");
  for (const auto& [what, from] : imported.origins) head += Comment(what + ": " + from);
  if (!imported.not_expressed.empty()) {
    head += Comment("Not expressed: found on the host, left out of this manifest (never guessed):");
    for (const auto& n : imported.not_expressed) head += Comment("  - " + n.what + ": " + n.why);
  }
  if (!imported.notes.empty()) {
    head += Comment("Written, but plan will still change it:");
    for (const auto& n : imported.notes) head += Comment("  - " + n);
  }

  YAML::Emitter e;
  e.SetIndent(2);
  e << YAML::BeginMap;
  e << YAML::Key << "apiVersion" << YAML::Value << "pkiform/v1";
  e << YAML::Key << "kind" << YAML::Value << "Cluster";
  e << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap;
  Field(e, "name", c.name);
  e << YAML::EndMap;
  e << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
  Field(e, "platform", c.platform);
  Field(e, "product", c.product);
  Field(e, "platformVersion", c.platform_version);
  Field(e, "fqdn", c.fqdn);
  EmitConnection(e, c.connection);
  e << YAML::Key << "peers" << YAML::Value << YAML::BeginSeq;
  for (const auto& p : c.peers) EmitPeer(e, p);
  e << YAML::EndSeq;
  if (c.staging) EmitStaging(e, *c.staging);
  if (!c.identity.empty()) {
    e << YAML::Key << "identity" << YAML::Value << YAML::BeginSeq;
    for (const auto& s : c.identity) EmitSlot(e, s);
    e << YAML::EndSeq;
  }
  if (!c.trust.empty()) {
    e << YAML::Key << "trust" << YAML::Value << YAML::BeginSeq;
    for (const auto& t : c.trust) EmitTrust(e, t);
    e << YAML::EndSeq;
  }
  e << YAML::EndMap << YAML::EndMap;
  return head + e.c_str() + "\n";
}

}  // namespace pkiform::importer
