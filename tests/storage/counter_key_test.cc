#include "storage/counter_key.h"

#include "gtest/gtest.h"

namespace jianyan::storage {
namespace {

TEST(CounterKeyTest, RoundTrips) {
  CounterId id{
      Period::kMonth, "202611", "org", "pt", jianyan::v1::CASE_KIND_SUGGESTION,
      "received"};
  CounterId out;
  ASSERT_TRUE(DecodeCounterKey(CounterKey(id), &out));
  EXPECT_EQ(out, id);
  EXPECT_FALSE(DecodeCounterKey("\x01X", &out));
}

TEST(CounterKeyTest, PrefixesNarrowPeriodThenOrgThenPoint) {
  CounterId id{
      Period::kDay, "20261128", "org", "pt", jianyan::v1::CASE_KIND_PETITION,
      "rated"};
  std::string k = CounterKey(id);
  for (const std::string& p :
       {CounterPrefix(Period::kDay, "20261128", "", ""),
        CounterPrefix(Period::kDay, "20261128", "org", ""),
        CounterPrefix(Period::kDay, "20261128", "org", "pt")}) {
    EXPECT_EQ(k.compare(0, p.size(), p), 0);
  }
  std::string other = CounterPrefix(Period::kDay, "20261128", "or", "");
  EXPECT_NE(k.compare(0, other.size(), other), 0);
}

TEST(CounterKeyTest, PeriodLabels) {
  absl::CivilDay d(2026, 3, 7);
  EXPECT_EQ(PeriodLabel(Period::kDay, d), "20260307");
  EXPECT_EQ(PeriodLabel(Period::kMonth, d), "202603");
}

}  // namespace
}  // namespace jianyan::storage
