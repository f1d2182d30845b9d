// The simulated DMS appliance's (S)FTP client (docs/platforms/dms.md, "How files move", D14, D16):
// the AAI's GENERATE_CSR, IMPORT_CERTIFICATE and keystore procedures move files only through a
// staging server whose address, user and password are typed into the forms. This is the
// project's own libssh client (providers/ssh) used from the appliance's side:
//   - SFTP only, port 22 unless the server field says `host:port` (ASSUMED);
//   - the host key is accepted and recorded on first use in the appliance's own DIR/known_hosts
//     and refused when it changes (ASSUMED: the seed says nothing of host keys);
//   - the typed password reaches libssh through a pipe (/dev/fd/N), never a file or argv;
//   - every operation is bounded: 30 s each, files of at most kDmsMaxTransferBytes.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "providers/ssh/session.h"
#include "reconciler/util/result.h"

namespace pkiform::sim {

// Certificates and keystores are small: anything larger is refused (and never read past this).
inline constexpr size_t kDmsMaxTransferBytes = 256 * 1024;

struct DmsServer {
  std::string host;
  int port = 22;
  std::string user;
};

// The "(S)FTP SERVER FQDN/IP:" field: a host name or IPv4 address, optionally `:port`
// (1..65535). nullopt when it is neither.
std::optional<DmsServer> ParseDmsServer(const std::string& field);

class DmsTransfer {
 public:
  // Connects and authenticates with `password` (keyboard-interactive or password), the host key
  // checked against (or first recorded in) applianceDir/known_hosts.
  static Result<std::unique_ptr<DmsTransfer>> Connect(const std::filesystem::path& applianceDir,
                                                      const DmsServer& server, const std::string& password);
  // Writes `data` at the absolute `path` (atomically, mode 0644).
  Status Put(const std::string& path, const std::string& data);
  // Reads the file at `path`, at most kDmsMaxTransferBytes.
  Result<std::string> Get(const std::string& path);

 private:
  explicit DmsTransfer(std::unique_ptr<ssh::SshSession> s) : session_(std::move(s)) {}
  std::unique_ptr<ssh::SshSession> session_;
};

// Untrusted text (a typed path, an error message) as one row of a message box: escaped for the
// terminal, printable ASCII only, at most 160 characters.
std::string DmsScreenLine(std::string_view text);
// Why a transfer failed, for a message box: the error's text as DmsScreenLine.
inline std::string DmsTransferReason(const Status& status) { return DmsScreenLine(status.message()); }

}  // namespace pkiform::sim
