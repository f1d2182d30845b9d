// `pkiform import` (docs/import.md): reads one host through its provider and writes
// a starting Cluster manifest for it. The command line becomes a probe Cluster (the
// connection, the one peer, on openssh the slots' files and the stores' paths), the
// provider observes it exactly as `plan` would, and the pure importer
// (reconciler/importer/) turns the observation and the repository's Issuers into
// the manifest. Nothing is written before the host has been read; an existing file
// is never replaced without --force. Secrets stay out of argv: a password comes
// from a file or an environment variable, and the manifest names only those.
#include <arpa/inet.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "providers/registry.h"
#include "providers/ssh/session.h"
#include "reconciler/catalogue/catalogue.h"
#include "reconciler/cli/commands.h"
#include "reconciler/cli/handlers.h"
#include "reconciler/cli/report_diagnostics.h"
#include "reconciler/diag/render.h"
#include "reconciler/importer/importer.h"
#include "reconciler/importer/render.h"
#include "reconciler/issuers/issuer.h"
#include "reconciler/log/log.h"
#include "reconciler/manifest/manifest_paths.h"
#include "reconciler/rules/load_and_check.h"
#include "state/atomic_file.h"

namespace pkiform::cli {
namespace {

namespace fs = std::filesystem;

// The platforms import reads (every platform pkiform drives).
constexpr const char* kImportPlatforms = "openssh, vcs, ucm and dms";

bool IsIpAddress(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

std::string LocalUser() {
  const passwd* pw = getpwuid(getuid());
  return pw && pw->pw_name ? pw->pw_name : "";
}

// A file the manifest names: read at `path` (absolute), written relative to the manifest's folder.
FileRef Ref(const std::string& given, const fs::path& manifest_dir) {
  const fs::path abs = fs::absolute(given).lexically_normal();
  return FileRef{fs::path(abs).lexically_relative(manifest_dir).string(), abs.string(), {}};
}

// NAME:CERT:KEY[:CHAIN[:FULLCHAIN]] of --slot.
Result<IdentitySlot> ParseSlot(const std::string& spec, const CommandArgs& a) {
  std::vector<std::string> parts;
  std::stringstream in(spec);
  for (std::string p; std::getline(in, p, ':');) parts.push_back(p);
  if (parts.size() < 3 || parts.size() > 5)
    return Status::InvalidInput("--slot '" + spec + "': expected NAME:CERT_PATH:KEY_PATH[:CHAIN_PATH[:FULLCHAIN_PATH]]");
  for (size_t i = 1; i < parts.size(); ++i)
    if (parts[i].empty() || parts[i][0] != '/')
      return Status::InvalidInput("--slot '" + spec + "': '" + parts[i] + "' is not an absolute path on the host");
  IdentitySlot slot;
  slot.slot = parts[0];
  SlotFiles files;
  files.certificate = parts[1];
  files.private_key = parts[2];
  if (parts.size() > 3) files.chain = parts[3];
  if (parts.size() > 4) files.fullchain = parts[4];
  slot.files = files;
  slot.reload = a.import_reload;
  if (a.import_verify_port > 0) {
    VerifyEndpoint v;
    v.port = a.import_verify_port;
    slot.verify = v;
  }
  return slot;
}

// openssh: the slots and stores are wherever the admin put them, so the command line names them.
Status OpensshParts(const CommandArgs& a, Cluster& c) {
  if (a.import_slots.empty() && a.import_trust.empty())
    return Status::InvalidInput("openssh keeps its files wherever the admin put them: name what to read with "
                                "--slot NAME:CERT_PATH:KEY_PATH[:CHAIN_PATH[:FULLCHAIN_PATH]] and/or --trust STORE_PATH");
  if (!a.import_slots.empty() && a.import_reload.empty())
    return Status::InvalidInput("--reload 'CMD' is required with --slot on openssh: the manifest's slot needs the "
                                "command that makes the service read a renewed certificate (e.g. 'nginx -s reload')");
  for (const auto& spec : a.import_slots) {
    auto slot = ParseSlot(spec, a);
    if (!slot.ok()) return slot.status();
    for (const auto& other : c.identity)
      if (other.slot == slot->slot) return Status::InvalidInput("--slot " + slot->slot + " is given twice");
    c.identity.push_back(std::move(slot).value());
  }
  for (const auto& path : a.import_trust) {
    if (path.empty() || path[0] != '/')
      return Status::InvalidInput("--trust '" + path + "' is not an absolute path on the host");
    TrustStore t;
    t.store = path;
    c.trust.push_back(t);
  }
  return Status::Ok();
}

// dms: the staging server the appliance moves every file through (D16), and the keystore
// passphrase its backup takes (D14): the provider reads the pending CSR there, and apply
// needs both, so the manifest must say them. Secrets as names of files or variables only.
Result<StagingServer> DmsStaging(const CommandArgs& a, const fs::path& manifest_dir) {
  if (a.import_staging_host.empty() || a.import_staging_user.empty() || a.import_staging_path.empty())
    return Status::InvalidInput("dms moves every file through a staging server (D16): give --staging-host, "
                                "--staging-user and --staging-path (and --staging-port when not 22)");
  if (a.import_staging_path[0] != '/')
    return Status::InvalidInput("--staging-path '" + a.import_staging_path + "' is not an absolute folder");
  if (a.import_staging_password_file.empty() && a.import_staging_password_env.empty())
    return Status::InvalidInput("dms: the appliance logs in to the staging server with a password: give "
                                "--staging-password-file F or --staging-password-env VAR");
  if (a.import_keystore_passphrase_file.empty() && a.import_keystore_passphrase_env.empty())
    return Status::InvalidInput("dms: apply backs the identity up with EXPORT_KEYSTORE first (D14): give "
                                "--keystore-passphrase-file F or --keystore-passphrase-env VAR");
  StagingServer st;
  st.host = a.import_staging_host;
  st.port = a.import_staging_port;
  st.user = a.import_staging_user;
  st.path = a.import_staging_path;
  st.password_env = a.import_staging_password_env;
  if (!a.import_staging_password_file.empty()) st.password_file = Ref(a.import_staging_password_file, manifest_dir);
  if (!a.import_staging_known_hosts.empty()) {
    st.known_hosts = Ref(a.import_staging_known_hosts, manifest_dir);
    st.known_hosts_written = true;
  }
  st.keystore_passphrase_env = a.import_keystore_passphrase_env;
  if (!a.import_keystore_passphrase_file.empty())
    st.keystore_passphrase_file = Ref(a.import_keystore_passphrase_file, manifest_dir);
  return st;
}

// vcs, ucm: the catalogue names the slots and stores (ucm: those of the node's type are kept
// once it says which, importer::AdoptNode). vcs needs the release and the root login.
Status CatalogueParts(const CommandArgs& a, const fs::path& manifest_dir, Cluster& c) {
  if (!a.import_slots.empty() || !a.import_trust.empty() || !a.import_reload.empty() || a.import_verify_port)
    return Status::InvalidInput("--slot, --trust, --reload and --verify-port are openssh's: a " + c.platform +
                                "'s slots and stores are the platform catalogue's");
  if (c.platform == "vcs") {
    if (a.import_platform_version.empty())
      return Status::InvalidInput("--platform-version is required for vcs (e.g. X8.1.1): the provider speaks that "
                                  "release's dialect, and the manifest records it");
    if (a.import_root_password_file.empty() && a.import_root_password_env.empty())
      return Status::InvalidInput("vcs: the certificate files are read through the root login: give "
                                  "--root-password-file F or --root-password-env VAR");
    c.platform_version = a.import_platform_version;
    RootLogin root;
    root.user = a.import_root_user;
    root.password_env = a.import_root_password_env;
    if (!a.import_root_password_file.empty()) root.password_file = Ref(a.import_root_password_file, manifest_dir);
    c.connection.root = root;
  } else if (c.platform == "dms") {
    if (!a.import_root_password_file.empty() || !a.import_root_password_env.empty())
      return Status::InvalidInput("the root login is vcs's: a dms is read through its administrator's AAI menu");
    c.platform_version = a.import_platform_version;
    auto staging = DmsStaging(a, manifest_dir);
    if (!staging.ok()) return staging.status();
    c.staging = std::move(staging).value();
  } else if (!a.import_platform_version.empty() || !a.import_root_password_file.empty() ||
             !a.import_root_password_env.empty()) {
    return Status::InvalidInput("--platform-version and the root login are vcs's: a " + c.platform +
                                " node says its release itself");
  }
  if (c.platform != "dms" && (!a.import_staging_host.empty() || !a.import_staging_user.empty() ||
                              !a.import_staging_path.empty() || !a.import_keystore_passphrase_file.empty() ||
                              !a.import_keystore_passphrase_env.empty()))
    return Status::InvalidInput("--staging-* and --keystore-passphrase-* are dms's: only a dms moves its files "
                                "through a staging server");
  const auto& catalogue = catalogue::BuiltinCatalogue();
  if (!catalogue.ok()) return catalogue.status();
  const catalogue::PlatformCatalogue* platform = catalogue->Find(c.platform);
  if (!platform) return Status::NotFound("the platform catalogue has no platform " + c.platform);
  for (const auto& spec : platform->slots) {
    IdentitySlot slot;
    slot.slot = spec.name;
    c.identity.push_back(slot);
  }
  for (const auto& spec : platform->trust_stores) {
    TrustStore t;
    t.store = spec.name;
    c.trust.push_back(t);
  }
  return Status::Ok();
}

// The cluster the command line describes, before anything is read from the host.
Result<Cluster> Probe(const CommandArgs& a, const fs::path& manifest_dir) {
  if (a.import_platform != "openssh" && a.import_platform != "vcs" && a.import_platform != "ucm" &&
      a.import_platform != "dms")
    return Status::InvalidInput("import --platform " + a.import_platform + ": not a platform; import reads " +
                                kImportPlatforms + " hosts");
  Cluster c;
  c.platform = a.import_platform;
  c.fqdn = a.import_cluster_fqdn;
  Peer peer;
  peer.fqdn = a.import_fqdn.empty() ? a.import_host : a.import_fqdn;
  if (a.import_fqdn.empty() && IsIpAddress(a.import_host))
    return Status::InvalidInput("--host " + a.import_host + " is an address: give the peer's name with --fqdn");
  if (peer.fqdn != a.import_host) peer.address = a.import_host;
  c.peers.push_back(peer);
  c.name = a.import_cluster;
  if (c.name.empty()) {
    c.name = peer.fqdn.substr(0, peer.fqdn.find('.'));
    std::transform(c.name.begin(), c.name.end(), c.name.begin(), [](unsigned char ch) { return std::tolower(ch); });
  }
  c.connection.user = a.import_user.empty() ? LocalUser() : a.import_user;
  c.connection.port = a.import_port;
  if (!a.import_identity_file.empty()) c.connection.identity_file = Ref(a.import_identity_file, manifest_dir);
  if (!a.import_known_hosts.empty()) c.connection.known_hosts = Ref(a.import_known_hosts, manifest_dir);
  if (!a.import_password_file.empty()) c.connection.password_file = Ref(a.import_password_file, manifest_dir);
  c.connection.password_env = a.import_password_env;
  Status parts = c.platform == "openssh" ? OpensshParts(a, c) : CatalogueParts(a, manifest_dir, c);
  if (!parts.ok()) return parts;
  return c;
}

ssh::SshTarget TargetOf(const Cluster& c, const CommandArgs& a) {
  ssh::SshTarget t;
  t.host = a.import_host;
  t.port = c.connection.port;
  t.hostKeyAlias = c.peers.front().fqdn;
  t.user = c.connection.user;
  if (c.connection.identity_file) t.identityFile = c.connection.identity_file->path;
  t.passwordEnv = c.connection.password_env;
  if (c.connection.password_file) t.passwordFile = c.connection.password_file->path;
  const char* home = std::getenv("HOME");
  t.knownHostsFile = c.connection.known_hosts ? c.connection.known_hosts->path
                                              : std::string(home ? home : "") + "/.ssh/known_hosts";
  t.acceptNewHostKeys = a.accept_new_host_keys;
  return t;
}

// The repository's Issuers with their certificates (the loader and checks of `validate`).
Result<std::vector<importer::KnownIssuer>> RepositoryIssuers(const CommandArgs& a) {
  DiagnosticList diags;
  pki::SystemClock clock;
  LoadedManifests loaded = LoadAndCheck(a.manifests, clock, diags);
  ReportDiagnostics(diags, loaded.sources);
  if (diags.has_errors())
    return Status::InvalidInput(DiagnosticSummary(diags) + " in the manifests (-f); fix them, then import");
  std::vector<importer::KnownIssuer> out;
  for (const auto& is : loaded.desired.issuers) {
    auto certs = IssuerCertificates(is);
    if (!certs.ok()) return certs.status().WithContext("issuer " + is.name);
    out.push_back({is.name, is.kind, std::move(certs).value()});
  }
  return out;
}

Status RefuseExisting(const fs::path& path, bool force) {
  std::error_code ec;
  if (!force && fs::symlink_status(path, ec).type() != fs::file_type::not_found)
    return Status::InvalidInput(path.string() + " exists; give --force to replace it");
  return Status::Ok();
}

// The manifest, written at `temp` next to where it goes (hidden: a folder walk skips it), checked
// as `validate` checks it together with the repository's manifests: what import writes must
// validate, and a defect of import is reported, never handed over.
Status CheckWritten(const CommandArgs& a, const std::string& temp) {
  DiagnosticList diags;
  pki::SystemClock clock;
  std::vector<std::string> paths = a.manifests.empty() ? DefaultManifestPaths() : a.manifests;
  paths.push_back(temp);
  LoadedManifests loaded = LoadAndCheck(paths, clock, diags);
  if (!diags.has_errors()) return Status::Ok();
  ReportDiagnostics(diags, loaded.sources);
  return Status::Failed("the imported manifest does not validate (" + DiagnosticSummary(diags) +
                        "): a defect of import; it is left at " + temp + " for inspection");
}

int Fail(const Status& s) {
  log::Error({}, "import: " + s.message());
  return kExitError;
}

}  // namespace

int RunImport(const GlobalOptions&, const CommandArgs& args) {
  const fs::path out_path = args.import_out.empty() ? fs::path() : fs::absolute(args.import_out).lexically_normal();
  const fs::path manifest_dir = out_path.empty() ? fs::current_path() : out_path.parent_path();
  auto probe = Probe(args, manifest_dir);
  if (!probe.ok()) return Fail(probe.status());
  const std::string prefix = out_path.empty() ? probe->name : out_path.stem().string();
  // Before the host is contacted: what would be overwritten (trust files are <prefix>.trustN.pem).
  if (!out_path.empty())
    if (Status s = RefuseExisting(out_path, args.import_force); !s.ok()) return Fail(s);
  for (size_t i = 1; i <= probe->trust.size(); ++i)
    if (Status s = RefuseExisting(manifest_dir / (prefix + ".trust" + std::to_string(i) + ".pem"), args.import_force);
        !s.ok())
      return Fail(s);
  auto issuers = RepositoryIssuers(args);
  if (!issuers.ok()) return Fail(issuers.status());

  const Peer& peer = probe->peers.front();
  const std::string source = peer.fqdn + " (" + args.import_host + ":" + std::to_string(probe->connection.port) + ")";
  auto session = ssh::SshSession::Connect(TargetOf(*probe, args));
  if (!session.ok()) return Fail(session.status());
  auto provider = MakeProvider(**session, *probe, peer);
  if (!provider.ok()) return Fail(provider.status());
  auto actual = (*provider)->Observe();
  if (!actual.ok()) return Fail(actual.status().WithContext(source));

  const pki::TimePoint now = pki::SystemClock().Now();
  importer::Imported imported = importer::ImportCluster(*probe, *actual, *issuers, prefix, now);
  for (const auto& n : imported.not_expressed)
    log::Warn({probe->name, peer.fqdn, "", ""}, "not expressed: " + n.what + ": " + n.why);
  for (const auto& n : imported.notes) log::Warn({probe->name, peer.fqdn, "", ""}, n);
  const std::string yaml = importer::RenderManifest(imported, source, now);

  for (const auto& f : imported.trust_files) {
    const fs::path path = manifest_dir / f.file;
    if (Status s = state::WriteFileAtomic(path.string(), f.pem, 0644); !s.ok()) return Fail(s);
  }
  const fs::path temp = manifest_dir / ("." + prefix + ".import-" + std::to_string(getpid()) + ".yaml");
  if (Status s = state::WriteFileAtomic(temp.string(), yaml, 0644); !s.ok()) return Fail(s);
  if (Status s = CheckWritten(args, temp.string()); !s.ok()) return Fail(s);
  std::error_code ec;
  if (out_path.empty()) {
    std::cout << yaml;
    fs::remove(temp, ec);
  } else {
    fs::rename(temp, out_path, ec);  // same folder: atomic
    if (ec) return Fail(Status::IoError(out_path.string() + ": " + ec.message()));
    if (Status s = state::SyncDirectory(manifest_dir.string()); !s.ok()) return Fail(s);
  }
  log::Progress(log::Level::kInfo, {probe->name, peer.fqdn, "", ""},
                "imported " + std::to_string(imported.cluster.identity.size()) + " identity slot(s) and " +
                    std::to_string(imported.cluster.trust.size()) + " trust store(s) from " + source +
                    (out_path.empty() ? "" : " into " + out_path.string()) + "; " +
                    std::to_string(imported.not_expressed.size()) + " item(s) not expressed");
  return kExitOk;
}

}  // namespace pkiform::cli
