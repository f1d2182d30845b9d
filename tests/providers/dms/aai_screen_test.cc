#include "providers/dms/aai_screen.h"

#include <random>

#include <catch2/catch.hpp>

#include "tests/providers/dms/aai_frames.h"

using namespace pkiform;
using namespace pkiform::dms;
using pkiform::dmstest::Draw;
using pkiform::dmstest::kHint;

namespace {

Screen Parse(const std::string& output) {
  auto s = ParseScreen(output);
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  return *s;
}

// The error, which must quote nothing raw: no ESC or other control byte reaches a message.
std::string Error(const std::string& output) {
  auto s = ParseScreen(output);
  REQUIRE_FALSE(s.ok());
  const std::string& m = s.status().message();
  for (char c : m) CHECK(static_cast<unsigned char>(c) >= 0x20);
  return m;
}

}  // namespace

TEST_CASE("AAI screen: the main menu, highlighted item and hint", "[dms]") {
  Screen s = Parse(Draw({"Appliance Administration Interface", "", "> CERTIFICATE_MANAGEMENT", "  EXIT", "",
                         "<Up/Down> move  <Enter> select"},
                        3, 1));
  CHECK(s.kind == ScreenKind::kMenu);
  CHECK(s.title == "Appliance Administration Interface");
  CHECK(s.items == std::vector<std::string>{"CERTIFICATE_MANAGEMENT", "EXIT"});
  CHECK(s.highlighted == 0);
  CHECK_FALSE(s.escapable);
}

TEST_CASE("AAI screen: a submenu with Esc, the second item highlighted", "[dms]") {
  Screen s = Parse(Draw({"MANAGE_SIGNED_CERTS", "", "  GENERATE_CSR", "> IMPORT_CERTIFICATE", "", kHint}, 4, 1));
  CHECK(s.kind == ScreenKind::kMenu);
  CHECK(s.highlighted == 1);
  CHECK(s.escapable);
}

TEST_CASE("AAI screen: a form with a password field", "[dms]") {
  Screen s = Parse(Draw({"Cisco Digital Media Manager", "", "Please enter password for (S)FTP server", "",
                         "> Password: ******", "", "[OK]  <Cancel>"},
                        5, 19));
  CHECK(s.kind == ScreenKind::kForm);
  CHECK(s.prompts == std::vector<std::string>{"Please enter password for (S)FTP server"});
  REQUIRE(s.fields.size() == 1);
  CHECK(s.fields[0].label == "Password:");
  CHECK(s.fields[0].value == "******");
  CHECK(s.fields[0].focused);
  CHECK(s.buttons == std::vector<std::string>{"OK", "Cancel"});
  CHECK(s.focused_button == 0);
  CHECK(s.frame.cursor_row == 5);
  CHECK(s.frame.cursor_col == 19);
}

TEST_CASE("AAI screen: the (S)FTP form, empty values, Cancel focused", "[dms]") {
  Screen s = Parse(Draw({"Cisco Digital Media Manager", "", "Please enter (S)FTP server credentials:", "",
                         "  (S)FTP SERVER FQDN/IP: 192.0.2.7:2222", "  USER NAME: ", "", "<OK>  [Cancel]"},
                        8, 7));
  REQUIRE(s.fields.size() == 2);
  CHECK(s.fields[0].label == "(S)FTP SERVER FQDN/IP:");
  CHECK(s.fields[0].value == "192.0.2.7:2222");
  CHECK(s.fields[1].label == "USER NAME:");
  CHECK(s.fields[1].value.empty());
  CHECK(s.FocusedField() == -1);
  CHECK(s.focused_button == 1);
}

TEST_CASE("AAI screen: the self-signed warning is a message box", "[dms][rule:D15]") {
  Screen s = Parse(Draw({"GENERATE_NEW_CERT", "", "Warning! Browsers will reject this certificate.",
                         "It is self-signed.", "", "[OK]"},
                        6, 1));
  CHECK(s.kind == ScreenKind::kMessage);
  CHECK(s.lines == std::vector<std::string>{"Warning! Browsers will reject this certificate.", "It is self-signed."});
  CHECK(s.buttons == std::vector<std::string>{"OK"});
}

TEST_CASE("AAI screen: a question with Yes focused, and a text view", "[dms]") {
  Screen q = Parse(Draw({"IMPORT_CERTIFICATE", "", "Overwrite your active identity certificates with their replacements?",
                         "", "[Yes]  <No>"},
                        5, 1));
  CHECK(q.kind == ScreenKind::kMessage);
  CHECK(q.buttons == std::vector<std::string>{"Yes", "No"});
  CHECK(q.focused_button == 0);
  Screen t = Parse(Draw({"VIEW_CERTIFICATE", "", "Certificate:", "  Subject: CN=dms1.example.com", "",
                         "-----BEGIN CERTIFICATE-----", "MIIB", "-----END CERTIFICATE-----", "", "[EXIT]"},
                        10, 1));
  CHECK(t.kind == ScreenKind::kText);
  CHECK(t.lines.size() == 6);
  CHECK(t.lines[1] == "  Subject: CN=dms1.example.com");
}

