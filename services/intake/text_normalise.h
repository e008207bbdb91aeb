// Normalisation of what people type at terminals, before any length check:
// control characters other than newline and tab removed, Unicode NFC
// (utf8proc), surrounding white space (ASCII and U+3000 ideographic space)
// trimmed; and, for phone and identity numbers, full-width digits folded to
// ASCII.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_SERVICES_INTAKE_TEXT_NORMALISE_H_
#define JIANYAN_SERVICES_INTAKE_TEXT_NORMALISE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jianyan {

// The normalised form of `text`: control characters (Unicode Cc) other than
// '\n' and '\t' removed, NFC, trimmed. INVALID_ARGUMENT "<field>: is not
// valid UTF-8" when `text` is not valid UTF-8.
absl::StatusOr<std::string> NormaliseText(absl::string_view text,
                                          absl::string_view field);

// Code points of valid UTF-8 `text`.
size_t CodePoints(absl::string_view text);

// Full-width digits (U+FF10..U+FF19), plus sign, hyphen-minus, space
// (U+3000) and the letter X (U+FF38, U+FF58) folded to their ASCII forms;
// everything else unchanged. `text` must be valid UTF-8.
std::string FoldFullWidth(absl::string_view text);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_INTAKE_TEXT_NORMALISE_H_
