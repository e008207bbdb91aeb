// INTERIM (replaced by the storage-list branch): ListCases by a full scan.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/case_store.h"
#include "workflow/time_util.h"

namespace jianyan::storage {

absl::StatusOr<CasePage> CaseStore::ListCases(const CaseQuery& q,
                                              const PageRequest& page) {
  std::vector<jianyan::v1::Case> all;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), handle(Cf::kCases)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    jianyan::v1::StoredCase stored;
    if (!stored.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      return absl::DataLossError("cases: unparsable record");
    }
    const jianyan::v1::Case& c = stored.case_();
    if (!q.state.empty() && c.state() != q.state) continue;
    if (!q.organisation_ids.empty()) {
      bool any = false;
      for (const auto& org : q.organisation_ids) {
        any = any || c.handling_organisation_id() == org ||
              std::count(c.co_handler_organisation_ids().begin(),
                         c.co_handler_organisation_ids().end(), org) > 0 ||
              (c.handling_organisation_id().empty() &&
               c.routing_organisation_id() == org);
      }
      if (!any) continue;
    }
    if (!q.reporting_point_id.empty() &&
        c.reporting_point_id() != q.reporting_point_id)
      continue;
    if (!q.campaign_id.empty() && c.campaign_id() != q.campaign_id) continue;
    if (!q.suggester_id.empty() &&
        c.submitter().suggester_id() != q.suggester_id)
      continue;
    if (q.kind != jianyan::v1::CASE_KIND_UNSPECIFIED && c.kind() != q.kind)
      continue;
    absl::Time created = FromProto(c.create_time());
    if (q.created_after && created < *q.created_after) continue;
    if (q.created_before && created >= *q.created_before) continue;
    if (q.order == CaseOrder::kDueAsc && (!c.open() || !c.has_due_time()))
      continue;
    all.push_back(c);
  }
  if (!it->status().ok()) return FromRocks(it->status(), "list cases");
  auto key = [&](const jianyan::v1::Case& c) {
    return q.order == CaseOrder::kDueAsc ? FromProto(c.due_time())
                                         : FromProto(c.create_time());
  };
  std::stable_sort(all.begin(), all.end(), [&](const auto& a, const auto& b) {
    if (key(a) != key(b)) {
      return q.order == CaseOrder::kCreateDesc ? key(a) > key(b)
                                               : key(a) < key(b);
    }
    return a.case_number() < b.case_number();
  });
  size_t offset = 0;
  if (!page.page_token.empty() && !absl::SimpleAtoi(page.page_token, &offset)) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  int size = page.page_size <= 0 ? 50 : std::min(page.page_size, 1000);
  CasePage out;
  for (size_t i = offset; i < all.size() && out.cases.size() < size_t(size);
       ++i) {
    out.cases.push_back(all[i]);
  }
  if (offset + out.cases.size() < all.size()) {
    out.next_page_token = absl::StrCat(offset + out.cases.size());
  }
  return out;
}

}  // namespace jianyan::storage
