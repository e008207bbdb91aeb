// ListCases by state, organisation (and state), reporting point and a
// creation range, campaign and due time equals a brute-force scan of an
// in-memory model, on randomly generated stores, read page by page with
// random page sizes.
#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include "gtest/gtest.h"
#include "storage/case_store.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::storage {
namespace {

using testing::CaseSpec;
using testing::CreateRequest;
using testing::TempDir;
using testing::TestEpoch;
using testing::TestOptions;
using testing::UpdateRequest;

const char* const kStates[] = {"registered", "accepted", "closed"};
const char* const kOrgs[] = {"", "org1", "org2", "org3"};
const char* const kPoints[] = {"", "pt1", "pt2"};
const char* const kCampaigns[] = {"", "c1", "c2"};

class ListQueryTest : public ::testing::TestWithParam<int> {
 protected:
  template <typename T, size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[rng_() % N];
  }

  CaseSpec RandomSpec(const std::string& no) {
    CaseSpec s;
    s.case_number = no;
    s.state = Pick(kStates);
    s.org = Pick(kOrgs);
    s.point = Pick(kPoints);
    s.campaign = Pick(kCampaigns);
    s.create_time = TestEpoch() + absl::Seconds(rng_() % 50);  // many ties
    s.open = rng_() % 4 != 0;
    if (rng_() % 3 != 0) s.due_time = TestEpoch() + absl::Seconds(rng_() % 40);
    return s;
  }

  // Reads every page of `list` with random page sizes.
  template <typename F>
  std::vector<std::string> ReadAll(F list) {
    return testing::ReadAllPages(
        list, [&] { return 1 + static_cast<int>(rng_() % 7); });
  }

  // The model: brute force over all specs.
  template <typename Pred, typename Key>
  std::vector<std::string> Expected(Pred pred, Key key) {
    std::vector<const CaseSpec*> hits;
    for (const auto& [no, s] : model_) {
      if (pred(s)) hits.push_back(&s);
    }
    std::sort(hits.begin(), hits.end(),
              [&](const CaseSpec* a, const CaseSpec* b) {
                return key(*a) < key(*b);
              });
    std::vector<std::string> out;
    for (const CaseSpec* s : hits) out.push_back(s->case_number);
    return out;
  }

  std::mt19937 rng_{static_cast<uint32_t>(GetParam())};
  std::map<std::string, CaseSpec> model_;
};

