// Result<T>: an expected failure as a value. Holds either a T or a non-empty list of Errors.
// Every Error names what went wrong (code), says it in words (message) and, for input, points at
// the offending field with an RFC 6901 JSON pointer, so a caller can show all problems at once.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace landed {

// Error codes are stable identifiers; only http/ maps them to status codes.
enum class ErrorCode {
  invalid_json,        // the body is not JSON at all
  invalid_field,       // a field has the wrong type, format or value
  missing_field,       // a required field is absent
  unsupported,         // well-formed, but asks for something Landed does not do (yet)
  not_found,           // a referenced thing (merchant, rate, rule) does not exist
  out_of_range,        // a value is beyond a named bound in core/limits.h
  too_large,           // the whole body is beyond body_bytes_max
  rule_error,          // a rule file is invalid
  io_error,            // a file could not be read
  stale_rates,         // the rates a conversion needs are past the merchant's refuse_after
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
  std::string pointer;  // JSON pointer of the offending field; empty when not about a field
};

using Errors = std::vector<Error>;

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                       // NOLINT: implicit by design
  Result(Error error) : v_(Errors{std::move(error)}) {}            // NOLINT
  Result(Errors errors) : v_(std::move(errors)) {                  // NOLINT
    assert(!std::get<Errors>(v_).empty());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const Errors& errors() const { return std::get<Errors>(v_); }
  const Error& error() const { return errors().front(); }

 private:
  std::variant<T, Errors> v_;
};

}  // namespace landed
