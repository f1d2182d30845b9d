#include "reconciler/manifest/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "reconciler/manifest/builder.h"
#include "reconciler/manifest/yaml_scalar.h"
#include "reconciler/manifest/yaml_schema.h"

namespace fs = std::filesystem;

namespace pkiform {
namespace {

bool IsHidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.' && name != "." && name != "..";
}

void CollectDirectory(const fs::path& dir, std::vector<std::string>& out) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (IsHidden(it->path())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".yaml") found.push_back(it->path().string());
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

bool HasTabIndentation(const std::string& text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t i = pos;
    while (i < text.size() && text[i] == ' ') ++i;
    if (i < text.size() && text[i] == '\t') return true;
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return false;
}

std::string DisplayPath(const std::string& p) { return fs::path(p).lexically_normal().string(); }

std::string YamlErrorText(const YAML::Exception& e) {
  std::string msg = e.msg;
  if (!msg.empty()) msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
  return "invalid YAML: " + msg;
}

// Adds `item` unless a document of the same kind already took its name.
template <typename T>
void AddUnique(T item, const char* kind, std::map<std::string, SourceLocation>& first_at, std::vector<T>& into,
               DiagnosticList& diags) {
  auto [it, fresh] = first_at.emplace(item.name, item.at("name"));
  if (!fresh) {
    diags.Error(item.at("name"), std::string("duplicate ") + kind + " '" + item.name + "': first defined at " +
                                     it->second.file + ":" + std::to_string(it->second.line), "ref");
    return;
  }
  into.push_back(std::move(item));
}

}  // namespace

std::vector<std::string> DefaultManifestPaths() {
  if (fs::exists("pkiform.yaml")) return {"pkiform.yaml"};
  return {"manifests"};
}

std::vector<std::string> ExpandManifestPaths(const std::vector<std::string>& args, DiagnosticList& diags) {
  std::vector<std::string> files;
  for (const auto& arg : args) {
    std::error_code ec;
    fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) {
      diags.Error({arg, 0, 0}, "no such file or directory");
    } else if (fs::is_directory(st)) {
      size_t before = files.size();
      CollectDirectory(arg, files);
      if (files.size() == before) diags.Error({arg, 0, 0}, "no *.yaml manifest in this directory");
    } else {
      files.push_back(arg);
    }
  }
  for (auto& f : files) f = DisplayPath(f);
  // A file named twice (directly and through its directory) is read once.
  std::vector<std::string> unique;
  for (const auto& f : files)
    if (std::find(unique.begin(), unique.end(), f) == unique.end()) unique.push_back(f);
  return unique;
}

LoadedManifests LoadManifests(const std::vector<std::string>& args, DiagnosticList& diags) {
  LoadedManifests out;
  out.files = ExpandManifestPaths(args, diags);
  YamlSchemaValidator validator(ManifestSchema());
  std::map<std::string, SourceLocation> issuer_at, cluster_at;

  for (const auto& file : out.files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      diags.Error({file, 0, 0}, "cannot read file");
      continue;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    out.sources.Add(file, text);
    std::vector<YAML::Node> docs;
    try {
      docs = YAML::LoadAll(text);
    } catch (const YAML::Exception& e) {
      std::string message = YamlErrorText(e);
      if (HasTabIndentation(text)) message += " (a tab indents a line; YAML indents with spaces only)";
      diags.Error({file, e.mark.line + 1, e.mark.column + 1}, message, "yaml");
      continue;
    }
    const std::string dir = fs::path(file).parent_path().string();
    for (const auto& doc : docs) {
      if (doc.IsNull()) continue;  // an empty document between two `---`
      ++out.documents;
      DiagnosticList problems;
      bool valid = validator.Validate(doc, file, problems);
      diags.Append(problems);
      std::string kind = ScalarAt(doc, "kind");
      if (!valid) {
        if (std::string name = ScalarAt(ChildOf(doc, "metadata"), "name"); kind == "Issuer" && !name.empty())
          out.unbuilt_issuers.insert(name);
        continue;
      }
      if (kind == "Issuer")
        AddUnique(BuildIssuer(doc, file, dir, diags), "Issuer", issuer_at, out.desired.issuers, diags);
      else
        AddUnique(BuildCluster(doc, file, dir, diags), "Cluster", cluster_at, out.desired.clusters, diags);
    }
  }
  return out;
}

const Issuer* Desired::FindIssuer(const std::string& name) const {
  for (const auto& i : issuers)
    if (i.name == name) return &i;
  return nullptr;
}

const Cluster* Desired::FindCluster(const std::string& name) const {
  for (const auto& c : clusters)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace pkiform
