// The catalogue loader is strict: malformed catalogue text gives an error that names the
// file, the line and the key, never a crash and never a silently ignored fact.
#include <catch2/catch.hpp>
#include <string>

#include "reconciler/catalogue/catalogue.h"

namespace pkiform::catalogue {
namespace {

const char* const kMini = R"(platform: mini
displayName: Mini
ruleSeries: U
nodeTypes:
  - {name: node, displayName: Node}
limits:
  keyAlgorithms:
    - {algorithm: rsa}
  certificateFormats: [pem]
  oneCertificatePerFile: false
  privateKey: {upload: false}
  csr: {onAppliance: true, scope: slot, whilePending: overwrite}
  subject: {wildcards: allowed, requireCn: false, countryTable: none}
trustStores:
  - {name: a-trust, replication: cluster, deletion: cluster, deletable: true, restarts: []}
slots:
  - name: a
    keyAlgorithm: rsa
    nodeTypes: [node]
    placement: everyNode
    trustStore: a-trust
    chainDelivery: trustStoreFirst
    csr: true
    systemSelfSigned: true
    deletable: false
    usage:
      - {source: T, multiServer: Y, keyUsage: {digitalSignature: Y}}
    restarts: [{service: S, since: "14"}]
    rules: {restarts: [U13]}
followUps:
  - {id: f, text: T, phase: after, when: {slots: [a]}, rules: [U14]}
)";

std::string Mutate(const std::string& from, const std::string& to) {
  std::string text = kMini;
  const auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

std::string ErrorOf(const std::string& text) {
  auto p = ParsePlatform("mini.yaml", text);
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().code() == Status::Code::kInvalidInput);
  return p.status().message();
}

TEST_CASE("the minimal catalogue used below is valid", "[catalogue][loader]") {
  auto p = ParsePlatform("mini.yaml", kMini);
  INFO(p.status().ToString());
  REQUIRE(p.ok());
  CHECK(p->slots.at(0).rules.For("restarts") == std::vector<std::string>{"U13"});
  CHECK(p->slots.at(0).restarts.at(0).releases.since.has_value());
}

TEST_CASE("an unknown key is an error naming the file, line and key", "[catalogue][loader]") {
  const std::string msg = ErrorOf(Mutate("    csr: true\n", "    csrr: true\n"));
  CHECK(msg.rfind("mini.yaml:23:5: ", 0) == 0);
  CHECK(msg.find("slots[0].csrr: unknown key") != std::string::npos);
}

TEST_CASE("malformed catalogue values name the key", "[catalogue][loader]") {
  struct Case {
    const char* from;
    const char* to;
    const char* expect;
  };
  const Case cases[] = {
      {"digitalSignature: Y", "digitalSignatur: Y",
       "slots[0].usage[0].keyUsage.digitalSignatur: unknown usage name"},
      {"multiServer: Y", "multiServer: maybe", "slots[0].usage[0].multiServer: 'maybe' is not one of: Y, N"},
      {"trustStore: a-trust", "trustStore: b-trust", "slots[0].trustStore: 'b-trust' is not a trust store"},
      {"restarts: [U13]", "restarts: [V13]", "slots[0].rules.restarts: 'V13' is not a rule id"},
      {"rules: {restarts:", "rules: {restart:", "slots[0].rules.restart: names no fact"},
      {"    csr: true", "    csr: yes", "slots[0].csr: expected true or false"},
      {"    placement: everyNode\n", "", "slots[0].placement: required key is missing"},
      {"nodeTypes: [node]", "nodeTypes: [nod]", "slots[0].nodeTypes: 'nod' is not declared"},
      {"when: {slots: [a]}", "when: {slots: [b]}", "followUps[0].when.slots: 'b' is not a slot"},
      {"restarts: [{service: S, since: \"14\"}]", "restarts: sometimes",
       "slots[0].restarts: expected a list"},
      {"since: \"14\"", "since: 14.0.1.12900", "slots[0].restarts[0].since: '14.0.1.12900' is not a release"},
      {"    csr: true\n", "    csr: true\n    csr: false\n", "slots[0].csr: duplicate key"},
      {"certificateFormats: [pem]", "certificateFormats: [p12]",
       "limits.certificateFormats: 'p12' is not one of"},
      {"whilePending: overwrite", "whilePending: queue", "limits.csr.whilePending: 'queue' is not one of"},
      {"- {algorithm: rsa}", "- {algorithm: dsa}", "limits.keyAlgorithms[0].algorithm: 'dsa' is not one of"},
      {"usage:\n      - {source: T, multiServer: Y, keyUsage: {digitalSignature: Y}}\n", "usage: 7\n",
       "slots[0].usage: expected a list"},
  };
  for (const Case& c : cases) {
    INFO(c.from << " -> " << c.to);
    const std::string msg = ErrorOf(Mutate(c.from, c.to));
    INFO(msg);
    CHECK(msg.rfind("mini.yaml:", 0) == 0);
    CHECK(msg.find(c.expect) != std::string::npos);
  }
}

TEST_CASE("text that is not YAML is an error, not an exception", "[catalogue][loader]") {
  const std::string msg = ErrorOf("platform: [unclosed\nslots: {");
  CHECK(msg.rfind("mini.yaml:", 0) == 0);
  CHECK(msg.find("not valid YAML") != std::string::npos);
  CHECK(ErrorOf("").find("expected a mapping") != std::string::npos);
}

}  // namespace
}  // namespace pkiform::catalogue
