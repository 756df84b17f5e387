#include "http/auth.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "core/ascii.h"
#include "core/limits.h"
#include "core/sha256.h"

namespace landed::http {

std::string_view to_string(Role r) {
  switch (r) {
    case Role::checkout: return "checkout";
    case Role::finance: return "finance";
    case Role::reviewer: return "reviewer";
    case Role::admin: return "admin";
  }
  return "?";
}

namespace {

std::optional<Role> role_of(std::string_view s) {
  for (Role r : {Role::checkout, Role::finance, Role::reviewer, Role::admin})
    if (to_string(r) == s) return r;
  return std::nullopt;
}

std::optional<std::array<std::uint8_t, 32>> from_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  std::array<std::uint8_t, 32> out{};
  for (std::size_t i = 0; i < 64; ++i) {
    const char c = hex[i];
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) return std::nullopt;
    out[i / 2] = std::uint8_t(out[i / 2] << 4 | v);
  }
  return out;
}

}  // namespace

bool ApiKey::acts_for(std::string_view merchant) const {
  return all_merchants || std::binary_search(merchants.begin(), merchants.end(), merchant);
}

Result<Keys> Keys::parse(std::string_view text) {
  if (text.size() > limits::keys_file_bytes_max) return Error{ErrorCode::out_of_range, "keys file too large", ""};
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Error{ErrorCode::invalid_json, std::string("keys file is not JSON: ") + e.what(), ""};
  }
  if (!doc.is_array()) return Error{ErrorCode::invalid_field, "keys file must be a JSON array", ""};
  if (doc.size() > limits::api_keys_max) return Error{ErrorCode::out_of_range, "more than api_keys_max keys", ""};
  Keys keys;
  Errors errors;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const auto& k = doc[i];
    const std::string ptr = "/" + std::to_string(i);
    if (!k.is_object() || !k.contains("id") || !k["id"].is_string() || !k.contains("role") || !k["role"].is_string() ||
        !k.contains("sha256") || !k["sha256"].is_string()) {
      errors.push_back({ErrorCode::invalid_field, "each key needs string fields id, role and sha256", ptr});
      continue;
    }
    const auto role = role_of(k["role"].get<std::string>());
    const auto digest = from_hex(k["sha256"].get<std::string>());
    const std::string id = k["id"].get<std::string>();
    if (!role) errors.push_back({ErrorCode::invalid_field, "role must be checkout, finance, reviewer or admin", ptr + "/role"});
    if (!digest) errors.push_back({ErrorCode::invalid_field, "sha256 must be 64 hex digits", ptr + "/sha256"});
    if (id.empty() || !ids.insert(id).second) errors.push_back({ErrorCode::invalid_field, "id must be unique and non-empty", ptr + "/id"});
    ApiKey key{id, role.value_or(Role::checkout), digest.value_or(std::array<std::uint8_t, 32>{}), {}, false};
    bool merchants_ok = k.contains("merchants") && k["merchants"].is_array() && !k["merchants"].empty() &&
                        k["merchants"].size() <= limits::key_merchants_max;
    for (const auto& m : merchants_ok ? k["merchants"] : nlohmann::json::array()) {
      if (!m.is_string() || m.get_ref<const std::string&>().empty() ||
          m.get_ref<const std::string&>().size() > limits::id_bytes_max) {
        merchants_ok = false;
        break;
      }
      if (m == "*") key.all_merchants = true;
      else key.merchants.push_back(m);
    }
    if (!merchants_ok)
      errors.push_back({ErrorCode::invalid_field,
                        "merchants must be a non-empty array of merchant ids (at most " +
                            std::to_string(limits::key_merchants_max) + "), such as [\"demo\"]",
                        ptr + "/merchants"});
    else if (key.all_merchants && (role != Role::admin || !key.merchants.empty()))
      errors.push_back({ErrorCode::invalid_field, "only an admin key may act for every merchant, as [\"*\"] alone",
                        ptr + "/merchants"});
    if (key.all_merchants) key.merchants.clear();
    std::sort(key.merchants.begin(), key.merchants.end());
    if (role && digest) keys.keys_.push_back(std::move(key));
  }
  if (!errors.empty()) return errors;
  return keys;
}

std::optional<ApiKey> Keys::authenticate(std::string_view authorization) const {
  // credentials = auth-scheme 1*SP token68; the scheme is case-insensitive (RFC 9110 11.1, 11.4).
  constexpr std::string_view scheme = "bearer";
  if (authorization.size() <= scheme.size() + 1 || authorization[scheme.size()] != ' ') return std::nullopt;
  if (!equals_ignoring_ascii_case(authorization.substr(0, scheme.size()), scheme)) return std::nullopt;
  std::string_view token = authorization.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  if (token.empty()) return std::nullopt;
  Sha256 h;
  h.update(token);
  const auto presented = h.finish();
  // Every key is compared in full, whatever matched, so the time does not depend on the match.
  std::optional<std::size_t> found;
  for (std::size_t k = 0; k < keys_.size(); ++k) {
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < presented.size(); ++i) diff |= std::uint8_t(presented[i] ^ keys_[k].digest[i]);
    const bool match = diff == 0;
    if (match && !found) found = k;
  }
  if (!found) return std::nullopt;
  return keys_[*found];
}

}  // namespace landed::http
