// SshdHarness: a real OpenSSH sshd on loopback for tests, the demo and the
// fleet harness.
//
// Start() creates a temporary directory with an ed25519 host key, an ed25519
// client key (no passphrase) authorised for every user, an sshd_config (key-only
// auth and UsePAM no unless SshdOptions::passwordUser(s) name one, StrictModes no, MaxStartups 1000:30:2000, internal-sftp unless
// SshdOptions::sftpSubsystem is false, optional ForceCommand) and a known_hosts file; makes sure /run/sshd and the
// dedicated login user (default "pkiform-test", shell /bin/sh, password field
// "*") exist (the password users are the caller's: EnsurePasswordUser); starts
// `/usr/sbin/sshd -D -e -f CONFIG` on a free port; and waits
// until it answers with its banner. The destructor stops sshd and removes the
// directory.
//
// For a fleet, listen on 0.0.0.0: one sshd then serves every 127.x.y.z address
// (the server sees which one in SSH_CONNECTION), and known_hosts can name them
// all, or FQDN aliases used as SshTarget::hostKeyAlias.
//
// Must run as root (sshd, useradd). Create it on a thread that outlives it.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "providers/ssh/session.h"
#include "reconciler/util/result.h"
#include "tests/support/subprocess.h"

namespace pkiform::testing {

struct SshdOptions {
  std::string listenAddress = "127.0.0.1";  // "0.0.0.0" to serve every 127.x.y.z address
  std::string user = "pkiform-test";        // created if missing
  std::string forceCommand;                  // empty: none
  // false: no Subsystem line, so sshd refuses SFTP as hardened hosts do
  // (OpenSSH does not allow Subsystem inside a Match block: it is per sshd).
  bool sftpSubsystem = true;
  std::vector<std::string> extraConfig;     // sshd_config lines appended verbatim (Match blocks go last)
  // A second login user that logs in like an appliance administrator: with
  // keyboard-interactive (through PAM) or password, never with a key. Empty:
  // none. Set: sshd runs with UsePAM yes (a global option: the other user's
  // key logins then pass PAM's account and session stacks too) and a
  // `Match User` block turns keys off and passwords on for this user only.
  // The account must exist with a password (EnsurePasswordUser).
  // PAM needs no service file of its own: Debian's /etc/pam.d/sshd works in
  // this container. Its one suspect, `session required pam_loginuid.so`, writes
  // /proc/self/loginuid; the kernel lets a process set an UNSET loginuid
  // (4294967295, as here: nothing in the container logged in) without
  // CAP_AUDIT_CONTROL, so it succeeds even with that capability dropped
  // (checked by hand with capsh --drop=cap_audit_control). It would fail only
  // if the harness ran under a login session whose loginuid is set, without
  // CAP_AUDIT_CONTROL; sshd's log (Log()) then names pam_loginuid.
  // fleet_appliance_test.cc checks both methods against the stock stack.
  std::string passwordUser;
  // More users logging in the same way (one `Match User a,b` block for all,
  // passwordUser included): a Cisco VCS peer has two logins, its admin and its
  // root account. Empty with passwordUser empty: UsePAM no, as before.
  std::vector<std::string> passwordUsers;
  // false: the password users get keyboard-interactive only (an appliance may
  // refuse the password method, as the ucm public record says).
  bool passwordUserPasswordMethod = true;
  // Names written to known_hosts as "[name]:port": addresses and/or host key aliases.
  std::vector<std::string> knownHostsNames = {"127.0.0.1"};
  std::chrono::milliseconds startTimeout{10000};
};

// A TCP port reserved for this test process (test_ports.h) and free on every address.
Result<int> FreeLoopbackPort();

class SshdHarness {
 public:
  static Result<std::unique_ptr<SshdHarness>> Start(SshdOptions options = {});
  // sshd with `ForceCommand command`: every exec, shell and subsystem request runs it.
  static Result<std::unique_ptr<SshdHarness>> StartWithForceCommand(std::string command, SshdOptions options = {});

  ~SshdHarness();
  SshdHarness(const SshdHarness&) = delete;
  SshdHarness& operator=(const SshdHarness&) = delete;

  int port() const { return port_; }
  const std::string& tempDir() const { return dir_; }
  const std::string& clientKeyPath() const { return clientKey_; }
  const std::string& knownHostsPath() const { return knownHosts_; }
  const std::string& user() const { return options_.user; }
  // A directory in tempDir() owned by user(), for files the tests create remotely.
  const std::string& dataDir() const { return dataDir_; }
  const std::string& configPath() const { return config_; }
  const std::string& logPath() const { return log_; }
  // The host key as "ssh-ed25519 AAAA...".
  const std::string& hostPublicKey() const { return hostPublicKey_; }
  pid_t pid() const { return sshd_ ? sshd_->pid() : -1; }
  // sshd's log so far (stderr, -e).
  std::string Log() const;

  // An SshTarget for this sshd: address, port, user, client key, known_hosts, 10 s timeout.
  ssh::SshTarget Target(const std::string& address = "127.0.0.1") const;
  // Authorises another public key ("ssh-ed25519 AAAA... comment") for every user.
  Status AuthorizeKey(const std::string& publicKeyLine);
  // Writes a known_hosts file with this sshd's host key for "[name]:port" of each name.
  Status WriteKnownHosts(const std::string& path, const std::vector<std::string>& names) const;

  // Generates a key pair with ssh-keygen at `path` (and path.pub); returns the
  // public key line. A passphrase here is test data, so argv is acceptable.
  static Result<std::string> GenerateKey(const std::string& path, const std::string& type = "ed25519",
                                         const std::string& passphrase = "");

 private:
  explicit SshdHarness(SshdOptions options) : options_(std::move(options)) {}
  Status Init();
  Status Launch();

  SshdOptions options_;
  std::string dir_, dataDir_, hostKey_, clientKey_, authorizedKeys_, knownHosts_, config_, log_, hostPublicKey_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> sshd_;
};

// Makes sure the login user exists with shell /bin/sh and a password field that
// sshd accepts with UsePAM no ("*": no password, but not locked).
Status EnsureTestUser(const std::string& name);

// Makes sure `name` exists (as EnsureTestUser) and has a password, and returns
// it. The password is random, made once per boot and kept root-only in
// /run/pkiform-test/NAME.password (0600): concurrent harnesses (ctest -j) share
// the account, so they must share its password too; a file lock serialises
// them and chpasswd (reading the password on stdin, never argv) sets it each
// time, so an account left from an earlier boot gets the current one.
//
// With `sameUidAs` (an existing account), `name` is an alias account of it:
// its own name and password but the same uid and gid (useradd --non-unique).
// The fleet's VCS root login is one of its appliance administrator: both
// logins run pkiform-sim on the same peer directory, and files one writes
// 0600 (a key staged by root, read by an admin command) the other must read.
Result<std::string> EnsurePasswordUser(const std::string& name, const std::string& sameUidAs = "");

// 24 characters from [A-Za-z0-9], unbiased, from /dev/urandom: EnsurePasswordUser's passwords, and other
// secrets a test fleet makes (pkiform_fleet's dms keystore passphrase).
Result<std::string> RandomPassword();

}  // namespace pkiform::testing
