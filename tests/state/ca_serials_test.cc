#include "state/ca_serials.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "state/atomic_file.h"
#include "tests/state/state_test_support.h"
#include "tests/support/temp_dir.h"

namespace pkiform::state {
namespace {

using pkiform::testing::TempDir;
using testing::Child;
using testing::Contains;
using testing::ModeOf;
using testing::Must;

bool IsSerialText(const std::string& s) {
  if (s.size() != 32 || s[0] < '4' || s[0] > '7') return false;  // 0b01xxxxxx: positive, 16 bytes
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

TEST_CASE("NextSerial never repeats a serial across 1000 calls and records each one", "[state]") {
  TempDir dir;
  const std::string state_dir = dir.path().string();
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string serial = Must(NextSerial(state_dir, "corp-ca"));
    INFO(serial);
    REQUIRE(IsSerialText(serial));
    REQUIRE(seen.insert(serial).second);
  }
  const std::string file = Must(ReadFile(state_dir + "/serials/corp-ca.txt"));
  CHECK(std::count(file.begin(), file.end(), '\n') == 1000);
  CHECK(ModeOf(state_dir + "/serials/corp-ca.txt") == 0600);
  for (const std::string& serial : seen) REQUIRE(Must(SerialIssued(state_dir, "corp-ca", serial)));
}

TEST_CASE("SerialIssued compares serials in any spelling, per issuer", "[state]") {
  TempDir dir;
  const std::string state_dir = dir.path().string();
  CHECK_FALSE(Must(SerialIssued(state_dir, "corp-ca", "01")));  // nothing recorded yet
  const std::string serial = Must(NextSerial(state_dir, "corp-ca"));
  std::string spelled;  // "4a:1b:..." lower case with colons, as some tools print it
  for (size_t i = 0; i < serial.size(); i += 2) {
    if (i) spelled += ':';
    spelled += static_cast<char>(std::tolower(serial[i]));
    spelled += static_cast<char>(std::tolower(serial[i + 1]));
  }
  CHECK(Must(SerialIssued(state_dir, "corp-ca", spelled)));
  CHECK(Must(SerialIssued(state_dir, "corp-ca", "00" + serial)));
  CHECK_FALSE(Must(SerialIssued(state_dir, "other-ca", serial)));
  CHECK_FALSE(Must(SerialIssued(state_dir, "corp-ca", "0123456789ABCDEF0123456789ABCDEF")));
  CHECK(SerialIssued(state_dir, "corp-ca", "not hex").status().code() == Status::Code::kInvalidInput);
  CHECK_FALSE(NextSerial(state_dir, "../corp-ca").ok());
}

TEST_CASE("NextSerial from two processes at once records every serial once", "[state]") {
  TempDir dir;
  const std::string state_dir = dir.path().string();
  auto issue = [&] {
    for (int i = 0; i < 100; ++i)
      if (!NextSerial(state_dir, "corp-ca").ok()) return 1;
    return 0;
  };
  Child a(issue);
  Child b(issue);
  CHECK(a.Wait() == 0);
  CHECK(b.Wait() == 0);
  const std::string file = Must(ReadFile(state_dir + "/serials/corp-ca.txt"));
  std::set<std::string> lines;
  size_t count = 0;
  for (size_t start = 0; start < file.size(); ++count) {
    const size_t end = file.find('\n', start);
    REQUIRE(end != std::string::npos);
    const std::string line = file.substr(start, end - start);
    REQUIRE(IsSerialText(line));
    lines.insert(line);
    start = end + 1;
  }
  CHECK(count == 200);
  CHECK(lines.size() == 200);
}

TEST_CASE("serials recorded in another spelling are still recognised and never reissued", "[state]") {
  TempDir dir;
  dir.Write("serials/corp-ca.txt", "0x00:4a:1b\n7F\n");
  CHECK(Must(SerialIssued(dir.path().string(), "corp-ca", "4A1B")));
  CHECK(Must(SerialIssued(dir.path().string(), "corp-ca", "7f")));
  CHECK_FALSE(Must(SerialIssued(dir.path().string(), "corp-ca", "4A1C")));
  CHECK(IsSerialText(Must(NextSerial(dir.path().string(), "corp-ca"))));
}

TEST_CASE("a damaged serials file is an error naming its line", "[state]") {
  TempDir dir;
  dir.Write("serials/corp-ca.txt", "4A1B2C3D4E5F60718293A4B5C6D7E8F9\nnot a serial\n");
  const Result<std::string> next = NextSerial(dir.path().string(), "corp-ca");
  REQUIRE_FALSE(next.ok());
  CHECK(Contains(next.status().message(), "corp-ca.txt:2:"));
  CHECK_FALSE(SerialIssued(dir.path().string(), "corp-ca", "01").ok());
}

}  // namespace
}  // namespace pkiform::state
