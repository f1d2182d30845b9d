#include "reconciler/rules/check_util.h"

#include "reconciler/util/file_reader.h"

namespace pkiform {

const catalogue::PlatformCatalogue* PlatformOf(const CheckContext& ctx, const Cluster& cluster) {
  return ctx.catalogue.Find(cluster.platform);
}

std::string LimitRules(const catalogue::PlatformCatalogue& platform, const std::string& fact,
                       const std::string& fallback) {
  const auto& ids = platform.limits.rules.For(fact);
  return ids.empty() ? fallback : JoinNames(ids, " ");
}

std::string JoinNames(const std::vector<std::string>& names, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? sep : "") + names[i];
  return out;
}

void CheckNamedFile(const FileRef& ref, DiagnosticList& out) {
  if (Status s = CheckRegularFile(ref.path); !s.ok()) out.Error(ref.where, ref.written + ": " + s.message(), "ref");
}

void CheckKnownHostsRef(const FileRef& ref, DiagnosticList& out) {
  Status s = CheckRegularFile(ref.path);
  if (s.code() == Status::Code::kNotFound)
    out.Warning(ref.where,
                ref.written + ": no such file yet; every host will be refused unless "
                              "--accept-new-host-keys records it",
                "ssh");
  else if (!s.ok())
    out.Error(ref.where, ref.written + ": " + s.message(), "ref");
}

}  // namespace pkiform
