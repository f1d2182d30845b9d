// The apply summary counts what stands and names what was rolled back (issue 7).
#include "reconciler/executor/executor.h"

#include <catch2/catch.hpp>

using namespace pkiform;

TEST_CASE("the apply summary counts the changes that stand", "[executor]") {
  ApplyReport report;
  PeerOutcome web1;
  web1.cluster = "web";
  web1.peer = "web1.example.test";
  web1.applied = 2;
  report.peers.push_back(web1);
  CHECK(report.Summary() == "Apply complete: 2 changes applied on 1 peer.");

  PeerOutcome web2;
  web2.cluster = "web";
  web2.peer = "web2.example.test";
  web2.ok = false;
  web2.rolled_back = true;
  web2.applied = 1;  // a trust addition stands
  web2.restored = {"web/web2.example.test/identity/nginx", "web/web2.example.test/identity/api"};
  web2.error = "verify nginx: does not serve the new certificate (rolled back)";
  report.peers.push_back(web2);
  PeerOutcome web3;
  web3.cluster = "web";
  web3.peer = "web3.example.test";
  web3.ok = false;
  web3.skipped = true;
  report.peers.push_back(web3);
  CHECK_FALSE(report.ok());
  CHECK(report.Summary() ==
        "Apply failed: 3 changes applied on 2 peers; 2 changes rolled back on 1 peer.\n"
        "  web/web2.example.test: verify nginx: does not serve the new certificate (rolled back)\n"
        "    restored: web/web2.example.test/identity/nginx web/web2.example.test/identity/api\n"
        "  web/web3.example.test: skipped (an earlier peer of the cluster failed)");
}
