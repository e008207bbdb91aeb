// Helpers of the schema-4 tests: a fixture holding one open store,
// commands whose event raises a notice, and a listener that records what it
// is told.
#ifndef JIANYAN_TESTS_STORAGE_NOTICE_TEST_UTIL_H_
#define JIANYAN_TESTS_STORAGE_NOTICE_TEST_UTIL_H_

#include <memory>
#include <mutex>
#include <vector>

#include "gtest/gtest.h"
#include "jianyan/v1/records.pb.h"
#include "storage/case_store.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::storage::testing {

// A store in a temporary directory, opened by SetUp with a manual clock.
class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    auto store = CaseStore::Open(TestOptions(&clock_), dir_.Sub("db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  void Reopen() {
    store_.reset();
    Open();
  }

  TempDir dir_;
  ManualClock clock_{TestEpoch()};
  std::unique_ptr<CaseStore> store_;
};

// `r` with its last event raising a notice of `kind`.
inline ApplyRequest Raising(ApplyRequest r, jianyan::v1::NoticeKind kind) {
  r.change.events.back().set_supervision_notice(kind);
  return r;
}

// Creates the case `no` with an event raising ESCALATED.
inline ApplyRequest CreateRaising(const std::string& no) {
  return Raising(CreateRequest(Spec(no, "registered", "org1")),
                 jianyan::v1::NOTICE_KIND_ESCALATED);
}

// Records every call of a store's notice listener.
class NoticeRecorder {
 public:
  void Attach(CaseStore& store) {
    store.SetNoticeListener(
        [this](const std::vector<jianyan::v1::StoredNotice>& group) {
          std::lock_guard<std::mutex> lock(mu_);
          ++calls_;
          for (const auto& n : group) told_.push_back(n);
        });
  }
  std::vector<jianyan::v1::StoredNotice> told() {
    std::lock_guard<std::mutex> lock(mu_);
    return told_;
  }
  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::vector<jianyan::v1::StoredNotice> told_;  // guarded by mu_
  int calls_ = 0;                                // guarded by mu_
};

inline std::vector<uint64_t> Cursors(
    const std::vector<jianyan::v1::StoredNotice>& notices) {
  std::vector<uint64_t> out;
  for (const auto& n : notices) out.push_back(n.cursor());
  return out;
}

// 1..n.
inline std::vector<uint64_t> OneTo(uint64_t n) {
  std::vector<uint64_t> out;
  for (uint64_t i = 1; i <= n; ++i) out.push_back(i);
  return out;
}

}  // namespace jianyan::storage::testing

#endif  // JIANYAN_TESTS_STORAGE_NOTICE_TEST_UTIL_H_
