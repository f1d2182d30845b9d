// OpenSSH's known_hosts format (known_hosts_file.h).
#include "providers/ssh/known_hosts_file.h"

#include "reconciler/util/file_reader.h"

#include <sys/stat.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <iterator>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>

namespace pkiform::ssh {
namespace {

constexpr size_t kSha1Length = 20;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Strict base64 (with padding), as known_hosts and OpenSSH's hashed names use it.
bool DecodeBase64(std::string_view text, std::string* out) {
  if (text.empty() || text.size() % 4 != 0) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool padding = c == '=' && i + 2 >= text.size() && (i + 1 == text.size() || text[i + 1] == '=');
    if (!std::isalnum(c) && c != '+' && c != '/' && !padding) return false;
  }
  std::string decoded(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return false;
  size_t len = static_cast<size_t>(n);
  if (text.back() == '=') --len;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
  decoded.resize(len);
  *out = std::move(decoded);
  return true;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), digest, &len)) {
    return {};
  }
  return std::string(reinterpret_cast<char*>(digest), len);
}

// OpenSSH's match_pattern: '*' any run, '?' one character; iterative, so no input can recurse deeply.
bool WildcardMatch(std::string_view text, std::string_view pattern) {
  size_t t = 0, p = 0, starP = std::string_view::npos, starT = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '*') {
      starP = p++;
      starT = t;
    } else if (starP != std::string_view::npos) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == line.size()) break;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

bool IsKeyType(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '@' || c == '.' || c == '_';
  });
}

// Parses "|1|salt|hash" into the entry; false when it is not a well-formed hashed name.
bool ParseHashed(std::string_view field, KnownHostsEntry& e) {
  field.remove_prefix(3);
  const size_t bar = field.find('|');
  if (bar == std::string_view::npos) return false;
  return DecodeBase64(field.substr(0, bar), &e.hashed_salt) && DecodeBase64(field.substr(bar + 1), &e.hashed_name) &&
         e.hashed_salt.size() == kSha1Length && e.hashed_name.size() == kSha1Length;
}

// One non-blank, non-comment line; the problem as a message, or "" when it parsed.
std::string ParseLine(std::string_view line, KnownHostsEntry& e) {
  std::vector<std::string_view> f = Fields(line);
  size_t i = 0;
  if (f[0] == "@revoked") e.marker = KnownHostsEntry::Marker::kRevoked;
  else if (f[0] == "@cert-authority") e.marker = KnownHostsEntry::Marker::kCertAuthority;
  else if (f[0][0] == '@') return "unknown marker '" + std::string(f[0].substr(0, 40)) + "'";
  if (e.marker != KnownHostsEntry::Marker::kNone) ++i;
  if (f.size() < i + 3) return "expected host names, a key type and a base64 key";
  std::string_view hosts = f[i], type = f[i + 1], key = f[i + 2];
  if (hosts.rfind("|1|", 0) == 0) {
    if (!ParseHashed(hosts, e)) return "malformed hashed host name";
  } else if (hosts[0] == '|') {
    return "unsupported hashed host name format";
  } else {
    size_t start = 0;
    while (start <= hosts.size()) {
      size_t comma = hosts.find(',', start);
      if (comma == std::string_view::npos) comma = hosts.size();
      std::string_view pattern = hosts.substr(start, comma - start);
      if (pattern.empty() || pattern == "!") return "empty host name in '" + std::string(hosts.substr(0, 80)) + "'";
      e.patterns.push_back(Lower(pattern));
      start = comma + 1;
    }
  }
  if (!IsKeyType(type)) return "'" + std::string(type.substr(0, 40)) + "' is not a key type";
  std::string blob;
  if (!DecodeBase64(key, &blob)) return "the key is not base64";
  e.key_type = std::string(type);
  e.key_base64 = std::string(key);
  return {};
}

}  // namespace

