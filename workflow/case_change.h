// CaseChange: everything one command changes in one case. The transition
// function (workflow/) produces it; CaseStore::Apply (storage/) writes it in
// one RocksDB WriteBatch. Indexes and timer entries are derived by the store
// from `case_after` (state, organisation, point, campaign, deadlines), so
// they can be re-derived by Verify().
#ifndef JIANYAN_WORKFLOW_CASE_CHANGE_H_
#define JIANYAN_WORKFLOW_CASE_CHANGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "jianyan/v1/case.pb.h"

namespace jianyan {

// One counter increment for the rate statistics. The store adds `delta` to
// the day and month buckets of `time` (China time) for
// (organisation, reporting point, kind, metric).
struct CounterDelta {
  std::string metric;  // e.g. "received", "rated", "satisfied", ...
  absl::Time time;
  std::string organisation_id;
  std::string reporting_point_id;
  jianyan::v1::CaseKind kind = jianyan::v1::CASE_KIND_UNSPECIFIED;
  uint64_t delta = 1;
};

struct CaseChange {
  // The snapshot after the command: version = previous version + 1 (1 for a
  // new case), last_event_seq = seq of the last event below.
  jianyan::v1::Case case_after;
  // New events, seq assigned consecutively; prev_hash left empty: the store
  // chains them to the case's previous event.
  std::vector<jianyan::v1::Event> events;
  std::vector<CounterDelta> counters;
};

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_CASE_CHANGE_H_
