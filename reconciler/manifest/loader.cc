#include "reconciler/manifest/loader.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>

#include "reconciler/manifest/builder.h"
#include "reconciler/manifest/yaml_reader.h"
#include "reconciler/manifest/yaml_scalar.h"
#include "reconciler/manifest/yaml_schema.h"
#include "reconciler/util/excerpt.h"
#include "reconciler/util/file_reader.h"

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

LoadedManifests LoadManifests(const std::vector<std::string>& args, DiagnosticList& diags) {
  LoadedManifests out;
  YamlSchemaValidator validator(ManifestSchema());
  std::map<std::string, SourceLocation> issuer_at, cluster_at;

  for (const ManifestFile& manifest : ExpandManifestPaths(args, diags)) {
    const std::string& file = manifest.path;
    out.files.push_back(file);
    out.roots[file] = manifest.root;
    SourceMap::Quote quote = SourceMap::Quote::kYes;
    if (ResolvesOutside(file, manifest.root)) {
      // It may be anything readable (/proc/self/environ): validated, never quoted.
      diags.Warning({file, 0, 0}, std::string(kOutsideRepositoryWarning) + "; no line of it is quoted", "ref");
      quote = SourceMap::Quote::kNo;
    }
    auto text = ReadBoundedFile(file, limits::kManifestFile);
    if (!text.ok()) {
      diags.Error({file, 0, 0}, text.status().message());
      continue;
    }
    out.sources.Add(file, *text, quote);
    const std::string dir = fs::path(file).parent_path().string();
    for (const YamlDocument& doc : ReadYamlDocuments(*text, file, diags)) {
      ++out.documents;
      if (doc.limits == LimitVerdict::kUnwalkable) continue;
      DiagnosticList problems;
      bool valid = validator.Validate(doc.node, file, problems);
      diags.Append(problems);
      std::string kind = ScalarAt(doc.node, "kind");
      if (!valid || doc.limits != LimitVerdict::kWithin) {
        if (std::string name = ScalarAt(ChildOf(doc.node, "metadata"), "name"); kind == "Issuer" && !name.empty())
          out.unbuilt_issuers.insert(name);
        continue;
      }
      if (kind == "Issuer")
        AddUnique(BuildIssuer(doc.node, file, dir, diags), "Issuer", issuer_at, out.desired.issuers, diags);
      else
        AddUnique(BuildCluster(doc.node, file, dir, diags), "Cluster", cluster_at, out.desired.clusters, diags);
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
