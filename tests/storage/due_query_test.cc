// ListCases for the supervision console: due_after/due_before bound the due
// positions (a range, not a scan), min_escalation_level and warned_by
// filter by the idx_list value alone; paging works across every filter and
// page tokens are bound to them.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/case_store.h"
#include "tests/storage/notice_test_util.h"
#include "tests/storage/store_test_util.h"
#include "workflow/time_util.h"

namespace jianyan::storage {
namespace {

using testing::CreateRequest;
using testing::TestEpoch;

absl::Time Hour(int h) { return TestEpoch() + absl::Hours(h); }

struct Model {
  std::string no;
  std::string org;
  absl::Time due;
  bool open = true;
  int level = 0;
  std::optional<absl::Time> warn;  // of the running deadline
};

class DueQueryTest : public testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    for (int i = 0; i < 30; ++i) {
      Model m;
      m.no = absl::StrCat("P2026-", 10000000 + i, "-X");
      m.org = absl::StrCat("org", i % 3);
      m.due = Hour(i % 2 == 0 ? i : 29 - i);  // not in creation order
      m.open = i % 7 != 6;
      m.level = i % 4;
      if (i % 5 != 0) m.warn = m.due - absl::Hours(2);
      testing::CaseSpec spec = testing::Spec(m.no, "handling", m.org);
      spec.due_time = m.due;
      spec.open = m.open;
      spec.create_time = TestEpoch() - absl::Hours(100 - i);
      ApplyRequest r = CreateRequest(spec);
      jianyan::v1::Case& c = r.change.case_after;
      c.set_escalation_level(
          static_cast<jianyan::v1::EscalationLevel>(m.level));
      if (m.warn) {
        *c.mutable_deadlines(0)->mutable_warn_time() = ToProto(*m.warn);
      }
      if (i % 4 == 1) {  // a paused deadline's earlier warn time is ignored
        jianyan::v1::Deadline* paused = c.add_deadlines();
        paused->set_timer("paused");
        paused->set_paused(true);
        *paused->mutable_warn_time() = ToProto(Hour(-50));
      }
      auto applied = store_->Apply(std::move(r));
      ASSERT_TRUE(applied.ok()) << applied.status();
      model_.push_back(m);
    }
  }
  std::vector<std::string> Expected(const CaseQuery& q) {
    std::vector<std::tuple<absl::Time, std::string>> hits;
    for (const Model& m : model_) {
      if (!m.open) continue;
      if (!q.organisation_ids.empty() &&
          std::find(q.organisation_ids.begin(), q.organisation_ids.end(),
                    m.org) == q.organisation_ids.end()) {
        continue;
      }
      if (q.due_after && m.due < *q.due_after) continue;
      if (q.due_before && m.due >= *q.due_before) continue;
      if (m.level < static_cast<int>(q.min_escalation_level)) continue;
      if (q.warned_by && (!m.warn || *m.warn > *q.warned_by)) continue;
      hits.emplace_back(m.due, m.no);
    }
    std::sort(hits.begin(), hits.end());
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(std::get<1>(h));
    return out;
  }
  std::vector<std::string> List(const CaseQuery& q, int page_size) {
    return testing::ReadAllPages(
        [&](const PageRequest& page) { return store_->ListCases(q, page); },
        [&] { return page_size; });
  }

  std::vector<Model> model_;
};

