#include "services/common/log_format.h"

#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "workflow/clock.h"

namespace jianyan {
namespace {

// The text of one second, before and after its milliseconds.
struct SecondText {
  bool set = false;
  int64_t second = 0;  // Unix seconds
  std::string head;    // "2026-11-28T08:00:00"
  std::string zone;    // "+08:00"
};

void AppendDigits3(std::string* out, int64_t v) {
  out->push_back(static_cast<char>('0' + v / 100));
  out->push_back(static_cast<char>('0' + v / 10 % 10));
  out->push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

void AppendJsonString(std::string* out, absl::string_view text) {
  out->push_back('"');
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (c == '\n') {
      out->append("\\n");
    } else if (u < 0x20 || u == 0x7f) {
      absl::StrAppendFormat(out, "\\u%04x", static_cast<unsigned>(u));
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

void AppendLogTime(std::string* out, absl::Time t) {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) {
    AppendJsonString(
        out, absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", t, ChinaTimeZone()));
    return;
  }
  // Whole seconds and milliseconds, both rounded toward the past, as the
  // civil time of %E3S is.
  const int64_t ms = absl::ToUnixMillis(t);
  int64_t second = ms / 1000;
  int64_t milli = ms % 1000;
  if (milli < 0) {
    milli += 1000;
    second -= 1;
  }
  thread_local SecondText cache;
  if (!cache.set || cache.second != second) {
    const absl::Time whole = absl::FromUnixSeconds(second);
    cache.head = absl::FormatTime("%Y-%m-%dT%H:%M:%S", whole, ChinaTimeZone());
    cache.zone = absl::FormatTime("%Ez", whole, ChinaTimeZone());
    cache.second = second;
    cache.set = true;
  }
  out->push_back('"');
  out->append(cache.head);
  out->push_back('.');
  AppendDigits3(out, milli);
  out->append(cache.zone);
  out->push_back('"');
}

void AppendMilliseconds(std::string* out, double ms) {
  // Beyond 2^53 thousandths a double has no thousandths left to print.
  if (!(ms >= 0 && ms < 9e12)) {
    absl::StrAppendFormat(out, "%.3f", ms);
    return;
  }
  const int64_t thousandths = std::llround(ms * 1000);
  absl::StrAppend(out, thousandths / 1000);
  out->push_back('.');
  AppendDigits3(out, thousandths % 1000);
}

}  // namespace jianyan
