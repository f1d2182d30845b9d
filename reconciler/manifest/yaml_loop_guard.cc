#include "reconciler/manifest/yaml_loop_guard.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "reconciler/util/input_limits.h"

namespace pkiform {
namespace {

// What stops the parser at `at`, for the message.
std::string StuckAt(const std::string& text, const YAML::Mark& at) {
  const size_t pos = static_cast<size_t>(at.pos);
  if (pos < text.size() && text[pos] == ',')
    return "invalid YAML: ',' outside a flow collection; a comma separates the items of [...] and {...} only";
  const std::string token = pos < text.size() ? std::string(1, text[pos]) : "the end";
  return "invalid YAML: no document can start at '" + token + "' here";
}

// Builds nothing: it only sees where each document starts.
class DocumentStarts : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  YAML::Mark start = YAML::Mark::null_mark();
};

}  // namespace

std::optional<Diagnostic> ProbeDocuments(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  std::optional<YAML::Mark> previous;
  for (size_t count = 0; parser.HandleNextDocument(starts); ++count) {
    const SourceLocation at{file, starts.start.line + 1, starts.start.column + 1};
    if (previous && previous->pos == starts.start.pos)
      return Diagnostic{Severity::kError, at, StuckAt(text, starts.start), "yaml"};
    if (count == limits::kDocumentsPerFile)
      return Diagnostic{Severity::kError, at,
                        "more than " + std::to_string(limits::kDocumentsPerFile) +
                            " YAML documents in one file; split the file", "limit"};
    previous = starts.start;
  }
  return std::nullopt;
}

}  // namespace pkiform
