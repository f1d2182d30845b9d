#include "providers/ssh/known_hosts_file.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include <stdlib.h>

using namespace pkiform::ssh;

namespace {

const char* kKeyA = "AAAAC3NzaC1lZDI1NTE5AAAAIIOgnhS0vGxFq7XJ8pZlYS5XJw1Wm0GGz9QFGMMqkg0s";
const char* kKeyB = "AAAAC3NzaC1lZDI1NTE5AAAAIEZZgF8+ek7fcWbcx2HbZsfAqoHQd7dQ0PiN6kvX8aj1";

HostKey Ed(const char* b64) { return {"ssh-ed25519", b64}; }

}  // namespace

TEST_CASE("known_hosts lines parse as OpenSSH writes them", "[known_hosts]") {
  const std::string text = std::string("# comment\n\n   \n") + "web1.example.test,[10.0.0.1]:2222 ssh-ed25519 " + kKeyA +
                           " root@web1\r\n" + "@revoked * ssh-ed25519 " + kKeyB + "\n" +
                           "@cert-authority *.example.test ssh-ed25519 " + kKeyB + "\n";
  KnownHosts k = ParseKnownHosts(text);
  REQUIRE(k.problems.empty());
  REQUIRE(k.entries.size() == 3);
  CHECK(k.entries[0].line == 4);
  CHECK(k.entries[0].patterns == std::vector<std::string>{"web1.example.test", "[10.0.0.1]:2222"});
  CHECK(k.entries[0].key_base64 == kKeyA);
  CHECK(k.entries[1].marker == KnownHostsEntry::Marker::kRevoked);
  CHECK(k.entries[2].marker == KnownHostsEntry::Marker::kCertAuthority);
  CHECK_FALSE(k.has_hashed);
}

TEST_CASE("malformed known_hosts lines are problems with their line, not entries", "[known_hosts]") {
  const std::string text = std::string("root:x:0:0:root:/root:/bin/bash\n") +   // /etc/passwd is not known_hosts
                           "host ssh-ed25519\n" +                               // no key
                           "host ssh-ed25519 not*base64\n" +                    // bad key
                           "|1|c2FsdA==|aGFzaA== ssh-ed25519 " + kKeyA + "\n" +  // salt too short
                           "@weird host ssh-ed25519 " + kKeyA + "\n" + ",host ssh-ed25519 " + kKeyA + "\n" +
                           "ok.example.test ssh-ed25519 " + kKeyA + "\n";
  KnownHosts k = ParseKnownHosts(text);
  REQUIRE(k.entries.size() == 1);
  CHECK(k.entries[0].line == 7);
  REQUIRE(k.problems.size() == 6);
  for (int i = 0; i < 6; ++i) CHECK(k.problems[static_cast<size_t>(i)].line == i + 1);
  CHECK(k.problems[0].message == "expected host names, a key type and a base64 key");
  CHECK(k.problems[2].message == "the key is not base64");
  CHECK(k.problems[3].message == "malformed hashed host name");
  CHECK(k.problems[4].message == "unknown marker '@weird'");
}

TEST_CASE("names are matched case-insensitively, with wildcards and negation", "[known_hosts]") {
  KnownHosts k = ParseKnownHosts(std::string("*.Example.test,!bad.example.test,[10.0.0.?]:2222 ssh-ed25519 ") + kKeyA +
                                 "\n");
  REQUIRE(k.entries.size() == 1);
  const auto& e = k.entries[0];
  CHECK(EntryNames(e, "web1.example.test"));
  CHECK(EntryNames(e, "WEB1.EXAMPLE.TEST"));
  CHECK_FALSE(EntryNames(e, "bad.example.test"));
  CHECK(EntryNames(e, "[10.0.0.7]:2222"));
  CHECK_FALSE(EntryNames(e, "[10.0.0.17]:2222"));
  CHECK_FALSE(EntryNames(e, "10.0.0.7"));
  CHECK(KnownHostsName("Web1.Example.TEST", 22) == "web1.example.test");
  CHECK(KnownHostsName("10.0.0.7", 2222) == "[10.0.0.7]:2222");
}

