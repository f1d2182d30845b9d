// Checks of the manifests' own consistency: references between documents,
// fields that only some platforms understand, SSH settings, peers, keys.
#include <set>

#include <algorithm>

#include "reconciler/manifest/manifest_paths.h"
#include "reconciler/rules/check_util.h"
#include "reconciler/util/spelling.h"

namespace pkiform {
namespace {

// Which platforms understand a field; elsewhere the field would be silently
// ignored, which a user would take for a promise. (Field name as in the manifest,
// looked up in the block that holds it.)
struct PlatformField {
  const Located* (*block)(const Cluster&);  // null when the cluster has no such block
  const char* field;
  std::vector<std::string> platforms;
};

const Located* SpecBlock(const Cluster& c) { return &c; }
const Located* RevocationBlock(const Cluster& c) { return c.revocation ? &*c.revocation : nullptr; }
const Located* CrlBlock(const Cluster& c) { return c.revocation && c.revocation->crl ? &*c.revocation->crl : nullptr; }

const std::vector<PlatformField>& ClusterFields() {
  static const std::vector<PlatformField> f = {
      {SpecBlock, "product", {"ucm"}},         {SpecBlock, "mixedMode", {"ucm"}},
      {SpecBlock, "monitor", {"ucm"}},         {RevocationBlock, "sipTls", {"vcs"}},
      {CrlBlock, "path", {"openssh"}},         {CrlBlock, "update", {"openssh"}},
      {SpecBlock, "staging", {"dms"}}};
  return f;
}

void RequirePlatform(const std::string& field, const std::vector<std::string>& platforms, const Cluster& c,
                     const SourceLocation& where, DiagnosticList& out) {
  if (std::find(platforms.begin(), platforms.end(), c.platform) != platforms.end()) return;
  out.Error(where, "'" + field + "' applies to platform " + JoinNames(platforms, " or ") + ", not " + c.platform,
            "platform");
}

// openssh: the uploaded CRLs go into the one file at `path`, and `update` makes the
// service read it again; uploads without a file, or a file or command without
// uploads, would be silently ignored.
void CheckOpensshCrlFile(const Cluster& c, DiagnosticList& out) {
  if (c.platform != "openssh" || !c.revocation || !c.revocation->crl) return;
  const CrlSettings& crl = *c.revocation->crl;
  if (!crl.upload.empty() && crl.path.empty())
    out.Error(crl.at("upload"), "uploaded CRLs on openssh need 'path': the file on the host that holds them all",
              "platform");
  if (crl.upload.empty() && !crl.path.empty())
    out.Error(crl.at("path"), "'path' is the file for the uploaded CRLs, but 'upload' lists none", "platform");
  if (crl.upload.empty() && crl.path.empty() && !crl.update.empty())
    out.Error(crl.at("update"), "'update' runs after the CRL file at 'path' changes; set path and upload",
              "platform");
}

}  // namespace

void CheckIssuerReferences(const CheckContext& ctx, DiagnosticList& out) {
  std::vector<std::string> names;
  for (const auto& is : ctx.desired().issuers) names.push_back(is.name);
  for (const auto& c : ctx.desired().clusters)
    for (const auto& s : c.identity) {
      if (ctx.desired().FindIssuer(s.issuer) || ctx.loaded.unbuilt_issuers.count(s.issuer)) continue;
      std::string msg = "unknown issuer '" + Excerpt(s.issuer) + "'";
      if (auto m = ClosestMatch(s.issuer, names); !m.empty()) msg += "; did you mean '" + m + "'?";
      else if (names.empty()) msg += "; no Issuer document is loaded";
      out.Error(s.at("issuer"), msg, "ref");
    }
}

void CheckPlatformFields(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    for (const auto& f : ClusterFields())
      if (const Located* block = f.block(c); block && block->fields.count(f.field))
        RequirePlatform(f.field, f.platforms, c, block->at(f.field), out);
    if (c.connection.root) RequirePlatform("root", {"vcs"}, c, c.connection.at("root"), out);
    // The admin shell shows no certificate file and takes no upload (docs/platforms/vcs.md).
    if (c.platform == "vcs" && !c.connection.root)
      out.Error(c.connection.where,
                "a vcs is read and changed through its root account too (the certificate files, staged uploads): "
                "set connection.root with its user and passwordEnv or passwordFile",
                "platform");
    for (const auto& p : c.peers)
      if (!p.role.empty()) RequirePlatform("role", {"ucm"}, c, p.at("role"), out);
    for (const auto& s : c.identity) {
      if (s.files) RequirePlatform("files", {"openssh"}, c, s.at("files"), out);
      if (!s.reload.empty()) RequirePlatform("reload", {"openssh"}, c, s.at("reload"), out);
      if (s.verify) RequirePlatform("verify", {"openssh"}, c, s.at("verify"), out);
      if (s.unified_communications)
        RequirePlatform("unifiedCommunications", {"vcs"}, c, s.at("unifiedCommunications"), out);
      if (c.platform == "openssh" && !s.files)
        out.Error(s.where, "slot '" + Excerpt(s.slot) + "' needs 'files': where the service reads its certificate",
                  "platform");
    }
    for (const auto& t : c.trust)
      if (!t.update.empty()) RequirePlatform("update", {"openssh"}, c, t.at("update"), out);
    CheckOpensshCrlFile(c, out);
  }
}

