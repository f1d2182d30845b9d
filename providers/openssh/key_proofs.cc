#include "providers/openssh/key_proofs.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "providers/openssh/script_output.h"

namespace pkiform::openssh {
namespace {

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

bool IsLowerHexSha256(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

KeyProofs KeyProofCache::For(const std::string& peer) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = peers_.find(peer);
  return it == peers_.end() ? KeyProofs{} : it->second;
}

void KeyProofCache::Learn(const std::string& peer, const KeyProofs& proofs) {
  if (proofs.empty()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [path, proof] : proofs) peers_[peer][path] = proof;
}

std::string KeyProofCache::ToJson() const {
  nlohmann::json peers = nlohmann::json::object();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [peer, proofs] : peers_)
      for (const auto& [path, proof] : proofs)
        peers[peer][path] = {{"sha256", proof.file_sha256},
                             {"public_key", Base64(proof.public_key_der)},
                             {"public_key_digest", proof.public_key_digest}};
  }
  const nlohmann::json j = {{"version", 1}, {"peers", peers}};
  return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<KeyProofCache> KeyProofCache::FromJson(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidInput("not a JSON object");
  auto version = j.find("version");
  if (version == j.end() || !version->is_number_integer() || *version != 1)
    return Status::InvalidInput("\"version\" must be 1");
  auto peers = j.find("peers");
  if (peers == j.end() || !peers->is_object()) return Status::InvalidInput("\"peers\" must be an object");
  KeyProofCache cache;
  for (const auto& [peer, paths] : peers->items()) {
    if (!paths.is_object()) return Status::InvalidInput("peers[\"" + peer + "\"] must be an object");
    for (const auto& [path, proof] : paths.items()) {
      const std::string where = "peers[\"" + peer + "\"][\"" + path + "\"]";
      if (!proof.is_object() || !proof.contains("sha256") || !proof["sha256"].is_string() ||
          !proof.contains("public_key") || !proof["public_key"].is_string())
        return Status::InvalidInput(where + " needs \"sha256\" and \"public_key\" strings");
      KeyProof p;
      p.file_sha256 = proof["sha256"].get<std::string>();
      if (!IsLowerHexSha256(p.file_sha256)) return Status::InvalidInput(where + ".sha256 is not a SHA-256 in hex");
      auto der = DecodeBase64(proof["public_key"].get<std::string>());
      if (!der.ok() || der->empty()) return Status::InvalidInput(where + ".public_key is not base64");
      p.public_key_der = std::move(der).value();
      // Optional (files of earlier versions lack it): then the DER is parsed when used.
      if (auto digest = proof.find("public_key_digest"); digest != proof.end()) {
        if (!digest->is_string() || !IsLowerHexSha256(digest->get<std::string>()))
          return Status::InvalidInput(where + ".public_key_digest is not a SHA-256 in hex");
        p.public_key_digest = digest->get<std::string>();
      }
      cache.peers_[peer][path] = std::move(p);
    }
  }
  return cache;
}

}  // namespace pkiform::openssh
