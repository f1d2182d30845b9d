// Turns the bytes of one manifest file into YAML documents, or into located
// diagnostics: never a crash, a hang or a silent pass, whatever the bytes are.
//
// Before yaml-cpp sees the text: it must be UTF-8 made of characters YAML allows
// (yaml-cpp would take a leading NUL for UTF-16 and read nothing). While it
// parses: yaml-cpp 0.7 loops forever, allocating, on a ',' where a document's
// top node would start, which yaml_loop_guard.h rules out first. After: a file
// with no document is an error, and each document must keep within the limits
// of yaml_limits.h.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "reconciler/diag/diagnostic.h"
#include "reconciler/manifest/yaml_limits.h"

namespace pkiform {

struct YamlDocument {
  YAML::Node node;
  LimitVerdict limits = LimitVerdict::kWithin;
};

// The documents of `text` that are not empty (an empty document between two
// `---` is skipped); problems go to `out` (rules yaml, limit, schema). `text_checked`: the
// caller already ran CheckYamlText on it.
std::vector<YamlDocument> ReadYamlDocuments(const std::string& text, const std::string& file, DiagnosticList& out,
                                            bool text_checked = false);

// A large file of many documents is read in pieces on several threads (issue 13: one file
// of 10,000 peers). A piece is whole documents: the text from one document-start line
// (`---` at column 0, alone or followed by a blank) to the next piece's, preceded by as many
// line breaks as the file has before it, so that yaml-cpp reports the file's own lines.
// At most `pieces` pieces of about equal size; one (the whole text) when the text has a
// directive line (`%YAML`, `%TAG`: they belong to the document after them) or fewer starts.
std::vector<std::string> SplitYamlPieces(const std::string& text, size_t pieces);

// One piece of a file whose text CheckYamlText accepted: its documents as ReadYamlDocuments
// gives them, without the whole-file checks. False when yaml-cpp refused the piece: the
// caller then reads the whole file at once (a piece may have been cut where only the whole
// text says what the `---` line is), and `out` is to be dropped. `parsed` counts the piece's
// documents, empty ones too: the file's total is held to limits::kDocumentsPerFile by the caller.
bool ReadYamlPiece(const std::string& piece, const std::string& file, DiagnosticList& out,
                   std::vector<YamlDocument>& docs, size_t& parsed);

// The whole-file checks of ReadYamlDocuments: the text is UTF-8 of characters YAML allows.
bool CheckYamlText(const std::string& text, const std::string& file, DiagnosticList& out);

// The error for a file without a document (ReadYamlDocuments adds it itself).
void AddNoDocumentError(const std::string& file, DiagnosticList& out);

}  // namespace pkiform
