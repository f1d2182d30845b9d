#include "reconciler/util/terminal_escape.h"

#include <catch2/catch.hpp>

using pkiform::Backslash;
using pkiform::EscapeForTerminal;

TEST_CASE("EscapeForTerminal keeps printable text and UTF-8", "[terminal_escape]") {
  CHECK(EscapeForTerminal("plain text: ok") == "plain text: ok");
  CHECK(EscapeForTerminal("Zürich, 東京") == "Zürich, 東京");
  CHECK(EscapeForTerminal("a\tb") == "a\tb");
}

TEST_CASE("EscapeForTerminal escapes what could move a terminal or forge a line", "[terminal_escape]") {
  CHECK(EscapeForTerminal("a\nb.yaml:1:1: error: forged") == "a\\nb.yaml:1:1: error: forged");
  CHECK(EscapeForTerminal("x\ry") == "x\\ry");
  CHECK(EscapeForTerminal("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
  CHECK(EscapeForTerminal(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(EscapeForTerminal("\x7f") == "\\x7f");
  CHECK(EscapeForTerminal("\xc2\x9b" "31m") == "\\xc2\\x9b31m");  // C1 CSI
  CHECK(EscapeForTerminal("\xff\xfe") == "\\xff\\xfe");           // not UTF-8
  CHECK(EscapeForTerminal("back\\slash") == "back\\\\slash");
}

TEST_CASE("EscapeForTerminal refuses UTF-8 look-alikes that terminals may misread", "[terminal_escape]") {
  CHECK(EscapeForTerminal("\xe0\x80\x9b") == "\\xe0\\x80\\x9b");      // overlong ESC-ish form
  CHECK(EscapeForTerminal("\xed\xa0\x80") == "\\xed\\xa0\\x80");      // a surrogate
  CHECK(EscapeForTerminal("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
  CHECK(EscapeForTerminal("\xe2\x82\xac") == "\xe2\x82\xac");         // the euro sign stays
}

TEST_CASE("A quoted source line keeps its backslashes", "[terminal_escape]") {
  CHECK(EscapeForTerminal("fqdn: \"a\\tb\"", Backslash::kKeep) == "fqdn: \"a\\tb\"");
  CHECK(EscapeForTerminal("a\x1b[2Jb", Backslash::kKeep) == "a\\x1b[2Jb");
}
