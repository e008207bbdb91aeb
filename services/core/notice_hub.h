// NoticeHub: fans the store's supervision notices out to the consoles that
// watch them (SupervisionService.WatchEscalations).
//
// The store calls Publish (its notice listener) after each commit group is
// durable, in cursor order; Publish only queues. One dispatcher thread
// reads each notice's case once, builds the EscalationNotice every watcher
// shares, and appends it to the queue of each subscription whose filter it
// passes. A watcher costs a filter check and a queue slot per notice, not a
// store reader.
//
// Resuming: Subscribe(after_cursor = N > 0) first replays the notices
// (N, M] from the store, where M is the last cursor the dispatcher had
// handed out when the subscription was made, then serves the live ones
// (cursor > M), so a console sees every notice once, in order, across
// reconnects and restarts. 0 means live notices only.
//
// Slow consumers: a subscription's live queue holds at most
// `watcher_buffer` notices; beyond that it is dropped and Next answers
// RESOURCE_EXHAUSTED (the console reconnects with its cursor). Publish never
// waits for a watcher.
//
// Thread-safety: safe for concurrent use. `wake` callbacks run on the
// dispatcher thread (or the subscriber's) without the hub's locks held.
#ifndef JIANYAN_SERVICES_CORE_NOTICE_HUB_H_
#define JIANYAN_SERVICES_CORE_NOTICE_HUB_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "jianyan/v1/records.pb.h"
#include "jianyan/v1/supervision.pb.h"
#include "services/core/org_directory.h"
#include "storage/case_store.h"

namespace jianyan {

using NoticePtr = std::shared_ptr<const jianyan::v1::EscalationNotice>;

struct NoticeFilter {
  std::string organisation_id;  // subtree root; empty: every organisation
  jianyan::v1::EscalationLevel min_level = jianyan::v1::ESCALATION_LEVEL_NONE;
  std::vector<jianyan::v1::NoticeKind> kinds;  // empty: every kind
};

struct NoticeHubOptions {
  size_t watcher_buffer = 1024;  // live notices queued per subscription
  size_t replay_page = 256;      // notices read from the store at once
};

class NoticeHub {
 public:
  class Subscription;

  // Installs itself as `store`'s notice listener; both must outlive it.
  NoticeHub(storage::CaseStore& store, const OrgDirectory& orgs,
            NoticeHubOptions options = {});
  ~NoticeHub();  // Close()
  NoticeHub(const NoticeHub&) = delete;
  NoticeHub& operator=(const NoticeHub&) = delete;

  // The store's listener: queues `notices` (cursor order) and returns.
  void Publish(const std::vector<jianyan::v1::StoredNotice>& notices);

  // A watcher of the notices passing `filter`. INVALID_ARGUMENT naming
  // after_cursor when it is beyond the newest notice; UNAVAILABLE once the
  // hub is closed. `wake` is called whenever Next may have something new
  // (notices, an overflow, the close).
  absl::StatusOr<std::shared_ptr<Subscription>> Subscribe(
      NoticeFilter filter, uint64_t after_cursor, std::function<void()> wake);

  // Removes the store listener, ends every subscription (Next answers
  // UNAVAILABLE) and refuses new ones; for shutdown, before the server
  // stops and before the store closes. Idempotent.
  void Close();

  // The newest cursor handed to subscriptions.
  uint64_t dispatched_cursor();

  class Subscription {
   public:
    // Up to `max` next notices (cursor order) into `out`; none when nothing
    // is ready yet (`wake` follows when something is). RESOURCE_EXHAUSTED
    // after the queue overflowed, UNAVAILABLE after Close, or a store read
    // error of the replay: the stream should end with it.
    absl::Status Next(size_t max, std::vector<NoticePtr>* out);
    // No more wakes; the hub forgets the subscription.
    void Cancel();

   private:
    friend class NoticeHub;
    Subscription(NoticeHub& hub, NoticeFilter filter,
                 std::function<void()> wake)
        : hub_(hub), filter_(std::move(filter)), wake_(std::move(wake)) {}
    void Wake();

    NoticeHub& hub_;
    const NoticeFilter filter_;
    std::mutex mu_;
    std::function<void()> wake_;  // guarded by mu_; null after Cancel
    uint64_t replay_next_ = 0;    // replay cursors (replay_next_, replay_to_]
    uint64_t replay_to_ = 0;
    std::deque<NoticePtr> live_;  // guarded by hub_.mu_
    absl::Status ended_;          // guarded by hub_.mu_
  };

 private:
  bool Passes(const NoticeFilter& filter,
              const jianyan::v1::StoredNotice& notice) const;
  // The notice as consoles see it: with the case's current summary, no
  // personal data.
  NoticePtr Enrich(const jianyan::v1::StoredNotice& notice);
  void Dispatch();

  storage::CaseStore& store_;
  const OrgDirectory& orgs_;
  const NoticeHubOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<jianyan::v1::StoredNotice> pending_;  // from Publish
  std::vector<std::weak_ptr<Subscription>> subscriptions_;
  uint64_t dispatched_ = 0;  // last cursor handed out (or skipped)
  bool closed_ = false;
  std::thread dispatcher_;  // last: starts after the members above
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_NOTICE_HUB_H_
