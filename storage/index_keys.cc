#include "storage/index_keys.h"

#include "storage/key_coding.h"

namespace jianyan::storage {
namespace {

std::string WithTimeAndCase(std::string prefix, absl::Time t,
                            absl::string_view case_number) {
  PutFixed64BE(&prefix, OrderedTime(t));
  PutOrderedString(&prefix, case_number);
  return prefix;
}

}  // namespace

std::string StateIndexPrefix(absl::string_view state) { return V1Key(state); }

std::string StateIndexKey(absl::string_view state, absl::Time create_time,
                          absl::string_view case_number) {
  return WithTimeAndCase(V1Key(state), create_time, case_number);
}

std::string OrgIndexPrefix(absl::string_view org, absl::string_view state) {
  std::string k = V1Key(org);
  if (!state.empty()) PutOrderedString(&k, state);
  return k;
}

std::string OrgIndexKey(absl::string_view org, absl::string_view state,
                        absl::Time create_time, absl::string_view case_number) {
  std::string k = V1Key(org);
  PutOrderedString(&k, state);  // also when empty: keeps the layout fixed
  return WithTimeAndCase(std::move(k), create_time, case_number);
}

std::string PointIndexPrefix(absl::string_view point) { return V1Key(point); }

std::string PointIndexTimeBound(absl::string_view point, absl::Time t) {
  std::string k = V1Key(point);
  PutFixed64BE(&k, OrderedTime(t));
  return k;
}

std::string PointIndexKey(absl::string_view point, absl::Time create_time,
                          absl::string_view case_number) {
  return WithTimeAndCase(V1Key(point), create_time, case_number);
}

std::string CampaignIndexPrefix(absl::string_view campaign) {
  return V1Key(campaign);
}

std::string CampaignIndexKey(absl::string_view campaign, absl::Time create_time,
                             absl::string_view case_number) {
  return WithTimeAndCase(V1Key(campaign), create_time, case_number);
}

std::string DeadlineIndexPrefix() { return V1Key(); }

std::string DeadlineIndexTimeBound(absl::Time t) {
  std::string k = DeadlineIndexPrefix();
  PutFixed64BE(&k, OrderedTime(t));
  return k;
}

std::string DeadlineIndexKey(absl::Time due_time,
                             absl::string_view case_number) {
  return WithTimeAndCase(DeadlineIndexPrefix(), due_time, case_number);
}

}  // namespace jianyan::storage