KnownHosts ParseKnownHosts(std::string_view text) {
  KnownHosts out;
  int number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    KnownHostsEntry entry;
    entry.line = number;
    std::string problem = ParseLine(line.substr(first), entry);
    if (!problem.empty()) {
      out.problems.push_back({number, std::move(problem)});
      continue;
    }
    if (!entry.hashed_salt.empty()) out.has_hashed = true;
    out.entries.push_back(std::move(entry));
  }
  for (size_t i = 0; i < out.entries.size(); ++i) {
    const KnownHostsEntry& e = out.entries[i];
    const bool plain = e.hashed_salt.empty() && !e.patterns.empty() &&
                       std::all_of(e.patterns.begin(), e.patterns.end(), [](const std::string& p) {
                         return p.find_first_of("*?!") == std::string::npos;
                       });
    if (!plain) {
      out.others.push_back(i);
      continue;
    }
    std::vector<std::string> names;
    for (const auto& p : e.patterns) names.push_back(Lower(p));
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (const auto& name : names) out.by_name[name].push_back(i);
  }
  out.indexed = out.entries.size();
  return out;
}

Result<KnownHosts> ReadKnownHosts(const std::string& path) {
  auto text = ReadBoundedFile(path, limits::kKnownHostsFile);
  if (text.ok()) return ParseKnownHosts(*text);
  if (text.status().code() == Status::Code::kNotFound) return KnownHosts{};
  return text.status().WithContext("known_hosts file " + path);
}

namespace {

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  long long mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

std::optional<FileIdentity> IdentityOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino, st.st_size,
                      static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec};
}

}  // namespace

Result<std::shared_ptr<const KnownHosts>> ReadKnownHostsShared(const std::string& path) {
  static std::mutex mutex;  // guards `parsed`
  static std::map<std::string, std::pair<FileIdentity, std::shared_ptr<const KnownHosts>>> parsed;
  // One reader at a time: the first connections of a run all start together, and each read
  // its own copy (a plan of 10,000 hosts held 16 copies of a 20,000-line file at its peak).
  // The others wait for that one and take what it parsed.
  static std::mutex reading;
  auto cached = [&](const std::optional<FileIdentity>& now) -> std::shared_ptr<const KnownHosts> {
    if (!now) return nullptr;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = parsed.find(path);
    return it != parsed.end() && it->second.first == *now ? it->second.second : nullptr;
  };
  if (auto hit = cached(IdentityOf(path))) return hit;
  std::lock_guard<std::mutex> one_reader(reading);
  const std::optional<FileIdentity> before = IdentityOf(path);
  if (auto hit = cached(before)) return hit;  // read by the thread this one waited for
  auto read = ReadKnownHosts(path);
  if (!read.ok()) return read.status();
  auto shared = std::make_shared<const KnownHosts>(std::move(read).value());
  if (before && IdentityOf(path) == before) {  // unchanged while it was read: worth keeping
    std::lock_guard<std::mutex> lock(mutex);
    parsed[path] = {*before, shared};
  }
  return shared;
}

std::string KnownHostsName(const std::string& host, int port) {
  const std::string name = Lower(host);
  if (port == 22) return name;
  return "[" + name + "]:" + std::to_string(port);
}

bool EntryNames(const KnownHostsEntry& entry, const std::string& name) {
  const std::string lower = Lower(name);
  if (!entry.hashed_salt.empty()) return HmacSha1(entry.hashed_salt, lower) == entry.hashed_name;
  bool matched = false;
  for (const auto& pattern : entry.patterns) {
    if (pattern[0] == '!') {
      if (WildcardMatch(lower, std::string_view(pattern).substr(1))) return false;
    } else if (WildcardMatch(lower, pattern)) {
      matched = true;
    }
  }
  return matched;
}

