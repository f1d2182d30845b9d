// Owning handles for OpenSSL objects, and the text of OpenSSL's error queue.
//
// Every OpenSSL object pkiform creates lives in one of these unique_ptr types,
// so no code path (early return, error, exception from the standard library)
// can leak it, and no .cc file calls a *_free function by hand.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

#include "reconciler/util/result.h"

namespace pkiform::pki {

// Deleter calling OpenSSL's own free function for the type.
template <auto FreeFunction>
struct OpensslDeleter {
  template <typename T>
  void operator()(T* object) const {
    FreeFunction(object);
  }
};

template <typename T, auto FreeFunction>
using OpensslPtr = std::unique_ptr<T, OpensslDeleter<FreeFunction>>;

using X509Ptr = OpensslPtr<X509, X509_free>;
using X509ReqPtr = OpensslPtr<X509_REQ, X509_REQ_free>;
using X509CrlPtr = OpensslPtr<X509_CRL, X509_CRL_free>;
using X509RevokedPtr = OpensslPtr<X509_REVOKED, X509_REVOKED_free>;
using X509NamePtr = OpensslPtr<X509_NAME, X509_NAME_free>;
using X509PubkeyPtr = OpensslPtr<X509_PUBKEY, X509_PUBKEY_free>;
using X509ExtensionPtr = OpensslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using X509StorePtr = OpensslPtr<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = OpensslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using EvpPkeyPtr = OpensslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = OpensslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using EvpMdCtxPtr = OpensslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using BioPtr = OpensslPtr<BIO, BIO_free_all>;
using Pkcs7Ptr = OpensslPtr<PKCS7, PKCS7_free>;
using Asn1IntegerPtr = OpensslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1TimePtr = OpensslPtr<ASN1_TIME, ASN1_TIME_free>;
using Asn1BitStringPtr = OpensslPtr<ASN1_BIT_STRING, ASN1_BIT_STRING_free>;
using Asn1OctetStringPtr = OpensslPtr<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Asn1ObjectPtr = OpensslPtr<ASN1_OBJECT, ASN1_OBJECT_free>;
using BignumPtr = OpensslPtr<BIGNUM, BN_free>;
using GeneralNamePtr = OpensslPtr<GENERAL_NAME, GENERAL_NAME_free>;
using GeneralNamesPtr = OpensslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using BasicConstraintsPtr = OpensslPtr<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>;
using ExtendedKeyUsagePtr = OpensslPtr<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>;
using AuthorityKeyIdPtr = OpensslPtr<AUTHORITY_KEYID, AUTHORITY_KEYID_free>;
using AuthorityInfoAccessPtr = OpensslPtr<AUTHORITY_INFO_ACCESS, AUTHORITY_INFO_ACCESS_free>;
using AccessDescriptionPtr = OpensslPtr<ACCESS_DESCRIPTION, ACCESS_DESCRIPTION_free>;
using CrlDistPointsPtr = OpensslPtr<CRL_DIST_POINTS, CRL_DIST_POINTS_free>;
using DistPointPtr = OpensslPtr<DIST_POINT, DIST_POINT_free>;
using DistPointNamePtr = OpensslPtr<DIST_POINT_NAME, DIST_POINT_NAME_free>;

// The STACK_OF and OPENSSL_free helpers are macros, so they get hand-written deleters.
struct StackOfX509Deleter {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_pop_free(stack, X509_free); }
};
using StackOfX509Ptr = std::unique_ptr<STACK_OF(X509), StackOfX509Deleter>;

struct StackOfX509ExtensionDeleter {
  void operator()(STACK_OF(X509_EXTENSION) * stack) const { sk_X509_EXTENSION_pop_free(stack, X509_EXTENSION_free); }
};
using StackOfX509ExtensionPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), StackOfX509ExtensionDeleter>;

struct OpensslBufferDeleter {
  void operator()(void* buffer) const { OPENSSL_free(buffer); }
};
// Memory that OpenSSL allocated for us (i2d_* output, BN_bn2hex, ...).
using OpensslBytesPtr = std::unique_ptr<unsigned char, OpensslBufferDeleter>;
using OpensslCharsPtr = std::unique_ptr<char, OpensslBufferDeleter>;

// Drains OpenSSL's thread-local error queue into one line ("reason; reason"), so
// the next failure does not report stale errors. Returns "no detail from OpenSSL"
// when the queue is empty.
std::string OpensslErrorString();

// Status::Crypto("<what>: <OpenSSL's reasons>"), for calls that fail inside OpenSSL.
Status CryptoFailure(const std::string& what);

// A read-only memory BIO over `bytes` (which must outlive the BIO).
Result<BioPtr> ReadOnlyBio(std::string_view bytes);

// The bytes written so far into a memory BIO.
std::string BioContents(BIO* bio);

}  // namespace pkiform::pki
