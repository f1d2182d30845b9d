// Helpers of the dms simulator's tests (dms_*_test.cc): making an appliance with
// `pkiform-sim init --platform dms` on 127.0.103.x, driving its AAI over a pipe with key
// strokes, and reading the screens back as the contract draws them (docs/platforms/dms.md,
// "How a screen is drawn").
#pragma once
#include <catch2/catch.hpp>

#include "tests/sim/sim_test_support.h"

namespace pkiform::simtest {

inline const std::string kUp = "\x1b[A", kDown = "\x1b[B", kLeft = "\x1b[D", kRight = "\x1b[C";
inline const std::string kEnter = "\r", kTab = "\t", kEscKey = "\x1b";

// `n` times `key`.
inline std::string Times(int n, const std::string& key) {
  std::string out;
  for (int i = 0; i < n; ++i) out += key;
  return out;
}

// Form values typed field after field (Down between them), then Enter (OK).
inline std::string Fill(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i ? kDown : "") + values[i];
  return out + kEnter;
}

// The frames of a transcript: each frame's rows, row 1 first (the text after each
// ESC[r;1H up to the next escape sequence; the frame's last ESC[r;cH is the cursor).
inline std::vector<std::vector<std::string>> Frames(const std::string& out) {
  std::vector<std::vector<std::string>> frames;
  const std::string clear = "\x1b[2J\x1b[H";
  for (size_t at = out.find(clear); at != std::string::npos;) {
    size_t next = out.find(clear, at + clear.size());
    std::string frame = out.substr(at + clear.size(), next == std::string::npos ? std::string::npos : next - at - clear.size());
    std::vector<std::string> rows;
    for (size_t p = frame.find("\x1b["); p != std::string::npos; p = frame.find("\x1b[", p + 1)) {
      size_t h = frame.find('H', p);
      if (h == std::string::npos) break;
      std::string pos = frame.substr(p + 2, h - p - 2);
      size_t end = frame.find('\x1b', h);
      if (end == std::string::npos) break;  // the frame's last move places the cursor
      size_t row = std::stoul(pos.substr(0, pos.find(';')));
      if (rows.size() < row) rows.resize(row);
      rows[row - 1] = frame.substr(h + 1, end - h - 1);
    }
    if (!rows.empty()) frames.push_back(std::move(rows));
    at = next;
  }
  return frames;
}

// A frame's rows as one text, one row a line.
inline std::string Text(const std::vector<std::string>& rows) {
  std::string out;
  for (const auto& r : rows) out += r + "\n";
  return out;
}

// The frames whose row 1 is `title`.
inline std::vector<std::vector<std::string>> FramesTitled(const std::string& out, const std::string& title) {
  std::vector<std::vector<std::string>> found;
  for (auto& f : Frames(out))
    if (!f.empty() && f[0] == title) found.push_back(f);
  return found;
}

struct DmsSpec {
  std::string fqdn = "sns1.example.com";
  std::string address = "127.0.103.1";
};

struct DmsBox {
  fs::path dir;
  DmsSpec spec;
  int httpsPort = 0;

  DmsBox(const fs::path& where, DmsSpec s) : dir(where), spec(std::move(s)) {
    httpsPort = FreePort(spec.address);
    auto r = testing::RunProcess({kSim, "init", "--platform", "dms", "--dir", dir.string(), "--fqdn", spec.fqdn,
                                  "--address", spec.address, "--https-port", std::to_string(httpsPort)});
    REQUIRE(r.ok());
    INFO(r->output);
    REQUIRE(r->exitCode == 0);
  }

  // The AAI with `keys` on stdin (then EOF).
  ShellRun Aai(const std::string& keys) const { return RunShell(dir, keys); }

  pki::Certificate Identity() const {
    auto text = ReadFile(dir / "keystore" / "identity.pem");
    auto c = pki::Certificate::FromPem(text);
    REQUIRE(c.ok());
    return *c;
  }

  static std::string ReadFile(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

// Keys from the main menu to CERTIFICATE_MANAGEMENT's item `index` (0..5), chosen.
inline std::string ToCertificateManagement(int index) { return kEnter + Times(index, kDown) + kEnter; }

}  // namespace pkiform::simtest
