// Parsing --target (target.h).
#include "reconciler/planner/target.h"

namespace pkiform::planner {

Result<Target> ParseTarget(const std::string& text) {
  Target t;
  if (text.empty()) return t;
  auto bad = [&] {
    return Status::InvalidInput("--target '" + text + "': expected cluster, cluster/peer or cluster/peer/slot");
  };
  const size_t first = text.find('/');
  t.cluster = text.substr(0, first);
  if (first != std::string::npos) {
    const size_t second = text.find('/', first + 1);
    t.peer = text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    if (second != std::string::npos) {
      t.item = text.substr(second + 1);
      if (t.item.empty()) return bad();
    }
    if (t.peer.empty()) return bad();
  }
  if (t.cluster.empty()) return bad();
  return t;
}

}  // namespace pkiform::planner
