#include "reconciler/pki/handles.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <catch2/catch.hpp>

#include "pki_test_support.h"

namespace pkiform::pki {
namespace {

TEST_CASE("OpensslErrorString reports the reason and drains the queue", "[pki]") {
  const std::string garbage = "this is not PEM";
  BioPtr bio = testing::Must(ReadOnlyBio(garbage));
  X509Ptr x509(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  REQUIRE(x509 == nullptr);
  REQUIRE(ERR_peek_error() != 0);
  CHECK(OpensslErrorString() == "no start line (Expecting: CERTIFICATE)");
  CHECK(ERR_peek_error() == 0);
  CHECK(OpensslErrorString() == "no detail from OpenSSL");
}

TEST_CASE("CryptoFailure prefixes what failed to OpenSSL's reason", "[pki]") {
  ERR_raise(ERR_LIB_PEM, PEM_R_BAD_END_LINE);
  const Status status = CryptoFailure("cannot read X");
  CHECK(status.code() == Status::Code::kCrypto);
  CHECK(status.message() == "cannot read X: bad end line");
}

TEST_CASE("StackOfX509Ptr frees the certificates it holds", "[pki]") {
  // Under AddressSanitizer a missing X509_free here shows up as a leak.
  StackOfX509Ptr stack(sk_X509_new_null());
  REQUIRE(stack);
  X509* certificate = X509_new();
  REQUIRE(sk_X509_push(stack.get(), certificate) == 1);
  CHECK(sk_X509_num(stack.get()) == 1);
}

TEST_CASE("BioContents returns what was written to a memory BIO", "[pki]") {
  BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE(bio);
  CHECK(BioContents(bio.get()).empty());
  REQUIRE(BIO_write(bio.get(), "abc\n", 4) == 4);
  CHECK(BioContents(bio.get()) == "abc\n");
}

}  // namespace
}  // namespace pkiform::pki
