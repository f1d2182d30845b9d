#include "reconciler/pki/passphrase.h"

#include <stdlib.h>

#include <catch2/catch.hpp>

#include "pki_test_support.h"

namespace pkiform::pki {
namespace {

using testing::Must;
using testing::TempFile;

TEST_CASE("SecretString moves its text and leaves the source empty", "[pki]") {
  std::string text = "hunter2";
  SecretString secret(std::move(text));
  CHECK(text.empty());
  CHECK(secret.str() == "hunter2");
  SecretString moved(std::move(secret));
  CHECK(moved.view() == "hunter2");
  CHECK(secret.empty());  // NOLINT(bugprone-use-after-move): the wipe is what is tested
  SecretString assigned;
  assigned = std::move(moved);
  CHECK(assigned.str() == "hunter2");
  CHECK(moved.empty());  // NOLINT(bugprone-use-after-move)
}

TEST_CASE("ReadPassphrase takes exactly one source", "[pki]") {
  CHECK(ReadPassphrase("", "").status().message() == "set exactly one of passphraseEnv and passphraseFile");
  CHECK(ReadPassphrase("X", "/tmp/y").status().message() == "set exactly one of passphraseEnv and passphraseFile");
}

TEST_CASE("ReadPassphrase reads an environment variable without echoing it", "[pki]") {
  REQUIRE(setenv("PKIFORM_TEST_PASSPHRASE", "env-secret", 1) == 0);
  CHECK(Must(ReadPassphrase("PKIFORM_TEST_PASSPHRASE", "")).str() == "env-secret");
  REQUIRE(setenv("PKIFORM_TEST_PASSPHRASE", "", 1) == 0);
  CHECK(ReadPassphrase("PKIFORM_TEST_PASSPHRASE", "").status().message() ==
        "environment variable PKIFORM_TEST_PASSPHRASE is empty");
  REQUIRE(unsetenv("PKIFORM_TEST_PASSPHRASE") == 0);
  Result<SecretString> missing = ReadPassphrase("PKIFORM_TEST_PASSPHRASE", "");
  CHECK(missing.status().code() == Status::Code::kNotFound);
  CHECK(missing.status().message() == "environment variable PKIFORM_TEST_PASSPHRASE is not set");
}

TEST_CASE("ReadPassphrase strips one trailing newline of a file", "[pki]") {
  CHECK(Must(ReadPassphrase("", TempFile("file-secret\n").path())).str() == "file-secret");
  CHECK(Must(ReadPassphrase("", TempFile("crlf-secret\r\n").path())).str() == "crlf-secret");
  CHECK(Must(ReadPassphrase("", TempFile("two\n\n").path())).str() == "two\n");
  CHECK(Must(ReadPassphrase("", TempFile("no-newline").path())).str() == "no-newline");
  const TempFile empty("\n");
  CHECK(ReadPassphrase("", empty.path()).status().message() == "passphrase file '" + empty.path() + "' is empty");
  Result<SecretString> missing = ReadPassphrase("", "/nonexistent/pkiform/passphrase");
  CHECK(missing.status().code() == Status::Code::kIoError);
  CHECK(missing.status().message() ==
        "cannot open passphrase file '/nonexistent/pkiform/passphrase': No such file or directory");
}

}  // namespace
}  // namespace pkiform::pki
