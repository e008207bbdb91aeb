// The core's figures for the metrics registry, read at scrape time:
//   jianyan_commands_total{action}          commands applied (commit_stats.h)
//   jianyan_store_inflight_commands         commands admitted, not answered
//   jianyan_commit_group_size               write batches per WAL write
//   jianyan_wal_sync_seconds                each commit group's synced write
//   jianyan_open_cases{kind,state}          the store's open-case counters
//   jianyan_timers_due                      timer entries due now (counted
//                                           up to kMaxTimersDue)
//   jianyan_timer_lag_seconds               how late the oldest due timer
//                                           was at the scheduler's last pass
//   rocksdb_is_write_stopped, rocksdb_actual_delayed_write_rate,
//   rocksdb_num_running_compactions, rocksdb_estimate_pending_compaction_bytes,
//   rocksdb_block_cache_usage_bytes, rocksdb_live_sst_size_bytes
//                                           RocksDB DB properties
// A store read that fails leaves its family out of that scrape.
//
// Thread-safety: the collector may run on any thread while the store and
// the scheduler live; remove it (Registry::RemoveCollector) before either
// goes.
#ifndef JIANYAN_SERVICES_METRICS_STORE_COLLECTOR_H_
#define JIANYAN_SERVICES_METRICS_STORE_COLLECTOR_H_

#include <cstddef>

#include "services/core/timer_scheduler.h"
#include "services/metrics/registry.h"
#include "storage/case_store.h"
#include "workflow/clock.h"

namespace jianyan::metrics {

inline constexpr size_t kMaxTimersDue = 10000;

// The collector; add it with Registry::AddCollector.
Registry::Collector StoreCollector(storage::CaseStore& store,
                                   const TimerScheduler& timers,
                                   const Clock& clock);

}  // namespace jianyan::metrics

#endif  // JIANYAN_SERVICES_METRICS_STORE_COLLECTOR_H_
