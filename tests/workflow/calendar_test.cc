#include "workflow/calendar.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workflow/textproto.h"

namespace jianyan {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const WorkingCalendar> Cn() {
  auto cals = LoadCalendarDir(DefaultCalendarsDir());
  EXPECT_TRUE(cals.ok()) << cals.status();
  return cals->at("cn");
}

TEST(CalendarTest, Cn2026HolidaysAndMakeUpDays) {
  auto cn = Cn();
  ASSERT_TRUE(cn->HasYear(2026));
  bool provisional = false;
  // Holidays on weekdays are days off.
  EXPECT_FALSE(cn->IsWorkingDay(absl::CivilDay(2026, 1, 1), &provisional));
  EXPECT_FALSE(cn->IsWorkingDay(absl::CivilDay(2026, 2, 23), &provisional));
  EXPECT_FALSE(cn->IsWorkingDay(absl::CivilDay(2026, 10, 7), &provisional));
  // Make-up working days on weekends are working days.
  for (auto d : {absl::CivilDay(2026, 1, 4), absl::CivilDay(2026, 2, 14),
                 absl::CivilDay(2026, 2, 28), absl::CivilDay(2026, 5, 9),
                 absl::CivilDay(2026, 9, 20), absl::CivilDay(2026, 10, 10)}) {
    EXPECT_TRUE(cn->IsWorkingDay(d, &provisional)) << d;
  }
  // Ordinary days.
  EXPECT_TRUE(cn->IsWorkingDay(absl::CivilDay(2026, 10, 8), &provisional));
  EXPECT_FALSE(cn->IsWorkingDay(absl::CivilDay(2026, 10, 11), &provisional));
  EXPECT_FALSE(provisional);
}

TEST(CalendarTest, MissingYearIsWeekendsOnlyAndProvisional) {
  auto cn = Cn();
  bool provisional = false;
  EXPECT_TRUE(cn->IsWorkingDay(absl::CivilDay(2027, 1, 1), &provisional));
  EXPECT_TRUE(provisional);
  provisional = false;
  EXPECT_FALSE(cn->IsWorkingDay(absl::CivilDay(2027, 1, 2), &provisional));
  EXPECT_TRUE(provisional);
}

jianyan::v1::CalendarYear Parse(const std::string& text) {
  jianyan::v1::CalendarYear y;
  EXPECT_TRUE(ParseTextProto(text, "t.textproto", &y, nullptr).ok());
  return y;
}

TEST(CalendarTest, RejectsBadYears) {
  const struct {
    const char* text;
    const char* message;
  } kBad[] = {
      {R"pb(name: "cn"
            year: 2026
            working_days { year: 2026 month: 3 day: 3 })pb",
       "make-up working day 2026-03-03 is not a Saturday or Sunday"},
      {R"pb(name: "cn"
            year: 2026
            holidays {
              first { year: 2026 month: 2 day: 30 }
              last { year: 2026 month: 3 day: 1 }
            })pb",
       "invalid date 2026-02-30"},
      {R"pb(name: "cn"
            year: 2026
            holidays {
              first { year: 2026 month: 3 day: 5 }
              last { year: 2026 month: 3 day: 1 }
            })pb",
       "is reversed"},
      {R"pb(name: "cn"
            year: 2026
            working_days { year: 2027 month: 1 day: 2 })pb",
       "date 2027-01-02 is outside year 2026"},
      {R"pb(name: "cn"
            year: 2026
            holidays {
              first { year: 2026 month: 10 day: 1 }
              last { year: 2026 month: 10 day: 7 }
            }
            working_days { year: 2026 month: 10 day: 3 })pb",
       "make-up working day 2026-10-03 is also a holiday"},
      {R"pb(name: "xx" year: 2026)pb", "expected 'cn'"},
  };
  WorkingCalendar cal("cn");
  for (const auto& bad : kBad) {
    absl::Status st = cal.AddYear(Parse(bad.text));
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << bad.text;
    EXPECT_THAT(std::string(st.message()), HasSubstr(bad.message));
  }
  ASSERT_TRUE(cal.AddYear(Parse(R"pb(name: "cn" year: 2027)pb")).ok());
  EXPECT_EQ(cal.AddYear(Parse(R"pb(name: "cn" year: 2027)pb")).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST(CalendarTest, SyntaxErrorNamesFileAndLine) {
  jianyan::v1::CalendarYear y;
  absl::Status st =
      ParseTextProto("name: \"cn\"\nyear: 2026\nholidays { frist {} }\n",
                     "cn-2026.textproto", &y, nullptr);
  EXPECT_THAT(st.message(), HasSubstr("cn-2026.textproto:3:"));
  EXPECT_THAT(st.message(), HasSubstr("frist"));
}

}  // namespace
}  // namespace jianyan
