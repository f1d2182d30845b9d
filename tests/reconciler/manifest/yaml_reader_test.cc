#include "reconciler/manifest/yaml_reader.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace pkiform;

namespace {

// The one diagnostic reading `text` gives, as "line:col message [rule]".
std::string OneProblem(const std::string& text) {
  DiagnosticList out;
  auto docs = ReadYamlDocuments(text, "m.yaml", out);
  if (out.items().size() != 1) return std::to_string(out.items().size()) + " diagnostics";
  const Diagnostic& d = out.items()[0];
  return std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " + d.message + " [" + d.rule + "]";
}

}  // namespace

TEST_CASE("a ',' where a document would start is an error, not an endless loop", "[manifest][yaml_reader]") {
  // Each of these made yaml-cpp 0.7's LoadAll loop forever, allocating.
  const std::string comma = " ',' outside a flow collection; a comma separates the items of [...] and {...} only [yaml]";
  CHECK(OneProblem(",\n") == "1:1 invalid YAML:" + comma);
  CHECK(OneProblem(",") == "1:1 invalid YAML:" + comma);
  CHECK(OneProblem(" ,\n") == "1:2 invalid YAML:" + comma);
  CHECK(OneProblem("[a],\n") == "1:4 invalid YAML:" + comma);
  CHECK(OneProblem("{a: 1},\n") == "1:7 invalid YAML:" + comma);
  CHECK(OneProblem("- a\n,\n") == "2:1 invalid YAML:" + comma);
  CHECK(OneProblem("a: 1\n---\n,\n") == "3:1 invalid YAML:" + comma);
  CHECK(OneProblem("a: 1\n...\n,\n") == "3:1 invalid YAML:" + comma);
  CHECK(OneProblem("!t ,\n") == "1:4 invalid YAML:" + comma);
  CHECK(OneProblem("&x a\n? \n") == "2:1 invalid YAML: no document can start at '?' here [yaml]");
  // Inside a block collection it was always an ordinary error; in a plain scalar it is text.
  CHECK(OneProblem("a: 1\n,\n") == "2:1 invalid YAML: end of map not found [yaml]");
  DiagnosticList out;
  CHECK(ReadYamlDocuments("a ,\n", "m.yaml", out).size() == 1);
  CHECK(out.items().empty());
}

TEST_CASE("a file with no document is an error", "[manifest][yaml_reader]") {
  const std::string none = "0:0 no YAML document in this file (it is empty or holds only comments); a manifest "
                           "holds Issuer and Cluster documents [yaml]";
  CHECK(OneProblem("") == none);
  CHECK(OneProblem("# only a comment\n") == none);
  CHECK(OneProblem("---\n...\n") == none);
}

TEST_CASE("text that is not UTF-8, or holds control characters, is refused before yaml-cpp reads it",
          "[manifest][yaml_reader]") {
  // yaml-cpp took a leading NUL for UTF-16 and read no document at all.
  CHECK(OneProblem(std::string("\0kind: Cluster\n", 15)) ==
        "1:1 invalid YAML: control character U+0000 (NUL) in the text; YAML allows it only as an escape in double "
        "quotes (e.g. \"\\x1b\") [yaml]");
  CHECK(OneProblem("\xff\xfek\0i\0") ==
        "1:1 not UTF-8: the file starts with a UTF-16 byte order mark; save it as UTF-8 [yaml]");
  CHECK(OneProblem("a: caf\xe9\n") ==
        "1:7 not UTF-8: byte 0xe9 does not start a UTF-8 character here; manifests are UTF-8 text [yaml]");
  CHECK(OneProblem("a: 1\nb: x\x1b[2Jy\n").starts_with("2:5 invalid YAML: control character U+001B (ESC)"));
  CHECK(OneProblem("a: \xc2\x9b\n").starts_with("1:4 invalid YAML: control character U+009B"));
  DiagnosticList out;
  CHECK(ReadYamlDocuments("\xef\xbb\xbf" "a: \"tab\tand \\e escape\"\n", "m.yaml", out).size() == 1);
  CHECK(out.items().empty());
}

TEST_CASE("nesting past yaml-cpp's own guard says what it is", "[manifest][yaml_reader]") {
  const std::string deep = "a: " + std::string(1100, '[') + std::string(1100, ']') + "\n";
  CHECK(OneProblem(deep).find("invalid YAML: nested too deeply for the YAML parser") != std::string::npos);
}

TEST_CASE("one file holds at most 10,000 documents", "[manifest][yaml_reader]") {
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "--- {a: 1}\n";
  DiagnosticList out;
  CHECK(ReadYamlDocuments(many, "m.yaml", out).size() == 10000);
  CHECK(out.items().empty());
  CHECK(OneProblem(many + "--- {a: 1}\n") ==
        "10001:1 more than 10000 YAML documents in one file; split the file [limit]");
}

TEST_CASE("a file is cut into pieces of whole documents that keep the file's line numbers", "[manifest][yaml_reader][P4]") {
  std::string text = "# head\na: 0\n";
  for (int i = 1; i <= 40; ++i) text += "---\nb: " + std::to_string(i) + "\n";
  text += "--- \nc: last\n---\r\nd: crlf\n";
  const auto pieces = SplitYamlPieces(text, 4);
  REQUIRE(pieces.size() >= 3);
  REQUIRE(pieces.size() <= 5);
  std::string joined;
  for (const auto& p : pieces) {
    const size_t pad = p.find_first_not_of('\n');
    REQUIRE(pad != std::string::npos);
    // The padding is the number of lines before the piece in the file: its text starts on its own line.
    const size_t at = joined.size();
    CHECK(static_cast<size_t>(std::count(joined.begin(), joined.end(), '\n')) == pad);
    CHECK((at == 0 || p.compare(pad, 3, "---") == 0));
    joined += p.substr(pad);
  }
  CHECK(joined == text);
  // A directive belongs to the document after it: such a file is never cut. Nor is one of one document,
  // nor a `---` that is not a marker ("---x", or inside a line).
  CHECK(SplitYamlPieces("%YAML 1.2\n---\na: 1\n---\nb: 2\n", 4).size() == 1);
  CHECK(SplitYamlPieces("a: 1\nb: 2\n", 4).size() == 1);
  CHECK(SplitYamlPieces("a: |\n  x\n---x: 1\nb: ---\n", 4).size() == 1);
  CHECK(SplitYamlPieces(text, 1).size() == 1);
}

TEST_CASE("a piece reads the documents the whole file has, at the file's lines", "[manifest][yaml_reader][P4]") {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "---\nn: " + std::to_string(i) + "\n";
  text += "---\nbad: [1, 2\n";  // unterminated flow sequence in the last document
  const auto pieces = SplitYamlPieces(text, 3);
  REQUIRE(pieces.size() == 3);
  DiagnosticList out;
  std::vector<YamlDocument> docs;
  size_t parsed = 0;
  REQUIRE(ReadYamlPiece(pieces[1], "m.yaml", out, docs, parsed));
  REQUIRE_FALSE(docs.empty());
  CHECK(parsed == docs.size());
  const int first = docs.front().node["n"].as<int>();
  CHECK(first > 0);  // not the file's first document
  CHECK(docs.front().node.Mark().line == 2 * first + 1);  // "n: <i>" is line 2i+2, 0-based 2i+1
  // The piece with the syntax error is refused as a whole: the caller reads the file at once.
  std::vector<YamlDocument> last_docs;
  CHECK_FALSE(ReadYamlPiece(pieces[2], "m.yaml", out, last_docs, parsed));
}
