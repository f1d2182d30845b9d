// RootShell (root_shell.h).
#include "providers/vcs/root_shell.h"

#include <algorithm>

#include "reconciler/pki/key.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::vcs {
namespace {

bool IsStagedName(std::string_view name) {
  auto plain = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  };
  return !name.empty() && name.size() <= 64 && name != "." && name != ".." &&
         std::all_of(name.begin(), name.end(), plain);
}

}  // namespace

pki::SecretString KeyWithOneNewline(const pki::SecretString& key) {
  std::string_view text = key.view();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  std::string out;
  out.reserve(text.size() + 1);
  out.append(text);
  out += '\n';
  return pki::SecretString(std::move(out));
}

Status RootShell::RunChecked(const std::string& command, std::string_view stdin_data, const std::string& doing) {
  ++commands_;
  auto result = channel_.Exec(command, stdin_data);
  if (!result.ok()) return result.status().WithContext(doing);
  if (result->exitStatus != 0)
    return Status::Failed(channel_.peer() + ": " + doing + ": `" + command + "` exited with " +
                          std::to_string(result->exitStatus) +
                          (result->err.empty() ? std::string() : "; it said: \"" + Excerpt(result->err, 300) + "\""));
  return Status::Ok();
}

Result<std::vector<FileText>> RootShell::ReadFiles() {
  const auto& r = dialect_.root;
  std::string paths;
  for (const auto& p : r.Files()) paths += (paths.empty() ? "" : " ") + p;
  auto command = cli::Fill(r.read, {{"paths", paths}});
  if (!command.ok()) return command.status();
  ++commands_;
  auto result = channel_.Exec(*command, {});
  if (!result.ok()) return result.status().WithContext("reading the certificate files");
  if (result->out.size() + result->err.size() > r.max_read_bytes)
    return Status::Failed(channel_.peer() + ": reading the certificate files: more than " +
                          std::to_string(r.max_read_bytes) + " bytes of output");
  auto files = ParseTailOutput(result->out, result->err, result->exitStatus, dialect_);
  if (!files.ok()) return files.status().WithContext(channel_.peer());
  return files;
}

Status RootShell::MakeStagingDir() {
  auto command = cli::Fill(dialect_.root.make_staging_dir, {{"dir", dialect_.root.staging_dir}});
  if (!command.ok()) return command.status();
  return RunChecked(*command, {}, "making the staging folder");
}

Result<std::string> RootShell::StagedPath(const std::string& name) const {
  if (!IsStagedName(name))
    return Status::InvalidInput("\"" + Excerpt(name) + "\" is not a staging file name ([A-Za-z0-9._-]{1,64})");
  return dialect_.root.staging_dir + "/" + name;
}

Result<std::string> RootShell::Stage(const std::string& name, std::string_view bytes) {
  auto path = StagedPath(name);
  if (!path.ok()) return path.status();
  if (bytes.size() > dialect_.root.max_staged_bytes)
    return Status::InvalidInput(channel_.peer() + ": " + *path + ": " + std::to_string(bytes.size()) +
                                " bytes; a staged file holds at most " +
                                std::to_string(dialect_.root.max_staged_bytes));
  auto command = cli::Fill(dialect_.root.write, {{"path", *path}});
  if (!command.ok()) return command.status();
  Status written = RunChecked(*command, bytes, "staging " + *path);
  if (!written.ok()) return written;
  return path;
}

Result<std::string> RootShell::StageKey(const std::string& name, const pki::SecretString& key_pem) {
  // Checked here too (the VCS refuses it, V8): an encrypted key would travel for nothing.
  if (pki::PrivateKey::IsEncryptedPem(key_pem.view()))
    return Status::InvalidInput("the server private key must not be password protected").WithRule("V8");
  pki::SecretString key = KeyWithOneNewline(key_pem);  // V15
  return Stage(name, key.view());
}

Status RootShell::Remove(const std::vector<std::string>& names) {
  if (names.empty()) return Status::Ok();
  std::string paths;
  for (const auto& name : names) {
    auto path = StagedPath(name);
    if (!path.ok()) return path.status();
    paths += (paths.empty() ? "" : " ") + *path;
  }
  auto command = cli::Fill(dialect_.root.remove, {{"paths", paths}});
  if (!command.ok()) return command.status();
  return RunChecked(*command, {}, "removing staged files");
}

}  // namespace pkiform::vcs
