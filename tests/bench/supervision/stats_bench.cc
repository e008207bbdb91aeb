// GetStats benchmark: StatsQuery::Run (services/core/stats_query.h) for a
// month of day rows grouped by organisation, over the counters of a month
// × --orgs organisations × 3 reporting points × 2 kinds.
//
// Fill: the store's own write path. Each (day, organisation, point, kind)
// cell gets --cases_per_cell case creations through CaseStore::ApplyAll,
// each carrying a day's worth of counter increments (the 15 metrics the
// rows read and 3 they do not) as the transition function would return
// them; the store merges them into the day and month buckets. The store is
// then closed (flushed to SST files) and reopened, so the query reads
// tables, not the memtable; then the counters family is fully compacted
// with RocksDB and everything is measured again (counters some days old).
// Measure: --reps runs (after 3 warm-up runs): median and p90 wall time,
// the median CPU time of the thread, and the 30 ReadCounters scans alone
// (the floor any row building sits on). The TARGET is the wall median of
// the month rows (STATS_PERIOD_MONTH) in the fresh state.
//
// Flags: --orgs=100 --cases_per_cell=2 --reps=50 --dir=/tmp
// Full run (Release build): build/bench/tests/bench/supervision/stats_bench
// Smoke run (ctest): --orgs=5 --cases_per_cell=1 --reps=3
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/core/org_directory.h"
#include "services/core/stats_query.h"
#include "storage/case_store.h"
#include "storage/column_families.h"
#include "tests/bench/bench_util.h"
#include "workflow/clock.h"
#include "workflow/time_util.h"

