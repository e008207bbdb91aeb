// INTERIM (replaced by the storage-list branch): the query of
// CaseStore::ListCases.
#ifndef JIANYAN_STORAGE_CASE_QUERY_H_
#define JIANYAN_STORAGE_CASE_QUERY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "jianyan/v1/common.pb.h"

namespace jianyan::storage {

enum class CaseOrder { kCreateAsc, kCreateDesc, kDueAsc };

struct CaseQuery {
  std::string state;
  std::vector<std::string> organisation_ids;
  std::string reporting_point_id;
  std::string campaign_id;
  std::string suggester_id;
  jianyan::v1::CaseKind kind = jianyan::v1::CASE_KIND_UNSPECIFIED;
  std::optional<absl::Time> created_after;
  std::optional<absl::Time> created_before;
  CaseOrder order = CaseOrder::kCreateAsc;
};

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_CASE_QUERY_H_
