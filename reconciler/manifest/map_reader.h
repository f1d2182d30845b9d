// MapReader: reads the fields of one schema-valid YAML mapping into the model,
// applying defaults, resolving file paths against the manifest's folder and
// recording where each field was written. Types were already checked against
// the schema, so reading never fails; it only fills in.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "reconciler/diag/diagnostic.h"
#include "reconciler/manifest/duration.h"
#include "reconciler/manifest/model.h"

namespace pkiform {

class MapReader {
 public:
  // `dir` is the folder of the manifest file; relative paths are resolved against it.
  // Values the schema admits but that cannot be used (a duration too long to
  // represent) are reported to `problems`.
  MapReader(const YAML::Node& node, const std::string& file, const std::string& dir, Located& target,
            DiagnosticList& problems);

  bool Has(const std::string& key) const { return !Node(key).IsNull(); }
  std::string Str(const std::string& key, const std::string& fallback = "");
  int Int(const std::string& key, int fallback);
  bool Bool(const std::string& key, bool fallback);
  std::optional<bool> OptBool(const std::string& key);
  Duration Dur(const std::string& key, const std::string& fallback);
  std::optional<Duration> OptDur(const std::string& key);
  std::vector<std::string> Strings(const std::string& key);
  std::optional<FileRef> File(const std::string& key);
  std::vector<FileRef> Files(const std::string& key);

  // A nested mapping, with its own reader filling `target`.
  MapReader Nested(const std::string& key, Located& target);
  // A reader for another mapping of the same file (sequence items).
  MapReader Sibling(const YAML::Node& node, Located& target) const;
  // Marks `key` as read and returns where its key is written.
  SourceLocation KeyAt(const std::string& key);
  // The value at `key`, or a null node when absent (never yaml-cpp's throwing zombie).
  YAML::Node Node(const std::string& key) const;
  const std::string& file() const { return file_; }
  const std::string& dir() const { return dir_; }

 private:
  SourceLocation Mark(const std::string& key);
  FileRef MakeFileRef(const YAML::Node& value, const SourceLocation& where) const;

  YAML::Node node_;
  std::string file_, dir_;
  Located& target_;
  DiagnosticList& problems_;
};

}  // namespace pkiform
