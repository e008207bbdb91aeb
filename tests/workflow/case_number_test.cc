#include "workflow/case_number.h"

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace jianyan {
namespace {

using jianyan::v1::CASE_KIND_PETITION;
using jianyan::v1::CASE_KIND_SUGGESTION;

TEST(CaseNumberTest, FormatsTheDocumentedLayout) {
  auto s = FormatCaseNumber({CASE_KIND_PETITION, 2026, 0, 1234});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->substr(0, 15), "P2026-00001234-");
  auto parsed = ParseCaseNumber(*s);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, (CaseNumber{CASE_KIND_PETITION, 2026, 0, 1234}));
}

TEST(CaseNumberTest, KnownNumbersAndTheFullRangeRoundTrip) {
  // Check characters worked out by hand from the weights 2^k mod 11.
  EXPECT_EQ(*FormatCaseNumber({CASE_KIND_PETITION, 2026, 0, 1}),
            "P2026-00000001-6");
  EXPECT_EQ(*FormatCaseNumber({CASE_KIND_SUGGESTION, 9999, 9, 9999999}),
            "S9999-99999999-9");
  EXPECT_EQ(*FormatCaseNumber({CASE_KIND_PETITION, 2026, 0, 1234}),
            "P2026-00001234-0");
  std::mt19937 gen(7);
  for (int i = 0; i < 5000; ++i) {
    CaseNumber n{i % 2 ? CASE_KIND_PETITION : CASE_KIND_SUGGESTION,
                 2000 + static_cast<int>(gen() % 8000),
                 static_cast<int>(gen() % 10),
                 1 + static_cast<uint32_t>(gen() % 9999999)};
    auto text = FormatCaseNumber(n);
    ASSERT_TRUE(text.ok()) << text.status();
    ASSERT_EQ(text->size(), 16u);
    auto parsed = ParseCaseNumber(*text);
    ASSERT_TRUE(parsed.ok()) << *text << ": " << parsed.status();
    EXPECT_EQ(*parsed, n) << *text;
  }
}

TEST(CaseNumberTest, RejectsOutOfRangeParts) {
  EXPECT_FALSE(
      FormatCaseNumber({jianyan::v1::CASE_KIND_UNSPECIFIED, 2026, 0, 1}).ok());
  EXPECT_FALSE(FormatCaseNumber({CASE_KIND_PETITION, 1999, 0, 1}).ok());
  EXPECT_FALSE(FormatCaseNumber({CASE_KIND_PETITION, 2026, 10, 1}).ok());
  EXPECT_FALSE(FormatCaseNumber({CASE_KIND_PETITION, 2026, 0, 0}).ok());
  EXPECT_FALSE(FormatCaseNumber({CASE_KIND_PETITION, 2026, 0, 10000000}).ok());
}

TEST(CaseNumberTest, AcceptsLowerCaseAndSpaces) {
  auto s = FormatCaseNumber({CASE_KIND_SUGGESTION, 2027, 3, 42});
  ASSERT_TRUE(s.ok());
  std::string lower = "  " + *s + "\t";
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto norm = NormalizeCaseNumber(lower);
  ASSERT_TRUE(norm.ok()) << norm.status();
  EXPECT_EQ(*norm, *s);
}

TEST(CaseNumberTest, ErrorsNameTheField) {
  auto r = ParseCaseNumber("P2026-00001234");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("case_number"), absl::string_view::npos);
  EXPECT_FALSE(ParseCaseNumber("").ok());
  EXPECT_FALSE(ParseCaseNumber(std::string(1000, '9')).ok());
  std::string with_nul = "P2026-00001234-7";
  with_nul[10] = '\0';
  EXPECT_FALSE(ParseCaseNumber(with_nul).ok());
}

// Every valid number parses back to its parts; every single-character
// change (to any printable ASCII character other than a case variant of the
// same letter) and every swap of two different neighbours is rejected.
TEST(CaseNumberTest, DetectsEverySingleChangeAndAdjacentSwap) {
  std::mt19937_64 rng(20261128);
  std::uniform_int_distribution<int> year(2000, 2099);
  std::uniform_int_distribution<int> shard(0, kMaxShard);
  std::uniform_int_distribution<uint32_t> seq(1, kMaxSequence);
  int checked_changes = 0;
  int x_checks = 0;
  for (int i = 0; i < 20000; ++i) {
    CaseNumber n{(i % 2) ? CASE_KIND_PETITION : CASE_KIND_SUGGESTION, year(rng),
                 shard(rng), seq(rng)};
    auto formatted = FormatCaseNumber(n);
    ASSERT_TRUE(formatted.ok()) << formatted.status();
    const std::string& s = *formatted;
    auto parsed = ParseCaseNumber(s);
    ASSERT_TRUE(parsed.ok()) << s << ": " << parsed.status();
    ASSERT_EQ(*parsed, n) << s;
    if (s.back() == 'X') ++x_checks;
    for (size_t pos = 0; pos < s.size(); ++pos) {
      for (int c = 0x21; c < 0x7f; ++c) {
        char ch = static_cast<char>(c);
        if (std::toupper(static_cast<unsigned char>(ch)) == s[pos]) continue;
        std::string changed = s;
        changed[pos] = ch;
        ASSERT_FALSE(ParseCaseNumber(changed).ok()) << s << " -> " << changed;
        ++checked_changes;
      }
      if (pos + 1 < s.size() && s[pos] != s[pos + 1]) {
        std::string swapped = s;
        std::swap(swapped[pos], swapped[pos + 1]);
        ASSERT_FALSE(ParseCaseNumber(swapped).ok()) << s << " -> " << swapped;
        ++checked_changes;
      }
    }
  }
  EXPECT_GT(checked_changes, 20000 * 16 * 90);
  EXPECT_GT(x_checks, 0);  // the 'X' check character occurs and round-trips
}

}  // namespace
}  // namespace jianyan
