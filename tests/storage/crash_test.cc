// Crash safety: a child process applies commands durably as fast as it can
// and is SIGKILLed at a random moment, 50 rounds on one store. Every other
// round also simulates power loss: each WAL is cut back to what was synced
// (the page cache is gone), so an acknowledgement before fsync would show.
// After each reopen every command acknowledged before the kill is present
// exactly once, no case number was handed out twice, and Verify() is clean.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <sstream>

#include "gtest/gtest.h"
#include "storage/case_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/storage/sync_journal_file_system.h"

namespace jianyan::storage {
namespace {

using testing::TempDir;
using testing::TestOptions;

struct Child {
  pid_t pid = -1;
  int out = -1;
};

Child Spawn(const std::string& dir, int round, const std::string& journal) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::string r = std::to_string(round);
    if (journal.empty()) {
      execl(JY_CRASH_WRITER, JY_CRASH_WRITER, dir.c_str(), r.c_str(),
            static_cast<char*>(nullptr));
    } else {
      execl(JY_CRASH_WRITER, JY_CRASH_WRITER, dir.c_str(), r.c_str(),
            journal.c_str(), static_cast<char*>(nullptr));
    }
    _exit(127);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

// Reads what is available within `ms` milliseconds (returns early on EOF).
bool ReadFor(int fd, int ms, std::string* buf) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (true) {
    int left =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                             until - std::chrono::steady_clock::now())
                             .count());
    if (left <= 0) return true;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, left) <= 0) continue;
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n <= 0) return false;
    buf->append(chunk, static_cast<size_t>(n));
  }
}

TEST(CrashTest, AcknowledgedCommandsSurviveSigkill) {
  TempDir dir;
  const std::string db = dir.Sub("db");
  std::mt19937 rng(20261128);
  std::map<std::string, uint64_t> acked;  // case -> highest acked version
  constexpr int kRounds = 50;
  for (int round = 0; round < kRounds; ++round) {
    const bool power_loss = round % 2 == 1;
    const std::string journal =
        power_loss ? dir.Sub("journal-" + std::to_string(round)) : "";
    Child child = Spawn(db, round, journal);
    ASSERT_GT(child.pid, 0);
    std::string out;
    // Wait (bounded) for the child to open the store, then let it run for
    // a random while, reading its acknowledgements all the time.
    for (int i = 0; i < 300 && out.find("READY\n") == std::string::npos; ++i) {
      if (!ReadFor(child.out, 100, &out)) break;
    }
    ASSERT_NE(out.find("READY\n"), std::string::npos) << out;
    ReadFor(child.out, 5 + static_cast<int>(rng() % 120), &out);
    kill(child.pid, SIGKILL);
    while (ReadFor(child.out, 1000, &out)) {
    }
    close(child.out);
    int status = 0;
    waitpid(child.pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child ended by itself: " << out;
    if (power_loss) {
      ASSERT_TRUE(testing::SyncJournalFileSystem::PowerLoss(journal).ok());
    }
    // Only complete lines count: a torn last line was not acknowledged.
    std::istringstream lines(out.substr(0, out.rfind('\n') + 1));
    std::string word, no;
    uint64_t version = 0;
    int acks = 0;
    while (lines >> word) {
      if (word == "READY") continue;
      ASSERT_EQ(word, "ACK") << out;
      lines >> no >> version;
      ++acks;
      if (version == 1) {
        ASSERT_EQ(acked.count(no), 0u) << "case number reused: " << no;
      }
      acked[no] = std::max(acked[no], version);
    }
    auto store = CaseStore::Open(TestOptions(), db);
    ASSERT_TRUE(store.ok()) << store.status();
    for (const auto& [case_number, v] : acked) {
      auto c = (*store)->GetCase(case_number);
      ASSERT_TRUE(c.ok()) << "round " << round << ": lost " << case_number;
      ASSERT_GE(c->case_().version(), v) << case_number;
      // Exactly once: one event per applied command, no more.
      EXPECT_EQ(c->case_().last_event_seq(), c->case_().version());
      // A client retrying the acknowledged create gets the stored answer.
      EXPECT_TRUE(
          (*store)->LookupRequest("writer", "create-" + case_number).ok());
    }
    auto report = (*store)->Verify();
    ASSERT_TRUE(report.ok()) << report.status();
    for (const auto& p : report->problems)
      ADD_FAILURE() << "round " << round << ": " << p;
    ASSERT_TRUE(report->ok());
    RecordProperty("round" + std::to_string(round), acks);
  }
  EXPECT_GT(acked.size(), 50u) << "the writer hardly ran";
}

}  // namespace
}  // namespace jianyan::storage
