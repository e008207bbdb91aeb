// Case-store benchmarks, printed in one run:
//   - Apply (sync) at 1, 8, 64 concurrent writers next to a raw RocksDB
//     sync Put of the same bytes at the same concurrency;
//   - first page of ListCases by state and by due time (the targets keep
//     their names list_by_state / list_by_deadline) and NextDueTimers at each
//     size in --cases (default 100000,1000000), and the growth between the
//     first and the last size;
//   - bytes on disk per case and reopen time at the last size.
// Flags (or env JY_BENCH_CASES, JY_BENCH_SECONDS, JY_BENCH_DIR):
//   --cases=100000,1000000 --seconds=2 --rounds=3 --writers=1,8,64 --dir=/tmp
// Full run (Release build): build-st/tests/bench/storage/storage_bench
// Smoke run (ctest): --cases=300,600 --seconds=0.05 --rounds=1 --writers=1,8
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "rocksdb/db.h"
#include "storage/case_store.h"
#include "tests/bench/bench_util.h"
#include "workflow/time_util.h"

namespace jianyan::storage {
namespace {

using Clock_ = std::chrono::steady_clock;
using jianyan::bench::Median;

struct Flags {
  std::vector<int64_t> cases = {100000, 1000000};
  std::vector<int> writers = {1, 8, 64};
  double seconds = 2;
  int rounds = 3;  // alternating Apply / raw measurements per writer count
  std::string dir = "/tmp";
};

std::vector<int64_t> ParseList(absl::string_view s) {
  std::vector<int64_t> out;
  for (absl::string_view part : absl::StrSplit(s, ',', absl::SkipEmpty())) {
    int64_t v = 0;
    if (absl::SimpleAtoi(part, &v)) out.push_back(v);
  }
  return out;
}

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  auto apply = [&f](absl::string_view name, absl::string_view value) {
    if (name == "cases") f.cases = ParseList(value);
    if (name == "seconds") (void)absl::SimpleAtod(value, &f.seconds);
    if (name == "rounds") (void)absl::SimpleAtoi(value, &f.rounds);
    if (name == "dir") f.dir = std::string(value);
    if (name == "writers") {
      f.writers.clear();
      for (int64_t w : ParseList(value))
        f.writers.push_back(static_cast<int>(w));
    }
  };
  for (const char* env :
       {"JY_BENCH_CASES", "JY_BENCH_SECONDS", "JY_BENCH_DIR"}) {
    if (const char* v = std::getenv(env)) {
      std::string name =
          absl::AsciiStrToLower(absl::string_view(env).substr(9));
      apply(name, v);
    }
  }
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg(argv[i]);
    if (arg.substr(0, 2) != "--") continue;
    arg.remove_prefix(2);
    size_t eq = arg.find('=');
    if (eq == absl::string_view::npos) continue;
    apply(arg.substr(0, eq), arg.substr(eq + 1));
  }
  return f;
}

const absl::Time kNow = absl::FromUnixSeconds(1790000000);
constexpr int kStates = 8;
constexpr int kOrgs = 200;

