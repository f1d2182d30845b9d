// Status and Result<T>: how every pkiform module reports failure.
//
// Errors are values, never exceptions across module boundaries and never exit()
// deep in the code. A Status carries a message plus the context that lets a
// person act on it (the file, the peer, the seed rule when one applies).
// Callers propagate with `if (!s.ok()) return s;`.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pkiform {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk, kInvalidInput, kNotFound, kIoError, kCrypto, kUnsupported, kFailed };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string msg) { return Status(Code::kInvalidInput, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Crypto(std::string msg) { return Status(Code::kCrypto, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(Code::kUnsupported, std::move(msg)); }
  static Status Failed(std::string msg) { return Status(Code::kFailed, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // The seed rule (SEED-RULES.md id such as "V3") this failure enforces, if any.
  const std::string& rule() const { return rule_; }

  // Prefixes context, e.g. WithContext("ca/root.pem") -> "ca/root.pem: <message>".
  Status WithContext(const std::string& context) const {
    Status s = *this;
    if (!ok()) s.message_ = context + ": " + message_;
    return s;
  }
  Status WithRule(std::string rule) const {
    Status s = *this;
    s.rule_ = std::move(rule);
    return s;
  }
  std::string ToString() const {
    if (ok()) return "ok";
    return rule_.empty() ? message_ : message_ + " [" + rule_ + "]";
  }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
  std::string rule_;
};

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                 // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}          // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace pkiform