TEST_CASE("the verdict over the FQDN and the address", "[known_hosts]") {
  using Kind = HostKeyVerdict::Kind;
  const std::vector<std::string> names = {"[web2.example.test]:2222", "[127.0.1.2]:2222"};
  auto verdict = [&](const std::string& text, const HostKey& key) { return LookUpHostKey(ParseKnownHosts(text), names, key); };
  const std::string a = std::string(" ssh-ed25519 ") + kKeyA + "\n", b = std::string(" ssh-ed25519 ") + kKeyB + "\n";

  CHECK(verdict("", Ed(kKeyA)).kind == Kind::kUnknown);
  CHECK(verdict("other.example.test" + a, Ed(kKeyA)).kind == Kind::kUnknown);
  CHECK(verdict("[127.0.1.2]:2222" + a, Ed(kKeyA)).kind == Kind::kKnown);
  CHECK(verdict("[web2.example.test]:2222" + a, Ed(kKeyA)).kind == Kind::kKnown);
  // Two keys of one type for a name (a rotation in progress): the matching one wins, as in OpenSSH.
  CHECK(verdict("[127.0.1.2]:2222" + b + "[127.0.1.2]:2222" + a, Ed(kKeyA)).kind == Kind::kKnown);
  auto changed = verdict("[127.0.1.2]:2222" + a + "[web2.example.test]:2222" + b, Ed(kKeyA));
  CHECK(changed.kind == Kind::kChanged);
  CHECK(changed.name == "[web2.example.test]:2222");
  CHECK(changed.line == 2);
  CHECK(verdict("[127.0.1.2]:2222 ecdsa-sha2-nistp256 " + std::string(kKeyB) + "\n", Ed(kKeyA)).kind ==
        Kind::kOtherType);
  CHECK(verdict("[127.0.1.2]:2222" + a + "@revoked *" + a, Ed(kKeyA)).kind == Kind::kRevoked);
  CHECK(verdict("@cert-authority *" + a, Ed(kKeyA)).kind == Kind::kUnknown);
}

TEST_CASE("hashed lines written for a key are found again, and only under their names", "[known_hosts]") {
  const std::vector<std::string> names = {"[web2.example.test]:2222", "[127.0.1.2]:2222"};
  auto lines = KnownHostsLinesFor(names, Ed(kKeyA), true);
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 2);
  std::string text;
  for (const auto& l : *lines) {
    CHECK(l.rfind("|1|", 0) == 0);
    CHECK(l.find("web2") == std::string::npos);
    text += l + "\n";
  }
  KnownHosts k = ParseKnownHosts(text);
  REQUIRE(k.problems.empty());
  CHECK(k.has_hashed);
  CHECK(LookUpHostKey(k, {names[0]}, Ed(kKeyA)).kind == HostKeyVerdict::Kind::kKnown);
  CHECK(LookUpHostKey(k, {names[1]}, Ed(kKeyA)).kind == HostKeyVerdict::Kind::kKnown);
  CHECK(LookUpHostKey(k, {"[127.0.1.3]:2222"}, Ed(kKeyA)).kind == HostKeyVerdict::Kind::kUnknown);
  auto plain = KnownHostsLinesFor(names, Ed(kKeyA), false);
  REQUIRE(plain.ok());
  CHECK(*plain == std::vector<std::string>{"[web2.example.test]:2222,[127.0.1.2]:2222 ssh-ed25519 " +
                                           std::string(kKeyA)});
}

TEST_CASE("recorded key types for the host, in file order", "[known_hosts]") {
  KnownHosts k = ParseKnownHosts(std::string("h1 ssh-rsa ") + kKeyA + "\nh2 ssh-ed25519 " + kKeyA + "\nh1 ecdsa-sha2-nistp256 " +
                                 kKeyB + "\n@revoked h1 ssh-ed25519 " + kKeyB + "\n");
  CHECK(RecordedKeyTypes(k, {"h1"}) == std::vector<std::string>{"ssh-rsa", "ecdsa-sha2-nistp256"});
  CHECK(RecordedKeyTypes(k, {"h3"}).empty());
}

