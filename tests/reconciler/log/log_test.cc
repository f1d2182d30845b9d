#include "reconciler/log/log.h"

#include <catch2/catch.hpp>

using pkiform::log::EscapeForTerminal;

TEST_CASE("EscapeForTerminal keeps printable text and UTF-8", "[log]") {
  CHECK(EscapeForTerminal("plain text: ok") == "plain text: ok");
  CHECK(EscapeForTerminal("Zürich, 東京") == "Zürich, 東京");
  CHECK(EscapeForTerminal("a\tb") == "a\tb");
}

TEST_CASE("EscapeForTerminal escapes what could move a terminal or forge a line", "[log]") {
  CHECK(EscapeForTerminal("a\nb.yaml:1:1: error: forged") == "a\\nb.yaml:1:1: error: forged");
  CHECK(EscapeForTerminal("x\ry") == "x\\ry");
  CHECK(EscapeForTerminal("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
  CHECK(EscapeForTerminal(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(EscapeForTerminal("\x7f") == "\\x7f");
  CHECK(EscapeForTerminal("\xc2\x9b" "31m") == "\\xc2\\x9b31m");  // C1 CSI
  CHECK(EscapeForTerminal("\xff\xfe") == "\\xff\\xfe");           // not UTF-8
  CHECK(EscapeForTerminal("back\\slash") == "back\\\\slash");
}
