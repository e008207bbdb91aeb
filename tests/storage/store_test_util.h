// Helpers shared by the storage tests: temporary directories and case
// changes shaped like the ones the workflow engine produces.
#ifndef JIANYAN_TESTS_STORAGE_STORE_TEST_UTIL_H_
#define JIANYAN_TESTS_STORAGE_STORE_TEST_UTIL_H_

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/case_store.h"
#include "workflow/case_change.h"
#include "workflow/time_util.h"

namespace jianyan::storage::testing {

// A fresh directory under $TMPDIR, removed on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = absl::StrCat(base ? base : "/tmp", "/jystore.XXXXXX");
    char* made = mkdtemp(tmpl.data());
    path_ = made ? made : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string Sub(absl::string_view name) const {
    return absl::StrCat(path_, "/", name);
  }

 private:
  std::string path_;
};

inline absl::Time TestEpoch() { return absl::FromUnixSeconds(1790000000); }

struct CaseSpec {
  std::string case_number;
  std::string state = "registered";
  std::string org;
  std::string point;
  std::string campaign;
  absl::Time create_time = TestEpoch();
  absl::Time due_time = absl::InfiniteFuture();  // InfiniteFuture: none
  bool open = true;
  jianyan::v1::CaseKind kind = jianyan::v1::CASE_KIND_PETITION;
  std::vector<std::string> co_orgs;  // co-handler organisations
  std::string routing_org;
  std::string suggester;
};

inline CaseSpec Spec(std::string no, std::string state = "registered",
                     std::string org = "", std::string point = "",
                     std::string campaign = "") {
  CaseSpec s;
  s.case_number = std::move(no);
  s.state = std::move(state);
  s.org = std::move(org);
  s.point = std::move(point);
  s.campaign = std::move(campaign);
  return s;
}

inline void ApplySpec(const CaseSpec& spec, jianyan::v1::Case* c) {
  c->set_case_number(spec.case_number);
  c->set_kind(spec.kind);
  c->clear_co_handler_organisation_ids();
  for (const auto& org : spec.co_orgs) c->add_co_handler_organisation_ids(org);
  c->set_routing_organisation_id(spec.routing_org);
  c->mutable_submitter()->set_suggester_id(spec.suggester);
  c->set_state(spec.state);
  c->set_handling_organisation_id(spec.org);
  c->set_reporting_point_id(spec.point);
  c->set_campaign_id(spec.campaign);
  c->set_open(spec.open);
  *c->mutable_create_time() = ToProto(spec.create_time);
  c->clear_deadlines();
  c->clear_due_time();
  if (spec.due_time != absl::InfiniteFuture()) {
    *c->mutable_due_time() = ToProto(spec.due_time);
    auto* d = c->add_deadlines();
    d->set_timer("handle");
    *d->mutable_start_time() = ToProto(spec.create_time);
    *d->mutable_due_time() = ToProto(spec.due_time);
  }
}

inline jianyan::v1::Event MakeEvent(const jianyan::v1::Case& c,
                                    absl::string_view action) {
  jianyan::v1::Event e;
  e.set_case_number(c.case_number());
  e.set_seq(c.last_event_seq());
  e.set_action(std::string(action));
  e.set_to_state(c.state());
  e.mutable_actor()->set_principal_id("tester");
  (*e.mutable_fields())["note"] = "n";
  (*e.mutable_fields())["another"] = "m";
  *e.mutable_time() = c.update_time();
  return e;
}

// A request creating the case described by `spec` (version 1, one event,
// one "received" counter).
inline ApplyRequest CreateRequest(const CaseSpec& spec) {
  ApplyRequest r;
  jianyan::v1::Case& c = r.change.case_after;
  ApplySpec(spec, &c);
  c.set_version(1);
  c.set_last_event_seq(1);
  c.set_title("title of " + spec.case_number);
  *c.mutable_update_time() = ToProto(spec.create_time);
  r.change.events.push_back(MakeEvent(c, "register"));
  CounterDelta d;
  d.metric = "received";
  d.time = spec.create_time;
  d.organisation_id = spec.org;
  d.reporting_point_id = spec.point;
  d.kind = c.kind();
  r.change.counters.push_back(d);
  r.expected_version = 0;
  r.query_code_hash = "qc-" + spec.case_number;
  return r;
}

