// CaseStore::ListCases against a brute-force filter and sort of an
// in-memory model, on randomly generated stores; page tokens; organisation
// sets (co-handlers, routing); the per-page work budget; the v2 -> v3
// migration and Verify of idx_list.
#include "storage/case_query.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "storage/case_store.h"
#include "storage/record_keys.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::storage {
namespace {

using jianyan::v1::CASE_KIND_PETITION;
using jianyan::v1::CASE_KIND_SUGGESTION;
using jianyan::v1::CASE_KIND_UNSPECIFIED;
using testing::CaseSpec;
using testing::CreateRequest;
using testing::TempDir;
using testing::TestEpoch;
using testing::TestOptions;

const char* const kStates[] = {"registered", "accepted", "closed"};
const char* const kOrgs[] = {"", "org1", "org2", "org3", "org4"};
const char* const kPoints[] = {"", "pt1", "pt2"};
const char* const kCampaigns[] = {"", "c1", "c2"};
const char* const kSuggesters[] = {"", "", "sg1", "sg2"};

// The organisations a case is listed under, as the contract states it.
std::set<std::string> OrgsOf(const CaseSpec& s) {
  std::set<std::string> out(s.co_orgs.begin(), s.co_orgs.end());
  out.insert(s.org.empty() ? s.routing_org : s.org);
  out.erase("");
  return out;
}

bool Matches(const CaseQuery& q, const CaseSpec& s) {
  if (!q.state.empty() && s.state != q.state) return false;
  if (!q.reporting_point_id.empty() && s.point != q.reporting_point_id) {
    return false;
  }
  if (!q.campaign_id.empty() && s.campaign != q.campaign_id) return false;
  if (!q.suggester_id.empty() && s.suggester != q.suggester_id) return false;
  if (q.kind != CASE_KIND_UNSPECIFIED && s.kind != q.kind) return false;
  if (q.created_after && s.create_time < *q.created_after) return false;
  if (q.created_before && s.create_time >= *q.created_before) return false;
  if (q.order == CaseOrder::kDueAsc &&
      (!s.open || s.due_time == absl::InfiniteFuture())) {
    return false;
  }
  if (!q.organisation_ids.empty()) {
    std::set<std::string> orgs = OrgsOf(s);
    if (std::none_of(
            q.organisation_ids.begin(), q.organisation_ids.end(),
            [&](const std::string& o) { return orgs.count(o) != 0; })) {
      return false;
    }
  }
  return true;
}

// Brute force: every case of `model` matching `q`, in q's order.
std::vector<std::string> Expected(const std::map<std::string, CaseSpec>& model,
                                  const CaseQuery& q) {
  std::vector<std::tuple<int64_t, std::string>> hits;
  for (const auto& [no, s] : model) {
    if (!Matches(q, s)) continue;
    absl::Time t = q.order == CaseOrder::kDueAsc ? s.due_time : s.create_time;
    hits.emplace_back(absl::ToUnixMicros(t), no);
  }
  std::sort(hits.begin(), hits.end());
  if (q.order == CaseOrder::kCreateDesc) std::reverse(hits.begin(), hits.end());
  std::vector<std::string> out;
  for (auto& h : hits) out.push_back(std::get<1>(h));
  return out;
}

std::string Describe(const CaseQuery& q) {
  std::string orgs;
  for (const auto& o : q.organisation_ids) orgs += o + ",";
  return absl::StrCat(
      "state=", q.state, " orgs=", orgs, " point=", q.reporting_point_id,
      " campaign=", q.campaign_id, " suggester=", q.suggester_id,
      " kind=", q.kind,
      " after=", q.created_after ? absl::FormatTime(*q.created_after) : "-",
      " before=", q.created_before ? absl::FormatTime(*q.created_before) : "-",
      " order=", static_cast<int>(q.order));
}

class CaseQueryTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    CaseStoreOptions options = TestOptions(&clock_);
    options.list_budget = budget_;
    auto opened = CaseStore::Open(options, dir_.Sub("db"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }
  void Reopen(uint64_t budget) {
    store_.reset();
    budget_ = budget;
    Open();
  }

  template <typename T, size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[rng_() % N];
  }

