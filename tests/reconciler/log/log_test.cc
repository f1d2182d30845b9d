#include "reconciler/log/log.h"

#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace pkiform::log;

namespace {

// The loggers pointed at a temporary file for one test, then back at stderr.
class Captured {
 public:
  Captured(Format format, int verbosity) : file_(std::tmpfile()) { ConfigureLogging(format, verbosity, file_); }
  ~Captured() {
    ConfigureLogging(Format::kText, 0, stderr);
    std::fclose(file_);
  }
  std::vector<std::string> Lines() {
    std::fflush(file_);
    std::rewind(file_);
    std::string all;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, file_)) > 0;) all.append(buf, n);
    std::vector<std::string> lines;
    std::istringstream in(all);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

 private:
  std::FILE* file_;
};

void LogOneOfEach() {
  Debug({}, "a debug note");
  Info({}, "an info note");
  Warn({}, "a warning");
  Error({"web", "web1.fleet.test", "", "failed"}, "web/web1.fleet.test: connection refused");
  Verdict(Level::kError, {}, "1 error in the manifests; no appliance was contacted");
  Progress(Level::kInfo, {"web", "web1.fleet.test", "web/web1.fleet.test/identity/nginx", "verified"},
           "web1.fleet.test: verified: nginx serves 3A");
  Outcome(Level::kInfo, {"web", "web1.fleet.test", "web/web1.fleet.test/identity/nginx", "applied"},
          "web/web1.fleet.test/identity/nginx: applied");
}

}  // namespace

TEST_CASE("text logs read as before: progress bare, warnings and errors tagged, notes with -v", "[log]") {
  std::vector<std::string> lines;
  {
    Captured c(Format::kText, 0);
    LogOneOfEach();
    lines = c.Lines();
  }
  CHECK(lines == std::vector<std::string>{"pkiform: warning: a warning",
                                          "pkiform: error: web/web1.fleet.test: connection refused",
                                          "pkiform: 1 error in the manifests; no appliance was contacted",
                                          "web1.fleet.test: verified: nginx serves 3A"});
  {
    Captured c(Format::kText, 1);
    LogOneOfEach();
    lines = c.Lines();
  }
  CHECK(lines.size() == 6);
  CHECK(lines.front() == "pkiform: info: an info note");
  CHECK(lines.back() == "pkiform: info: web/web1.fleet.test/identity/nginx: applied");
  {
    Captured c(Format::kText, 2);
    LogOneOfEach();
    lines = c.Lines();
  }
  CHECK(lines.size() == 7);
  CHECK(lines.front() == "pkiform: debug: a debug note");
}

TEST_CASE("JSON logs: one object per line, one run id, outcomes even without -v", "[log]") {
  std::vector<std::string> lines;
  std::string run;
  {
    Captured c(Format::kJson, 0);
    run = RunId();
    LogOneOfEach();
    lines = c.Lines();
  }
  REQUIRE(lines.size() == 5);  // warning, error, verdict, progress, outcome
  std::vector<std::string> outcomes;
  for (const auto& line : lines) {
    const auto j = nlohmann::json::parse(line);
    CHECK(j["run"] == run);
    CHECK(j.contains("time"));
    CHECK(j.contains("level"));
    CHECK(j.contains("msg"));
    outcomes.push_back(j.value("outcome", ""));
  }
  CHECK(outcomes == std::vector<std::string>{"", "failed", "", "verified", "applied"});
  const auto progress = nlohmann::json::parse(lines[3]);
  CHECK(progress["level"] == "info");
  CHECK(progress["change"] == "web/web1.fleet.test/identity/nginx");
  CHECK(nlohmann::json::parse(lines[2])["msg"] == "1 error in the manifests; no appliance was contacted");
  {
    Captured c(Format::kJson, 0);
    CHECK(RunId() != run);  // each invocation has its own
  }
}

TEST_CASE("a provider's spdlog note carries the peer it is working on", "[log]") {
  std::vector<std::string> lines;
  {
    Captured c(Format::kJson, 1);
    {
      ScopedPeer about("web", "web2.fleet.test");
      spdlog::info("{}: the host has no SFTP subsystem; files are written over exec", "web2.fleet.test");
      Info({"", "", "web/web2.fleet.test/identity/nginx", "applied"}, "its own change, the scope's peer");
    }
    spdlog::info("after the scope");
    lines = c.Lines();
  }
  REQUIRE(lines.size() == 3);
  auto j = nlohmann::json::parse(lines[0]);
  CHECK(j["cluster"] == "web");
  CHECK(j["peer"] == "web2.fleet.test");
  CHECK(j["level"] == "info");
  j = nlohmann::json::parse(lines[1]);
  CHECK(j["peer"] == "web2.fleet.test");
  CHECK(j["change"] == "web/web2.fleet.test/identity/nginx");
  CHECK_FALSE(nlohmann::json::parse(lines[2]).contains("peer"));
}
