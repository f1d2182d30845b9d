#include "tests/sim/rest_api.h"

#include <httplib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <sys/fsuid.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/key.h"
#include "tests/sim/admin_credentials.h"
#include "tests/sim/appliance_state.h"
#include "tests/sim/sim_files.h"

namespace pkiform::sim {
namespace {

using nlohmann::json;

const std::string kPrefix = "/platformcom/api/v1/certmgr/config/";
constexpr size_t kMaxListItems = 32;     // certificates or services in one request
constexpr size_t kMaxAltNames = 100;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// JSON text of untrusted strings: invalid UTF-8 is replaced, never thrown on.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

RestReply Reply(int status, const json& body) { return RestReply{status, Dump(body), "application/json"}; }

RestReply Error(int status, const std::string& message) {
  return Reply(status, json{{"status", status}, {"message", message}});
}

// "Basic base64(user:password)" -> user, password; false when malformed.
bool ParseBasic(const std::string& header, std::string& user, std::string& password) {
  if (header.size() < 7 || Lower(header.substr(0, 6)) != "basic ") return false;
  std::string b64 = header.substr(6);
  while (!b64.empty() && b64.back() == ' ') b64.pop_back();
  if (b64.empty() || b64.size() > 1024 || b64.size() % 4 != 0) return false;
  std::string raw(b64.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  if (n < 0) return false;
  size_t pad = b64.ends_with("==") ? 2 : b64.ends_with("=") ? 1 : 0;
  raw.resize(static_cast<size_t>(n) - pad);
  size_t colon = raw.find(':');
  if (colon == std::string::npos) return false;
  user = raw.substr(0, colon);
  password = raw.substr(colon + 1);
  OPENSSL_cleanse(raw.data(), raw.size());
  return true;
}

bool DnsName(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '*'; });
}

// The certificates of a JSON array of PEM strings, in order.
Result<std::vector<pki::Certificate>> CertificatesOf(const json& list) {
  if (!list.is_array() || list.empty() || list.size() > kMaxListItems)
    return Status::InvalidInput("certificates must be a list of 1 to " + std::to_string(kMaxListItems) +
                                " PEM certificates");
  std::vector<pki::Certificate> out;
  for (const auto& item : list) {
    if (!item.is_string()) return Status::InvalidInput("certificates must hold PEM text");
    auto certs = pki::ParseCertificates(item.get<std::string>());
    if (!certs.ok()) return Status::InvalidInput("Unable to read the certificate: " + certs.status().message());
    out.insert(out.end(), certs->begin(), certs->end());
  }
  return out;
}

RestReply GenerateCsr(Appliance& a, const json& req) {
  if (!req.contains("service") || !req["service"].is_string()) return Error(400, "service is required");
  const std::string unit = req["service"].get<std::string>();
  const catalogue::SlotSpec* any = a.platform().FindSlot(unit);
  if (any && any->placement == catalogue::Placement::kPublisher && !a.config().IsPublisher())
    return Error(400, "The " + unit + " certificate can be generated only on the publisher (first node) of the "
                      "cluster.");  // rule U6 (ASSUMED wording)
  const catalogue::SlotSpec* slot = a.FindUnit(unit);
  if (!slot) return Error(400, "Invalid service " + unit);
  if (!slot->csr) return Error(400, "CSR generation is not supported for " + unit + ".");
  const std::string distribution = req.value("distribution", std::string("this-server"));
  if (Lower(distribution) != "this-server" && Lower(distribution) != Lower(a.config().fqdn))
    return Error(501, "distribution \"" + distribution + "\": multi-server (SAN) CSRs are not simulated by "
                      "pkiform-sim; only this-server");
  const std::string cn = req.value("commonName", a.config().fqdn);
  if (Lower(cn) != Lower(a.config().fqdn))  // ASSUMED: a this-server CSR is for the node's FQDN
    return Error(400, "commonName must be this server's FQDN (" + a.config().fqdn + ") for distribution this-server");
  const std::string keyType = Lower(req.value("keyType", std::string(unit.ends_with("-ECDSA") ? "EC" : "RSA")));
  if (!req.contains("keyLength") || !req["keyLength"].is_number_integer()) return Error(400, "keyLength is required");
  const int length = req["keyLength"].get<int>();
  pki::KeySpec key;
  const bool ecPurpose = unit.ends_with("-ECDSA");
  if (keyType == "rsa") {
    if (ecPurpose) return Error(400, unit + " takes an EC key, not RSA (U5)");
    if (length != 2048 && length != 3072 && length != 4096) return Error(400, "keyLength must be 2048, 3072 or 4096");
    key = pki::KeySpec::Rsa(length);
  } else if (keyType == "ec" || keyType == "ecdsa") {
    if (!ecPurpose) return Error(400, unit + " takes an RSA key, not EC (U5)");
    if (length != 256 && length != 384 && length != 521) return Error(400, "keyLength must be 256, 384 or 521");
    key = pki::KeySpec::Ecdsa("P-" + std::to_string(length));
  } else {
    return Error(400, "keyType must be RSA or EC");
  }
  const std::string hash = Lower(req.value("hashAlgorithm", std::string("SHA256")));
  if (hash != "sha256") return Error(400, "hashAlgorithm " + hash + " is not supported by pkiform-sim (SHA256 only)");
  std::vector<std::string> altNames;
  if (req.contains("altNames")) {
    const json& names = req["altNames"];
    if (!names.is_array() || names.size() > kMaxAltNames) return Error(400, "altNames must be a list of DNS names");
    for (const auto& n : names) {
      if (!n.is_string() || !DnsName(n.get<std::string>())) return Error(400, "altNames must be a list of DNS names");
      altNames.push_back(Lower(n.get<std::string>()));
    }
  }
  FileLock lock(a.ClusterLockPath());
  if (auto s = a.GenerateCsrWithNames(unit, a.config().fqdn, altNames, key); !s.ok()) return Error(500, s.message());
  auto pem = a.PendingCsrPem(unit);
  if (!pem) return Error(500, "the CSR of " + unit + " could not be read back");
  return Reply(200, json{{"csr", *pem}});
}

RestReply ImportIdentity(Appliance& a, const json& req) {
  if (!req.contains("service") || !req["service"].is_string()) return Error(400, "service is required");
  const std::string unit = req["service"].get<std::string>();
  auto certs = CertificatesOf(req.value("certificates", json()));
  if (!certs.ok()) return Error(400, certs.status().message());
  FileLock lock(a.ClusterLockPath());
  Status s = a.ImportOwn(unit, *certs, Appliance::Channel::kRestApi);
  if (!s.ok()) return Error(s.code() == Status::Code::kNotFound ? 404 : 400, s.message());
  return Reply(200, json{{"message", "Successfully imported certificate for " + unit +
                                         ". Please restart services related to " + unit +
                                         " for the new certificate to become active."}});
}

RestReply ImportTrust(Appliance& a, const json& req) {
  std::vector<std::string> units;
  const json services = req.value("service", json());
  if (services.is_string()) units.push_back(services.get<std::string>());
  if (services.is_array() && services.size() <= kMaxListItems)
    for (const auto& s : services)
      if (s.is_string()) units.push_back(s.get<std::string>());
  if (units.empty()) return Error(400, "service must name one or more trust units");
  std::string description = req.value("description", std::string("Trust Certificate"));
  if (description.empty() || description.size() > 256 ||
      std::any_of(description.begin(), description.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    return Error(400, "description must be 1 to 256 printable characters");
  auto certs = CertificatesOf(req.value("certificates", json()));
  if (!certs.ok()) return Error(400, certs.status().message());
  FileLock lock(a.ClusterLockPath());
  for (const auto& unit : units) {
    Status s = a.ImportTrust(unit, *certs, description);  // rule U10: replicated like the CLI's
    if (!s.ok()) return Error(s.code() == Status::Code::kNotFound ? 404 : 400, s.message());
  }
  return Reply(200, json{{"message", "Successfully imported " + std::to_string(certs->size()) + " certificate(s)."}});
}

RestReply ListTrust(const Appliance& a, const std::string& service) {
  json list = json::array();
  std::string store = service.empty() || service.ends_with("-trust") ? service : service + "-trust";
  if (!store.empty() && !a.FindTrustStore(store)) return Error(404, "Invalid service " + service);
  for (const auto& e : store.empty() ? a.AllTrustEntries() : a.TrustEntries(store))
    list.push_back(json{{"service", e.store}, {"name", e.file}, {"description", e.description},
                        {"certificate", e.certificate.ToPem()}});
  return Reply(200, json{{"certificates", list}});
}

// The daemon may run as root while each node's shells run as the node directory's owner
// (sshd's login user): files the API writes (a CSR's key, 0600) must be theirs, or the CLI
// could not read them. fsuid/fsgid are per thread on Linux, so each request thread takes
// the owner's file-system identity for its duration.
class AsDirectoryOwner {
 public:
  explicit AsDirectoryOwner(const std::filesystem::path& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || st.st_uid == static_cast<uid_t>(setfsuid(-1))) return;
    oldGid_ = setfsgid(st.st_gid);
    oldUid_ = setfsuid(st.st_uid);
    switched_ = true;
  }
  ~AsDirectoryOwner() {
    if (!switched_) return;
    setfsuid(oldUid_);
    setfsgid(oldGid_);
  }
  AsDirectoryOwner(const AsDirectoryOwner&) = delete;
  AsDirectoryOwner& operator=(const AsDirectoryOwner&) = delete;

 private:
  bool switched_ = false;
  int oldUid_ = 0, oldGid_ = 0;
};

}  // namespace

RestReply HandleRestRequest(const std::filesystem::path& dir, const std::string& method, const std::string& path,
                            const std::string& query_service, const std::string& authorization,
                            const std::string& body) {
  if (!path.starts_with(kPrefix)) {
    if (method == "GET" && (path == "/" || path.empty()))
      return RestReply{200, "Cisco Unified Communications Manager (pkiform-sim)\n", "text/plain"};
    return Error(404, "Not Found");
  }
  std::string user, password;
  bool authorized = ParseBasic(authorization, user, password) && CheckAdminCredentials(dir, user, password);
  OPENSSL_cleanse(password.data(), password.size());
  if (!authorized) return Error(401, "Unauthorized: invalid user name or password");
  AsDirectoryOwner owner(dir);
  auto a = Appliance::Open(dir);
  if (!a.ok()) return Error(503, "the node is not available");
  const std::string what = path.substr(kPrefix.size());
  if (what != "csr" && what != "trust/certificates" && what != "identity/certificates")
    return Error(404, "Not Found");
  if (method == "GET" && what == "trust/certificates") return ListTrust(*a, query_service);
  if (method != "POST") return Error(405, "Method Not Allowed");
  json req = json::parse(body, nullptr, false);
  if (req.is_discarded() || !req.is_object()) return Error(400, "the request body is not a JSON object");
  if (what == "csr") return GenerateCsr(*a, req);
  if (what == "identity/certificates") return ImportIdentity(*a, req);
  return ImportTrust(*a, req);
}

struct RestServer::Impl {
  std::filesystem::path dir;
  std::unique_ptr<httplib::SSLServer> server;
  std::thread thread;
};

namespace {

// Per handshake: the identities Tomcat runs with now (RSA and EC side by side, the
// client's signature algorithms pick one), read again each time as the CLI may change them.
int UseRunningIdentities(SSL* ssl, void* arg) {
  const auto* dir = static_cast<const std::filesystem::path*>(arg);
  auto a = Appliance::Open(*dir);
  if (!a.ok()) return 0;
  int loaded = 0;
  for (const char* unit : {"tomcat", "tomcat-ECDSA"}) {
    auto chain = a->Running(unit);
    auto keyPem = a->RunningKeyPem(unit);
    if (!chain.ok() || !keyPem) continue;
    auto key = pki::PrivateKey::FromPem(*keyPem, nullptr);
    if (!key.ok() || key->PublicKeyDigest() != chain->front().PublicKeyDigest()) continue;
    pki::StackOfX509Ptr extra(sk_X509_new_null());
    for (size_t i = 1; i < chain->size(); ++i) sk_X509_push(extra.get(), X509_dup((*chain)[i].get()));
    if (SSL_use_cert_and_key(ssl, chain->front().get(), key->get(), extra.get(), 1) == 1) ++loaded;
  }
  ERR_clear_error();
  return loaded > 0 ? 1 : 0;
}

}  // namespace

RestServer::RestServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RestServer::~RestServer() {
  if (impl_->server) impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Result<std::unique_ptr<RestServer>> RestServer::Start(const std::filesystem::path& dir, const std::string& address,
                                                      int port) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  const std::filesystem::path* dirArg = &impl->dir;  // lives as long as the server
  impl->server = std::make_unique<httplib::SSLServer>([dirArg](SSL_CTX& ctx) {
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    SSL_CTX_set_cert_cb(&ctx, UseRunningIdentities, const_cast<std::filesystem::path*>(dirArg));
    return true;
  });
  httplib::SSLServer& s = *impl->server;
  if (!s.is_valid()) return Status::Failed("cannot make the HTTPS server of " + address);
  // Two workers per node: a fleet has many nodes and few concurrent API calls.
  s.new_task_queue = [] { return new httplib::ThreadPool(2); };
  s.set_payload_max_length(kMaxRestBodyBytes);
  s.set_read_timeout(5, 0);
  s.set_write_timeout(5, 0);
  s.set_keep_alive_timeout(2);
  auto handler = [dirArg](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "POST" && !req.get_header_value("Content-Type").starts_with("application/json") &&
        req.path.starts_with(kPrefix)) {
      RestReply r = Error(415, "Content-Type must be application/json");
      res.status = r.status;
      res.set_content(r.body, r.contentType.c_str());
      return;
    }
    std::string service = req.has_param("service") ? req.get_param_value("service") : "";
    RestReply r = HandleRestRequest(*dirArg, req.method, req.path, service, req.get_header_value("Authorization"),
                                    req.body);
    res.status = r.status;
    if (r.status == 401) res.set_header("WWW-Authenticate", "Basic realm=\"Cisco Unified OS\"");
    res.set_content(r.body, r.contentType.c_str());
  };
  s.Get(".*", handler);
  s.Post(".*", handler);
  s.Put(".*", handler);
  s.Delete(".*", handler);
  if (!s.bind_to_port(address, port)) return Status::IoError("cannot listen on " + address + ":" + std::to_string(port));
  impl->thread = std::thread([&s] { s.listen_after_bind(); });
  // stop() before the loop runs would be lost: wait until it does.
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!s.is_running() && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  return std::unique_ptr<RestServer>(new RestServer(std::move(impl)));
}

}  // namespace pkiform::sim
