#include "services/metrics/store_collector.h"

#include <cstdint>
#include <string>

#include "rocksdb/db.h"
#include "storage/commit_stats.h"
#include "storage/open_cases.h"

namespace jianyan::metrics {
namespace {

const char* KindName(jianyan::v1::CaseKind kind) {
  switch (kind) {
    case jianyan::v1::CASE_KIND_PETITION:
      return "petition";
    case jianyan::v1::CASE_KIND_SUGGESTION:
      return "suggestion";
    default:
      return "unspecified";
  }
}

void WriteCommitStats(ExpositionWriter& out) {
  const storage::CommitStats& stats = storage::GlobalCommitStats();
  out.Family("jianyan_commands_total",
             "Commands applied to the case store, by workflow action.",
             MetricType::kCounter);
  for (const auto& [action, n] : stats.Commands()) {
    out.Sample("jianyan_commands_total", {{"action", action}},
               static_cast<double>(n));
  }
  out.Family("jianyan_store_inflight_commands",
             "Commands admitted by the store and not yet answered.",
             MetricType::kGauge);
  out.Sample(
      "jianyan_store_inflight_commands", {},
      static_cast<double>(stats.inflight.load(std::memory_order_relaxed)));
  out.Family("jianyan_commit_group_size",
             "Write batches joined into one WAL write.",
             MetricType::kHistogram);
  out.Histogram("jianyan_commit_group_size", {}, stats.group_size.Read());
  out.Family("jianyan_wal_sync_seconds",
             "Seconds of each commit group's write, WAL fsync included.",
             MetricType::kHistogram);
  out.Histogram("jianyan_wal_sync_seconds", {}, stats.wal_sync_seconds.Read());
}

void WriteOpenCases(storage::CaseStore& store, ExpositionWriter& out) {
  auto counts = storage::ReadOpenCaseCounts(
      store.raw_db(), store.handle(storage::Cf::kCounters));
  if (!counts.ok()) return;
  out.Family("jianyan_open_cases", "Open cases by kind and workflow state.",
             MetricType::kGauge);
  for (const storage::OpenCaseCount& c : *counts) {
    out.Sample("jianyan_open_cases",
               {{"kind", KindName(c.kind)}, {"state", c.state}},
               static_cast<double>(c.count));
  }
}

void WriteTimers(storage::CaseStore& store, const TimerScheduler& timers,
                 const Clock& clock, ExpositionWriter& out) {
  auto due = store.NextDueTimers(clock.Now(), kMaxTimersDue);
  if (due.ok()) {
    out.Family("jianyan_timers_due",
               "Timer entries due now and not yet fired (counted up to "
               "10000).",
               MetricType::kGauge);
    out.Sample("jianyan_timers_due", {}, static_cast<double>(due->size()));
  }
  out.Family("jianyan_timer_lag_seconds",
             "Seconds the oldest due timer had waited at the scheduler's "
             "last pass.",
             MetricType::kGauge);
  out.Sample("jianyan_timer_lag_seconds", {}, timers.lag_seconds());
}

void WriteRocksDb(storage::CaseStore& store, ExpositionWriter& out) {
  rocksdb::DB* db = store.raw_db();
  struct Property {
    const char* metric;
    const std::string& property;
    bool aggregated;  // summed over the column families
    const char* help;
  };
  const Property properties[] = {
      {"rocksdb_is_write_stopped", rocksdb::DB::Properties::kIsWriteStopped,
       false, "1 while RocksDB stops writes (write stall), else 0."},
      {"rocksdb_actual_delayed_write_rate",
       rocksdb::DB::Properties::kActualDelayedWriteRate, false,
       "Bytes per second writes are slowed to; 0 when not delayed."},
      {"rocksdb_num_running_compactions",
       rocksdb::DB::Properties::kNumRunningCompactions, false,
       "Compactions running now."},
      {"rocksdb_estimate_pending_compaction_bytes",
       rocksdb::DB::Properties::kEstimatePendingCompactionBytes, true,
       "Bytes compaction must rewrite to bring levels under their targets."},
      {"rocksdb_block_cache_usage_bytes",
       rocksdb::DB::Properties::kBlockCacheUsage, false,
       "Bytes in the block cache (shared by the column families)."},
      {"rocksdb_live_sst_size_bytes",
       rocksdb::DB::Properties::kLiveSstFilesSize, true,
       "Bytes of the SST files of the current version."},
  };
  for (const Property& p : properties) {
    uint64_t value = 0;
    const bool ok = p.aggregated
                        ? db->GetAggregatedIntProperty(p.property, &value)
                        : db->GetIntProperty(p.property, &value);
    if (!ok) continue;
    out.Family(p.metric, p.help, MetricType::kGauge);
    out.Sample(p.metric, {}, static_cast<double>(value));
  }
}

}  // namespace

Registry::Collector StoreCollector(storage::CaseStore& store,
                                   const TimerScheduler& timers,
                                   const Clock& clock) {
  return [&store, &timers, &clock](ExpositionWriter& out) {
    WriteCommitStats(out);
    WriteOpenCases(store, out);
    WriteTimers(store, timers, clock, out);
    WriteRocksDb(store, out);
  };
}

}  // namespace jianyan::metrics
