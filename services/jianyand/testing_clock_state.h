// The testing clock's offset is kept in DATA_DIR/testing-clock.offset so that
// time never goes back across a restart of a jianyand started with
// --testing_clock: timers that came due stay due (and fire after a crash).
// The file holds the offset in whole microseconds and a newline; it is
// replaced atomically (write, fsync, rename, fsync the directory).
#ifndef JIANYAN_SERVICES_JIANYAND_TESTING_CLOCK_STATE_H_
#define JIANYAN_SERVICES_JIANYAND_TESTING_CLOCK_STATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jianyan {

inline constexpr char kTestingClockFile[] = "testing-clock.offset";

// Zero when the file is absent; DATA_LOSS naming the file when malformed.
absl::StatusOr<absl::Duration> LoadTestingOffset(const std::string& data_dir);
absl::Status SaveTestingOffset(const std::string& data_dir,
                               absl::Duration offset);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_JIANYAND_TESTING_CLOCK_STATE_H_
