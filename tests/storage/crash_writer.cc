// Helper of crash_test: applies commands to the store in argv[1] as fast as
// it can from 4 threads, durably (sync), and prints "ACK <case> <version>"
// after each acknowledged command. It runs until killed. Round argv[2] goes
// into request ids. With argv[3], WAL syncs are recorded in that journal
// (SyncJournalFileSystem) so the test can simulate losing the page cache.
// Exits 2 on any unexpected error.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "rocksdb/env.h"
#include "storage/case_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/storage/sync_journal_file_system.h"

namespace {

using jianyan::storage::ApplyRequest;
using jianyan::storage::CaseStore;
using jianyan::storage::CaseStoreOptions;
using jianyan::storage::IdempotencyInput;
namespace t = jianyan::storage::testing;

absl::Mutex out_mu;

void Ack(const std::string& no, uint64_t version) {
  absl::MutexLock lock(&out_mu);
  std::printf("ACK %s %llu\n", no.c_str(),
              static_cast<unsigned long long>(version));
  std::fflush(stdout);
}

[[noreturn]] void Fail(const std::string& what) {
  absl::MutexLock lock(&out_mu);
  std::printf("ERR %s\n", what.c_str());
  std::fflush(stdout);
  std::_Exit(2);
}

void Writer(CaseStore* store, const std::string& round, int thread) {
  for (int i = 0;; ++i) {
    auto no = store->AllocateCaseNumber(jianyan::v1::CASE_KIND_PETITION, 2026);
    if (!no.ok()) Fail(no.status().ToString());
    t::CaseSpec spec = t::Spec(*no, "registered", "org", "pt");
    spec.due_time = t::TestEpoch() + absl::Hours(i % 17);
    ApplyRequest create = t::CreateRequest(spec);
    create.idempotency = IdempotencyInput{"writer", "create-" + *no,
                                          round + "/" + std::to_string(thread)};
    auto r = store->Apply(create);
    if (!r.ok()) Fail(r.status().ToString());
    Ack(*no, r->version);
    t::CaseSpec next = spec;
    next.state = "accepted";
    auto r2 = store->Apply(UpdateRequest(create.change.case_after, next));
    if (!r2.ok()) Fail(r2.status().ToString());
    Ack(*no, r2->version);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: %s <dir> <round> [sync-journal]\n", argv[0]);
    return 1;
  }
  CaseStoreOptions options;
  options.sync = true;
  options.block_cache_bytes = 8 << 20;
  options.write_buffer_bytes = 4 << 20;
  options.case_number_block = 10;
  std::unique_ptr<rocksdb::Env> env;
  if (argc == 4) {
    env = rocksdb::NewCompositeEnv(
        std::make_shared<t::SyncJournalFileSystem>(argv[3]));
    options.env = env.get();
  }
  auto store = CaseStore::Open(options, argv[1]);
  if (!store.ok()) Fail(store.status().ToString());
  {
    absl::MutexLock lock(&out_mu);
    std::printf("READY\n");
    std::fflush(stdout);
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back(Writer, store->get(), std::string(argv[2]), i);
  }
  for (auto& th : threads) th.join();
  return 0;
}
