// Key codec of the `counters` column family (version 1). Values are uint64
// little-endian, summed by Uint64AddOperator.
//   v1 | period ('D' day, 'M' month) | str(period "YYYYMMDD" / "YYYYMM")
//      | str(organisation) | str(reporting point) | u8(kind) | str(metric)
// A period's counters are contiguous, then an organisation's, then a
// point's: every counter query is one prefix scan.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_COUNTER_KEY_H_
#define JIANYAN_STORAGE_COUNTER_KEY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "jianyan/v1/common.pb.h"

namespace jianyan::storage {

enum class Period : char { kDay = 'D', kMonth = 'M' };

struct CounterId {
  Period period = Period::kDay;
  std::string period_label;  // "20261128" or "202611"
  std::string organisation_id;
  std::string reporting_point_id;
  jianyan::v1::CaseKind kind = jianyan::v1::CASE_KIND_UNSPECIFIED;
  std::string metric;

  bool operator==(const CounterId& o) const {
    return period == o.period && period_label == o.period_label &&
           organisation_id == o.organisation_id &&
           reporting_point_id == o.reporting_point_id && kind == o.kind &&
           metric == o.metric;
  }
};

// "YYYYMMDD" for kDay, "YYYYMM" for kMonth.
std::string PeriodLabel(Period period, absl::CivilDay day);

std::string CounterKey(const CounterId& id);
// Returns false on a malformed key.
bool DecodeCounterKey(absl::string_view key, CounterId* id);
// Prefix of a period's counters, narrowed to an organisation when `org` is
// set and further to a reporting point when `point` is set too.
std::string CounterPrefix(Period period, absl::string_view period_label,
                          absl::string_view org, absl::string_view point);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_COUNTER_KEY_H_
