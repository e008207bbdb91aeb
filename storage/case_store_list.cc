// CaseStore::ListCases: runs a QueryPlan (case_query.h) over idx_list.
//
// Each range of the plan gets a cursor: a RocksDB iterator bounded to the
// range on both sides, seeked once to the page's start and moved forward
// (ascending) or backward (descending). The cursors are merged by position
// in a heap, so a page costs O(examined × log ranges + ranges) iterator
// steps; the same case under two organisations has the same position and is
// taken once. The entries' values are filtered by MatchesQuery, and only
// the cases that pass are read (one MultiGet at the page's snapshot).
#include <memory>
#include <queue>
#include <vector>

#include "rocksdb/snapshot.h"
#include "storage/case_store.h"
#include "storage/key_coding.h"
#include "storage/page_token.h"
#include "storage/paging.h"
#include "workflow/status_macros.h"

namespace jianyan::storage {
namespace {

// One range of a plan: the entries prefix + position with position in
// [plan.lower, plan.upper), walked in the plan's direction.
class RangeCursor {
 public:
  RangeCursor(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
              const rocksdb::Snapshot* snapshot, const QueryPlan& plan,
              const std::string& prefix)
      : prefix_size_(prefix.size()),
        lower_(prefix + plan.lower),
        upper_(plan.upper.empty() ? PrefixSuccessor(prefix)
                                  : prefix + plan.upper),
        lower_slice_(lower_),
        upper_slice_(upper_),
        descending_(plan.descending) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    ro.iterate_lower_bound = &lower_slice_;
    ro.iterate_upper_bound = &upper_slice_;
    it_.reset(db->NewIterator(ro, cf));
  }
  RangeCursor(const RangeCursor&) = delete;
  RangeCursor& operator=(const RangeCursor&) = delete;

  // Positions at the first entry beyond position `after` in the walk's
  // direction; at the range's first entry when `after` is "".
  void Start(const std::string& after) {
    const std::string target = lower_.substr(0, prefix_size_) + after;
    if (!descending_) {
      if (after.empty() || target < lower_) {
        it_->Seek(lower_);
        return;
      }
      it_->Seek(target);
      if (it_->Valid() && it_->key() == rocksdb::Slice(target)) it_->Next();
      return;
    }
    if (after.empty() || target >= upper_) {
      it_->SeekToLast();
    } else if (target < lower_) {
      it_->Seek(upper_);  // nothing is left: invalid
    } else {
      it_->SeekForPrev(target);
      if (it_->Valid() && it_->key() == rocksdb::Slice(target)) it_->Prev();
    }
  }
  bool Valid() const { return it_->Valid(); }
  rocksdb::Status status() const { return it_->status(); }
  // Only while Valid().
  rocksdb::Slice position() const {
    rocksdb::Slice k = it_->key();
    k.remove_prefix(prefix_size_);
    return k;
  }
  rocksdb::Slice value() const { return it_->value(); }
  void Advance() { descending_ ? it_->Prev() : it_->Next(); }

 private:
  const size_t prefix_size_;
  const std::string lower_;
  const std::string upper_;
  const rocksdb::Slice lower_slice_;
  const rocksdb::Slice upper_slice_;
  const bool descending_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace

absl::StatusOr<CasePage> CaseStore::ListCases(const CaseQuery& query,
                                              const PageRequest& page) {
  return ListCases(query, page, nullptr);
}

absl::StatusOr<CasePage> CaseStore::ListCases(const CaseQuery& query,
                                              const PageRequest& page,
                                              ListCasesStats* stats) {
  JY_RETURN_IF_ERROR(ValidateQuery(query));
  const std::string digest = QueryDigest(query);
  JY_ASSIGN_OR_RETURN(std::string last,
                      DecodeQueryPageToken(page.page_token, digest));
  const QueryPlan plan = PlanQuery(query);
  ListCasesStats local;
  if (stats == nullptr) stats = &local;
  *stats = ListCasesStats();
  stats->index = plan.index;
  CasePage out;
  if (plan.empty) return out;

  rocksdb::ManagedSnapshot snapshot(db_.get());
  std::vector<std::unique_ptr<RangeCursor>> cursors;
  // The cursor whose position comes first in the walk on top.
  auto later = [descending = plan.descending](const RangeCursor* a,
                                              const RangeCursor* b) {
    int c = a->position().compare(b->position());
    return descending ? c < 0 : c > 0;
  };
  std::priority_queue<RangeCursor*, std::vector<RangeCursor*>, decltype(later)>
      heap(later);
  auto check = [](const RangeCursor& c) {
    return FromRocks(c.status(), CfName(Cf::kIdxList));
  };
  for (const std::string& prefix : plan.prefixes) {
    cursors.push_back(std::make_unique<RangeCursor>(
        db_.get(), handle(Cf::kIdxList), snapshot.snapshot(), plan, prefix));
    cursors.back()->Start(last);
    if (cursors.back()->Valid()) heap.push(cursors.back().get());
    JY_RETURN_IF_ERROR(check(*cursors.back()));
  }
  stats->ranges = cursors.size();

  const size_t size = static_cast<size_t>(PageSize(page));
  const uint64_t budget = options_.list_budget != 0
                              ? options_.list_budget
                              : ListBudget(PageSize(page));
  std::vector<std::string> numbers;
  // `last` is the position of the newest entry taken: the next page's start.
  while (!heap.empty()) {
    if (numbers.size() == size || stats->entries_examined == budget) {
      out.next_page_token = EncodeQueryPageToken(digest, last);
      break;
    }
    RangeCursor* c = heap.top();
    heap.pop();
    ++stats->entries_examined;
    if (c->position() != rocksdb::Slice(last)) {  // else: seen in another range
      last = c->position().ToString();
      ListEntry entry;
      if (!DecodeListEntry(
              absl::string_view(c->value().data(), c->value().size()),
              &entry)) {
        return absl::DataLossError("idx_list: malformed entry at " + last);
      }
      if (MatchesQuery(query, entry)) {
        numbers.push_back(std::move(entry.case_number));
      }
    }
    c->Advance();
    if (c->Valid()) heap.push(c);
    JY_RETURN_IF_ERROR(check(*c));
  }
  stats->cases_read = numbers.size();
  JY_RETURN_IF_ERROR(ReadCases(numbers, snapshot.snapshot(),
                               CfName(Cf::kIdxList), &out.cases));
  return out;
}

}  // namespace jianyan::storage
