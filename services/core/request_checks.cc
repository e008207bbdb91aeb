#include "services/core/request_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "workflow/case_number.h"

namespace jianyan {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

// Code points of valid UTF-8 `s`, or -1 when it is not valid UTF-8.
long Utf8CodePoints(absl::string_view s) {
  long n = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80         ? 1
                 : (c >> 5) == 6  ? 2
                 : (c >> 4) == 14 ? 3
                 : (c >> 3) == 30 ? 4
                                  : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return -1;
    }
    i += len;
    ++n;
  }
  return n;
}

}  // namespace

absl::Status CheckRequestId(absl::string_view id, absl::string_view field) {
  if (id.size() < 8 || id.size() > 64) {
    return Bad(field, "must be 8..64 characters of [A-Za-z0-9_-]");
  }
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-') {
      return Bad(field, "must be 8..64 characters of [A-Za-z0-9_-]");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckIdentifier(absl::string_view id, absl::string_view field) {
  if (id.empty()) return Bad(field, "required");
  bool ok = id.size() <= 64;
  for (size_t i = 0; ok && i < id.size(); ++i) {
    const char c = id[i];
    ok = absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
         (c >= 'a' && c <= 'z') ||
         (i > 0 && (c == '_' || c == '.' || c == '-'));
  }
  return ok ? absl::OkStatus()
            : Bad(field, "must be 1..64 characters of [a-z0-9][a-z0-9_.-]*");
}

absl::Status CheckOptionalIdentifier(absl::string_view id,
                                     absl::string_view field) {
  return id.empty() ? absl::OkStatus() : CheckIdentifier(id, field);
}

absl::Status CheckText(absl::string_view text, absl::string_view field,
                       size_t max_code_points) {
  long n = Utf8CodePoints(text);
  if (n < 0) return Bad(field, "is not valid UTF-8");
  if (static_cast<size_t>(n) > max_code_points) {
    return Bad(field,
               absl::StrCat("longer than ", max_code_points, " characters"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CheckCaseNumber(absl::string_view text,
                                            absl::string_view field) {
  if (text.empty()) return Bad(field, "required");
  if (text.size() > 32) return Bad(field, "not a case number");
  absl::StatusOr<std::string> normalised = NormalizeCaseNumber(text);
  if (!normalised.ok()) {
    absl::string_view message = normalised.status().message();
    absl::ConsumePrefix(&message, "case_number: ");
    return Bad(field, message);
  }
  return *std::move(normalised);
}

absl::StatusOr<int> CheckPageSize(int size, int fallback, int max,
                                  absl::string_view field) {
  if (size == 0) return fallback;
  if (size < 0 || size > max) {
    return Bad(field,
               absl::StrCat("must be 0 (default ", fallback, ") or 1..", max));
  }
  return size;
}

absl::StatusOr<absl::Time> CheckTimestamp(const google::protobuf::Timestamp& ts,
                                          absl::string_view field) {
  // The range protobuf's JSON mapping allows (RFC 3339 years 1..9999).
  constexpr int64_t kMinSeconds = -62135596800;
  constexpr int64_t kMaxSeconds = 253402300799;
  if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds ||
      ts.nanos() < 0 || ts.nanos() > 999999999) {
    return Bad(field, "not a valid timestamp");
  }
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace jianyan
