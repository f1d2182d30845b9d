#include "providers/dms/aai_session.h"

#include <catch2/catch.hpp>

#include "tests/providers/dms/scripted_aai.h"

using namespace pkiform;
using namespace pkiform::dms;
using pkiform::dmstest::FakeScreen;
using pkiform::dmstest::ScriptedAai;
using Keys = std::vector<std::string>;

namespace {

constexpr const char* kMain = "Appliance Administration Interface";
constexpr const char* kCerts = "CERTIFICATE_MANAGEMENT";
constexpr const char* kServer = "Cisco Digital Media Manager";

// The AAI's menus (the contract's names), a keystore passphrase form, the (S)FTP form (its
// server field prefilled, as after a refusal), a result box and a question.
std::map<std::string, FakeScreen> Tree() {
  std::map<std::string, FakeScreen> t;
  t[kMain] = {FakeScreen::kMenu, {kCerts, "EXIT"}, {}, {}, {}, {{kCerts, kCerts}, {"EXIT", dmstest::kEnd}}, "", 0};
  FakeScreen certs;
  certs.items = {"MANAGE_SIGNED_CERTS", "MANAGE_SELF_SIGNED_CERTS", "VIEW_CERTIFICATE", "VIEW_CERT_CHAIN",
                 "EXPORT_KEYSTORE", "IMPORT_KEYSTORE"};
  certs.next = {{"EXPORT_KEYSTORE", "EXPORT_KEYSTORE"}, {"IMPORT_KEYSTORE", "IMPORT_KEYSTORE"}};
  certs.back = kMain;
  t[kCerts] = certs;
  FakeScreen pass;
  pass.kind = FakeScreen::kForm;
  pass.lines = {"Please enter the passphrase from which your private key was derived"};
  pass.fields = {{"Passphrase:", "", true, 16}};
  pass.next = {{"OK", kServer}};
  pass.back = kCerts;
  t["EXPORT_KEYSTORE"] = pass;
  FakeScreen server;
  server.kind = FakeScreen::kForm;
  server.lines = {"Please enter (S)FTP server credentials:"};
  server.fields = {{"(S)FTP SERVER FQDN/IP:", "old.example.com"}, {"USER NAME:", ""}};
  server.next = {{"OK", "Done"}};
  server.back = kCerts;
  t[kServer] = server;
  FakeScreen done;
  done.kind = FakeScreen::kMessage;
  done.lines = {"The keystore was exported to sftp.example.com:/srv/KEYSTORE.DAT."};
  done.next = {{"OK", kCerts}};
  t["Done"] = done;
  FakeScreen question;
  question.kind = FakeScreen::kMessage;
  question.lines = {"Overwrite your active identity certificates with their replacements?"};
  question.buttons = {"Yes", "No"};
  question.next = {{"No", kCerts}, {"Yes", kCerts}};
  question.back = kCerts;
  t["IMPORT_KEYSTORE"] = question;
  return t;
}

void Ok(const Status& s) {
  INFO(s.ToString());
  REQUIRE(s.ok());
}

}  // namespace

TEST_CASE("AAI session: Current reads the first screen; Choose moves by what the menu shows", "[dms]") {
  ScriptedAai aai(Tree(), kMain);
  AaiSession session(aai);
  auto first = session.Current();
  REQUIRE(first.ok());
  CHECK(first->kind == ScreenKind::kMenu);
  CHECK(first->title == kMain);
  Ok(session.Choose(kCerts));
  CHECK(aai.keys == Keys{"Enter"});
  aai.keys.clear();
  Ok(session.Choose("EXPORT_KEYSTORE"));
  CHECK(aai.keys == Keys{"Down", "Down", "Down", "Down", "Enter"});
  auto form = session.Current();
  REQUIRE(form.ok());
  CHECK(form->kind == ScreenKind::kForm);
  CHECK(form->title == "EXPORT_KEYSTORE");
}

TEST_CASE("AAI session: a menu shown with another item highlighted is read, not counted", "[dms]") {
  auto tree = Tree();
  tree[kCerts].start = 4;  // as a menu shown again keeps the item last chosen
  ScriptedAai aai(tree, kCerts);
  AaiSession session(aai);
  Ok(session.Choose("MANAGE_SELF_SIGNED_CERTS"));
  CHECK(aai.keys == Keys{"Up", "Up", "Up", "Enter"});
}

