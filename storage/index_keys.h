// Key codecs of the listing indexes (version 1). The value of every index
// entry is the case number, so a page needs no key parsing.
//   idx_state:    v1 | str(state) | t(create) | str(case)
//   idx_org:      v1 | str(org) | str(state) | t(create) | str(case)
//   idx_point:    v1 | str(point) | t(create) | str(case)
//   idx_campaign: v1 | str(campaign) | t(create) | str(case)
//   idx_deadline: v1 | t(due) | str(case)        (open cases with a due time)
// t() is OrderedTime: lists come oldest (or soonest due) first.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_INDEX_KEYS_H_
#define JIANYAN_STORAGE_INDEX_KEYS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jianyan::storage {

std::string StateIndexPrefix(absl::string_view state);
std::string StateIndexKey(absl::string_view state, absl::Time create_time,
                          absl::string_view case_number);

// `state` empty: the prefix of every entry of the organisation.
std::string OrgIndexPrefix(absl::string_view org, absl::string_view state);
std::string OrgIndexKey(absl::string_view org, absl::string_view state,
                        absl::Time create_time, absl::string_view case_number);

std::string PointIndexPrefix(absl::string_view point);
// The first key of `point` created at or after `t`.
std::string PointIndexTimeBound(absl::string_view point, absl::Time t);
std::string PointIndexKey(absl::string_view point, absl::Time create_time,
                          absl::string_view case_number);

std::string CampaignIndexPrefix(absl::string_view campaign);
std::string CampaignIndexKey(absl::string_view campaign, absl::Time create_time,
                             absl::string_view case_number);

std::string DeadlineIndexPrefix();
// The first key due at or after `t`: an exclusive upper bound for "due
// before t".
std::string DeadlineIndexTimeBound(absl::Time t);
std::string DeadlineIndexKey(absl::Time due_time,
                             absl::string_view case_number);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_INDEX_KEYS_H_
