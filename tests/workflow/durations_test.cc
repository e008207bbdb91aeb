#include "workflow/durations.h"

#include "gtest/gtest.h"
#include "workflow/clock.h"

namespace jianyan {
namespace {

absl::Time Cst(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0),
                         ChinaTimeZone());
}

jianyan::v1::DurationSpec Spec(int amount, jianyan::v1::DurationUnit unit) {
  jianyan::v1::DurationSpec s;
  s.set_amount(amount);
  s.set_unit(unit);
  return s;
}

const auto kDays = jianyan::v1::DURATION_UNIT_CALENDAR_DAYS;
const auto kWork = jianyan::v1::DURATION_UNIT_WORKING_DAYS;
const auto kHours = jianyan::v1::DURATION_UNIT_HOURS;

class DurationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cals = LoadCalendarDir(DefaultCalendarsDir());
    ASSERT_TRUE(cals.ok()) << cals.status();
    cn_ = cals->at("cn");
  }
  std::shared_ptr<const WorkingCalendar> cn_;
};

TEST_F(DurationsTest, CalendarDaysEndAtMidnightOfTheLastDay) {
  // Registered 2026-03-02 at any hour: 15 days end at 24:00 of 03-17.
  for (int hour : {0, 9, 23}) {
    LegalTime t =
        AddLegalDuration(Cst(2026, 3, 2, hour), Spec(15, kDays), *cn_);
    EXPECT_EQ(t.time, Cst(2026, 3, 18));
    EXPECT_FALSE(t.provisional);
  }
}

TEST_F(DurationsTest, FiveWorkingDaysAcrossNationalDayAndMakeUpSaturday) {
  // 09-30 (Wed); 10-01..07 off; 10-08 Thu, 09 Fri, 10 Sat (make-up), 12, 13.
  LegalTime t = AddLegalDuration(Cst(2026, 9, 30, 15), Spec(5, kWork), *cn_);
  EXPECT_EQ(t.time, Cst(2026, 10, 14));
  EXPECT_FALSE(t.provisional);
}

TEST_F(DurationsTest, FiveWorkingDaysAcrossMakeUpSaturdayOnly) {
  // 05-06 (Wed): 07, 08, 09 (Sat, make-up), 11, 12.
  EXPECT_EQ(AddLegalDuration(Cst(2026, 5, 6, 10), Spec(5, kWork), *cn_).time,
            Cst(2026, 5, 13));
}

TEST_F(DurationsTest, FiveWorkingDaysAcrossSpringFestival) {
  // 02-12 (Thu): 13 Fri, 14 Sat (make-up), 15..23 off, 24, 25, 26.
  EXPECT_EQ(AddLegalDuration(Cst(2026, 2, 12, 10), Spec(5, kWork), *cn_).time,
            Cst(2026, 2, 27));
}

TEST_F(DurationsTest, WorkingDaysWithoutCalendarAreProvisional) {
  // 2026-12-30 (Wed): 31 (2026, known), then 2027 unknown: 01-01 Fri,
  // 01-04 Mon, 05, 06 -> weekends only, provisional.
  LegalTime t = AddLegalDuration(Cst(2026, 12, 30, 10), Spec(5, kWork), *cn_);
  EXPECT_EQ(t.time, Cst(2027, 1, 7));
  EXPECT_TRUE(t.provisional);
  // Entirely inside 2026: not provisional.
  EXPECT_FALSE(
      AddLegalDuration(Cst(2026, 12, 1), Spec(5, kWork), *cn_).provisional);
}

TEST_F(DurationsTest, Hours) {
  EXPECT_EQ(
      AddLegalDuration(Cst(2026, 3, 2, 9, 30), Spec(48, kHours), *cn_).time,
      Cst(2026, 3, 4, 9, 30));
}

TEST_F(DurationsTest, WarningPoints) {
  // Due 24:00 of 10-13: warned when three working days are left (10-10,
  // 10-12, 10-13), i.e. at 24:00 of 10-09.
  EXPECT_EQ(SubtractLegalDuration(Cst(2026, 10, 14), Spec(3, kWork), *cn_).time,
            Cst(2026, 10, 10));
  EXPECT_EQ(SubtractLegalDuration(Cst(2026, 3, 18), Spec(3, kDays), *cn_).time,
            Cst(2026, 3, 15));
  EXPECT_EQ(SubtractLegalDuration(Cst(2026, 3, 18), Spec(0, kDays), *cn_).time,
            Cst(2026, 3, 18));
}

TEST_F(DurationsTest, ExtensionContinuesFromTheLastDay) {
  // 60 days from 03-02 end at 24:00 of 05-01; +30 days -> 24:00 of 05-31.
  LegalTime due = AddLegalDuration(Cst(2026, 3, 2, 10), Spec(60, kDays), *cn_);
  EXPECT_EQ(due.time, Cst(2026, 5, 2));
  EXPECT_EQ(ExtendLegalDuration(due.time, Spec(30, kDays), *cn_).time,
            Cst(2026, 6, 1));
}

}  // namespace
}  // namespace jianyan
