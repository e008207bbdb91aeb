#include "services/intake/text_normalise.h"

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "utf8proc.h"

namespace jianyan {
namespace {

bool IsSpace(utf8proc_int32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == 0x3000 ||
         utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

// Decodes `text` into code points; false when it is not valid UTF-8.
bool Decode(absl::string_view text, std::u32string* out) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t c = 0;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &c);
    if (n <= 0 || c < 0) return false;
    out->push_back(static_cast<char32_t>(c));
    p += n;
    left -= n;
  }
  return true;
}

void Encode(char32_t c, std::string* out) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n =
      utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
  out->append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

// Control characters (Cc) other than newline and tab.
bool IsDropped(char32_t c) {
  return c != '\n' && c != '\t' &&
         utf8proc_category(static_cast<utf8proc_int32_t>(c)) ==
             UTF8PROC_CATEGORY_CC;
}

// Code points that NFC leaves as they are whatever surrounds them: no
// canonical decomposition, combining class 0, and never the second of a
// canonical composition pair. Covers what Chinese text at a terminal is
// made of (ASCII, CJK unified ideographs, CJK punctuation, full-width
// forms, common quotes and dashes), so that it skips utf8proc_map. U+302A..
// U+302F (combining tone marks) are left out on purpose.
bool IsNfcInert(char32_t c) {
  return c < 0x80 || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0x3000 && c <= 0x3029) || (c >= 0xFF01 && c <= 0xFF5E) ||
         c == 0x00B7 || c == 0x2014 || (c >= 0x2018 && c <= 0x201D) ||
         c == 0x2026;
}

// True when `text` is valid UTF-8 of NFC-inert code points only and none
// of them is dropped: then only trimming can change it. Walks the bytes
// once, without decoding ASCII; three-byte sequences (all of CJK) are
// decoded in place, anything else by utf8proc.
bool AllInertAndKept(absl::string_view text) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto size = static_cast<utf8proc_ssize_t>(text.size());
  for (utf8proc_ssize_t i = 0; i < size;) {
    const utf8proc_uint8_t b = p[i];
    if (b < 0x80) {
      if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7F) return false;
      ++i;
      continue;
    }
    if ((b & 0xF0) == 0xE0 && size - i >= 3 && (p[i + 1] & 0xC0) == 0x80 &&
        (p[i + 2] & 0xC0) == 0x80) {
      const char32_t c = static_cast<char32_t>(
          ((b & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F));
      // Below U+0800 the sequence is overlong (invalid); surrogates and
      // everything else outside the inert ranges take the slow path.
      if (c < 0x800 || !IsNfcInert(c)) return false;
      i += 3;
      continue;
    }
    utf8proc_int32_t c = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p + i, size - i, &c);
    if (n <= 0 || c < 0 || !IsNfcInert(static_cast<char32_t>(c))) {
      return false;
    }
    i += n;
  }
  return true;
}

// `text` without surrounding white space, for text AllInertAndKept accepts
// (its only blanks are ' ', '\t', '\n' and U+3000: it has no other ASCII
// white space, those being controls).
absl::string_view TrimInert(absl::string_view text) {
  constexpr absl::string_view kIdeographicSpace = "\xE3\x80\x80";
  for (size_t before = text.size() + 1; text.size() < before;) {
    before = text.size();
    text = absl::StripAsciiWhitespace(text);
    absl::ConsumePrefix(&text, kIdeographicSpace);
    absl::ConsumeSuffix(&text, kIdeographicSpace);
  }
  return text;
}

// `points` without dropped controls and without surrounding white space,
// as UTF-8.
std::string FilterAndTrim(const std::u32string& points) {
  size_t begin = 0;
  size_t end = points.size();
  auto blank = [](char32_t c) {
    return IsDropped(c) || IsSpace(static_cast<utf8proc_int32_t>(c));
  };
  while (begin < end && blank(points[begin])) ++begin;
  while (end > begin && blank(points[end - 1])) --end;
  std::string out;
  out.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    if (!IsDropped(points[i])) Encode(points[i], &out);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> NormaliseText(absl::string_view text,
                                          absl::string_view field) {
  // What terminals send almost always: NFC and the filter change nothing.
  if (AllInertAndKept(text)) return std::string(TrimInert(text));
  std::u32string points;
  if (!Decode(text, &points)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": is not valid UTF-8"));
  }
  if (std::all_of(points.begin(), points.end(), IsNfcInert)) {
    return FilterAndTrim(points);  // NFC would change nothing
  }
  std::u32string kept;
  kept.reserve(points.size());
  for (char32_t c : points) {
    if (!IsDropped(c)) kept.push_back(c);
  }
  std::string utf8;
  utf8.reserve(text.size());
  for (char32_t c : kept) Encode(c, &utf8);
  utf8proc_uint8_t* composed = nullptr;
  utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
      static_cast<utf8proc_ssize_t>(utf8.size()), &composed,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(composed,
                                                                &std::free);
  if (n < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": is not valid UTF-8"));
  }
  std::u32string nfc;
  Decode(absl::string_view(reinterpret_cast<const char*>(composed),
                           static_cast<size_t>(n)),
         &nfc);
  return FilterAndTrim(nfc);
}

size_t CodePoints(absl::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string FoldFullWidth(absl::string_view text) {
  std::u32string points;
  if (!Decode(text, &points)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (char32_t c : points) {
    if (c >= 0xFF10 && c <= 0xFF19) {
      out.push_back(static_cast<char>('0' + (c - 0xFF10)));
    } else if (c == 0xFF0B) {
      out.push_back('+');
    } else if (c == 0xFF0D) {
      out.push_back('-');
    } else if (c == 0x3000) {
      out.push_back(' ');
    } else if (c == 0xFF38 || c == 0xFF58) {
      out.push_back('X');
    } else {
      Encode(c, &out);
    }
  }
  return out;
}

}  // namespace jianyan