// A realistic new case: ~1.5 KB (title, ~1 KB of content, a submitter).
ApplyRequest NewCase(int64_t i, std::mt19937_64& rng) {
  ApplyRequest r;
  jianyan::v1::Case& c = r.change.case_after;
  std::string no = absl::StrCat("P2026-", 10000000 + i, "-0");
  c.set_case_number(no);
  c.set_kind(jianyan::v1::CASE_KIND_PETITION);
  c.set_state(absl::StrCat("s", rng() % kStates));
  c.set_handling_organisation_id(absl::StrCat("org", rng() % kOrgs));
  c.set_reporting_point_id(absl::StrCat("pt", rng() % 500));
  c.set_title("关于小区供暖不达标的反映");
  std::string content;
  while (content.size() < 1000) content += "居民反映冬季室内温度长期低于标准，";
  c.set_content(content);
  auto* person = c.mutable_submitter()->add_representatives();
  person->set_name("张三");
  person->set_phone("13800000000");
  person->set_address("泰安市泰山区某路某号");
  c.set_version(1);
  c.set_last_event_seq(1);
  c.set_open(true);
  absl::Time created =
      kNow - absl::Seconds(static_cast<int64_t>(rng() % (86400 * 365)));
  *c.mutable_create_time() = ToProto(created);
  *c.mutable_update_time() = ToProto(created);
  absl::Time due = kNow +
                   absl::Seconds(static_cast<int64_t>(rng() % (86400 * 120))) -
                   absl::Hours(24 * 60);
  *c.mutable_due_time() = ToProto(due);
  auto* d = c.add_deadlines();
  d->set_timer("handle");
  *d->mutable_due_time() = ToProto(due);
  jianyan::v1::Event e;
  e.set_case_number(no);
  e.set_seq(1);
  e.set_action("register");
  e.set_to_state(c.state());
  e.mutable_actor()->set_principal_id("terminal-1");
  e.set_request_id(absl::StrCat("req-", i));
  *e.mutable_time() = c.create_time();
  r.change.events.push_back(e);
  CounterDelta delta;
  delta.metric = "received";
  delta.time = created;
  delta.organisation_id = c.handling_organisation_id();
  delta.reporting_point_id = c.reporting_point_id();
  delta.kind = c.kind();
  r.change.counters.push_back(delta);
  r.idempotency = IdempotencyInput{"bench", absl::StrCat("req-", i), "h"};
  return r;
}

// A copy of `tmpl` as new case `i`.
ApplyRequest Renumbered(const ApplyRequest& tmpl, int64_t i) {
  ApplyRequest r = tmpl;
  std::string no = absl::StrCat("P2026-", 10000000 + i, "-0");
  jianyan::v1::Case& c = r.change.case_after;
  c.set_case_number(no);
  c.set_state(absl::StrCat("s", i % kStates));
  c.set_handling_organisation_id(absl::StrCat("org", i % kOrgs));
  absl::Time created = kNow + absl::Milliseconds(i);
  *c.mutable_create_time() = ToProto(created);
  *c.mutable_update_time() = ToProto(created);
  *c.mutable_due_time() = ToProto(created + absl::Hours(24 * 21));
  *c.mutable_deadlines(0)->mutable_due_time() = c.due_time();
  r.change.events[0].set_case_number(no);
  r.change.events[0].set_to_state(c.state());
  *r.change.events[0].mutable_time() = c.create_time();
  r.change.counters[0].organisation_id = c.handling_organisation_id();
  r.change.counters[0].time = created;
  r.idempotency->request_id =
      absl::StrCat("term-", absl::Hex(absl::Hash<int64_t>{}(i)));
  return r;
}

// The requests of one timed round, built before it: copying a request
// (~1.5 KB of case) took 12 % of the CPU of the Apply rounds at 64 writers,
// which the raw put's rounds, handed a ready value, did not pay. Holds
// `count` requests (at least 64); a round that needs more builds the rest
// as it goes (counted in `built_late`). A request is ~3 KB in memory: the
// first pool of a writer count, sized at kMaxRate, is ~300 MB at 2 s.
class RequestPool {
 public:
  // Commands/s: above the fastest Apply recorded here (32 k/s,
  // docs/storage.md).
  static constexpr double kMaxRate = 50000;

  RequestPool(const ApplyRequest& tmpl, std::atomic<int64_t>& seq, double count)
      : tmpl_(tmpl), seq_(seq) {
    const size_t n = static_cast<size_t>(std::max(count, 0.0)) + 64;
    pool_.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      pool_.push_back(Renumbered(tmpl_, seq_.fetch_add(1)));
    }
  }

  // Safe for concurrent use; each request is handed out once.
  ApplyRequest Take() {
    const size_t i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i < pool_.size()) return std::move(pool_[i]);
    built_late_.fetch_add(1, std::memory_order_relaxed);
    return Renumbered(tmpl_, seq_.fetch_add(1));
  }
  int64_t built_late() const { return built_late_.load(); }

 private:
  const ApplyRequest& tmpl_;
  std::atomic<int64_t>& seq_;
  std::vector<ApplyRequest> pool_;
  std::atomic<size_t> next_{0};
  std::atomic<int64_t> built_late_{0};
};

