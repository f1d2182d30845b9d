// The desired state: what the manifests say the fleet must look like, after
// schema validation, defaults and path resolution. Plain data: the rule checks,
// the planner and the renderer read it; nothing here talks to an appliance.
//
// Every object remembers where it was written (`where`) and where each of its
// fields was (`at("country")`), so a check can point at the exact token.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/diag/diagnostic.h"
#include "reconciler/manifest/duration.h"

namespace pkiform {

struct Located {
  SourceLocation where;
  std::map<std::string, SourceLocation> fields;  // "country", "extraDnsNames[1]"
  const SourceLocation& at(const std::string& field) const {
    auto it = fields.find(field);
    return it == fields.end() ? where : it->second;
  }
};

// A file named in a manifest: `written` as the user wrote it, cut short when
// long (for messages only), `path` resolved against the manifest's folder (for
// reading).
struct FileRef {
  std::string written;
  std::string path;
  SourceLocation where;
};

struct Issuer : Located {
  enum class Kind { kCa, kSelfSigned, kExternal };
  std::string name;
  Kind kind = Kind::kSelfSigned;
  // ca
  std::optional<FileRef> certificate, private_key, passphrase_file;
  std::string passphrase_env;
  std::vector<FileRef> chain;  // ca and external: the CA certificates above the issuer
  std::vector<std::string> crl_distribution_points, ocsp_urls;
  // external
  std::optional<FileRef> requests_dir, certificates_dir;
};

// vcs: the appliance's root account, a second login to the same peer (exec requests only)
// through which pkiform reads the certificate files and stages uploads (docs/platforms/vcs.md).
struct RootLogin : Located {
  std::string user = "root";
  std::string password_env;
  std::optional<FileRef> password_file;
};

struct Connection : Located {
  std::string user;
  int port = 22;
  std::optional<FileRef> identity_file, known_hosts, password_file;
  std::string password_env;
  bool agent = false;
  Duration timeout;
  bool legacy_algorithms = false;
  std::optional<RootLogin> root;  // vcs only
};

// dms: the (S)FTP server through which the appliance moves every file (D16): it delivers
// CSRs there, pulls certificates and CA files from there, and writes and reads its keystore
// backup there (D14). pkiform reaches it over SFTP itself, and types the same host, user,
// password and paths into the appliance's forms ("(S)FTP SERVER FQDN/IP:", "USER NAME:").
// Secrets come from the environment or a file, never the manifest.
struct StagingServer : Located {
  std::string host;
  int port = 22;
  std::string protocol = "sftp";  // sftp | ftp (ftp is refused: credentials in clear)
  std::string user;
  std::string path;  // absolute folder on the server for CSRs, certificates and keystores
  // The server's host key; when not written, the connection's knownHosts (see
  // known_hosts_written).
  std::optional<FileRef> known_hosts;
  bool known_hosts_written = false;
  std::string password_env;
  std::optional<FileRef> password_file, identity_file;
  std::string identity_passphrase_env;
  // The passphrase EXPORT_KEYSTORE / IMPORT_KEYSTORE take (D14).
  std::string keystore_passphrase_env;
  std::optional<FileRef> keystore_passphrase_file;
};

struct Peer : Located {
  std::string fqdn;
  std::string address;  // empty: resolve fqdn
  std::optional<int> port;
  std::string role;  // ucm: publisher | subscriber
  int https_port = 443;  // ucm: the platform REST API (U15)
};

struct DistinguishedNameSpec : Located {
  std::string common_name, organization, organizational_unit, locality, state, country;
};

struct KeySpecModel : Located {
  std::string algorithm = "rsa";  // rsa | ecdsa
  int size = 2048;                // rsa
  std::string curve = "P-256";    // ecdsa
  std::string location = "appliance";
};

struct SlotFiles : Located {
  std::string certificate, chain, fullchain, private_key, owner, group, mode;
};

struct VerifyEndpoint : Located {
  std::string host;
  int port = 0;
  std::string sni;
};

struct UnifiedCommunications : Located {
  std::vector<std::string> chat_node_aliases, phone_security_profiles, domains;
};

struct IdentitySlot : Located {
  std::string slot;
  std::string issuer;
  DistinguishedNameSpec subject;
  std::string sans = "per-peer";  // per-peer | shared
  std::vector<std::string> extra_dns_names, ip_addresses;
  std::optional<UnifiedCommunications> unified_communications;
  KeySpecModel key;
  Duration duration, renew_before;
  std::optional<SlotFiles> files;
  std::string reload;
  std::optional<VerifyEndpoint> verify;
};

struct TrustStore : Located {
  std::string store;
  std::vector<FileRef> certificates;
  bool prune = false, prune_builtin = false;
  std::string update;
};

struct CrlSettings : Located {
  std::optional<bool> automatic_updates;
  std::vector<std::string> distribution_points;
  std::string daily_update_time;
  std::vector<FileRef> upload;
  Duration warn_before;
  // openssh: the file on the host holding every uploaded CRL (absolute), and the
  // command that makes the service read it again; empty when not given.
  std::string path;
  std::string update;
};

struct OcspSettings : Located {
  std::optional<bool> enabled, use_certificate_uri;
  std::string responder;
  std::optional<Duration> check_interval;
};

struct SipTlsRevocation : Located {
  std::optional<bool> enabled, use_ocsp, use_crls, allow_cdp_downloads;
  std::string fallback;
};

struct Revocation : Located {
  std::optional<CrlSettings> crl;
  std::optional<OcspSettings> ocsp;
  std::optional<SipTlsRevocation> sip_tls;
};

struct Monitor : Located {
  std::optional<Duration> notify_before, frequency;
  std::vector<std::string> email;
};

struct RestartPolicy : Located {
  std::string strategy = "rolling";
  std::string window;  // "" no window; syntax: planner/maintenance_window.h
  std::string time_zone = "UTC";  // IANA name the window is read in (planner/time_zone.h)
  std::string verify = "tls";
  // How long a restart may take before the peer's apply fails; unset: the platform
  // catalogue's restartTimes (vcs: 1200 s).
  std::optional<Duration> timeout;
};

struct Cluster : Located {
  std::string name;
  std::string platform;
  std::string product;  // ucm: unified-cm | im-and-presence
  std::string platform_version;
  bool mixed_mode = false;
  std::string fqdn;
  Connection connection;
  std::vector<Peer> peers;
  std::vector<IdentitySlot> identity;
  std::vector<TrustStore> trust;
  std::optional<Revocation> revocation;
  std::optional<Monitor> monitor;
  RestartPolicy restarts;
  std::optional<StagingServer> staging;  // dms only
};

struct Desired {
  std::vector<Issuer> issuers;
  std::vector<Cluster> clusters;
  const Issuer* FindIssuer(const std::string& name) const;
  const Cluster* FindCluster(const std::string& name) const;
};

}  // namespace pkiform
