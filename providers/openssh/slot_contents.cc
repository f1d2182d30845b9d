// The contents of an openssh slot's files (slot_contents.h).
#include "providers/openssh/slot_contents.h"

#include "reconciler/pki/presented_chain.h"

namespace pkiform::openssh {

SlotContents ContentsOf(const SlotFileSet& files, const pki::Certificate& leaf,
                        const std::vector<pki::Certificate>& issuer_certificates) {
  std::string chain;
  for (const auto& ca : pki::PresentedChain(leaf, issuer_certificates)) chain += ca.ToPem();
  const std::string certificate = leaf.ToPem();
  SlotContents out;
  const bool chain_elsewhere = !files.chain.empty() || !files.fullchain.empty();
  out.certificate = chain_elsewhere ? certificate : certificate + chain;
  if (!files.chain.empty()) out.chain = chain;
  if (!files.fullchain.empty()) out.fullchain = certificate + chain;
  return out;
}

}  // namespace pkiform::openssh
