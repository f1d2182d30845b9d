// The chain the planner expects of an openssh slot (SlotInput::expected_chain,
// judged by ChainIncomplete) against what apply writes, for every issuer depth
// (a root; an intermediate under a root; two intermediates) and every set of
// slot files (certificate alone; + chain; + fullchain; all four). The installed
// files are made by the provider's own layout (openssh/slot_contents.h) and read
// back by its own observation (openssh/observation.h), so the test fails if the
// writer, the reader and the planner ever disagree.
#include "reconciler/planner/slot_input.h"

#include <catch2/catch.hpp>

#include <map>

#include "providers/openssh/observation.h"
#include "providers/openssh/slot_contents.h"
#include "tests/reconciler/planner/planner_fixture.h"

namespace pkiform::planner {
namespace {

using namespace testing;

// A second intermediate, under Corp Issuing CA.
const Ca& Team() {
  static const Ca ca = [] {
    pki::PrivateKey key = NewP256Key();
    return Ca{key, Must(pki::SignPublicKey(key.get(), Issuing().cert, Issuing().key, CaPolicy("Corp Team CA", 1000)))};
  }();
  return ca;
}

struct Depth {
  const char* name;
  const Ca* signer;
  std::vector<pki::Certificate> issuer_certificates;  // the issuer first, up to the root
};

std::vector<Depth> Depths() {
  return {
      {"root", &Root(), {Root().cert}},
      {"one intermediate", &Issuing(), {Issuing().cert, Root().cert}},
      {"two intermediates", &Team(), {Team().cert, Issuing().cert, Root().cert}},
  };
}

struct FileSet {
  const char* name;
  bool chain, fullchain;
};

const std::vector<FileSet>& FileSets() {
  static const std::vector<FileSet> sets = {
      {"certificate", false, false},
      {"certificate + chain", true, false},
      {"certificate + fullchain", false, true},
      {"all four", true, true},
  };
  return sets;
}

SlotFiles FilesOf(const FileSet& set) {
  SlotFiles f;
  f.certificate = "/etc/nginx/tls/server.pem";
  if (set.chain) f.chain = "/etc/nginx/tls/chain.pem";
  if (set.fullchain) f.fullchain = "/etc/nginx/tls/fullchain.pem";
  f.private_key = "/etc/nginx/tls/server.key";
  return f;
}

std::string Hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// The slot as Observe reads it from `files` on the host (path -> content; absent
// when not there). The private key file is left out: its digest is set directly.
ObservedSlot Observe(const SlotFiles& configured, const std::map<std::string, std::string>& files) {
  openssh::SlotToObserve slot{"nginx", {}};
  slot.files.certificate = configured.certificate;
  slot.files.chain = configured.chain;
  slot.files.fullchain = configured.fullchain;
  std::string output = "@@pkiform encoding 0 hex\n";
  auto dump = [&](const std::string& kind, const std::string& path) {
    if (path.empty()) return;
    auto it = files.find(path);
    output += "@@pkiform " + kind + " 0 " + (it == files.end() ? "absent\n" : "present\n" + Hex(it->second) + "\n");
  };
  dump("cert", configured.certificate);
  dump("chain", configured.chain);
  dump("fullchain", configured.fullchain);
  output += "@@pkiform end 0 0\n";
  Actual actual = Must(openssh::ReadObservation(output, {slot}, {}, "web-eu", "web1.example.com"));
  REQUIRE(actual.slots.size() == 1);
  ObservedSlot observed = actual.slots[0];
  observed.key_public_digest = LeafKey().PublicKeyDigest();
  return observed;
}

// The files exactly as apply writes them for `leaf`.
std::map<std::string, std::string> AsApplied(const SlotFiles& configured, const pki::Certificate& leaf,
                                             const std::vector<pki::Certificate>& issuer_certificates) {
  openssh::SlotFileSet set;
  set.certificate = configured.certificate;
  set.chain = configured.chain;
  set.fullchain = configured.fullchain;
  set.private_key = configured.private_key;
  const openssh::SlotContents c = openssh::ContentsOf(set, leaf, issuer_certificates);
  std::map<std::string, std::string> files = {{configured.certificate, c.certificate}};
  if (!configured.chain.empty()) files[configured.chain] = c.chain;
  if (!configured.fullchain.empty()) files[configured.fullchain] = c.fullchain;
  return files;
}

// The one-peer fleet of planner_fixture.h with issuer corp-ca at `depth` and slot files `set`.
struct Case {
  Fleet fleet;
  SlotFiles files;
  pki::Certificate leaf;