// Approximate bytes one Apply writes: snapshot, event, ~6 index/timer
// entries, 2 counter merges, the idempotency record.
size_t ApplyBytes(const ApplyRequest& r) {
  return r.change.case_after.ByteSizeLong() +
         r.change.events[0].ByteSizeLong() + 6 * 40 + 2 * 60 + 80;
}

// One timed round: calls per second, and the process's CPU per call (all
// its threads, RocksDB's background work included) and cores in use.
struct WriterRun {
  double rate = 0;
  double cpu_us_per_call = 0;
  double cores = 0;
};

double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

WriterRun RunWriters(int writers, double seconds,
                     const std::function<void(int, int64_t)>& op) {
  std::atomic<int64_t> done{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const double cpu_before = ProcessCpuSeconds();
  auto start = Clock_::now();
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (int64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        op(w, i);
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock_::now() - start).count();
  const double cpu = ProcessCpuSeconds() - cpu_before;
  const double calls = static_cast<double>(std::max<int64_t>(done.load(), 1));
  return {static_cast<double>(done.load()) / elapsed, cpu * 1e6 / calls,
          cpu / elapsed};
}

CaseStoreOptions StoreOptions(bool sync) {
  CaseStoreOptions o;
  o.sync = sync;
  o.block_cache_bytes = 256ull << 20;
  o.write_buffer_bytes = 32ull << 20;
  return o;
}

void BenchApply(const Flags& flags, const std::string& root) {
  std::mt19937_64 rng(1);
  ApplyRequest sample = NewCase(0, rng);
  const size_t bytes = ApplyBytes(sample);
  std::printf("apply: ~%zu bytes per command\n", bytes);
  double last_ratio = 0;
  for (int writers : flags.writers) {
    std::string dir = absl::StrCat(root, "/apply", writers);
    auto store = CaseStore::Open(StoreOptions(true), dir);
    if (!store.ok()) {
      std::printf("open failed: %s\n", store.status().ToString().c_str());
      std::exit(1);
    }
    // Raw RocksDB: same bytes, same concurrency, sync put, default options.
    rocksdb::Options opts;
    opts.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    if (!rocksdb::DB::Open(opts, dir + "-raw", &raw).ok()) std::exit(1);
    std::unique_ptr<rocksdb::DB> db(raw);
    std::string value(bytes, 'x');
    rocksdb::WriteOptions wo;
    wo.sync = true;
    // The disk's sync speed drifts by up to 2x within a minute here: the two
    // are measured alternately, and the median of the rounds is reported.
    std::vector<double> apply_rates, async_rates, raw_rates, ratios;
    std::vector<double> apply_cpu, raw_cpu, apply_cores, raw_cores;
    std::atomic<int64_t> seq{0};
    int64_t built_late = 0;
    // A pool holds twice the fastest rate seen so far at this concurrency.
    double fastest = RequestPool::kMaxRate / 2;
    auto new_pool = [&] {
      return std::make_unique<RequestPool>(sample, seq,
                                           flags.seconds * 2 * fastest);
    };
    for (int round = 0; round < flags.rounds; ++round) {
      auto pool = new_pool();
      WriterRun apply = RunWriters(writers, flags.seconds, [&](int, int64_t) {
        auto res = (*store)->Apply(pool->Take());
        if (!res.ok()) std::abort();
      });
      built_late += pool->built_late();
      fastest = round == 0 ? apply.rate : std::max(fastest, apply.rate);
      pool.reset();  // one pool in memory at a time
      pool = new_pool();
      // The services' path: `writers` calls outstanding, each completed by
      // the store's committer thread after the group's sync.
      WriterRun async = RunWriters(writers, flags.seconds, [&](int, int64_t) {
        absl::Notification done;
        (*store)->ApplyAsync(pool->Take(),
                             [&](absl::StatusOr<ApplyResult> res) {
                               if (!res.ok()) std::abort();
                               done.Notify();
                             });
        done.WaitForNotification();
      });
      built_late += pool->built_late();
      fastest = std::max(fastest, async.rate);
      pool.reset();
      WriterRun raw = RunWriters(writers, flags.seconds, [&](int w, int64_t i) {
        if (!db->Put(wo, absl::StrCat(round, "/", w, "/", i), value).ok()) {
          std::abort();
        }
      });
      apply_rates.push_back(apply.rate);
      async_rates.push_back(async.rate);
      raw_rates.push_back(raw.rate);
      ratios.push_back(apply.rate / raw.rate);
      apply_cpu.push_back(apply.cpu_us_per_call);
      raw_cpu.push_back(raw.cpu_us_per_call);
      apply_cores.push_back(apply.cores);
      raw_cores.push_back(raw.cores);
    }
    store->reset();
    db.reset();
    last_ratio = Median(ratios);
    std::printf(
        "apply sync writers=%d: %.0f cmd/s; apply async: %.0f cmd/s; raw "
        "sync put: %.0f put/s; ratio %.2f (median of %d alternating "
        "rounds)\n",
        writers, Median(apply_rates), Median(async_rates), Median(raw_rates),
        last_ratio, flags.rounds);
    std::printf(
        "  process CPU per call (medians): apply sync %.1f us on %.2f cores, "
        "raw put %.1f us on %.2f cores\n",
        Median(apply_cpu), Median(apply_cores), Median(raw_cpu),
        Median(raw_cores));
    if (built_late > 0) {
      std::printf("  (%lld requests were built inside the timed rounds)\n",
                  static_cast<long long>(built_late));
    }
  }
  jianyan::bench::ReportTarget(
      absl::StrCat("apply_vs_raw_sync_at_", flags.writers.back(), "_writers"),
      last_ratio, ">=", 0.7);
}

// Microseconds one call of `op` takes.
template <typename F>
double Micros(F op) {
  auto start = Clock_::now();
  op();
  return std::chrono::duration<double, std::micro>(Clock_::now() - start)
      .count();
}

struct ListFigures {
  double by_state = 0, by_deadline = 0, timers = 0;
};

// Mean microseconds per first page, the three queries interleaved so that
// background work hits them alike; one warm-up round is not counted.
ListFigures MeasureLists(CaseStore& store) {
  constexpr int kRounds = 300;
  ListFigures f;
  for (int i = -1; i < kRounds; ++i) {
    double s = Micros([&] {
      CaseQuery q;
      q.state = absl::StrCat("s", (i + 8) % kStates);
      auto p = store.ListCases(q, {50, ""});
      if (!p.ok() || p->cases.empty()) std::abort();
    });
    double d = Micros([&] {
      CaseQuery q;
      q.order = CaseOrder::kDueAsc;
      q.due_before = kNow + absl::Minutes(i);
      auto p = store.ListCases(q, {50, ""});
      if (!p.ok() || p->cases.empty()) std::abort();
    });
    double t = Micros([&] {
      auto due = store.NextDueTimers(kNow + absl::Minutes(i), 100);
      if (!due.ok() || due->empty()) std::abort();
    });
    if (i < 0) continue;
    f.by_state += s / kRounds;
    f.by_deadline += d / kRounds;
    f.timers += t / kRounds;
  }
  return f;
}

// Flushes and waits (bounded) until no compaction is pending or running,
// so that the list figures measure the store, not the load's aftermath.
void Settle(CaseStore& store) {
  rocksdb::DB* db = store.raw_db();
  std::vector<rocksdb::ColumnFamilyHandle*> all;
  for (size_t i = 0; i < kNumCfs; ++i)
    all.push_back(store.handle(static_cast<Cf>(i)));
  (void)db->Flush(rocksdb::FlushOptions(), all);
  for (int i = 0; i < 1200; ++i) {
    uint64_t pending = 0, running = 0;
    db->GetAggregatedIntProperty("rocksdb.compaction-pending", &pending);
    db->GetAggregatedIntProperty("rocksdb.num-running-compactions", &running);
    if (pending == 0 && running == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

uint64_t DirBytes(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

void BenchLists(const Flags& flags, const std::string& root) {
  const std::string dir = root + "/lists";
  auto store = CaseStore::Open(StoreOptions(false), dir);
  if (!store.ok()) std::exit(1);
  std::mt19937_64 rng(2);
  int64_t loaded = 0;
  std::vector<ListFigures> figures;
  for (int64_t target : flags.cases) {
    auto start = Clock_::now();
    while (loaded < target) {
      std::vector<ApplyRequest> chunk;
      for (int i = 0; i < 2000 && loaded < target; ++i) {
        chunk.push_back(NewCase(loaded++, rng));
      }
      for (const auto& r : (*store)->ApplyAll(std::move(chunk))) {
        if (!r.ok()) std::abort();
      }
    }
    Settle(**store);
    double load_s =
        std::chrono::duration<double>(Clock_::now() - start).count();
    ListFigures f = MeasureLists(**store);
    figures.push_back(f);
    std::printf(
        "lists at %lld cases (loaded and settled in %.1f s): by_state %.0f us, "
        "by_deadline %.0f us, next_due_timers %.0f us\n",
        static_cast<long long>(target), load_s, f.by_state, f.by_deadline,
        f.timers);
    std::string n = absl::StrCat(target);
    jianyan::bench::ReportTarget("list_by_state_first_page_ms_at_" + n,
                                 f.by_state / 1000, "<=", 2);
    jianyan::bench::ReportTarget("list_by_deadline_first_page_ms_at_" + n,
                                 f.by_deadline / 1000, "<=", 2);
    jianyan::bench::ReportTarget("next_due_timers_ms_at_" + n, f.timers / 1000,
                                 "<=", 2);
  }
  if (figures.size() >= 2) {
    const ListFigures& a = figures.front();
    const ListFigures& b = figures.back();
    std::string suffix =
        absl::StrCat(flags.cases.back(), "_vs_", flags.cases.front());
    jianyan::bench::ReportTarget("list_by_state_growth_" + suffix,
                                 b.by_state / a.by_state, "<=", 1.5);
    jianyan::bench::ReportTarget("list_by_deadline_growth_" + suffix,
                                 b.by_deadline / a.by_deadline, "<=", 1.5);
    jianyan::bench::ReportTarget("next_due_timers_growth_" + suffix,
                                 b.timers / a.timers, "<=", 1.5);
  }
  store->reset();  // clean close: flushes
  std::printf(
      "METRIC bytes_on_disk_per_case=%.0f (after flush, before full "
      "compaction; %lld cases)\n",
      static_cast<double>(DirBytes(dir)) / loaded,
      static_cast<long long>(loaded));
  auto start = Clock_::now();
  auto reopened = CaseStore::Open(StoreOptions(true), dir);
  double reopen_s =
      std::chrono::duration<double>(Clock_::now() - start).count();
  if (!reopened.ok()) std::exit(1);
  jianyan::bench::ReportTarget(absl::StrCat("reopen_s_at_", loaded), reopen_s,
                               "<=", 2);
}

}  // namespace
}  // namespace jianyan::storage

int main(int argc, char** argv) {
  using namespace jianyan::storage;
  Flags flags = ParseFlags(argc, argv);
  std::string tmpl = flags.dir + "/jystorebench.XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) return 1;
  const std::string root = tmpl;
  BenchApply(flags, root);
  BenchLists(flags, root);
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
  return 0;
}
