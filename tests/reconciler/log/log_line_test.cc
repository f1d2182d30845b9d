#include "reconciler/log/log_line.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

using namespace pkiform::log;

namespace {

std::chrono::system_clock::time_point At(long long ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

}  // namespace

TEST_CASE("log time is RFC 3339 UTC with milliseconds", "[log]") {
  CHECK(FormatRfc3339Millis(At(0)) == "1970-01-01T00:00:00.000Z");
  CHECK(FormatRfc3339Millis(At(1796577120123)) == "2026-12-06T17:12:00.123Z");
}

TEST_CASE("a run id is 16 hex digits, new each time", "[log]") {
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    const std::string id = NewRunId();
    CHECK(id.size() == 16);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    ids.insert(id);
  }
  CHECK(ids.size() == 20);
}

TEST_CASE("text lines read as pkiform always printed them", "[log]") {
  LogLine line{At(0), "warning", "0123456789abcdef", "history: disk full"};
  CHECK(FormatLogLine(Format::kText, line) == "pkiform: warning: history: disk full\n");
  line.style = Style::kProgram;
  line.level = "error";
  line.msg = "1 error in the manifests; no appliance was contacted";
  CHECK(FormatLogLine(Format::kText, line) == "pkiform: 1 error in the manifests; no appliance was contacted\n");
  const Event about{"web", "web1.fleet.test", "web/web1.fleet.test/identity/nginx", "verified"};
  line = LogLine{At(0), "info", "0123456789abcdef", "web1.fleet.test: verified: nginx serves 3A", Style::kBare, &about};
  CHECK(FormatLogLine(Format::kText, line) == "web1.fleet.test: verified: nginx serves 3A\n");
  // A message cannot forge a second line or move the cursor.
  line.msg = "a\nweb2: verified\x1b[2J";
  CHECK(FormatLogLine(Format::kText, line) == "a\\nweb2: verified\\x1b[2J\n");
}

TEST_CASE("a JSON line is one object with time, level, run, msg and what it is about", "[log]") {
  const Event about{"web", "web1.fleet.test", "web/web1.fleet.test/identity/nginx", "rolled-back"};
  const LogLine line{At(1796577120123), "warning", "0123456789abcdef", "web1.fleet.test: rolled back", Style::kBare,
                     &about};
  const std::string text = FormatLogLine(Format::kJson, line);
  REQUIRE(text.back() == '\n');
  CHECK(text.find('\n') == text.size() - 1);
  CHECK(text.rfind(R"({"time":"2026-12-06T17:12:00.123Z","level":"warning","run":"0123456789abcdef","msg":)", 0) == 0);
  const auto j = nlohmann::json::parse(text);
  CHECK(j["msg"] == "web1.fleet.test: rolled back");
  CHECK(j["cluster"] == "web");
  CHECK(j["peer"] == "web1.fleet.test");
  CHECK(j["change"] == "web/web1.fleet.test/identity/nginx");
  CHECK(j["outcome"] == "rolled-back");
  CHECK(j.size() == 8);
}

TEST_CASE("a JSON line leaves out what it is not about", "[log]") {
  const Event peer_only{"web", "web1.fleet.test", "", ""};
  LogLine line{At(0),         "error", "0123456789abcdef", "web/web1.fleet.test: connection refused",
               Style::kLevel, &peer_only};
  auto j = nlohmann::json::parse(FormatLogLine(Format::kJson, line));
  CHECK(j.contains("peer"));
  CHECK_FALSE(j.contains("change"));
  CHECK_FALSE(j.contains("outcome"));
  line.event = nullptr;
  j = nlohmann::json::parse(FormatLogLine(Format::kJson, line));
  CHECK(j.size() == 4);
}

TEST_CASE("JSON strings are escaped: quotes, control bytes, invalid UTF-8", "[log]") {
  const Event odd{"we\"b", "web1\x1b[31m", "", ""};
  const LogLine line{At(0), "info", "0123456789abcdef", "say \"hi\"\r\n\\ \xff\xfe Zürich", Style::kLevel, &odd};
  const std::string text = FormatLogLine(Format::kJson, line);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find('\n') == text.size() - 1);
  const auto j = nlohmann::json::parse(text);  // valid JSON, valid UTF-8
  CHECK(j["msg"] == "say \"hi\"\\r\\n\\\\ \\xff\\xfe Zürich");
  CHECK(j["cluster"] == "we\"b");
  CHECK(j["peer"] == "web1\\x1b[31m");
}