TEST_CASE("AAI session: an absent item names the menu and its items; Back and its limits", "[dms]") {
  ScriptedAai aai(Tree(), kMain);
  AaiSession session(aai);
  auto st = session.Choose("NETWORK");
  CHECK(st.code() == Status::Code::kNotFound);
  CHECK_THAT(st.message(), Catch::Contains("\"Appliance Administration Interface\"") &&
                               Catch::Contains("\"CERTIFICATE_MANAGEMENT\", \"EXIT\""));
  CHECK(aai.keys.empty());
  CHECK_THAT(session.Back().message(), Catch::Contains("no way back"));
  Ok(session.Choose(kCerts));
  Ok(session.Back());
  CHECK(session.Current()->title == kMain);
  CHECK_THAT(session.Fill("USER NAME:", "x").message(), Catch::Contains("expected a form"));
  CHECK_THAT(session.Press("OK").message(), Catch::Contains("menu"));
}

TEST_CASE("AAI session: Fill types into fields by label, replaces old values, checks what is shown", "[dms]") {
  ScriptedAai aai(Tree(), kCerts);
  AaiSession session(aai);
  Ok(session.Choose("EXPORT_KEYSTORE"));
  aai.keys.clear();
  // An empty value for an empty field sends no key, and the screen stays readable: no wait
  // for a redraw that never comes (GENERATE_CSR's months are left empty).
  Ok(session.Fill("Passphrase:", ""));
  CHECK(aai.keys.empty());
  Ok(session.Fill("Passphrase:", "s3cret"));
  CHECK(aai.keys == Keys{"s", "3", "c", "r", "e", "t"});
  CHECK(session.Current()->fields[0].value == "******");  // a password field: never the text
  Ok(session.Press("OK"));
  CHECK(session.Current()->title == kServer);
  aai.keys.clear();
  Ok(session.Fill("USER NAME:", "pkiform"));
  CHECK(aai.keys.front() == "Down");
  aai.keys.clear();
  Ok(session.Fill("(S)FTP SERVER FQDN/IP:", "sftp.example.com:2222"));
  CHECK(aai.keys.front() == "Up");
  CHECK(std::count(aai.keys.begin(), aai.keys.end(), "Backspace") == 15);  // "old.example.com"
  auto shown = session.Current();
  REQUIRE(shown.ok());
  CHECK(shown->fields[0].value == "sftp.example.com:2222");
  CHECK(shown->fields[1].value == "pkiform");
  Ok(session.Press("OK"));
  auto box = session.Current();
  REQUIRE(box.ok());
  CHECK(box->kind == ScreenKind::kMessage);
  CHECK(box->lines[0] == "The keystore was exported to sftp.example.com:/srv/KEYSTORE.DAT.");
  Ok(session.Press("OK"));
  CHECK(session.Current()->title == kCerts);
}

TEST_CASE("AAI session: Fill refuses what the AAI cannot take and never quotes a typed value", "[dms]") {
  ScriptedAai aai(Tree(), "EXPORT_KEYSTORE");
  AaiSession session(aai);
  CHECK(session.Fill("Passphrase:", "S\xc3\xa3o").code() == Status::Code::kInvalidInput);
  CHECK(session.Fill("Passphrase:", std::string(256, 'a')).code() == Status::Code::kInvalidInput);
  auto absent = session.Fill("Password:", "x");
  CHECK(absent.code() == Status::Code::kNotFound);
  CHECK_THAT(absent.message(), Catch::Contains("\"Passphrase:\""));
  // The field keeps 16 characters: the check after typing notices, without quoting the value.
  auto cut = session.Fill("Passphrase:", "a-secret-longer-than-sixteen");
  CHECK(cut.code() == Status::Code::kFailed);
  CHECK_THAT(cut.message(), !Catch::Contains("secret"));
  CHECK_THAT(cut.message(), Catch::Contains("16 characters"));
}

TEST_CASE("AAI session: Press moves to the button by what the row shows", "[dms]") {
  SECTION("Cancel on a form: Tab through the fields and OK") {
    ScriptedAai aai(Tree(), kServer);
    AaiSession session(aai);
    Ok(session.Press("Cancel"));
    CHECK(aai.keys == Keys{"Tab", "Tab", "Tab", "Enter"});
    CHECK(session.Current()->title == kCerts);
  }
  SECTION("No in a question; an absent button lists the buttons") {
    ScriptedAai aai(Tree(), "IMPORT_KEYSTORE");
    AaiSession session(aai);
    auto absent = session.Press("Maybe");
    CHECK(absent.code() == Status::Code::kNotFound);
    CHECK_THAT(absent.message(), Catch::Contains("\"Yes\", \"No\""));
    Ok(session.Press("No"));
    CHECK(aai.keys == Keys{"Right", "Enter"});
  }
}

TEST_CASE("AAI session: a session that ends draws nothing more: an error, not a hang", "[dms]") {
  ScriptedAai aai(Tree(), kMain);
  AaiSession session(aai, AaiLimits{std::chrono::milliseconds(200), 1 << 16});
  auto st = session.Choose("EXIT");
  CHECK_FALSE(st.ok());
  CHECK_THAT(st.message(), Catch::Contains("waiting for a screen"));
}