  CaseSpec RandomSpec(const std::string& no) {
    CaseSpec s;
    s.case_number = no;
    s.kind = rng_() % 3 == 0 ? CASE_KIND_SUGGESTION : CASE_KIND_PETITION;
    s.state = Pick(kStates);
    s.org = Pick(kOrgs);
    if (rng_() % 4 == 0) s.co_orgs.push_back(Pick(kOrgs));
    if (rng_() % 6 == 0) s.co_orgs.push_back(Pick(kOrgs));
    s.co_orgs.erase(std::remove(s.co_orgs.begin(), s.co_orgs.end(), ""),
                    s.co_orgs.end());
    s.routing_org = Pick(kOrgs);
    s.point = Pick(kPoints);
    s.campaign = Pick(kCampaigns);
    s.suggester = Pick(kSuggesters);
    s.create_time = TestEpoch() + absl::Seconds(rng_() % 60);  // many ties
    s.open = rng_() % 4 != 0;
    if (rng_() % 3 != 0) s.due_time = TestEpoch() + absl::Seconds(rng_() % 40);
    return s;
  }

  CaseQuery RandomQuery() {
    CaseQuery q;
    if (rng_() % 3 == 0) q.state = Pick(kStates);
    for (int n = static_cast<int>(rng_() % 4); n > 0 && rng_() % 2; --n) {
      q.organisation_ids.push_back(Pick(kOrgs));  // "" and repeats too
    }
    if (rng_() % 4 == 0) q.reporting_point_id = Pick(kPoints);
    if (rng_() % 4 == 0) q.campaign_id = Pick(kCampaigns);
    if (rng_() % 5 == 0) q.suggester_id = Pick(kSuggesters);
    if (rng_() % 4 == 0) {
      q.kind = rng_() % 2 ? CASE_KIND_SUGGESTION : CASE_KIND_PETITION;
    }
    if (rng_() % 3 == 0) {
      q.created_after = TestEpoch() + absl::Seconds(rng_() % 50);
    }
    if (rng_() % 3 == 0) {
      q.created_before = TestEpoch() + absl::Seconds(rng_() % 70);
    }
    q.order = static_cast<CaseOrder>(rng_() % 3);
    return q;
  }

  // Reads every page with random small page sizes; counts short pages.
  std::vector<std::string> ReadAll(const CaseQuery& q) {
    return testing::ReadAllPages(
        [&](const PageRequest& p) { return store_->ListCases(q, p); },
        [&] { return 1 + static_cast<int>(rng_() % 7); }, &short_pages_);
  }

  void CreateRandomCases(int n) {
    std::vector<ApplyRequest> creates;
    for (int i = 0; i < n; ++i) {
      std::string no = "P2026-" + std::to_string(10000000 + rng_() % 90000000);
      if (model_.count(no)) continue;
      CaseSpec s = RandomSpec(no);
      model_[no] = s;
      creates.push_back(CreateRequest(s));
    }
    for (auto& r : store_->ApplyAll(std::move(creates))) {
      ASSERT_TRUE(r.ok()) << r.status();
    }
  }

  void Put(const CaseSpec& spec) {
    testing::PutSpec(*store_, spec);
    model_[spec.case_number] = spec;
  }

  void ExpectAllQueriesMatch(int queries) {
    int nonempty = 0;
    for (int i = 0; i < queries; ++i) {
      CaseQuery q = RandomQuery();
      std::vector<std::string> want = Expected(model_, q);
      nonempty += !want.empty();
      EXPECT_EQ(ReadAll(q), want) << Describe(q);
    }
    EXPECT_GT(nonempty, queries / 4);  // the queries are not all vacuous
  }

  std::mt19937 rng_{static_cast<uint32_t>(GetParam())};
  TempDir dir_;
  ManualClock clock_{TestEpoch()};
  uint64_t budget_ = 0;
  std::unique_ptr<CaseStore> store_;
  std::map<std::string, CaseSpec> model_;
  int short_pages_ = 0;
};

TEST_P(CaseQueryTest, ListCasesEqualsBruteForce) {
  CreateRandomCases(200 + static_cast<int>(rng_() % 150));
  // Move a third of them elsewhere (create_time kept).
  for (auto [no, spec] : model_) {
    if (rng_() % 3 != 0) continue;
    CaseSpec next = RandomSpec(no);
    next.create_time = spec.create_time;
    Put(next);
  }
  ExpectAllQueriesMatch(150);
  // A tiny budget: many short (even empty) pages, the same lists.
  Reopen(/*budget=*/3);
  ExpectAllQueriesMatch(60);
  EXPECT_GT(short_pages_, 0);
  testing::ExpectVerifyClean(*store_);
}