TEST_CASE("AAI screen: the last complete frame wins; a frame still arriving is not read", "[dms]") {
  const std::string first = Draw({"M", "", "> A", "  B", "", kHint}, 3, 1);
  const std::string second = Draw({"M", "", "  A", "> B", "", kHint}, 4, 1);
  CHECK(Parse("login banner\r\n" + first + second).highlighted == 1);
  // The second frame cut anywhere: the first one is the last complete frame.
  for (size_t cut = 0; cut < second.size(); ++cut) {
    auto s = ParseScreen(first + second.substr(0, cut));
    INFO("cut at " << cut << ": " << s.status().ToString());
    REQUIRE(s.ok());
    CHECK(s->highlighted == 0);
  }
  // Alone and cut: not complete yet (the caller waits), never an error.
  for (size_t cut = 0; cut < second.size(); ++cut) {
    auto f = LastCompleteFrame(second.substr(0, cut));
    REQUIRE_FALSE(f.ok());
    CHECK(f.status().code() == Status::Code::kNotFound);
  }
}

TEST_CASE("AAI screen: rows out of order are placed by their numbers", "[dms]") {
  const std::string out = "\x1b[2J\x1b[H\x1b[4;1H  B\x1b[1;1HM\x1b[6;1H" + std::string(kHint) +
                          "\x1b[3;1H> A\x1b[2;1H\x1b[5;1H\x1b[3;1H";
  Screen s = Parse(out);
  CHECK(s.title == "M");
  CHECK(s.items == std::vector<std::string>{"A", "B"});
  CHECK(s.highlighted == 0);
}

TEST_CASE("AAI screen: hostile frames are errors quoting escaped excerpts", "[dms]") {
  SECTION("a control byte in a row") {
    CHECK_THAT(Error(Draw({"M\x07", "", "> A", "", kHint}, 3, 1)), Catch::Contains("control or non-ASCII"));
  }
  SECTION("an unterminated escape in the middle") {
    CHECK_THAT(Error("\x1b[2J\x1b[H\x1b[1;1HM\x1b[12;x\x1b[2;1H\x1b[1;1H"), Catch::Contains("escape"));
  }
  SECTION("an escape other than a placement") {
    CHECK_THAT(Error("\x1b[2J\x1b[H\x1b[1;1HM\x1b]0;title\x07\x1b[1;1H"), Catch::Contains("escape"));
  }
  SECTION("a huge row") {
    CHECK_THAT(Error(Draw({"M", "", "> " + std::string(5 << 20, 'A'), "", kHint}, 3, 1)),
               Catch::Contains("longer than"));
  }
  SECTION("a row number beyond the cap") {
    CHECK_THAT(Error("\x1b[2J\x1b[H\x1b[1;1HM\x1b[9999;1HX\x1b[1;1H"), Catch::Contains("row number"));
  }
  SECTION("a row drawn twice") {
    CHECK_THAT(Error("\x1b[2J\x1b[H\x1b[1;1HM\x1b[2;1H\x1b[1;1HN\x1b[1;1H"), Catch::Contains("drawn twice"));
  }
  SECTION("rows that fit no kind of screen") {
    CHECK_THAT(Error(Draw({"M", "", "> A", "", "[OK]  [Cancel]"}, 1, 1)), Catch::Contains("two focused"));
    CHECK_THAT(Error(Draw({"M", "", ">A", "", kHint}, 1, 1)), Catch::Contains("menu row 3"));
    CHECK_THAT(Error(Draw({"M", "", "  A", "  B", "", kHint}, 1, 1)), Catch::Contains("without a highlighted"));
    CHECK_THAT(Error(Draw({"M", "", "p", "", "> no colon", "", "[OK]  <Cancel>"}, 1, 1)),
               Catch::Contains("LABEL"));
    CHECK_THAT(Error(Draw({"M", "x", "[OK]"}, 1, 1)), Catch::Contains("fewer than"));
    CHECK_THAT(Error(Draw({"M", "", "text", "", "OK"}, 1, 1)), Catch::Contains("button row"));
  }
}

TEST_CASE("AAI screen: many clears and no frame, then random bytes, never crash", "[dms]") {
  std::string clears;
  for (int i = 0; i < 100000; ++i) clears += "\x1b[2J";
  CHECK(LastCompleteFrame(clears).status().code() == Status::Code::kNotFound);
  std::mt19937 rng(11);
  const std::string alphabet = "\x1b[;0123456789H2JA> <[]OK:\x07\x01 \r\n";
  const std::string base = Draw({"M", "", "> A", "  B", "", kHint}, 3, 1);
  for (int i = 0; i < 3000; ++i) {
    std::string out = base;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % (out.size() + 1);
      if (rng() % 2 && at < out.size())
        out[at] = alphabet[rng() % alphabet.size()];
      else
        out.insert(at, 1, alphabet[rng() % alphabet.size()]);
    }
    auto s = ParseScreen(out);  // any verdict will do; a crash or a hang will not
    if (!s.ok())
      for (char c : s.status().message()) REQUIRE(static_cast<unsigned char>(c) >= 0x20);
  }
}