namespace jianyan {
namespace {

using Clock_ = std::chrono::steady_clock;

struct Flags {
  int orgs = 100;
  int cases_per_cell = 2;
  int reps = 50;
  std::string dir = "/tmp";
};

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (const auto& [name, value] : bench::NamedFlags(argc, argv)) {
    if (name == "orgs") (void)absl::SimpleAtoi(value, &f.orgs);
    if (name == "cases_per_cell")
      (void)absl::SimpleAtoi(value, &f.cases_per_cell);
    if (name == "reps") (void)absl::SimpleAtoi(value, &f.reps);
    if (name == "dir") f.dir = value;
  }
  return f;
}

[[noreturn]] void Fail(const std::string& what, const absl::Status& s) {
  std::printf("%s: %s\n", what.c_str(), s.ToString().c_str());
  std::exit(1);
}

std::string OrgId(int i) { return absl::StrCat("org", 1000 + i); }
std::string PointId(int org, int p) {
  return absl::StrCat("pt", 1000 + org, "-", p);
}

// A city (org 0), ten districts below it, the rest spread below them.
void PutOrganisations(OrgDirectory& orgs, int n) {
  for (int i = 0; i < n; ++i) {
    jianyan::v1::Organisation o;
    o.set_id(OrgId(i));
    if (i > 0) o.set_parent_id(OrgId(i <= 10 ? 0 : 1 + (i % 10)));
    o.mutable_name()->set_zh(absl::StrCat("单位", i));
    o.set_active(true);
    absl::Status s = orgs.Put(o);
    if (!s.ok()) Fail("put organisation", s);
  }
}

// The counters a day of one cell adds: plausible sizes, each numerator at
// most its denominator.
std::vector<std::pair<const char*, uint64_t>> DayCounters(
    std::mt19937_64& rng) {
  const uint64_t received = 1 + rng() % 6;
  const uint64_t rateable = rng() % (received + 1);
  const uint64_t rated = rng() % (rateable + 1);
  const uint64_t sat = rng() % (rated + 1);
  const uint64_t basic = rng() % (rated - sat + 1);
  const uint64_t decided = rng() % (received + 1);
  const uint64_t completed = rng() % (received + 1);
  return {{"received", received},
          {"rateable", rateable},
          {"rated", rated},
          {"rated_round", rated},
          {"satisfied", sat + basic},
          {"rated_satisfied", sat},
          {"rated_basically_satisfied", basic},
          {"rated_unsatisfied", rated - sat - basic},
          {"closed", completed},
          {"completed_first_time", completed},
          {"one_time_resolved", rng() % (completed + 1)},
          {"routing_decided", decided},
          {"routed_on_time", rng() % (decided + 1)},
          {"acceptance_decided", decided},
          {"accepted_on_time", rng() % (decided + 1)},
          {"completion_decided", completed},
          {"completed_on_time", rng() % (completed + 1)},
          {"rating_excluded", 0}};
}

// One case creation carrying `counters` at `time` for a cell.
storage::ApplyRequest CellCase(
    int64_t seq, absl::Time time, const std::string& org,
    const std::string& point, jianyan::v1::CaseKind kind,
    const std::vector<std::pair<const char*, uint64_t>>& counters) {
  storage::ApplyRequest r;
  jianyan::v1::Case& c = r.change.case_after;
  const std::string no = absl::StrCat("P2026-", 10000000 + seq, "-0");
  c.set_case_number(no);
  c.set_kind(kind);
  c.set_state("answered");
  c.set_handling_organisation_id(org);
  c.set_reporting_point_id(point);
  c.set_version(1);
  c.set_last_event_seq(1);
  *c.mutable_create_time() = ToProto(time);
  *c.mutable_update_time() = ToProto(time);
  jianyan::v1::Event e;
  e.set_case_number(no);
  e.set_seq(1);
  e.set_action("register");
  e.set_to_state(c.state());
  *e.mutable_time() = c.create_time();
  r.change.events.push_back(std::move(e));
  for (const auto& [metric, value] : counters) {
    if (value == 0) continue;
    CounterDelta d;
    d.metric = metric;
    d.time = time;
    d.organisation_id = org;
    d.reporting_point_id = point;
    d.kind = kind;
    d.delta = value;
    r.change.counters.push_back(std::move(d));
  }
  return r;
}

int64_t Fill(storage::CaseStore& store, const Flags& f) {
  std::mt19937_64 rng(7);
  int64_t seq = 0;
  std::vector<storage::ApplyRequest> batch;
  auto flush = [&] {
    for (auto& res : store.ApplyAll(std::move(batch))) {
      if (!res.ok()) Fail("apply", res.status());
    }
    batch.clear();
  };
  for (int day = 1; day <= 30; ++day) {
    const absl::Time t = absl::FromCivil(
        absl::CivilSecond(2026, 11, day, 10, 0, 0), ChinaTimeZone());
    for (int o = 0; o < f.orgs; ++o) {
      for (int p = 0; p < 3; ++p) {
        for (auto kind : {jianyan::v1::CASE_KIND_PETITION,
                          jianyan::v1::CASE_KIND_SUGGESTION}) {
          for (int k = 0; k < f.cases_per_cell; ++k) {
            batch.push_back(CellCase(++seq, t, OrgId(o), PointId(o, p), kind,
                                     DayCounters(rng)));
            if (batch.size() == 256) flush();
          }
        }
      }
    }
  }
  flush();
  return seq;
}

double ThreadCpuMs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct Timing {
  double median_ms = 0;
  double p90_ms = 0;
  double cpu_median_ms = 0;  // this thread's CPU time (the machine is shared)
  int rows = 0;
};

Timing Measure(const StatsQuery& query, const jianyan::v1::Actor& caller,
               const jianyan::v1::GetStatsRequest& request, int reps) {
  Timing t;
  std::vector<double> ms, cpu;
  for (int i = -3; i < reps; ++i) {
    const auto start = Clock_::now();
    const double cpu_start = ThreadCpuMs();
    auto out = query.Run(caller, request);
    const double elapsed =
        std::chrono::duration<double, std::milli>(Clock_::now() - start)
            .count();
    if (!out.ok()) Fail("run", out.status());
    t.rows = out->rows_size();
    if (i >= 0) {
      ms.push_back(elapsed);
      cpu.push_back(ThreadCpuMs() - cpu_start);
    }
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu.begin(), cpu.end());
  t.cpu_median_ms = cpu[cpu.size() / 2];
  t.median_ms = ms[ms.size() / 2];
  t.p90_ms = ms[std::min(ms.size() - 1, ms.size() * 9 / 10)];
  return t;
}

jianyan::v1::GetStatsRequest November(jianyan::v1::StatsPeriod period) {
  jianyan::v1::GetStatsRequest r;
  r.set_period(period);
  r.mutable_from()->set_year(2026);
  r.mutable_from()->set_month(11);
  r.mutable_from()->set_day(1);
  r.mutable_to()->set_year(2026);
  r.mutable_to()->set_month(11);
  r.mutable_to()->set_day(30);
  r.set_group_by(jianyan::v1::STATS_GROUP_ORGANISATION);
  return r;
}

storage::CaseStoreOptions Options() {
  storage::CaseStoreOptions o;
  o.sync = false;  // the fill is not what is measured
  o.block_cache_bytes = 64ull << 20;
  return o;
}

// Compacts the counters family fully with RocksDB itself (the store is
// closed): the state of counters some days old, a sorted run of plain
// values instead of merge operands in level-0 files.
void CompactCounters(const std::string& dir) {
  storage::StoreTuning tuning;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs =
      storage::MakeCfDescriptors(tuning);
  cfs.emplace_back(rocksdb::kDefaultColumnFamilyName,
                   rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(storage::MakeDbOptions(tuning), dir,
                                        cfs, &handles, &raw);
  if (!s.ok()) Fail("raw open", absl::InternalError(s.ToString()));
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::CompactRangeOptions o;
  o.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  s = db->CompactRange(o, handles[static_cast<size_t>(storage::Cf::kCounters)],
                       nullptr, nullptr);
  if (!s.ok()) Fail("compact", absl::InternalError(s.ToString()));
  for (auto* h : handles) (void)db->DestroyColumnFamilyHandle(h);
}

// Opens the store at `dir` and prints the timings; returns the median of
// a month's rows by organisation (STATS_PERIOD_MONTH, one row per
// organisation: the "GetStats for a month × 100 organisations").
// The month of day rows (30 rows per organisation) is printed beside it
// with no target: it reads every day bucket (docs/rates.md, Cost).
double MeasureStore(const std::string& dir, const Flags& flags,
                    const char* state) {
  std::printf("-- counters %s\n", state);
  auto store = storage::CaseStore::Open(Options(), dir);
  if (!store.ok()) Fail("reopen", store.status());
  auto orgs = OrgDirectory::Load(**store);
  if (!orgs.ok()) Fail("load", orgs.status());
  StatsQuery query(**store, **orgs);
  jianyan::v1::Actor admin;
  admin.set_role(jianyan::v1::ROLE_ADMIN);
  jianyan::v1::Actor district;
  district.set_role(jianyan::v1::ROLE_SUPERVISOR);
  district.set_organisation_id(OrgId(1));
  const Timing days = Measure(
      query, admin, November(jianyan::v1::STATS_PERIOD_DAY), flags.reps);
  std::printf(
      "day rows by organisation, a month: %d rows, median %.2f ms, "
      "p90 %.2f ms, CPU median %.2f ms\n",
      days.rows, days.median_ms, days.p90_ms, days.cpu_median_ms);
  auto subtree = November(jianyan::v1::STATS_PERIOD_DAY);
  subtree.set_include_subtree(true);
  const Timing scoped = Measure(query, district, subtree, flags.reps);
  std::printf(
      "district supervisor, subtree day rows, a month: %d rows, "
      "median %.2f ms, p90 %.2f ms\n",
      scoped.rows, scoped.median_ms, scoped.p90_ms);
  const Timing month = Measure(
      query, admin, November(jianyan::v1::STATS_PERIOD_MONTH), flags.reps);
  std::printf(
      "month rows by organisation: %d rows, median %.2f ms, p90 %.2f ms, "
      "CPU median %.2f ms\n",
      month.rows, month.median_ms, month.p90_ms, month.cpu_median_ms);
  // The floor: the 30 prefix scans alone, without building rows.
  std::vector<double> scan_ms;
  size_t entries = 0;
  for (int i = 0; i < flags.reps; ++i) {
    const auto start = Clock_::now();
    entries = 0;
    for (int day = 1; day <= 30; ++day) {
      auto read = (*store)->ReadCounters(storage::Period::kDay,
                                         absl::CivilDay(2026, 11, day), "", "");
      if (!read.ok()) Fail("read", read.status());
      entries += read->size();
    }
    scan_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock_::now() - start)
            .count());
  }
  std::sort(scan_ms.begin(), scan_ms.end());
  std::printf("ReadCounters alone, 30 days: %zu entries, median %.2f ms\n",
              entries, scan_ms[scan_ms.size() / 2]);
  orgs->reset();  // it refers to the store
  store->reset();
  return month.median_ms;
}

}  // namespace
}  // namespace jianyan