void CheckConnections(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const Connection& k = c.connection;
    // Naming no method is fine: OpenSSH's defaults apply (providers/ssh/auth.h).
    if (!k.password_env.empty() && k.password_file)
      out.Error(k.at("passwordFile"), "set passwordEnv or passwordFile, not both", "ssh");
    for (const auto* ref : {&k.identity_file, &k.password_file})
      if (*ref) CheckNamedFile(**ref, out);
    if (k.root) {
      // vcs: the root login takes a password (the appliance's `rootaccess --ssh on`); no key.
      if (!k.root->password_env.empty() && k.root->password_file)
        out.Error(k.root->at("passwordFile"), "set passwordEnv or passwordFile, not both", "ssh");
      if (k.root->password_env.empty() && !k.root->password_file)
        out.Error(k.root->where, "the root login needs its password: set passwordEnv or passwordFile", "ssh");
      if (k.root->password_file) CheckNamedFile(*k.root->password_file, out);
    }
    if (k.known_hosts) CheckKnownHostsRef(*k.known_hosts, out);
  }
  for (const auto& is : ctx.desired().issuers)
    if (!is.passphrase_env.empty() && is.passphrase_file)
      out.Error(is.at("passphraseFile"), "set passphraseEnv or passphraseFile, not both", "key");
}

namespace {

// Every file and folder a document names.
std::vector<const FileRef*> FileRefsOf(const Issuer& is) {
  std::vector<const FileRef*> refs;
  for (const auto* ref : {&is.certificate, &is.private_key, &is.passphrase_file, &is.requests_dir, &is.certificates_dir})
    if (*ref) refs.push_back(&**ref);
  for (const auto& ref : is.chain) refs.push_back(&ref);
  return refs;
}

std::vector<const FileRef*> FileRefsOf(const Cluster& c) {
  std::vector<const FileRef*> refs;
  for (const auto* ref : {&c.connection.identity_file, &c.connection.known_hosts, &c.connection.password_file})
    if (*ref) refs.push_back(&**ref);
  if (c.connection.root && c.connection.root->password_file) refs.push_back(&*c.connection.root->password_file);
  if (c.staging)
    for (const FileRef* ref : StagingFileRefs(*c.staging)) refs.push_back(ref);
  for (const auto& t : c.trust)
    for (const auto& ref : t.certificates) refs.push_back(&ref);
  if (c.revocation && c.revocation->crl)
    for (const auto& ref : c.revocation->crl->upload) refs.push_back(&ref);
  return refs;
}

}  // namespace

void CheckFileLocations(const CheckContext& ctx, DiagnosticList& out) {
  const auto check = [&](const FileRef& ref) {
    auto root = ctx.loaded.roots.find(ref.where.file);
    if (root != ctx.loaded.roots.end() && ResolvesOutside(ref.path, root->second))
      out.Warning(ref.where, ref.written + ": " + kOutsideRepositoryWarning, "ref");
  };
  for (const auto& is : ctx.desired().issuers)
    for (const FileRef* ref : FileRefsOf(is)) check(*ref);
  for (const auto& c : ctx.desired().clusters)
    for (const FileRef* ref : FileRefsOf(c)) check(*ref);
}

void CheckPeers(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    std::set<std::string> seen;
    int publishers = 0;
    for (const auto& p : c.peers) {
      if (!seen.insert(p.fqdn).second)
        out.Error(p.at("fqdn"), "peer '" + Excerpt(p.fqdn) + "' is listed twice in cluster " + Excerpt(c.name), "ref");
      if (p.role == "publisher" && ++publishers == 2)
        out.Error(p.at("role"), "a ucm cluster has one publisher; '" + Excerpt(p.fqdn) + "' is a second one", "U6");
    }
    // V1: with several peers, the cluster FQDN is part of every peer's certificate.
    if (c.platform == "vcs" && c.peers.size() > 1 && c.fqdn.empty())
      out.Error(c.at("peers"), "a clustered vcs needs the cluster 'fqdn': each peer's certificate lists it as a SAN",
                "V1");
  }
}

void CheckKeyFields(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters)
    for (const auto& s : c.identity) {
      if (s.key.algorithm == "rsa" && s.key.fields.count("curve"))
        out.Error(s.key.at("curve"), "'curve' applies to ecdsa keys; this key is rsa", "key");
      if (s.key.algorithm == "ecdsa" && s.key.fields.count("size"))
        out.Error(s.key.at("size"), "'size' applies to rsa keys; an ecdsa key takes 'curve'", "key");
      if (s.duration.length < std::chrono::hours(1)) {
        std::string hint = s.duration.text.back() == 'm' ? "; 'm' is minutes: did you mean " +
                                                               s.duration.text + "o (months)?"
                                                         : "";
        out.Error(s.at("duration"), "duration " + s.duration.text + " is shorter than an hour" + hint, "lifetime");
      } else if (s.renew_before.length >= s.duration.length)
        out.Error(s.at(s.fields.count("renewBefore") ? "renewBefore" : "duration"),
                  "renewBefore (" + s.renew_before.text + ") must be shorter than duration (" + s.duration.text +
                      "): the certificate would be renewed as soon as it is issued",
                  "lifetime");
    }
}

}  // namespace pkiform