TEST_P(ListQueryTest, ListsEqualBruteForce) {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto opened = CaseStore::Open(TestOptions(&clock), dir.Sub("db"));
  ASSERT_TRUE(opened.ok()) << opened.status();
  CaseStore& store = **opened;
  const int n = 150 + static_cast<int>(rng_() % 150);
  std::vector<ApplyRequest> creates;
  for (int i = 0; i < n; ++i) {
    std::string no = "P2026-" + std::to_string(10000000 + rng_() % 90000000);
    if (model_.count(no)) continue;
    CaseSpec s = RandomSpec(no);
    model_[no] = s;
    creates.push_back(CreateRequest(s));
  }
  for (auto& r : store.ApplyAll(std::move(creates))) ASSERT_TRUE(r.ok());
  // Move a third of them somewhere else (create_time kept).
  for (auto& [no, spec] : model_) {
    if (rng_() % 3 != 0) continue;
    CaseSpec next = RandomSpec(no);
    next.create_time = spec.create_time;
    auto old = store.GetCase(no);
    ASSERT_TRUE(old.ok());
    ASSERT_TRUE(store.Apply(UpdateRequest(old->case_(), next)).ok());
    spec = next;
  }
  auto created = [](const CaseSpec& s) {
    return std::make_tuple(absl::ToUnixMicros(s.create_time), s.case_number);
  };
  auto list = [&](const CaseQuery& q) {
    return ReadAll([&](const PageRequest& p) { return store.ListCases(q, p); });
  };
  for (const char* state : kStates) {
    EXPECT_EQ(
        list(testing::StateQuery(state)),
        Expected([&](const CaseSpec& s) { return s.state == state; }, created))
        << state;
  }
  for (const char* org : kOrgs) {
    if (*org == '\0') continue;
    EXPECT_EQ(
        list(testing::OrgQuery(org)),
        Expected([&](const CaseSpec& s) { return s.org == org; }, created))
        << org;
    for (const char* state : kStates) {
      EXPECT_EQ(list(testing::OrgQuery(org, state)),
                Expected(
                    [&](const CaseSpec& s) {
                      return s.org == org && s.state == state;
                    },
                    created));
    }
  }
  for (const char* point : kPoints) {
    if (*point == '\0') continue;
    absl::Time from = TestEpoch() + absl::Seconds(rng_() % 25);
    absl::Time to = from + absl::Seconds(rng_() % 30);
    CaseQuery q;
    q.reporting_point_id = point;
    q.created_after = from;
    q.created_before = to;
    EXPECT_EQ(list(q), Expected(
                           [&](const CaseSpec& s) {
                             return s.point == point && s.create_time >= from &&
                                    s.create_time < to;
                           },
                           created));
  }
  for (const char* campaign : kCampaigns) {
    if (*campaign == '\0') continue;
    CaseQuery q;
    q.campaign_id = campaign;
    EXPECT_EQ(
        list(q),
        Expected([&](const CaseSpec& s) { return s.campaign == campaign; },
                 created));
  }
  for (int seconds : {0, 10, 20, 45}) {
    absl::Time before = TestEpoch() + absl::Seconds(seconds);
    EXPECT_EQ(
        list(testing::DueBeforeQuery(before)),
        Expected(
            [&](const CaseSpec& s) { return s.open && s.due_time < before; },
            [](const CaseSpec& s) {
              return std::make_tuple(absl::ToUnixMicros(s.due_time),
                                     s.case_number);
            }));
    // Timers: due at or before `before`, capped.
    std::vector<std::string> timers;
    auto due = store.NextDueTimers(before, 1000);
    ASSERT_TRUE(due.ok());
    for (const auto& t : *due) timers.push_back(t.case_number);
    EXPECT_EQ(timers,
              Expected([&](const CaseSpec& s) { return s.due_time <= before; },
                       [](const CaseSpec& s) {
                         return std::make_tuple(absl::ToUnixMicros(s.due_time),
                                                s.case_number);
                       }));
    auto capped = store.NextDueTimers(before, 3);
    EXPECT_EQ(capped->size(), std::min<size_t>(3, timers.size()));
  }
  testing::ExpectVerifyClean(store);
}

INSTANTIATE_TEST_SUITE_P(Seeds, ListQueryTest, ::testing::Range(1, 6));

// A page token from a wider time range is refused by a narrower query (a
// token is bound to its query), so it can never reach below the narrower
// query's start.
TEST(ListQueryTest, PageTokenOfAWiderRangeIsRefused) {
  TempDir dir;
  auto store = CaseStore::Open(TestOptions(), dir.path());
  ASSERT_TRUE(store.ok()) << store.status();
  for (int i = 1; i <= 4; ++i) {
    CaseSpec spec = testing::Spec(absl::StrCat("P2026-0000000", i, "-X"),
                                  "registered", "org", "pt");
    spec.create_time = TestEpoch() + absl::Hours(i);
    ASSERT_TRUE((*store)->Apply(CreateRequest(spec)).ok());
  }
  PageRequest first;
  first.page_size = 1;
  CaseQuery q;
  q.reporting_point_id = "pt";
  q.created_after = TestEpoch();
  q.created_before = TestEpoch() + absl::Hours(10);
  auto wide = (*store)->ListCases(q, first);
  ASSERT_TRUE(wide.ok()) << wide.status();
  ASSERT_EQ(wide->cases.size(), 1u);
  ASSERT_FALSE(wide->next_page_token.empty());
  PageRequest next;
  next.page_size = 10;
  next.page_token = wide->next_page_token;
  q.created_after = TestEpoch() + absl::Hours(3);
  EXPECT_EQ((*store)->ListCases(q, next).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto narrow = (*store)->ListCases(q, {10, ""});
  ASSERT_TRUE(narrow.ok()) << narrow.status();
  ASSERT_EQ(narrow->cases.size(), 2u);
  EXPECT_EQ(narrow->cases[0].case_number(), "P2026-00000003-X");
  EXPECT_EQ(narrow->cases[1].case_number(), "P2026-00000004-X");
}

}  // namespace
}  // namespace jianyan::storage
