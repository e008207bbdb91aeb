#include "services/intake/id_number.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/intake/text_normalise.h"
#include "workflow/case_number.h"

namespace jianyan {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

bool PlausibleBirthDate(absl::string_view yyyymmdd) {
  int year = 0, month = 0, day = 0;
  if (!absl::SimpleAtoi(yyyymmdd.substr(0, 4), &year) ||
      !absl::SimpleAtoi(yyyymmdd.substr(4, 2), &month) ||
      !absl::SimpleAtoi(yyyymmdd.substr(6, 2), &day)) {
    return false;
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return year >= 1880 && year <= 2199 && month >= 1 && month <= 12 &&
         day >= 1 && day <= kDays[month - 1];
}

}  // namespace

absl::StatusOr<std::string> NormaliseIdNumber(absl::string_view text,
                                              absl::string_view field) {
  std::string id =
      absl::AsciiStrToUpper(absl::StripAsciiWhitespace(FoldFullWidth(text)));
  if (id.size() != 18) {
    return Bad(field,
               "must be 18 characters (17 digits and a check character)");
  }
  for (size_t i = 0; i < 17; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(id[i]))) {
      return Bad(field, "the first 17 characters must be digits");
    }
  }
  if (!absl::ascii_isdigit(static_cast<unsigned char>(id[17])) &&
      id[17] != 'X') {
    return Bad(field, "the check character must be a digit or X");
  }
  if (!PlausibleBirthDate(absl::string_view(id).substr(6, 8))) {
    return Bad(field, "characters 7..14 are not a birth date");
  }
  if (CaseNumberCheckCharacter(absl::string_view(id).substr(0, 17)) != id[17]) {
    return Bad(field, "check character mismatch (GB 11643)");
  }
  return id;
}

}  // namespace jianyan
