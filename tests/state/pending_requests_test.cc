#include "state/pending_requests.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "state/atomic_file.h"
#include "tests/reconciler/pki/pki_test_support.h"
#include "tests/state/state_test_support.h"
#include "tests/support/temp_dir.h"

namespace pkiform::state {
namespace {

using pkiform::testing::TempDir;
using testing::Contains;
using testing::ModeOf;
using testing::Must;
using testing::MustOk;
using testing::ScopedUmask;

PendingRequest Request(const std::string& cluster, const std::string& peer, const std::string& slot) {
  static const std::string csr = pki::testing::CsrFor("vcs1.example.com", pki::testing::SharedPki().leafKey).ToPem();
  return PendingRequest{cluster, peer, slot, "partner-ca", csr, "2026-11-22T13:00:00Z"};
}

TEST_CASE("a pending request puts its CSR in the repository and its record in the state", "[state]") {
  TempDir state, repo;
  ScopedUmask umask(022);
  const std::string requests = (repo.path() / "requests").string();
  const PendingRequest request = Request("expressway-emea", "vcs1.example.com", "server");
  MustOk(SavePendingRequest(state.path().string(), requests, request));

  const std::string csr_file = requests + "/expressway-emea/vcs1.example.com/server.csr";
  const std::string record = state.path().string() + "/requests/expressway-emea/vcs1.example.com/server.json";
  CHECK(Must(ReadFile(csr_file)) == request.csr_pem);
  CHECK(ModeOf(csr_file) == 0644);
  CHECK(ModeOf(record) == 0600);
  CHECK(Contains(Must(ReadFile(record)), "\"issuer\": \"partner-ca\""));

  CHECK(Must(ListPendingRequests(state.path().string())) == std::vector<PendingRequest>{request});
  CHECK(Must(FindPendingRequest(state.path().string(), "expressway-emea", "vcs1.example.com", "server")) == request);
  CHECK_FALSE(Must(FindPendingRequest(state.path().string(), "expressway-emea", "vcs2.example.com", "server")));
}

TEST_CASE("pending requests list sorted by cluster, peer and slot", "[state]") {
  TempDir state, repo;
  const std::string requests = (repo.path() / "requests").string();
  const std::vector<PendingRequest> sorted = {Request("a", "p1", "server"), Request("a", "p2", "client"),
                                              Request("a", "p2", "server"), Request("b", "p1", "server")};
  for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) MustOk(SavePendingRequest(state.path().string(), requests, *it));
  CHECK(Must(ListPendingRequests(state.path().string())) == sorted);
}

TEST_CASE("removing a pending request removes its CSR and record, and may be repeated", "[state]") {
  TempDir state, repo;
  const std::string requests = (repo.path() / "requests").string();
  MustOk(SavePendingRequest(state.path().string(), requests, Request("c", "p", "s")));
  MustOk(SavePendingRequest(state.path().string(), requests, Request("c", "p", "t")));
  MustOk(RemovePendingRequest(state.path().string(), requests, "c", "p", "s"));
  CHECK_FALSE(std::filesystem::exists(requests + "/c/p/s.csr"));
  CHECK(std::filesystem::exists(requests + "/c/p/t.csr"));
  CHECK(Must(ListPendingRequests(state.path().string())) == std::vector<PendingRequest>{Request("c", "p", "t")});
  MustOk(RemovePendingRequest(state.path().string(), requests, "c", "p", "s"));
  MustOk(RemovePendingRequest(state.path().string(), requests, "never", "saved", "s"));
}

TEST_CASE("pending requests refuse private keys, non-CSRs and unsafe names", "[state]") {
  TempDir state, repo;
  const std::string requests = (repo.path() / "requests").string();
  const std::string key_pem = pki::testing::Must(pki::testing::SharedPki().leafKey.ToPem()).str();

  PendingRequest with_key = Request("c", "p", "s");
  with_key.csr_pem += key_pem;
  const Status refused = SavePendingRequest(state.path().string(), requests, with_key);
  CHECK(refused.code() == Status::Code::kInvalidInput);
  CHECK(Contains(refused.message(), "private key"));

  PendingRequest not_csr = Request("c", "p", "s");
  not_csr.csr_pem = pki::testing::SharedPki().leaf.ToPem();
  CHECK_FALSE(SavePendingRequest(state.path().string(), requests, not_csr).ok());
  PendingRequest bad_time = Request("c", "p", "s");
  bad_time.created = "now";
  CHECK_FALSE(SavePendingRequest(state.path().string(), requests, bad_time).ok());
  CHECK_FALSE(SavePendingRequest(state.path().string(), requests, Request("c", "../p", "s")).ok());
  CHECK_FALSE(RemovePendingRequest(state.path().string(), requests, "c", "p", "..").ok());

  CHECK_FALSE(std::filesystem::exists(requests));
  CHECK(Must(ListPendingRequests(state.path().string())).empty());
}

TEST_CASE("a damaged pending request record is an error naming its file", "[state]") {
  TempDir state;
  state.Write("requests/c/p/s.json", "{\"cluster\": \"c\"}");
  const Result<std::vector<PendingRequest>> listed = ListPendingRequests(state.path().string());
  REQUIRE_FALSE(listed.ok());
  CHECK(Contains(listed.status().message(), "requests/c/p/s.json: \"peer\" is missing"));
}

}  // namespace
}  // namespace pkiform::state
