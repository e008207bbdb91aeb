// The pieces of a log line (log.h), appended in place: the access log
// writes a line per RPC, so each piece avoids temporaries, and the time
// is formatted once per second per thread.
//
// Thread-safety: safe (the time's cache is per thread).
#ifndef JIANYAN_SERVICES_COMMON_LOG_FORMAT_H_
#define JIANYAN_SERVICES_COMMON_LOG_FORMAT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jianyan {

// Appends `text` as a JSON string: quoted, with `"`, `\`, newlines and
// other control characters escaped.
void AppendJsonString(std::string* out, absl::string_view text);

// Appends `t` quoted, in China time with milliseconds, exactly as
// absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", t, ChinaTimeZone()) writes it
// ("2026-11-28T08:00:00.123+08:00"; milliseconds truncated).
void AppendLogTime(std::string* out, absl::Time t);

// Appends `ms` with three decimals ("12.345"), rounded to the nearest
// thousandth.
void AppendMilliseconds(std::string* out, double ms);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_LOG_FORMAT_H_
