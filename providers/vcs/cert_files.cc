// Reading the root account's view of the certificate files (cert_files.h).
#include "providers/vcs/cert_files.h"

#include <algorithm>

#include <openssl/x509v3.h>

#include "providers/cli/terminal_text.h"
#include "reconciler/pki/certificate_file.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::vcs {
namespace {

Result<std::string> Line(std::string_view pattern, const std::string& path) {
  return cli::Fill(pattern, {{"path", path}});
}

}  // namespace

Result<std::vector<FileText>> ParseTailOutput(std::string_view out, std::string_view err, int exit_status,
                                              const Dialect& d) {
  const auto& r = d.root;
  const std::vector<std::string> paths = r.Files();
  std::vector<FileText> files;
  std::vector<bool> missing(paths.size(), false);
  for (const auto& path : paths) files.push_back({path, std::nullopt});

  // stderr: one "cannot open" line per file tail could not read.
  for (const auto& raw : cli::Lines(err)) {
    std::string_view line = cli::TrimBlanks(raw);
    if (line.empty()) continue;
    bool known = false;
    for (size_t i = 0; i < paths.size() && !known; ++i) {
      auto gone = Line(r.missing, paths[i]);
      auto denied = Line(r.denied, paths[i]);
      if (!gone.ok()) return gone.status();
      if (!denied.ok()) return denied.status();
      if (line == *gone) {
        if (missing[i]) return Status::Failed("tail reported " + paths[i] + " missing twice");
        missing[i] = known = true;
      } else if (line == *denied) {
        return Status::Failed("the root account cannot read " + paths[i] + ": \"" + Excerpt(line) + "\"");
      }
    }
    if (!known) return Status::Failed("reading the certificate files, tail said: \"" + Excerpt(line, 300) + "\"");
  }
  const bool any_missing = std::find(missing.begin(), missing.end(), true) != missing.end();
  if (exit_status != (any_missing ? 1 : 0))
    return Status::Failed("reading the certificate files: tail exited with " + std::to_string(exit_status) +
                          (err.empty() ? std::string() : "; it said: \"" + Excerpt(err, 300) + "\""));

  // stdout: the headers of the printed files in order; each file runs up to the blank-line
  // separator before the next header (tail writes "\n" before every header but the first).
  size_t pos = 0;
  std::optional<size_t> open;  // the file being read, and where its bytes start
  size_t start = 0;
  bool first = true;
  for (size_t i = 0; i < paths.size(); ++i) {
    auto header = Line(r.header, paths[i]);
    if (!header.ok()) return header.status();
    if (missing[i]) {  // reported missing and printed too: which one is the truth?
      if (out.substr(0, header->size() + 1) == *header + "\n" ||
          out.find("\n" + *header + "\n") != std::string_view::npos)
        return Status::Failed("reading the certificate files: " + paths[i] + " is both printed and reported missing");
      continue;
    }
    const std::string needle = (first ? std::string() : "\n") + *header + "\n";
    size_t at = first ? (out.substr(0, needle.size()) == needle ? 0 : std::string_view::npos) : out.find(needle, pos);
    if (at == std::string_view::npos)
      return Status::Failed("reading the certificate files: no \"" + *header + "\" where tail prints it");
    if (open) files[*open].content = std::string(out.substr(start, at - start));
    open = i;
    start = pos = at + needle.size();
    first = false;
  }
  if (open)
    files[*open].content = std::string(out.substr(start));
  else if (!out.empty())
    return Status::Failed("reading the certificate files: output without a header");
  return files;
}

Result<CertFiles> InterpretCertFiles(const std::vector<FileText>& files, const Dialect& d) {
  const auto& r = d.root;
  CertFiles out;
  auto find = [&](const std::string& path) -> const FileText* {
    for (const auto& f : files)
      if (f.path == path) return &f;
    return nullptr;
  };
  const FileText* server = find(r.server_file);
  const FileText* ca = find(r.ca_file);
  const FileText* csr = find(r.csr_file);
  const FileText* crl = find(r.crl_file);
  if (!server || !server->content) return Status::NotFound(r.server_file + " does not exist");
  if (!ca || !ca->content) return Status::NotFound(r.ca_file + " does not exist");
  auto leaf = pki::ParseCertificates(*server->content);
  if (!leaf.ok()) return leaf.status().WithContext(r.server_file);
  if (leaf->size() != 1)
    return Status::Failed(r.server_file + ": " + std::to_string(leaf->size()) + " certificates where one is expected");
  out.server = leaf->front();
  if (ca->content->find("-----BEGIN") != std::string::npos) {
    auto list = pki::ParseCertificates(*ca->content);
    if (!list.ok()) return list.status().WithContext(r.ca_file);
    out.ca_list = std::move(list).value();
  }
  if (csr && csr->content) out.pending_csr = *csr->content;
  if (crl && crl->content) out.crl = *crl->content;
  return out;
}

bool IsTemporaryIdentity(const pki::Certificate& server, const std::vector<pki::Certificate>& ca_list,
                         const Dialect& d) {
  const pki::DistinguishedName issuer = server.Issuer();
  const std::string& prefix = d.temporary_ca_prefix;
  if (issuer.commonName.compare(0, prefix.size(), prefix) != 0) return false;
  for (const auto& ca : ca_list) {
    if (!(ca.Subject() == issuer)) continue;
    // The name alone could be copied: the CA must be the one that issued the certificate.
    if (X509_check_issued(ca.get(), server.get()) == X509_V_OK) return true;
  }
  return false;
}

}  // namespace pkiform::vcs
