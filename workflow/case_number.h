// Case numbers (件号): typed by people at terminals and read out on the
// phone, so they carry a check character.
//
// Format: K YYYY - S NNNNNNN - C, written "P2026-00001234-7":
//   K        kind: 'P' petition (信访事项), 'S' suggestion (人民建议)
//   YYYY     year of registration, 2000..9999
//   S        shard (0..9) of the core that owns the case: routing needs no
//            lookup
//   NNNNNNN  sequence within (kind, year, shard), 1..9999999
//   C        ISO 7064 MOD 11-2 check character over K YYYY S NNNNNNN: '0'..'9'
//            or 'X' — the same scheme as the resident identity number.
//
// The check rejects every single-character change and every swap of two
// neighbouring characters: a change of one digit d → d' alters the weighted
// sum by (d - d')·2^k, a swap of neighbours a b by (a - b)·2^k, and neither is
// 0 mod 11. Changes that break the layout (a letter for a digit, a moved
// hyphen) are rejected by the layout check first.
//
// Parsing is lenient about what people do (lower case, surrounding spaces,
// full-width digits are NOT accepted) and strict about everything else.
#ifndef JIANYAN_WORKFLOW_CASE_NUMBER_H_
#define JIANYAN_WORKFLOW_CASE_NUMBER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jianyan/v1/common.pb.h"

namespace jianyan {

struct CaseNumber {
  jianyan::v1::CaseKind kind = jianyan::v1::CASE_KIND_UNSPECIFIED;
  int year = 0;
  int shard = 0;
  uint32_t sequence = 0;

  bool operator==(const CaseNumber& o) const {
    return kind == o.kind && year == o.year && shard == o.shard &&
           sequence == o.sequence;
  }
};

inline constexpr int kMaxShard = 9;
inline constexpr uint32_t kMaxSequence = 9999999;

// Formats a case number. Returns INVALID_ARGUMENT when a part is out of
// range (kind unspecified, year outside 2000..9999, shard outside 0..9,
// sequence outside 1..9999999).
absl::StatusOr<std::string> FormatCaseNumber(const CaseNumber& number);

// Parses and checks a case number. Accepts lower case and surrounding
// whitespace. Returns INVALID_ARGUMENT with a message naming the rule broken
// ("case_number: check character mismatch", "case_number: expected ...").
absl::StatusOr<CaseNumber> ParseCaseNumber(absl::string_view text);

// The canonical spelling of a valid case number (upper case, no spaces), or
// INVALID_ARGUMENT as ParseCaseNumber.
absl::StatusOr<std::string> NormalizeCaseNumber(absl::string_view text);

// ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') over `payload`, whose
// characters are digits or the kind letters 'P' and 'S'.
char CaseNumberCheckCharacter(absl::string_view payload);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_CASE_NUMBER_H_