TEST_F(DueQueryTest, EveryCombinationOfBoundsAndFiltersPagesLikeTheModel) {
  int nonempty = 0;
  for (const auto& orgs :
       {std::vector<std::string>{}, std::vector<std::string>{"org2", "org0"}}) {
    for (std::optional<absl::Time> after :
         {std::optional<absl::Time>(), std::optional<absl::Time>(Hour(5))}) {
      for (std::optional<absl::Time> before :
           {std::optional<absl::Time>(), std::optional<absl::Time>(Hour(20))}) {
        for (auto level : {jianyan::v1::ESCALATION_LEVEL_NONE,
                           jianyan::v1::ESCALATION_LEVEL_SUPERVISE}) {
          for (std::optional<absl::Time> warned :
               {std::optional<absl::Time>(),
                std::optional<absl::Time>(Hour(10))}) {
            CaseQuery q;
            q.order = CaseOrder::kDueAsc;
            q.organisation_ids = orgs;
            q.due_after = after;
            q.due_before = before;
            q.min_escalation_level = level;
            q.warned_by = warned;
            const std::vector<std::string> want = Expected(q);
            if (!want.empty()) ++nonempty;
            for (int page_size : {2, 50}) {
              EXPECT_EQ(List(q, page_size), want)
                  << "orgs " << orgs.size() << " after " << after.has_value()
                  << " before " << before.has_value() << " level " << level
                  << " warned " << warned.has_value() << " page " << page_size;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(nonempty, 24);  // the filters are not vacuous
}

TEST_F(DueQueryTest, TheFirstPageOfARangeExaminesOnlyThatPage) {
  CaseQuery overdue;
  overdue.order = CaseOrder::kDueAsc;
  overdue.due_before = Hour(20);
  PageRequest page;
  page.page_size = 5;
  ListCasesStats stats;
  auto p = store_->ListCases(overdue, page, &stats);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->cases.size(), 5u);
  EXPECT_LE(stats.entries_examined, 6u);
  // A range starting late never walks the entries before it.
  CaseQuery late;
  late.order = CaseOrder::kDueAsc;
  late.due_after = Hour(27);
  page.page_size = 50;
  p = store_->ListCases(late, page, &stats);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->cases.size(), Expected(late).size());
  EXPECT_EQ(stats.entries_examined, Expected(late).size());
  EXPECT_TRUE(p->next_page_token.empty());
  // An empty range reads nothing.
  CaseQuery none;
  none.order = CaseOrder::kDueAsc;
  none.due_after = Hour(10);
  none.due_before = Hour(10);
  p = store_->ListCases(none, page, &stats);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->cases.empty());
  EXPECT_EQ(stats.entries_examined, 0u);
}

TEST_F(DueQueryTest, DueFiltersNeedTheDueOrderAndTokensAreBoundToThem) {
  for (int field = 0; field < 3; ++field) {
    CaseQuery q;  // creation order
    if (field == 0) q.due_after = Hour(1);
    if (field == 1) q.due_before = Hour(1);
    if (field == 2) q.warned_by = Hour(1);
    auto r = store_->ListCases(q, PageRequest());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    const char* names[] = {"due_after", "due_before", "warned_by"};
    EXPECT_TRUE(absl::StartsWith(r.status().message(), names[field]))
        << r.status();
  }
  // The creation orders take the level filter.
  CaseQuery listed;
  listed.min_escalation_level = jianyan::v1::ESCALATION_LEVEL_LISTED;
  auto all = store_->ListCases(listed, PageRequest());
  ASSERT_TRUE(all.ok()) << all.status();
  for (const auto& c : all->cases) {
    EXPECT_EQ(c.escalation_level(), jianyan::v1::ESCALATION_LEVEL_LISTED);
  }
  EXPECT_FALSE(all->cases.empty());

  CaseQuery q;
  q.order = CaseOrder::kDueAsc;
  q.due_before = Hour(20);
  PageRequest page;
  page.page_size = 2;
  auto first = store_->ListCases(q, page);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_page_token.empty());
  page.page_token = first->next_page_token;
  for (int field = 0; field < 4; ++field) {
    CaseQuery other = q;
    if (field == 0) other.due_before = Hour(21);
    if (field == 1) other.due_after = Hour(0);
    if (field == 2) other.warned_by = Hour(3);
    if (field == 3) {
      other.min_escalation_level = jianyan::v1::ESCALATION_LEVEL_URGE;
    }
    EXPECT_EQ(store_->ListCases(other, page).status().code(),
              absl::StatusCode::kInvalidArgument)
        << field;
  }
  EXPECT_TRUE(store_->ListCases(q, page).ok());
}

}  // namespace
}  // namespace jianyan::storage