// Every single filter and every pair of filters, in every order.
TEST_P(CaseQueryTest, EveryFilterCombination) {
  CreateRandomCases(250);
  for (int mask = 0; mask < (1 << 7); ++mask) {
    if (__builtin_popcount(mask) > 2) continue;
    for (int order = 0; order < 3; ++order) {
      CaseQuery q;
      q.order = static_cast<CaseOrder>(order);
      if (mask & 1) q.state = "accepted";
      if (mask & 2) q.organisation_ids = {"org2", "org1"};
      if (mask & 4) q.reporting_point_id = "pt1";
      if (mask & 8) q.campaign_id = "c2";
      if (mask & 16) q.suggester_id = "sg1";
      if (mask & 32) q.kind = CASE_KIND_SUGGESTION;
      if (mask & 64) {
        q.created_after = TestEpoch() + absl::Seconds(10);
        q.created_before = TestEpoch() + absl::Seconds(40);
      }
      EXPECT_EQ(ReadAll(q), Expected(model_, q)) << Describe(q);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, CaseQueryTest, ::testing::Range(1, 4));

class CaseQueryFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = CaseStore::Open(TestOptions(&clock_), dir_.Sub("db"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }

  void Put(const CaseSpec& spec) { testing::PutSpec(*store_, spec); }

  // Case numbers of the first page of size 100.
  std::vector<std::string> List(const CaseQuery& q) {
    PageRequest page;
    page.page_size = 100;
    auto p = store_->ListCases(q, page);
    EXPECT_TRUE(p.ok()) << p.status();
    std::vector<std::string> out;
    if (!p.ok()) return out;
    EXPECT_EQ(p->next_page_token, "");
    for (const auto& c : p->cases) out.push_back(c.case_number());
    return out;
  }

  static CaseQuery Orgs(std::vector<std::string> orgs,
                        CaseOrder order = CaseOrder::kCreateAsc) {
    CaseQuery q;
    q.organisation_ids = std::move(orgs);
    q.order = order;
    return q;
  }

  TempDir dir_;
  ManualClock clock_{TestEpoch()};
  std::unique_ptr<CaseStore> store_;
};

using Numbers = std::vector<std::string>;

TEST_F(CaseQueryFixture, ForgedAndForeignPageTokensAreInvalid) {
  for (int i = 0; i < 5; ++i) {
    CaseSpec s = testing::Spec(absl::StrCat("P2026-0000000", i, "-X"),
                               "registered", "org1");
    s.create_time = TestEpoch() + absl::Seconds(i);
    Put(s);
  }
  CaseQuery q = Orgs({"org1", "org2"});
  PageRequest page;
  page.page_size = 2;
  auto first = store_->ListCases(q, page);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token.empty());
  auto expect_invalid = [&](const CaseQuery& query, const std::string& token) {
    PageRequest p;
    p.page_token = token;
    auto r = store_->ListCases(query, p);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << token;
    EXPECT_EQ(r.status().message().substr(0, 11), "page_token:") << token;
  };
  expect_invalid(q, "not base64 !!");
  expect_invalid(q, absl::WebSafeBase64Escape("garbage"));
  expect_invalid(q, first->next_page_token.substr(2));
  // The token of another query, and of another index.
  CaseQuery other = q;
  other.state = "registered";
  expect_invalid(other, first->next_page_token);
  other = q;
  other.order = CaseOrder::kCreateDesc;
  expect_invalid(other, first->next_page_token);
  auto by_state = store_->ListCases(testing::StateQuery("registered"), page);
  ASSERT_TRUE(by_state.ok());
  expect_invalid(q, by_state->next_page_token);
  // A right digest with a forged position.
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(first->next_page_token, &raw));
  expect_invalid(q, absl::WebSafeBase64Escape(raw + "x"));
  // The same query with its organisations reordered and repeated is the
  // same query.
  PageRequest next;
  next.page_size = 10;
  next.page_token = first->next_page_token;
  auto rest = store_->ListCases(Orgs({"org2", "org1", "org2"}), next);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->cases.size(), 3u);
}

