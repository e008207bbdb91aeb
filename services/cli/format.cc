#include "services/cli/format.h"

#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "workflow/clock.h"
#include "workflow/time_util.h"

namespace jianyan::cli {
namespace {

// "ESCALATION_LEVEL_" for EscalationLevel.
std::string EnumPrefix(const google::protobuf::EnumDescriptor* type) {
  std::string prefix;
  for (char c : type->name()) {
    if (absl::ascii_isupper(c) && !prefix.empty()) prefix += '_';
    prefix += absl::ascii_toupper(c);
  }
  return prefix + "_";
}

}  // namespace

std::string FormatTime(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", FromProto(ts), ChinaTimeZone());
}

std::string ShortDuration(absl::Duration d) {
  const char* sign = d < absl::ZeroDuration() ? "-" : "";
  const int64_t minutes = absl::ToInt64Minutes(absl::AbsDuration(d));
  const int64_t days = minutes / (24 * 60);
  const int64_t hours = minutes / 60 % 24;
  if (days > 0) return absl::StrCat(sign, days, "d ", hours, "h");
  return absl::StrCat(sign, hours, "h ", minutes % 60, "m");
}

std::string LabelAnd(const jianyan::v1::Label& label, absl::string_view name) {
  if (label.zh().empty()) return std::string(name);
  return absl::StrCat(label.zh(), " ", name);
}

std::string EnumShort(const google::protobuf::EnumDescriptor* type, int value) {
  const google::protobuf::EnumValueDescriptor* v =
      type->FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat(value);
  std::string name = v->name();
  const std::string prefix = EnumPrefix(type);
  if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
  return absl::AsciiStrToLower(name);
}

std::vector<std::string> EnumShortNames(
    const google::protobuf::EnumDescriptor* type) {
  std::vector<std::string> out;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() == 0) continue;
    out.push_back(EnumShort(type, type->value(i)->number()));
  }
  return out;
}

absl::StatusOr<int> ParseEnum(const google::protobuf::EnumDescriptor* type,
                              absl::string_view text) {
  for (int i = 0; i < type->value_count(); ++i) {
    const int number = type->value(i)->number();
    if (number == 0) continue;
    if (EnumShort(type, number) == absl::AsciiStrToLower(text) ||
        type->value(i)->name() == text) {
      return number;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "'", text,
      "' is not one of: ", absl::StrJoin(EnumShortNames(type), ", ")));
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a date YYYY-MM-DD"));
  }
  return day;
}

absl::StatusOr<absl::Time> ParseTimeArg(absl::string_view text) {
  absl::CivilDay day;
  if (absl::ParseCivilTime(text, &day)) {
    return absl::FromCivil(day + 1, ChinaTimeZone()) - absl::Seconds(1);
  }
  absl::Time t;
  std::string err;
  if (absl::ParseTime("%Y-%m-%d %H:%M", std::string(text), ChinaTimeZone(), &t,
                      &err) ||
      absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &err)) {
    return t;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("'", text,
                   "' is not a time: YYYY-MM-DD, \"YYYY-MM-DD HH:MM\" (China "
                   "time) or RFC 3339"));
}

std::string NewRequestId() {
  std::random_device random;
  return absl::StrFormat("cli-%08x%08x%08x", random(), random(), random());
}

std::string RequestIdOr(const std::string& given) {
  return given.empty() ? NewRequestId() : given;
}

}  // namespace jianyan::cli
