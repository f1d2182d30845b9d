// What a server presents after its certificate (presented_chain.h).
#include "reconciler/pki/presented_chain.h"

#include <algorithm>

#include "reconciler/pki/chain.h"

namespace pkiform::pki {
namespace {

bool Holds(const std::vector<Certificate>& list, const Certificate& c) {
  return std::find(list.begin(), list.end(), c) != list.end();
}

}  // namespace

std::vector<Certificate> WithoutRoots(const std::vector<Certificate>& certificates) {
  std::vector<Certificate> out;
  for (const auto& c : certificates)
    if (!c.IsSelfSigned() && !Holds(out, c)) out.push_back(c);
  return out;
}

std::vector<Certificate> PresentedChain(const Certificate& leaf, const std::vector<Certificate>& issuerCertificates) {
  const std::vector<Certificate> wanted = WithoutRoots(issuerCertificates);
  std::vector<Certificate> out;
  // Should the path not be built, the loop below still lists every certificate, unordered.
  if (auto path = BuildChain(leaf, wanted); path.ok())
    for (size_t i = 1; i < path->size(); ++i) out.push_back((*path)[i]);
  for (const auto& c : wanted)
    if (!Holds(out, c)) out.push_back(c);
  return out;
}

}  // namespace pkiform::pki
