// API keys and roles. The keys file is a JSON array of {"id", "role", "merchants", "sha256"}, where
// sha256 is the hex SHA-256 of the bearer token: the server never holds tokens, only their
// digests. A presented token is hashed and compared with every key's digest in constant time, so
// timing tells nothing about which key or how many bytes matched.
//
// Tenancy: "merchants" names the merchants a key acts for (["demo"]); only an admin key may say
// ["*"] (every merchant). Every key must name its merchants: a keys file written before tenancy
// existed is refused at load rather than silently granting a key every merchant.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace landed::http {

enum class Role { checkout, finance, reviewer, admin };
std::string_view to_string(Role r);

struct ApiKey {
  std::string id;
  Role role;
  std::array<std::uint8_t, 32> digest;
  std::vector<std::string> merchants;  // sorted; empty when all_merchants
  bool all_merchants = false;          // "*": admin only
  bool acts_for(std::string_view merchant) const;
};

class Keys {
 public:
  static Result<Keys> parse(std::string_view json_text);
  // The key whose token this is, from an Authorization header value ("Bearer <token>"; the
  // scheme is case-insensitive, RFC 9110 section 11.1).
  std::optional<ApiKey> authenticate(std::string_view authorization) const;
  std::size_t size() const { return keys_.size(); }

 private:
  std::vector<ApiKey> keys_;
};

}  // namespace landed::http
