#include "reconciler/manifest/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

#include "reconciler/manifest/builder.h"
#include "reconciler/manifest/yaml_reader.h"
#include "reconciler/manifest/yaml_scalar.h"
#include "reconciler/manifest/yaml_schema.h"
#include "reconciler/util/excerpt.h"
#include "reconciler/util/file_reader.h"
#include "reconciler/util/input_limits.h"

namespace fs = std::filesystem;

namespace pkiform {
namespace {

// Adds `item` unless a document of the same kind already took its name.
template <typename T>
void AddUnique(T item, const char* kind, std::map<std::string, SourceLocation>& first_at, std::vector<T>& into,
               DiagnosticList& diags) {
  auto [it, fresh] = first_at.emplace(item.name, item.at("name"));
  if (!fresh) {
    diags.Error(item.at("name"), std::string("duplicate ") + kind + " '" + Excerpt(item.name) + "': first defined at " +
                                     it->second.file + ":" + std::to_string(it->second.line), "ref");
    return;
  }
  into.push_back(std::move(item));
}

}  // namespace

namespace {

// What one file gives, read and built on a worker thread: the files of a repository are
// independent until names are compared, and parsing (yaml-cpp's scanner) is most of
// `validate`'s time, so a repository of 1,000 files is read on every core (issue 13).
struct DocumentLoad {
  DiagnosticList diags;  // schema problems, then what building found
  std::optional<Issuer> issuer;
  std::optional<Cluster> cluster;
  std::string unbuilt_issuer;  // an Issuer that failed validation: its name
};

struct FileLoad {
  DiagnosticList diags;  // before the documents: the file itself, its YAML
  std::optional<std::string> text;
  SourceMap::Quote quote = SourceMap::Quote::kYes;
  int documents = 0;
  std::vector<DocumentLoad> loads;
};

// Validates and builds `docs` of `file` (in `dir`) into `out`.
void LoadDocuments(const std::vector<YamlDocument>& docs, const std::string& file, const std::string& dir,
                   const YamlSchemaValidator& validator, FileLoad& out) {
  for (const YamlDocument& doc : docs) {
    ++out.documents;
    if (doc.limits == LimitVerdict::kUnwalkable) continue;
    DocumentLoad& load = out.loads.emplace_back();
    bool valid = validator.Validate(doc.node, file, load.diags);
    std::string kind = ScalarAt(doc.node, "kind");
    if (!valid || doc.limits != LimitVerdict::kWithin) {
      if (std::string name = ScalarAt(ChildOf(doc.node, "metadata"), "name"); kind == "Issuer" && !name.empty())
        load.unbuilt_issuer = name;
      continue;
    }
    if (kind == "Issuer")
      load.issuer = BuildIssuer(doc.node, file, dir, load.diags);
    else
      load.cluster = BuildCluster(doc.node, file, dir, load.diags);
  }
}

// A file this large and of several documents is read in pieces on every core (issue 13, P4:
// 10,000 peers in one file); smaller ones are not worth the threads.
constexpr size_t kPiecewiseBytes = 256 * 1024;

// Reads `text` in pieces (SplitYamlPieces), each parsed, validated and built on its own thread
// with its own validator, merged in the file's order. False when a piece did not parse: the
// caller reads the file whole, which alone says where its syntax error is.
bool LoadPiecewise(const std::string& text, const std::string& file, const std::string& dir, FileLoad& out) {
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  if (text.size() < kPiecewiseBytes || cores < 2) return false;
  const std::vector<std::string> pieces = SplitYamlPieces(text, cores);
  if (pieces.size() < 2) return false;
  std::vector<FileLoad> loads(pieces.size());
  std::vector<char> parsed(pieces.size(), 0);
  std::vector<size_t> documents(pieces.size(), 0);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    YamlSchemaValidator validator(ManifestSchema());
    for (size_t i = next++; i < pieces.size(); i = next++) {
      std::vector<YamlDocument> docs;
      parsed[i] = ReadYamlPiece(pieces[i], file, loads[i].diags, docs, documents[i]);
      if (parsed[i]) LoadDocuments(docs, file, dir, validator, loads[i]);
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 0; t < std::min(cores, pieces.size()); ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (std::find(parsed.begin(), parsed.end(), 0) != parsed.end()) return false;
  // Over the per-file limit: the whole-file read says so, at the first document too many.
  size_t total = 0;
  for (size_t n : documents) total += n;
  if (total > limits::kDocumentsPerFile) return false;
  for (FileLoad& load : loads) {
    out.diags.Append(load.diags);
    out.documents += load.documents;
    for (DocumentLoad& doc : load.loads) out.loads.push_back(std::move(doc));
  }
  if (out.documents == 0) AddNoDocumentError(file, out.diags);
  return true;
}

FileLoad LoadFile(const ManifestFile& manifest, const YamlSchemaValidator& validator) {
  FileLoad out;
  const std::string& file = manifest.path;
  if (ResolvesOutside(file, manifest.root)) {
    // It may be anything readable (/proc/self/environ): validated, never quoted.
    out.diags.Warning({file, 0, 0}, std::string(kOutsideRepositoryWarning) + "; no line of it is quoted", "ref");
    out.quote = SourceMap::Quote::kNo;
  }
  auto text = ReadBoundedFile(file, limits::kManifestFile);
  if (!text.ok()) {
    out.diags.Error({file, 0, 0}, text.status().message());
    return out;
  }
  const std::string dir = fs::path(file).parent_path().string();
  if (CheckYamlText(*text, file, out.diags) && !LoadPiecewise(*text, file, dir, out))
    LoadDocuments(ReadYamlDocuments(*text, file, out.diags, /*text_checked=*/true), file, dir, validator, out);
  out.text = std::move(text).value();
  out.text->shrink_to_fit();  // the reader's buffer is sized for the largest manifest allowed
  return out;
}

// Runs LoadFile over `files` on up to kLoadThreads threads, each with its own validator
// (it caches compiled patterns); results keep the files' order.
std::vector<FileLoad> LoadFiles(const std::vector<ManifestFile>& files) {
  constexpr unsigned kLoadThreads = 8;
  std::vector<FileLoad> loads(files.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    YamlSchemaValidator validator(ManifestSchema());
    for (size_t i = next++; i < files.size(); i = next++) loads[i] = LoadFile(files[i], validator);
  };
  const size_t threads =
      std::min<size_t>({files.size(), std::max(1u, std::thread::hardware_concurrency()), kLoadThreads});
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  return loads;
}

}  // namespace

LoadedManifests LoadManifests(const std::vector<std::string>& args, DiagnosticList& diags) {
  LoadedManifests out;
  std::map<std::string, SourceLocation> issuer_at, cluster_at;
  const std::vector<ManifestFile> files = ExpandManifestPaths(args, diags);
  std::vector<FileLoad> loads = LoadFiles(files);
  // Merged in the files' order, as one thread would have read them.
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& file = files[i].path;
    FileLoad& load = loads[i];
    out.files.push_back(file);
    out.roots[file] = files[i].root;
    diags.Append(load.diags);
    if (!load.text) continue;
    out.sources.Add(file, std::move(*load.text), load.quote);
    out.documents += load.documents;
    for (DocumentLoad& doc : load.loads) {
      diags.Append(doc.diags);
      if (!doc.unbuilt_issuer.empty()) out.unbuilt_issuers.insert(doc.unbuilt_issuer);
      if (doc.issuer) AddUnique(std::move(*doc.issuer), "Issuer", issuer_at, out.desired.issuers, diags);
      if (doc.cluster) AddUnique(std::move(*doc.cluster), "Cluster", cluster_at, out.desired.clusters, diags);
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
