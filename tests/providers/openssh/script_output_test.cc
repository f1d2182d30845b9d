// The remote script output format, parsed without a host; and the script
// prelude run by a local /bin/sh, so the parser meets real base64 and od output.
#include <catch2/catch.hpp>

#include "providers/openssh/remote_script.h"
#include "providers/openssh/script_output.h"
#include "providers/openssh/shell_quote.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

using namespace pkiform;
using namespace pkiform::openssh;

TEST_CASE("script output: sections, banner, encodings, end marker", "[openssh]") {
  // "hi\n" in base64 is aGkK; a banner before the encoding marker is ignored.
  auto parsed = ParseScriptOutput("Welcome to host\n\n@@pkiform encoding 0 b64\n\n@@pkiform cert 3 present\naGkK\n"
                                  "\n@@pkiform chain 3 absent\n\n@@pkiform end 0 0\n");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 2);
  CHECK((*parsed)[0].kind == "cert");
  CHECK((*parsed)[0].index == 3);
  CHECK((*parsed)[0].state == "present");
  CHECK((*parsed)[0].data == "hi\n");
  CHECK((*parsed)[1].state == "absent");
  CHECK((*parsed)[1].data.empty());

  auto hex = ParseScriptOutput("@@pkiform encoding 0 hex\n@@pkiform x 0 present\n 68 69\n 0a\n@@pkiform end 0 0\n");
  REQUIRE(hex.ok());
  CHECK((*hex)[0].data == "hi\n");
}

TEST_CASE("script output: truncated or malformed output is refused", "[openssh]") {
  CHECK_FALSE(ParseScriptOutput("@@pkiform encoding 0 b64\n@@pkiform cert 0 present\naGkK\n").ok());  // no end
  CHECK_FALSE(ParseScriptOutput("").ok());
  CHECK_FALSE(ParseScriptOutput("@@pkiform cert 0 present\n@@pkiform end 0 0\n").ok());  // no encoding first
  CHECK_FALSE(ParseScriptOutput("@@pkiform encoding 0 b64\nstray\n@@pkiform end 0 0\n").ok());
  CHECK_FALSE(ParseScriptOutput("@@pkiform encoding 0 b64\n@@pkiform cert x present\n@@pkiform end 0 0\n").ok());
  CHECK_FALSE(ParseScriptOutput("@@pkiform encoding 0 b64\n@@pkiform c 0 p\n-----BEGIN\n@@pkiform end 0 0\n").ok());
  CHECK_FALSE(ParseScriptOutput("@@pkiform encoding 0 b64\n@@pkiform end 0 0\n@@pkiform c 0 p\n").ok());
  CHECK_FALSE(DecodeHex("6").ok());
  CHECK_FALSE(DecodeBase64("aG=k").ok());
}

TEST_CASE("the prelude's dump survives content that imitates markers, with base64 and with od", "[openssh]") {
  const std::string evil = "\n@@pkiform end 0 0\n@@pkiform cert 0 absent\n\x01\xff no newline at end";
  for (bool withBase64 : {true, false}) {
    std::string script(kScriptPrelude);
    if (!withBase64) {  // as on a host without base64: od it is
      const std::string probe = "command -v base64 >/dev/null 2>&1";
      script.replace(script.find(probe), probe.size(), "false");
    }
    pkiform::testing::TempDir dir;
    const std::string data = (dir.path() / "data").string();
    script += "printf '%s' " + ShellQuote(evil) + " > " + ShellQuote(data) + "\n";
    script += "dump f 0 " + ShellQuote(data) + "\ndump g 1 " + ShellQuote(data + ".absent") + "\nfinish\n";
    const std::string path = dir.Write("script.sh", script);
    auto run = pkiform::testing::RunProcess({"/bin/sh", path});
    REQUIRE(run.ok());
    INFO(run->output);
    CHECK(run->output.find(withBase64 ? "encoding 0 b64" : "encoding 0 hex") != std::string::npos);
    auto parsed = ParseScriptOutput(run->output);
    REQUIRE(parsed.ok());
    REQUIRE(parsed->size() == 2);
    CHECK((*parsed)[0].data == evil);
    CHECK((*parsed)[1].state == "absent");
  }
}

TEST_CASE("shell quoting and stderr tails", "[openssh]") {
  CHECK(ShellQuote("a b") == "'a b'");
  CHECK(ShellQuote("it's") == "'it'\\''s'");
  CHECK(ShellQuote("") == "''");
  CHECK_FALSE(IsShellSafe(std::string("a\0b", 3)));
  CHECK(StderrTail("one\ntwo\n\nthree\nfour\nfive\nsix\n") == "two | three | four | five | six");
  CHECK(StderrTail("") == "");
}