TEST_CASE("a known_hosts file is parsed once while it is unchanged, and again once it changes", "[known_hosts]") {
  char dir[] = "/tmp/pkiform-known-hosts-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string path = std::string(dir) + "/known_hosts";
  const std::string key = "AAAAC3NzaC1lZDI1NTE5AAAAIP4e6oj6KfcBwnalGZxr7hXG25QhDDS/Hxl2MzJ5z7q5";
  std::ofstream(path) << "web1.example.com ssh-ed25519 " << key << "\n";
  auto first = ReadKnownHostsShared(path);
  auto second = ReadKnownHostsShared(path);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->get() == second->get());  // the same parse
  CHECK((*first)->entries.size() == 1);

  std::ofstream(path, std::ios::app) << "web2.example.com ssh-ed25519 " << key << "\n";
  auto third = ReadKnownHostsShared(path);
  REQUIRE(third.ok());
  CHECK((*third)->entries.size() == 2);  // appended: its size changed
  std::filesystem::remove_all(dir);
  auto gone = ReadKnownHostsShared(path);
  REQUIRE(gone.ok());
  CHECK((*gone)->entries.empty());  // no file: no entries, as ReadKnownHosts
}

TEST_CASE("connections that start together share one parse of the file, not one each", "[known_hosts][Scale]") {
  char dir[] = "/tmp/pkiform-known-hosts-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string path = std::string(dir) + "/known_hosts";
  const std::string key = "AAAAC3NzaC1lZDI1NTE5AAAAIP4e6oj6KfcBwnalGZxr7hXG25QhDDS/Hxl2MzJ5z7q5";
  {
    std::ofstream out(path);
    for (int i = 0; i < 20000; ++i) out << "[10.0." << i / 250 << "." << i % 250 << "]:22 ssh-ed25519 " << key << "\n";
  }
  constexpr int kThreads = 16;
  std::vector<const KnownHosts*> got(kThreads, nullptr);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();  // all at once, as a run's first connections
      auto read = ReadKnownHostsShared(path);
      if (read.ok()) got[t] = read->get();
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread " << t);
    REQUIRE(got[t] != nullptr);
    CHECK(got[t] == got[0]);  // one parse, shared: the others waited for it
  }
  CHECK(got[0]->entries.size() == 20000);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a fleet-sized file finds its host through the index, wildcard and revoked lines still count",
          "[known_hosts]") {
  std::string text = "*.example.com ssh-ed25519 " + std::string(kKeyB) + "\n";
  for (int i = 0; i < 10000; ++i)
    text += "h" + std::to_string(i) + ".fleet.test,[127.0.0." + std::to_string(i % 250) + "]:2222 ssh-ed25519 " +
            kKeyA + "\n";
  text += "@revoked H77.FLEET.TEST ssh-ed25519 " + std::string(kKeyA) + "\n";
  KnownHosts known = ParseKnownHosts(text);
  REQUIRE(known.entries.size() == 10002);
  CHECK(known.CandidatesFor("h5.fleet.test").size() == 2);  // its line and the wildcard line
  CHECK(LookUpHostKey(known, {"h5.fleet.test"}, Ed(kKeyA)).kind == HostKeyVerdict::Kind::kKnown);
  CHECK(LookUpHostKey(known, {"h77.fleet.test"}, Ed(kKeyA)).kind == HostKeyVerdict::Kind::kRevoked);
  CHECK(LookUpHostKey(known, {"www.example.com"}, Ed(kKeyB)).kind == HostKeyVerdict::Kind::kKnown);
  CHECK(LookUpHostKey(known, {"www.example.com"}, Ed(kKeyA)).kind == HostKeyVerdict::Kind::kChanged);
  CHECK(RecordedKeyTypes(known, {"h9.fleet.test"}) == std::vector<std::string>{"ssh-ed25519"});

  // Entries added after parsing are candidates for every name.
  KnownHostsEntry added;
  added.patterns = {"late.fleet.test"};
  added.key_type = "ssh-ed25519";
  added.key_base64 = kKeyB;
  known.entries.push_back(added);
  CHECK(LookUpHostKey(known, {"late.fleet.test"}, Ed(kKeyB)).kind == HostKeyVerdict::Kind::kKnown);
}
