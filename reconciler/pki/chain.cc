#include "reconciler/pki/chain.h"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

namespace pkiform::pki {
namespace {

Result<StackOfX509Ptr> ToStack(const std::vector<Certificate>& certificates) {
  StackOfX509Ptr stack(sk_X509_new_null());
  if (!stack) return CryptoFailure("cannot allocate a certificate stack");
  for (const auto& certificate : certificates) {
    // The stack owns one reference of its own, released by sk_X509_pop_free.
    X509_up_ref(certificate.get());
    if (sk_X509_push(stack.get(), certificate.get()) <= 0) {
      X509_free(certificate.get());
      return CryptoFailure("cannot add a certificate to a stack");
    }
  }
  return stack;
}

std::string Quoted(const X509_NAME* name) { return "'" + FromX509Name(name).ToString() + "'"; }

}  // namespace

bool IsIssuedBy(const Certificate& cert, const Certificate& issuer) {
  if (X509_NAME_cmp(X509_get_issuer_name(cert.get()), X509_get_subject_name(issuer.get())) != 0) return false;
  EVP_PKEY* issuerKey = X509_get0_pubkey(issuer.get());
  const bool verifies = issuerKey != nullptr && X509_verify(cert.get(), issuerKey) == 1;
  ERR_clear_error();
  return verifies;
}

Result<std::vector<Certificate>> BuildChain(const Certificate& leaf, const std::vector<Certificate>& unorderedBundle) {
  std::vector<Certificate> chain{leaf};
  std::vector<bool> used(unorderedBundle.size(), false);
  // A copy of the leaf inside the bundle must not become its own issuer.
  for (size_t i = 0; i < unorderedBundle.size(); ++i) used[i] = unorderedBundle[i] == leaf;
  while (!chain.back().IsSelfSigned()) {
    bool found = false;
    for (size_t i = 0; i < unorderedBundle.size() && !found; ++i) {
      if (used[i] || !IsIssuedBy(chain.back(), unorderedBundle[i])) continue;
      used[i] = true;
      // The same certificate twice in the bundle would otherwise extend the chain again.
      for (size_t j = 0; j < unorderedBundle.size(); ++j) used[j] = used[j] || unorderedBundle[j] == unorderedBundle[i];
      chain.push_back(unorderedBundle[i]);
      found = true;
    }
    if (!found) break;
  }
  return chain;
}

Status VerifyChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                   const std::vector<Certificate>& anchors, TimePoint at) {
  if (anchors.empty()) return Status::InvalidInput("no trust anchors to verify the chain against");
  ERR_clear_error();
  X509StorePtr store(X509_STORE_new());
  if (!store) return CryptoFailure("cannot allocate a certificate store");
  for (const auto& anchor : anchors) {
    // X509_STORE_add_cert takes its own reference.
    if (X509_STORE_add_cert(store.get(), anchor.get()) != 1) return CryptoFailure("cannot add a trust anchor");
  }
  Result<StackOfX509Ptr> untrusted = ToStack(intermediates);
  if (!untrusted.ok()) return untrusted.status();
  X509StoreCtxPtr context(X509_STORE_CTX_new());
  if (!context || X509_STORE_CTX_init(context.get(), store.get(), leaf.get(), untrusted->get()) != 1) {
    return CryptoFailure("cannot start chain verification");
  }
  X509_VERIFY_PARAM* parameters = X509_STORE_CTX_get0_param(context.get());
  const auto seconds = std::chrono::floor<std::chrono::seconds>(at).time_since_epoch().count();
  // set_time also turns on X509_V_FLAG_USE_CHECK_TIME.
  X509_VERIFY_PARAM_set_time(parameters, static_cast<time_t>(seconds));
  X509_VERIFY_PARAM_set_flags(parameters, X509_V_FLAG_PARTIAL_CHAIN);
  if (X509_verify_cert(context.get()) == 1) {
    ERR_clear_error();
    return Status::Ok();
  }
  const int error = X509_STORE_CTX_get_error(context.get());
  X509* failing = X509_STORE_CTX_get_current_cert(context.get());
  if (failing == nullptr) failing = leaf.get();
  std::string message =
      "certificate " + Quoted(X509_get_subject_name(failing)) + ": " + X509_verify_cert_error_string(error);
  if (error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY || error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) {
    message += " (its issuer " + Quoted(X509_get_issuer_name(failing)) + " is neither given nor trusted)";
  }
  if (error == X509_V_ERR_CERT_HAS_EXPIRED || error == X509_V_ERR_CERT_NOT_YET_VALID) {
    message += " (checked at " + FormatRfc3339Utc(at) + ")";
  }
  ERR_clear_error();
  return Status::InvalidInput(message);
}

}  // namespace pkiform::pki