  Case(const Depth& depth, const FileSet& set) : files(FilesOf(set)), leaf(Leaf(*depth.signer)) {
    fleet.issuer_chains["corp-ca"] = depth.issuer_certificates;
    fleet.cluster().identity[0].files = files;
  }
  static pki::Certificate Leaf(const Ca& signer) {
    LeafSpec spec;
    return IssueLeaf(LeafKey(), spec, signer);
  }
  void Install(const std::map<std::string, std::string>& on_host) { fleet.slot() = Observe(files, on_host); }
};

std::string Pems(const std::vector<pki::Certificate>& certs) {
  std::string out;
  for (const auto& c : certs) out += c.ToPem();
  return out;
}

TEST_CASE("chain table: installed exactly as apply writes it, the plan is empty", "[planner][rule:D11]") {
  for (const Depth& depth : Depths())
    for (const FileSet& set : FileSets()) {
      INFO(depth.name << ", " << set.name);
      Case c(depth, set);
      c.Install(AsApplied(c.files, c.leaf, depth.issuer_certificates));
      CHECK(Changes(c.fleet.MustPlan()).empty());
    }
}

TEST_CASE("chain table: what apply writes in each file, the root never in a chain", "[planner][openssh]") {
  for (const Depth& depth : Depths())
    for (const FileSet& set : FileSets()) {
      INFO(depth.name << ", " << set.name);
      Case c(depth, set);
      const auto files = AsApplied(c.files, c.leaf, depth.issuer_certificates);
      // The issuer and the CAs above it, in signing order, without the root.
      const std::vector<pki::Certificate> presented(depth.issuer_certificates.begin(),
                                                    depth.issuer_certificates.end() - 1);
      const std::string leaf = c.leaf.ToPem(), chain = Pems(presented);
      CHECK(files.at(c.files.certificate) == (set.chain || set.fullchain ? leaf : leaf + chain));
      if (set.chain) CHECK(files.at(c.files.chain) == chain);
      if (set.fullchain) CHECK(files.at(c.files.fullchain) == leaf + chain);
      for (const auto& [path, content] : files) CHECK(content.find(Root().cert.ToPem()) == std::string::npos);
    }
}

TEST_CASE("chain table: a chain missing an intermediate is replaced, saying which", "[planner][rule:D11]") {
  for (const Depth& depth : Depths()) {
    if (depth.issuer_certificates.size() < 2) continue;  // a root issuer has no intermediate to miss
    for (const FileSet& set : FileSets()) {
      INFO(depth.name << ", " << set.name);
      Case c(depth, set);
      auto files = AsApplied(c.files, c.leaf, depth.issuer_certificates);
      // The top intermediate went missing wherever the chain is read from.
      const std::string top = depth.issuer_certificates[depth.issuer_certificates.size() - 2].ToPem();
      for (auto& [path, content] : files)
        if (auto at = content.find(top); at != std::string::npos) content.erase(at, top.size());
      c.Install(files);
      const Change change = OnlyChange(c.fleet.MustPlan());
      CHECK(change.action == Action::kReplace);
      CHECK(change.reason == "installed chain lacks " +
                                 depth.issuer_certificates[depth.issuer_certificates.size() - 2].Subject().ToString() +
                                 " of issuer corp-ca");
    }
  }
}

TEST_CASE("chain table: no installed chain at all, with an intermediate issuer, is replaced", "[planner][rule:D11]") {
  for (const FileSet& set : FileSets()) {
    INFO(set.name);
    Case c(Depths()[1], set);
    std::map<std::string, std::string> files = {{c.files.certificate, c.leaf.ToPem()}};
    if (set.chain) files[c.files.chain] = "";
    if (set.fullchain) files[c.files.fullchain] = c.leaf.ToPem();
    c.Install(files);
    CHECK(OnlyChange(c.fleet.MustPlan()).reason ==
          "installed chain lacks CN=Corp Issuing CA, O=Example Ltd, C=GB of issuer corp-ca");
  }
}

TEST_CASE("chain table: a root in the installed chain is neither missing nor a reason to replace",
          "[planner][rule:D11]") {
  for (const Depth& depth : Depths())
    for (const FileSet& set : FileSets()) {
      INFO(depth.name << ", " << set.name);
      Case c(depth, set);
      // As an earlier pkiform, or a person, wrote them: the chain up to and including the root.
      const std::string leaf = c.leaf.ToPem(), chain = Pems(depth.issuer_certificates);
      std::map<std::string, std::string> files;
      files[c.files.certificate] = set.chain || set.fullchain ? leaf : leaf + chain;
      if (set.chain) files[c.files.chain] = chain;
      if (set.fullchain) files[c.files.fullchain] = leaf + chain;
      c.Install(files);
      CHECK(Changes(c.fleet.MustPlan()).empty());
    }
}

TEST_CASE("chain table: a chain or fullchain file gone from the peer is written again, root issuer included",
          "[planner]") {
  for (const Depth& depth : Depths())
    for (const FileSet& set : FileSets())
      for (bool chain_file : {true, false}) {
        if (chain_file ? !set.chain : !set.fullchain) continue;
        INFO(depth.name << ", " << set.name << ", without the " << (chain_file ? "chain" : "fullchain") << " file");
        Case c(depth, set);
        auto files = AsApplied(c.files, c.leaf, depth.issuer_certificates);
        const std::string gone = chain_file ? c.files.chain : c.files.fullchain;
        files.erase(gone);
        c.Install(files);
        const Change change = OnlyChange(c.fleet.MustPlan());
        CHECK(change.action == Action::kReplace);
        // Without the file the chain is read from, an intermediate issuer's chain is incomplete, which says more.
        const bool chain_source = chain_file || !set.chain;
        if (chain_source && depth.issuer_certificates.size() > 1)
          CHECK_THAT(change.reason, Catch::StartsWith("installed chain lacks "));
        else
          CHECK(change.reason == "missing on the peer: " + gone);
      }
}

TEST_CASE("expected chain: files drop the root, imports keep it, trust-store delivery judges none", "[planner]") {
  Fleet f;
  const Cluster& c = f.cluster();
  const IdentitySlot& slot = c.identity[0];
  const Issuer& issuer = f.desired.issuers[0];
  const std::vector<pki::Certificate> certs = {Issuing().cert, Root().cert};
  const auto& catalogue = Catalogue();
  auto fingerprints = [](const std::vector<pki::Certificate>& list) {
    std::vector<std::string> out;
    for (const auto& x : list) out.push_back(x.FingerprintSha256());
    return out;
  };

  SlotInput openssh =
      Must(MakeSlotInput(c, c.peers[0], slot, issuer, *catalogue.Find("openssh"), certs, nullptr, Now()));
  CHECK(fingerprints(openssh.expected_chain) == std::vector<std::string>{Issuing().cert.FingerprintSha256()});

  IdentitySlot dms_slot = slot;
  dms_slot.slot = "identity";
  dms_slot.files.reset();
  dms_slot.key.algorithm = "rsa";
  SlotInput dms = Must(MakeSlotInput(c, c.peers[0], dms_slot, issuer, *catalogue.Find("dms"), certs, nullptr, Now()));
  CHECK(fingerprints(dms.expected_chain) == fingerprints(certs));

  IdentitySlot vcs_slot = dms_slot;
  vcs_slot.slot = "server";
  SlotInput vcs = Must(MakeSlotInput(c, c.peers[0], vcs_slot, issuer, *catalogue.Find("vcs"), certs, nullptr, Now()));
  CHECK(vcs.expected_chain.empty());
}

}  // namespace
}  // namespace pkiform::planner
