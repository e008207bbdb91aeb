#include "workflow/clock.h"

namespace jianyan {
namespace {

class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

Clock& Clock::Real() {
  static RealClock* clock = new RealClock();
  return *clock;
}

absl::TimeZone ChinaTimeZone() {
  // A fixed offset: no dependency on the machine's tzdata. Made once:
  // FixedTimeZone looks its zone up by name under a lock on every call.
  static const absl::TimeZone zone = absl::FixedTimeZone(8 * 60 * 60);
  return zone;
}

}  // namespace jianyan
