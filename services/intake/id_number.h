// Resident identity numbers (公民身份号码, GB 11643-1999): 17 digits and an
// ISO 7064 MOD 11-2 check character ('0'..'9' or 'X'), the same scheme as
// the case number's (workflow/case_number.h).
//
// Thread-safety: pure functions.
#ifndef JIANYAN_SERVICES_INTAKE_ID_NUMBER_H_
#define JIANYAN_SERVICES_INTAKE_ID_NUMBER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jianyan {

// The canonical form of an identity number as typed: full-width digits and
// X folded, a trailing 'x' upper-cased, surrounding spaces dropped.
// INVALID_ARGUMENT "<field>: ..." unless it is 18 characters (17 digits and
// a digit or X), with a plausible birth date (YYYYMMDD at positions 7..14)
// and a matching check character.
absl::StatusOr<std::string> NormaliseIdNumber(absl::string_view text,
                                              absl::string_view field);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_INTAKE_ID_NUMBER_H_