std::vector<size_t> KnownHosts::CandidatesFor(const std::string& lower_name) const {
  std::vector<size_t> out;
  auto named = by_name.find(lower_name);
  const std::vector<size_t> none;
  const std::vector<size_t>& a = named == by_name.end() ? none : named->second;
  std::merge(a.begin(), a.end(), others.begin(), others.end(), std::back_inserter(out));
  for (size_t i = indexed; i < entries.size(); ++i) out.push_back(i);
  return out;
}

HostKeyVerdict LookUpHostKey(const KnownHosts& known, const std::vector<std::string>& names, const HostKey& presented) {
  using Kind = HostKeyVerdict::Kind;
  std::optional<HostKeyVerdict> knownUnder, changed, otherType;
  for (const auto& name : names) {
    const KnownHostsEntry* sameKey = nullptr;
    const KnownHostsEntry* sameType = nullptr;
    const KnownHostsEntry* anyType = nullptr;
    for (size_t i : known.CandidatesFor(Lower(name))) {
      const KnownHostsEntry& e = known.entries[i];
      if (e.marker == KnownHostsEntry::Marker::kCertAuthority || !EntryNames(e, name)) continue;
      const bool sameBlob = e.key_type == presented.type && e.key_base64 == presented.base64;
      if (e.marker == KnownHostsEntry::Marker::kRevoked) {
        if (sameBlob) return {Kind::kRevoked, name, e.line};
        continue;
      }
      if (sameBlob && !sameKey) sameKey = &e;
      if (e.key_type == presented.type && !sameType) sameType = &e;
      if (!anyType) anyType = &e;
    }
    if (sameKey) {
      if (!knownUnder) knownUnder = HostKeyVerdict{Kind::kKnown, name, sameKey->line};
    } else if (sameType) {
      if (!changed) changed = HostKeyVerdict{Kind::kChanged, name, sameType->line};
    } else if (anyType) {
      if (!otherType) otherType = HostKeyVerdict{Kind::kOtherType, name, anyType->line};
    }
  }
  if (changed) return *changed;
  if (knownUnder) return *knownUnder;
  if (otherType) return *otherType;
  return {Kind::kUnknown, "", 0};
}

std::vector<std::string> RecordedKeyTypes(const KnownHosts& known, const std::vector<std::string>& names) {
  std::vector<size_t> candidates;
  for (const auto& name : names) {
    std::vector<size_t> more = known.CandidatesFor(Lower(name)), merged;
    std::set_union(candidates.begin(), candidates.end(), more.begin(), more.end(), std::back_inserter(merged));
    candidates = std::move(merged);
  }
  std::vector<std::string> types;
  for (size_t i : candidates) {
    const KnownHostsEntry& e = known.entries[i];
    if (e.marker != KnownHostsEntry::Marker::kNone) continue;
    if (std::find(types.begin(), types.end(), e.key_type) != types.end()) continue;
    for (const auto& name : names)
      if (EntryNames(e, name)) {
        types.push_back(e.key_type);
        break;
      }
  }
  return types;
}

Result<std::vector<std::string>> KnownHostsLinesFor(const std::vector<std::string>& names, const HostKey& key,
                                                   bool hashed) {
  std::vector<std::string> lines;
  if (!hashed) {
    std::string joined;
    for (const auto& n : names) joined += (joined.empty() ? "" : ",") + Lower(n);
    lines.push_back(joined + " " + key.type + " " + key.base64);
    return lines;
  }
  for (const auto& n : names) {
    unsigned char salt[kSha1Length];
    if (RAND_bytes(salt, sizeof salt) != 1) return Status::Crypto("cannot draw a salt for a hashed known_hosts entry");
    const std::string saltBytes(reinterpret_cast<char*>(salt), sizeof salt);
    const std::string digest = HmacSha1(saltBytes, Lower(n));
    if (digest.size() != kSha1Length) return Status::Crypto("cannot hash a known_hosts name");
    lines.push_back("|1|" + EncodeBase64(saltBytes) + "|" + EncodeBase64(digest) + " " + key.type + " " + key.base64);
  }
  return lines;
}

}  // namespace pkiform::ssh
