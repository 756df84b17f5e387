// SHA-256 (FIPS 180-4), for content hashes: rules_version, rates_version, API key digests.
// Debian's libcurl package does not bring a crypto library with it, and a hash is small enough
// to own; it is tested against the FIPS 180-2 example vectors.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace landed {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  std::array<std::uint8_t, 32> finish();  // the object is spent afterwards
  static std::string hex(std::string_view data);

 private:
  void block(const std::uint8_t* p);
  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buf_{};
  std::size_t buf_len_ = 0;
  std::uint64_t total_bytes_ = 0;
};

std::string to_hex(const std::uint8_t* data, std::size_t n);

}  // namespace landed