int main(int argc, char** argv) {
  using namespace jianyan;
  const Flags flags = ParseFlags(argc, argv);
  std::string tmpl = flags.dir + "/jystatsbench.XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) return 1;
  const std::string dir = tmpl + "/db";
  {
    auto store = storage::CaseStore::Open(Options(), dir);
    if (!store.ok()) Fail("open", store.status());
    auto orgs = OrgDirectory::Load(**store);
    if (!orgs.ok()) Fail("load", orgs.status());
    PutOrganisations(**orgs, flags.orgs);
    const auto start = Clock_::now();
    const int64_t cases = Fill(**store, flags);
    std::printf("fill: %lld case creations in %.1f s\n",
                static_cast<long long>(cases),
                std::chrono::duration<double>(Clock_::now() - start).count());
  }  // closed: flushed
  // The target is measured on the fresh state (this month's counters as
  // written: merge operands in level-0 files); the compacted state is shown
  // beside it.
  const double fresh = MeasureStore(dir, flags, "as written (flushed)");
  CompactCounters(dir);
  MeasureStore(dir, flags, "fully compacted");
  jianyan::bench::ReportTarget(
      absl::StrCat("stats_month_", flags.orgs, "_orgs_ms"), fresh, "<=", 20);
  std::error_code ec;
  std::filesystem::remove_all(tmpl, ec);
  return 0;
}
