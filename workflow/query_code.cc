#include "workflow/query_code.h"

#include <cstdint>

#include "absl/random/distributions.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "workflow/sha256.h"

namespace jianyan {
namespace {

constexpr absl::string_view kDomain = "jianyan-query-code-v1";

std::string Digest(absl::string_view salt, absl::string_view digits) {
  return Sha256Digest(absl::StrCat(kDomain, salt, digits));
}

}  // namespace

std::string GenerateQueryCode(absl::BitGenRef gen) {
  uint32_t n = absl::Uniform<uint32_t>(gen, 0u, 100000000u);
  return absl::StrFormat("%04u-%04u", n / 10000, n % 10000);
}

absl::StatusOr<std::string> NormalizeQueryCode(absl::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c == ' ' || c == '-') continue;
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError("query_code: digits only");
    }
    digits.push_back(c);
    if (digits.size() > kQueryCodeDigits) break;
  }
  if (digits.size() != kQueryCodeDigits) {
    return absl::InvalidArgumentError("query_code: expected 8 digits");
  }
  return digits;
}

absl::StatusOr<std::string> HashQueryCode(absl::string_view code,
                                          absl::BitGenRef gen) {
  std::string salt(kQueryCodeSaltBytes, '\0');
  for (char& c : salt) c = static_cast<char>(absl::Uniform<uint8_t>(gen));
  return HashQueryCodeWithSalt(code, salt);
}

absl::StatusOr<std::string> HashQueryCodeWithSalt(absl::string_view code,
                                                  absl::string_view salt) {
  if (salt.size() != kQueryCodeSaltBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("salt: must be ", kQueryCodeSaltBytes, " bytes"));
  }
  auto digits = NormalizeQueryCode(code);
  if (!digits.ok()) return digits.status();
  return absl::StrCat(salt, Digest(salt, *digits));
}

bool QueryCodeMatches(absl::string_view text, absl::string_view stored) {
  auto digits = NormalizeQueryCode(text);
  if (!digits.ok() || stored.size() != kQueryCodeSaltBytes + 32) return false;
  std::string expected = Digest(stored.substr(0, kQueryCodeSaltBytes), *digits);
  absl::string_view actual = stored.substr(kQueryCodeSaltBytes);
  unsigned char diff = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    diff |= static_cast<unsigned char>(expected[i] ^ actual[i]);
  }
  return diff == 0;
}

}  // namespace jianyan