// A request moving `old` to `spec` (version + 1, one event).
inline ApplyRequest UpdateRequest(const jianyan::v1::Case& old,
                                  const CaseSpec& spec,
                                  absl::string_view action = "act") {
  ApplyRequest r;
  jianyan::v1::Case& c = r.change.case_after;
  c = old;
  ApplySpec(spec, &c);
  c.set_version(old.version() + 1);
  c.set_last_event_seq(old.last_event_seq() + 1);
  r.change.events.push_back(MakeEvent(c, action));
  r.expected_version = old.version();
  return r;
}

inline CaseStoreOptions TestOptions(const Clock* clock = nullptr) {
  CaseStoreOptions o;
  o.sync = false;
  o.block_cache_bytes = 8 << 20;
  o.write_buffer_bytes = 4 << 20;
  if (clock != nullptr) o.clock = clock;
  return o;
}

// Creates the case of `spec`, or moves the stored case to `spec`.
inline void PutSpec(CaseStore& store, const CaseSpec& spec) {
  auto old = store.GetCase(spec.case_number);
  if (absl::IsNotFound(old.status())) {
    ASSERT_TRUE(store.Apply(CreateRequest(spec)).ok());
  } else {
    ASSERT_TRUE(old.ok()) << old.status();
    ASSERT_TRUE(store.Apply(UpdateRequest(old->case_(), spec)).ok());
  }
}

// ListCases queries the tests use most: by state; by organisation (and
// state); open cases due before `t`, soonest first.
inline CaseQuery StateQuery(absl::string_view state) {
  CaseQuery q;
  q.state = std::string(state);
  return q;
}
inline CaseQuery OrgQuery(absl::string_view org, absl::string_view state = "") {
  CaseQuery q = StateQuery(state);
  q.organisation_ids.emplace_back(org);
  return q;
}
inline CaseQuery DueBeforeQuery(absl::Time t) {
  CaseQuery q;
  q.order = CaseOrder::kDueAsc;
  q.due_before = t;
  return q;
}

// Reads every page of `list(const PageRequest&)` (returning
// StatusOr<CasePage>), asking for `page_size()` cases a page, and returns
// the case numbers in order. Counts in `*short_pages` (when set) the pages
// shorter than asked for that still had a next token.
template <typename List, typename Size>
std::vector<std::string> ReadAllPages(List list, Size page_size,
                                      int* short_pages = nullptr) {
  std::vector<std::string> out;
  PageRequest page;
  for (int guard = 0; guard < 10000; ++guard) {
    page.page_size = page_size();
    absl::StatusOr<CasePage> p = list(page);
    EXPECT_TRUE(p.ok()) << p.status();
    if (!p.ok()) break;
    if (short_pages != nullptr &&
        static_cast<int>(p->cases.size()) < page.page_size &&
        !p->next_page_token.empty()) {
      ++*short_pages;
    }
    for (const auto& c : p->cases) out.push_back(c.case_number());
    if (p->next_page_token.empty()) break;
    page.page_token = p->next_page_token;
  }
  return out;
}

// Fails unless each caller's numbers in `per_caller` ascend and together
// they are 1..`n`, each exactly once.
template <typename T>
void ExpectOneToNOnce(const std::vector<std::vector<T>>& per_caller, size_t n) {
  std::vector<T> all;
  for (const auto& mine : per_caller) {
    EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
    all.insert(all.end(), mine.begin(), mine.end());
  }
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), n);
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(all[i], static_cast<T>(i + 1)) << "at " << i;
  }
}

// Runs Verify and fails the test with each problem it reports.
inline void ExpectVerifyClean(CaseStore& store) {
  auto report = store.Verify();
  ASSERT_TRUE(report.ok()) << report.status();
  for (const auto& p : report->problems) ADD_FAILURE() << p;
}

}  // namespace jianyan::storage::testing

#endif  // JIANYAN_TESTS_STORAGE_STORE_TEST_UTIL_H_
