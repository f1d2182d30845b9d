#include "state/pending_requests.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <utility>

#include "reconciler/issuers/external_layout.h"
#include "reconciler/pki/clock.h"
#include "state/atomic_file.h"
#include "state/paths.h"
#include "state/secrets.h"

namespace pkiform::state {

namespace {

Status CheckNames(const std::string& cluster, const std::string& peer, const std::string& slot) {
  for (const auto& [what, name] : {std::pair{"cluster", &cluster}, {"peer", &peer}, {"slot", &slot}}) {
    Status s = CheckPathComponent(what, *name);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

std::string RecordDirectory(const std::string& state_dir, const std::string& cluster, const std::string& peer) {
  return state_dir + "/requests/" + cluster + "/" + peer;
}

Status Check(const PendingRequest& r) {
  const std::string what = "pending request " + r.cluster + "/" + r.peer + "/" + r.slot;
  Status s = CheckNames(r.cluster, r.peer, r.slot);
  if (!s.ok()) return s.WithContext(what);
  if (r.issuer.empty()) return Status::InvalidInput(what + ": the issuer is empty");
  s = RefusePrivateKey(what, r.csr_pem);
  if (!s.ok()) return s;
  if (r.csr_pem.find("-----BEGIN CERTIFICATE REQUEST-----") == std::string::npos &&
      r.csr_pem.find("-----BEGIN NEW CERTIFICATE REQUEST-----") == std::string::npos) {
    return Status::InvalidInput(what + ": the CSR is not a PEM certificate request");
  }
  if (Result<pki::TimePoint> t = pki::ParseRfc3339Utc(r.created); !t.ok()) {
    return t.status().WithContext(what + ": created");
  }
  return Status::Ok();
}

Result<PendingRequest> ReadRecord(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  const nlohmann::json json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return Status::InvalidInput(path + ": not a JSON object");
  PendingRequest r;
  for (const auto& [key, field] : {std::pair{"cluster", &r.cluster}, {"peer", &r.peer}, {"slot", &r.slot},
                                   {"issuer", &r.issuer}, {"csr", &r.csr_pem}, {"created", &r.created}}) {
    auto it = json.find(key);
    if (it == json.end() || !it->is_string()) {
      return Status::InvalidInput(path + ": \"" + key + "\" is missing or not a string");
    }
    *field = it->get<std::string>();
  }
  return r;
}

}  // namespace

Status SavePendingRequest(const std::string& state_dir, const std::string& requests_dir, const PendingRequest& r) {
  Status s = Check(r);
  if (!s.ok()) return s;
  const std::filesystem::path csr_file = ExternalRequestPath(requests_dir, r.cluster, r.peer, r.slot);
  const std::string record_dir = RecordDirectory(state_dir, r.cluster, r.peer);
  if (s = MakeDirectories(csr_file.parent_path().string(), 0755); !s.ok()) return s;
  if (s = WriteFileAtomic(csr_file.string(), r.csr_pem, 0644); !s.ok()) return s;
  if (s = MakeDirectories(record_dir, 0700); !s.ok()) return s;
  const nlohmann::ordered_json record = {{"cluster", r.cluster}, {"peer", r.peer}, {"slot", r.slot},
                                         {"issuer", r.issuer},   {"csr", r.csr_pem}, {"created", r.created}};
  return WriteFileAtomic(record_dir + "/" + r.slot + ".json",
                         record.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n", 0600);
}

Result<std::vector<PendingRequest>> ListPendingRequests(const std::string& state_dir) {
  std::vector<PendingRequest> requests;
  const std::string root = state_dir + "/requests";
  Result<std::vector<std::string>> clusters = ListDirectory(root);
  if (!clusters.ok()) return clusters.status();
  for (const std::string& cluster : *clusters) {
    Result<std::vector<std::string>> peers = ListDirectory(root + "/" + cluster);
    if (!peers.ok()) return peers.status();
    for (const std::string& peer : *peers) {
      const std::string dir = RecordDirectory(state_dir, cluster, peer);
      Result<std::vector<std::string>> files = ListDirectory(dir);
      if (!files.ok()) return files.status();
      for (const std::string& file : *files) {
        if (!file.ends_with(".json")) continue;
        Result<PendingRequest> r = ReadRecord(dir + "/" + file);
        if (!r.ok()) return r.status();
        requests.push_back(std::move(r).value());
      }
    }
  }
  return requests;
}

Result<std::optional<PendingRequest>> FindPendingRequest(const std::string& state_dir, const std::string& cluster,
                                                         const std::string& peer, const std::string& slot) {
  if (Status s = CheckNames(cluster, peer, slot); !s.ok()) return s;
  Result<PendingRequest> r = ReadRecord(RecordDirectory(state_dir, cluster, peer) + "/" + slot + ".json");
  if (!r.ok()) {
    if (r.status().code() == Status::Code::kNotFound) return std::optional<PendingRequest>();
    return r.status();
  }
  return std::optional<PendingRequest>(std::move(r).value());
}

Status RemovePendingRequest(const std::string& state_dir, const std::string& requests_dir, const std::string& cluster,
                            const std::string& peer, const std::string& slot) {
  if (Status s = CheckNames(cluster, peer, slot); !s.ok()) return s;
  Status s = RemoveFileDurably(ExternalRequestPath(requests_dir, cluster, peer, slot));
  if (!s.ok()) return s;
  return RemoveFileDurably(RecordDirectory(state_dir, cluster, peer) + "/" + slot + ".json");
}

}  // namespace pkiform::state
