// A commit group whose write fails consumes no cursor: the next group
// reuses it, so the notice log has no gaps, and the listener is told only
// what was written.
#include <atomic>
#include <memory>

#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "storage/case_store.h"
#include "tests/storage/notice_test_util.h"
#include "tests/storage/store_test_util.h"
#include "tests/storage/wal_hook_file_system.h"

namespace jianyan::storage {
namespace {

using testing::CreateRaising;
using testing::Cursors;
using testing::ExpectVerifyClean;
using testing::NoticeRecorder;
using testing::OneTo;
using testing::TempDir;
using testing::TestEpoch;
using testing::TestOptions;

TEST(NoticeFaultTest, AFailedWriteConsumesNoCursor) {
  std::atomic<bool> full{false};
  auto fs = std::make_shared<testing::WalHookFileSystem>(
      [&](rocksdb::FSWritableFile& file, const rocksdb::Slice& data,
          const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
        if (full.load()) return rocksdb::IOStatus::NoSpace("injected: full");
        return file.Append(data, o, dbg);
      });
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  TempDir dir;
  ManualClock clock{TestEpoch()};
  CaseStoreOptions options = TestOptions(&clock);
  options.sync = true;
  options.env = env.get();
  options.resume_backoff = absl::Hours(24);  // the test resumes
  options.resume_backoff_max = absl::Hours(24);
  auto opened = CaseStore::Open(options, dir.Sub("db"));
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<CaseStore> store = *std::move(opened);
  NoticeRecorder recorder;
  recorder.Attach(*store);

  ASSERT_TRUE(store->Apply(CreateRaising("P1")).ok());
  full = true;
  EXPECT_EQ(store->Apply(CreateRaising("P2")).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(store->LastNoticeCursor(), 1u);
  full = false;
  ASSERT_TRUE(store->TryResume().ok());
  ASSERT_TRUE(store->Apply(CreateRaising("P3")).ok());

  auto notices = store->ReadNotices(0, 10);
  ASSERT_TRUE(notices.ok()) << notices.status();
  ASSERT_EQ(Cursors(*notices), OneTo(2));
  EXPECT_EQ((*notices)[1].case_number(), "P3");
  EXPECT_EQ(Cursors(recorder.told()), OneTo(2));
  EXPECT_EQ(recorder.told()[1].case_number(), "P3");
  EXPECT_EQ(store->LastNoticeCursor(), 2u);
  ExpectVerifyClean(*store);
}

}  // namespace
}  // namespace jianyan::storage
