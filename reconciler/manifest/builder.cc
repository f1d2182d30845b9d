#include "reconciler/manifest/builder.h"

#include "reconciler/manifest/map_reader.h"
#include "reconciler/manifest/yaml_scalar.h"

namespace pkiform {
namespace {

void ReadSubject(MapReader& slot, DistinguishedNameSpec& dn) {
  if (!slot.Has("subject")) return;
  MapReader r = slot.Nested("subject", dn);
  dn.common_name = r.Str("commonName");
  dn.organization = r.Str("organization");
  dn.organizational_unit = r.Str("organizationalUnit");
  dn.locality = r.Str("locality");
  dn.state = r.Str("state");
  dn.country = r.Str("country");
}

void ReadKey(MapReader& slot, KeySpecModel& key) {
  if (!slot.Has("key")) return;
  MapReader r = slot.Nested("key", key);
  key.algorithm = r.Str("algorithm", "rsa");
  key.size = r.Int("size", key.algorithm == "rsa" ? 2048 : 0);
  key.curve = r.Str("curve", key.algorithm == "ecdsa" ? "P-256" : "");
  key.location = r.Str("location", "appliance");
}

IdentitySlot ReadSlot(const MapReader& spec, const YAML::Node& node) {
  IdentitySlot s;
  MapReader r = spec.Sibling(node, s);
  s.slot = r.Str("slot");
  s.issuer = r.Str("issuer");
  ReadSubject(r, s.subject);
  if (s.subject.where.file.empty()) s.subject.where = s.where;
  s.sans = r.Str("sans", "per-peer");
  s.extra_dns_names = r.Strings("extraDnsNames");
  s.ip_addresses = r.Strings("ipAddresses");
  if (r.Has("unifiedCommunications")) {
    UnifiedCommunications uc;
    MapReader u = r.Nested("unifiedCommunications", uc);
    uc.chat_node_aliases = u.Strings("chatNodeAliases");
    uc.phone_security_profiles = u.Strings("phoneSecurityProfiles");
    uc.domains = u.Strings("domains");
    s.unified_communications = uc;
  }
  ReadKey(r, s.key);
  if (s.key.where.file.empty()) s.key.where = s.where;
  s.duration = r.Dur("duration", "365d");
  s.renew_before = r.Dur("renewBefore", "30d");
  if (r.Has("files")) {
    SlotFiles f;
    MapReader fr = r.Nested("files", f);
    f.certificate = fr.Str("certificate");
    f.chain = fr.Str("chain");
    f.fullchain = fr.Str("fullchain");
    f.private_key = fr.Str("privateKey");
    f.owner = fr.Str("owner");
    f.group = fr.Str("group");
    f.mode = fr.Str("mode");
    s.files = f;
  }
  s.reload = r.Str("reload");
  if (r.Has("verify")) {
    VerifyEndpoint v;
    MapReader vr = r.Nested("verify", v);
    v.host = vr.Str("host");
    v.port = vr.Int("port", 443);
    v.sni = vr.Str("sni");
    s.verify = v;
  }
  return s;
}

TrustStore ReadTrust(const MapReader& spec, const YAML::Node& node) {
  TrustStore t;
  MapReader r = spec.Sibling(node, t);
  t.store = r.Str("store");
  t.certificates = r.Files("certificates");
  t.prune = r.Bool("prune", false);
  t.prune_builtin = r.Bool("pruneBuiltin", false);
  t.update = r.Str("update");
  return t;
}

Revocation ReadRevocation(MapReader& spec) {
  Revocation rev;
  MapReader r = spec.Nested("revocation", rev);
  if (r.Has("crl")) {
    CrlSettings c;
    MapReader cr = r.Nested("crl", c);
    c.automatic_updates = cr.OptBool("automaticUpdates");
    c.distribution_points = cr.Strings("distributionPoints");
    c.daily_update_time = cr.Str("dailyUpdateTime");
    c.upload = cr.Files("upload");
    c.warn_before = cr.Dur("warnBefore", "7d");
    c.path = cr.Str("path");
    c.update = cr.Str("update");
    rev.crl = c;
  }
  if (r.Has("ocsp")) {
    OcspSettings o;
    MapReader orr = r.Nested("ocsp", o);
    o.enabled = orr.OptBool("enabled");
    o.responder = orr.Str("responder");
    o.use_certificate_uri = orr.OptBool("useCertificateUri");
    o.check_interval = orr.OptDur("checkInterval");
    rev.ocsp = o;
  }
  if (r.Has("sipTls")) {
    SipTlsRevocation t;
    MapReader tr = r.Nested("sipTls", t);
    t.enabled = tr.OptBool("enabled");
    t.use_ocsp = tr.OptBool("useOcsp");
    t.use_crls = tr.OptBool("useCrls");
    t.allow_cdp_downloads = tr.OptBool("allowCdpDownloads");
    t.fallback = tr.Str("fallback", "treat-as-not-revoked");
    rev.sip_tls = t;
  }
  return rev;
}

// dms: the staging server; its host key defaults to the connection's known_hosts.
StagingServer ReadStaging(MapReader& spec, const Connection& connection) {
  StagingServer st;
  MapReader r = spec.Nested("staging", st);
  st.host = r.Str("host");
  st.port = r.Int("port", 22);
  st.protocol = r.Str("protocol", "sftp");
  st.user = r.Str("user");
  st.path = r.Str("path");
  st.known_hosts = r.File("knownHosts");
  st.known_hosts_written = st.known_hosts.has_value();
  if (!st.known_hosts) st.known_hosts = connection.known_hosts;
  st.password_env = r.Str("passwordEnv");
  st.password_file = r.File("passwordFile");
  st.identity_file = r.File("identityFile");
  st.identity_passphrase_env = r.Str("identityPassphraseEnv");
  st.keystore_passphrase_env = r.Str("keystorePassphraseEnv");
  st.keystore_passphrase_file = r.File("keystorePassphraseFile");
  return st;
}

}  // namespace

Issuer BuildIssuer(const YAML::Node& doc, const std::string& file, const std::string& dir, DiagnosticList& problems) {
  Issuer is;
  MapReader top(doc, file, dir, is, problems);
  Located meta;
  is.name = top.Nested("metadata", meta).Str("name");
  is.fields["name"] = meta.at("name");
  Located spec_loc;
  MapReader spec = top.Nested("spec", spec_loc);
  if (spec.Has("ca")) {
    is.kind = Issuer::Kind::kCa;
    MapReader ca = spec.Nested("ca", is);
    is.certificate = ca.File("certificate");
    is.chain = ca.Files("chain");
    is.private_key = ca.File("privateKey");
    is.passphrase_env = ca.Str("passphraseEnv");
    is.passphrase_file = ca.File("passphraseFile");
    is.crl_distribution_points = ca.Strings("crlDistributionPoints");
    is.ocsp_urls = ca.Strings("ocspUrls");
  } else if (spec.Has("external")) {
    is.kind = Issuer::Kind::kExternal;
    MapReader ext = spec.Nested("external", is);
    is.requests_dir = ext.File("requests");
    is.certificates_dir = ext.File("certificates");
    is.chain = ext.Files("chain");
    is.fields["external"] = spec_loc.at("external");
  } else {
    is.kind = Issuer::Kind::kSelfSigned;
  }
  is.where = NodeLocation(doc, file);
  return is;
}

Cluster BuildCluster(const YAML::Node& doc, const std::string& file, const std::string& dir,
                     DiagnosticList& problems) {
  Cluster c;
  MapReader top(doc, file, dir, c, problems);
  Located meta;
  c.name = top.Nested("metadata", meta).Str("name");
  c.fields["name"] = meta.at("name");
  Located spec_loc;
  MapReader spec = top.Nested("spec", spec_loc);
  c.platform = spec.Str("platform");
  c.product = spec.Str("product", c.platform == "ucm" ? "unified-cm" : "");
  c.platform_version = spec.Str("platformVersion");
  c.mixed_mode = spec.Bool("mixedMode", false);
  c.fqdn = spec.Str("fqdn");

  MapReader conn = spec.Nested("connection", c.connection);
  c.connection.user = conn.Str("user");
  c.connection.port = conn.Int("port", 22);
  c.connection.identity_file = conn.File("identityFile");
  c.connection.known_hosts = conn.File("knownHosts");
  c.connection.agent = conn.Bool("agent", false);
  c.connection.password_env = conn.Str("passwordEnv");
  c.connection.password_file = conn.File("passwordFile");
  c.connection.timeout = conn.Dur("timeout", "30s");
  c.connection.legacy_algorithms = conn.Bool("legacyAlgorithms", false);
  if (conn.Has("root")) {
    RootLogin& root = c.connection.root.emplace();
    MapReader r = conn.Nested("root", root);
    root.user = r.Str("user", "root");
    root.password_env = r.Str("passwordEnv");
    root.password_file = r.File("passwordFile");
  }

  spec.KeyAt("peers");
  const YAML::Node peers = spec.Node("peers");
  for (size_t i = 0; i < peers.size(); ++i) {
    Peer p;
    MapReader pr = spec.Sibling(peers[i], p);
    p.fqdn = pr.Str("fqdn");
    p.address = pr.Str("address");
    if (pr.Has("port")) p.port = pr.Int("port", 22);
    p.role = pr.Str("role");
    p.https_port = pr.Int("httpsPort", 443);
    c.peers.push_back(p);
  }
  if (spec.Has("identity")) spec.KeyAt("identity");
  const YAML::Node identity = spec.Node("identity");
  for (size_t i = 0; identity.IsSequence() && i < identity.size(); ++i)
    c.identity.push_back(ReadSlot(spec, identity[i]));
  if (spec.Has("trust")) spec.KeyAt("trust");
  const YAML::Node trust = spec.Node("trust");
  for (size_t i = 0; trust.IsSequence() && i < trust.size(); ++i)
    c.trust.push_back(ReadTrust(spec, trust[i]));
  if (spec.Has("revocation")) c.revocation = ReadRevocation(spec);
  if (spec.Has("monitor")) {
    Monitor m;
    MapReader mr = spec.Nested("monitor", m);
    m.notify_before = mr.OptDur("notifyBefore");
    m.frequency = mr.OptDur("frequency");
    m.email = mr.Strings("email");
    c.monitor = m;
  }
  if (spec.Has("restarts")) {
    MapReader rr = spec.Nested("restarts", c.restarts);
    c.restarts.strategy = rr.Str("strategy", "rolling");
    c.restarts.window = rr.Str("window");
    c.restarts.time_zone = rr.Str("timeZone", "UTC");
    c.restarts.verify = rr.Str("verify", "tls");
    c.restarts.timeout = rr.OptDur("timeout");
  }
  if (spec.Has("staging")) c.staging = ReadStaging(spec, c.connection);
  // Checks name cluster fields by their spec key ("platform", "fqdn", ...).
  for (const auto& [k, v] : spec_loc.fields) c.fields[k] = v;
  c.where = NodeLocation(doc, file);
  return c;
}

}  // namespace pkiform