TEST_F(CaseQueryFixture, CoHandledCaseIsListedOnce) {
  CaseSpec s = testing::Spec("P2026-00000001-X", "accepted", "org1");
  s.co_orgs = {"org2", "org3"};
  s.due_time = TestEpoch() + absl::Hours(1);
  Put(s);
  CaseSpec t = testing::Spec("P2026-00000002-X", "accepted", "org2");
  t.create_time = TestEpoch() + absl::Seconds(1);
  t.due_time = TestEpoch() + absl::Hours(2);
  Put(t);
  for (CaseOrder order :
       {CaseOrder::kCreateAsc, CaseOrder::kCreateDesc, CaseOrder::kDueAsc}) {
    Numbers both = order == CaseOrder::kCreateDesc
                       ? Numbers{"P2026-00000002-X", "P2026-00000001-X"}
                       : Numbers{"P2026-00000001-X", "P2026-00000002-X"};
    EXPECT_EQ(List(Orgs({"org1", "org2", "org3"}, order)), both);
    EXPECT_EQ(List(Orgs({"org3"}, order)), Numbers{"P2026-00000001-X"});
    CaseQuery with_state = Orgs({"org2", "org3"}, order);
    with_state.state = "accepted";
    EXPECT_EQ(List(with_state), both);
  }
  // Page by page too: one case a page, never twice.
  CaseQuery q = Orgs({"org1", "org2", "org3"});
  PageRequest page;
  page.page_size = 1;
  Numbers seen;
  for (int i = 0; i < 5; ++i) {
    auto p = store_->ListCases(q, page);
    ASSERT_TRUE(p.ok()) << p.status();
    for (const auto& c : p->cases) seen.push_back(c.case_number());
    if (p->next_page_token.empty()) break;
    page.page_token = p->next_page_token;
  }
  EXPECT_EQ(seen, (Numbers{"P2026-00000001-X", "P2026-00000002-X"}));
}

TEST_F(CaseQueryFixture, UnroutedCaseIsListedUnderItsRoutingOrganisation) {
  CaseSpec s = testing::Spec("P2026-00000001-X", "registered");
  s.routing_org = "bureau";
  s.due_time = TestEpoch() + absl::Hours(1);
  Put(s);
  for (CaseOrder order :
       {CaseOrder::kCreateAsc, CaseOrder::kCreateDesc, CaseOrder::kDueAsc}) {
    EXPECT_EQ(List(Orgs({"bureau"}, order)), Numbers{"P2026-00000001-X"});
    EXPECT_EQ(List(Orgs({"org1"}, order)), Numbers{});
  }
  s.org = "org1";  // routed: the routing organisation no longer lists it
  s.state = "accepted";
  Put(s);
  for (CaseOrder order :
       {CaseOrder::kCreateAsc, CaseOrder::kCreateDesc, CaseOrder::kDueAsc}) {
    EXPECT_EQ(List(Orgs({"bureau"}, order)), Numbers{});
    EXPECT_EQ(List(Orgs({"org1"}, order)), Numbers{"P2026-00000001-X"});
  }
  testing::ExpectVerifyClean(*store_);
}

// 3000 cases, 3 of them suggestions: a page of "suggestions, newest first"
// examines at most the budget, and the pages still find all three.
TEST_F(CaseQueryFixture, PageWorkIsBoundedByTheBudget) {
  std::vector<ApplyRequest> creates;
  Numbers suggestions;
  for (int i = 0; i < 3000; ++i) {
    CaseSpec s = testing::Spec(absl::StrCat("P2026-", 10000000 + i, "-X"),
                               "registered", i % 2 ? "org1" : "org2");
    s.create_time = TestEpoch() + absl::Seconds(i);
    s.due_time = TestEpoch() + absl::Seconds(10000 - i);
    if (i % 1000 == 500) {
      s.kind = CASE_KIND_SUGGESTION;
      suggestions.insert(suggestions.begin(), s.case_number);
    }
    creates.push_back(CreateRequest(s));
  }
  for (auto& r : store_->ApplyAll(std::move(creates))) ASSERT_TRUE(r.ok());
  for (bool by_org : {false, true}) {
    CaseQuery q;
    q.kind = CASE_KIND_SUGGESTION;
    q.order = CaseOrder::kCreateDesc;
    if (by_org) q.organisation_ids = {"org1", "org2"};
    PageRequest page;
    page.page_size = 10;
    Numbers found;
    int pages = 0;
    for (; pages < 100; ++pages) {
      ListCasesStats stats;
      auto p = store_->ListCases(q, page, &stats);
      ASSERT_TRUE(p.ok()) << p.status();
      EXPECT_LE(stats.entries_examined, ListBudget(10));
      EXPECT_EQ(stats.cases_read, p->cases.size());
      EXPECT_EQ(stats.ranges, by_org ? 2u : 1u);
      for (const auto& c : p->cases) found.push_back(c.case_number());
      if (p->next_page_token.empty()) break;
      page.page_token = p->next_page_token;
    }
    EXPECT_EQ(found, suggestions);
    EXPECT_GE(pages, 2);  // 3000 entries do not fit one page's budget
  }
  // Queries an index answers: the first page examines the page and one
  // more entry at most, in every order.
  for (CaseOrder order :
       {CaseOrder::kCreateAsc, CaseOrder::kCreateDesc, CaseOrder::kDueAsc}) {
    for (bool by_org : {false, true}) {
      CaseQuery q;
      q.order = order;
      if (by_org) q.organisation_ids = {"org1"};
      ListCasesStats stats;
      PageRequest page;
      page.page_size = 20;
      auto p = store_->ListCases(q, page, &stats);
      ASSERT_TRUE(p.ok()) << p.status();
      EXPECT_EQ(p->cases.size(), 20u);
      EXPECT_LE(stats.entries_examined, 21u);
      if (by_org) {
        EXPECT_EQ(stats.index, order == CaseOrder::kDueAsc ? ListIndex::kOrgDue
                                                           : ListIndex::kOrg);
      }
    }
  }
}

