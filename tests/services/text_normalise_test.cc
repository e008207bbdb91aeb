// NormaliseText against a reference that always runs utf8proc's NFC: the
// fast path for text NFC leaves alone must give the same bytes, on random
// mixes of inert code points and ones that decompose, combine or are
// controls.
#include "services/intake/text_normalise.h"

#include <cstdlib>
#include <iterator>
#include <memory>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "utf8proc.h"

namespace jianyan {
namespace {

std::string Utf8(char32_t c) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n =
      utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
  return std::string(reinterpret_cast<const char*>(buf),
                     static_cast<size_t>(n));
}

// Controls (but newline and tab) removed, then NFC, then trimmed.
std::string Reference(const std::string& text) {
  std::string kept;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t c = 0;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &c);
    if ((c == '\n' || c == '\t' ||
         utf8proc_category(c) != UTF8PROC_CATEGORY_CC)) {
      kept += Utf8(static_cast<char32_t>(c));
    }
    p += n;
    left -= n;
  }
  utf8proc_uint8_t* nfc = nullptr;
  utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(kept.data()),
      static_cast<utf8proc_ssize_t>(kept.size()), &nfc,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(nfc,
                                                                &std::free);
  std::u32string points;
  p = nfc;
  left = n;
  while (left > 0) {
    utf8proc_int32_t c = 0;
    utf8proc_ssize_t k = utf8proc_iterate(p, left, &c);
    points.push_back(static_cast<char32_t>(c));
    p += k;
    left -= k;
  }
  auto space = [](char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x3000 ||
           utf8proc_category(static_cast<utf8proc_int32_t>(c)) ==
               UTF8PROC_CATEGORY_ZS;
  };
  size_t begin = 0, end = points.size();
  while (begin < end && space(points[begin])) ++begin;
  while (end > begin && space(points[end - 1])) --end;
  std::string out;
  for (size_t i = begin; i < end; ++i) out += Utf8(points[i]);
  return out;
}

TEST(NormaliseTextTest, MatchesFullNfcOnRandomMixes) {
  const char32_t alphabet[] = {
      'a', 'e', 'Z', ' ', '\n', '\t', 0x01, 0x7F, 0x85, 0x3000, 0x3001, 0x300A,
      0x4E2D, 0x6587, 0x9FA5, 0xFF10, 0xFF0C, 0x2014, 0x201C, 0x2026, 0x00B7,
      // Not inert: combining acute, Hangul jamo and syllable, a CJK
      // compatibility ideograph, an en quad, a combining tone mark, Å.
      0x0301, 0x1100, 0x1161, 0xAC00, 0xF900, 0x2000, 0x302A, 0x212B};
  std::mt19937 rng(20261201);
  std::uniform_int_distribution<int> length(0, 12);
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int n = length(rng);
    // Every other string only from the inert part (the fast path).
    const size_t top = i % 2 == 0 ? 20 : std::size(alphabet) - 1;
    std::uniform_int_distribution<size_t> from(0, top);
    for (int k = 0; k < n; ++k) text += Utf8(alphabet[from(rng)]);
    absl::StatusOr<std::string> got = NormaliseText(text, "f");
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(*got, Reference(text)) << "case " << i;
  }
}

TEST(NormaliseTextTest, RefusesWhatUtf8procRefusesAmongInertText) {
  // Overlong, surrogate, truncated, stray continuation, out of range, and
  // two valid sequences that are not inert (an emoji, Hangul).
  const std::string pieces[] = {"\xE0\x80\xAF",
                                "\xC0\xAF",
                                "\xED\xA0\x80",
                                "\xE4\xB8",
                                "\x80",
                                "\xF4\x90\x80\x80",
                                "\xF0\x9F\x98\x80",
                                "\xEA\xB0\x80",
                                "\xE4\xB8\xAD",
                                "a",
                                "\xE3\x80\x80"};
  std::mt19937 rng(20261203);
  std::uniform_int_distribution<size_t> from(0, std::size(pieces) - 1);
  std::uniform_int_distribution<int> length(1, 6);
  for (int i = 0; i < 5000; ++i) {
    std::string text = "\xE4\xB8\xAD\xE6\x96\x87";  // inert lead-in
    for (int k = length(rng); k > 0; --k) text += pieces[from(rng)];
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
    bool valid = true;
    while (valid && left > 0) {
      utf8proc_int32_t c = 0;
      utf8proc_ssize_t n = utf8proc_iterate(p, left, &c);
      valid = n > 0 && c >= 0;
      p += n > 0 ? n : 0;
      left -= n > 0 ? n : left;
    }
    absl::StatusOr<std::string> got = NormaliseText(text, "f");
    ASSERT_EQ(got.ok(), valid) << "case " << i << ": " << got.status();
    if (valid) {
      ASSERT_EQ(*got, Reference(text)) << "case " << i;
    }
  }
}

TEST(NormaliseTextTest, ComposesTrimsAndDropsControls) {
  EXPECT_EQ(*NormaliseText("  e\xCC\x81\x01 ", "f"), "\xC3\xA9");
  EXPECT_EQ(*NormaliseText("\xE3\x80\x80供暖\x07不热\n", "f"), "供暖不热");
  EXPECT_EQ(NormaliseText("\xFF", "title").status().message(),
            "title: is not valid UTF-8");
}

}  // namespace
}  // namespace jianyan