TEST_F(CaseQueryFixture, MigrationToV3RebuildsIdxList) {
  std::mt19937 rng(7);
  std::map<std::string, CaseSpec> model;
  for (int i = 0; i < 40; ++i) {
    CaseSpec s = testing::Spec(absl::StrCat("P2026-", 10000000 + i, "-X"),
                               kStates[rng() % 3], kOrgs[rng() % 5]);
    s.routing_org = "bureau";
    s.create_time = TestEpoch() + absl::Seconds(rng() % 20);
    if (rng() % 2) s.due_time = TestEpoch() + absl::Seconds(rng() % 20);
    Put(s);
    model[s.case_number] = s;
  }
  // Make it a v2 store: no idx_list entries, schema version 2.
  auto* db = store_->raw_db();
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), store_->handle(Cf::kIdxList)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(),
                           store_->handle(Cf::kIdxList), it->key())
                    .ok());
  }
  it.reset();
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), store_->handle(Cf::kMeta),
                      MetaKey("schema_version"), "2")
                  .ok());
  auto broken = store_->Verify();
  ASSERT_TRUE(broken.ok());
  EXPECT_FALSE(broken->ok());  // every idx_list entry is missing
  store_.reset();
  SetUp();
  EXPECT_EQ(store_->schema_version(), kSchemaVersion);
  testing::ExpectVerifyClean(*store_);
  for (CaseOrder order :
       {CaseOrder::kCreateAsc, CaseOrder::kCreateDesc, CaseOrder::kDueAsc}) {
    for (const auto& orgs : {std::vector<std::string>{},
                             std::vector<std::string>{"bureau", "org1"}}) {
      CaseQuery q = Orgs(orgs, order);
      EXPECT_EQ(List(q), Expected(model, q)) << Describe(q);
    }
  }
}

TEST_F(CaseQueryFixture, VerifyReportsMissingAndStrayIdxListEntries) {
  CaseSpec s = testing::Spec("P2026-00000001-X", "registered", "org1");
  Put(s);
  testing::ExpectVerifyClean(*store_);
  auto* db = store_->raw_db();
  std::string key = ListIndexPrefix(ListIndex::kOrg, {"org1"}) +
                    ListPosition(s.create_time, s.case_number);
  std::string value;
  ASSERT_TRUE(
      db->Get(rocksdb::ReadOptions(), store_->handle(Cf::kIdxList), key, &value)
          .ok());
  ASSERT_TRUE(
      db->Delete(rocksdb::WriteOptions(), store_->handle(Cf::kIdxList), key)
          .ok());
  std::string stray = ListIndexPrefix(ListIndex::kOrg, {"org9"}) +
                      ListPosition(s.create_time, s.case_number);
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), store_->handle(Cf::kIdxList),
                      stray, value)
                  .ok());
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 2u);
  EXPECT_NE(report->problems[0].find("idx_list: missing entry"),
            std::string::npos)
      << report->problems[0];
  EXPECT_NE(report->problems[1].find("idx_list: stray entry"),
            std::string::npos)
      << report->problems[1];
}

}  // namespace
}  // namespace jianyan::storage
