#include "services/core/notice_hub.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/core/case_view.h"

namespace jianyan {

using jianyan::v1::EscalationNotice;
using jianyan::v1::StoredNotice;

NoticeHub::NoticeHub(storage::CaseStore& store, const OrgDirectory& orgs,
                     NoticeHubOptions options)
    : store_(store), orgs_(orgs), options_(options) {
  // Listener first, then the last cursor: a notice committed in between is
  // both queued and at or below dispatched_, and is skipped once.
  store_.SetNoticeListener(
      [this](const std::vector<StoredNotice>& notices) { Publish(notices); });
  {
    std::lock_guard<std::mutex> lock(mu_);
    dispatched_ = store_.LastNoticeCursor();
  }
  dispatcher_ = std::thread([this] { Dispatch(); });
}

NoticeHub::~NoticeHub() {
  Close();
  dispatcher_.join();
}

void NoticeHub::Publish(const std::vector<StoredNotice>& notices) {
  if (notices.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return;
  pending_.insert(pending_.end(), notices.begin(), notices.end());
  cv_.notify_one();
}

uint64_t NoticeHub::dispatched_cursor() {
  std::lock_guard<std::mutex> lock(mu_);
  return dispatched_;
}

bool NoticeHub::Passes(const NoticeFilter& filter,
                       const StoredNotice& notice) const {
  if (notice.level() < filter.min_level) return false;
  if (!filter.kinds.empty() &&
      std::find(filter.kinds.begin(), filter.kinds.end(), notice.kind()) ==
          filter.kinds.end()) {
    return false;
  }
  return filter.organisation_id.empty() ||
         orgs_.IsWithin(notice.organisation_id(), filter.organisation_id);
}

NoticePtr NoticeHub::Enrich(const StoredNotice& notice) {
  auto out = std::make_shared<EscalationNotice>();
  out->set_kind(notice.kind());
  out->set_level(notice.level());
  out->set_note(notice.note());
  *out->mutable_time() = notice.time();
  out->set_timer(notice.timer());
  out->set_cursor(notice.cursor());
  out->set_event_seq(notice.event_seq());
  if (notice.has_reply_due_time()) {
    *out->mutable_reply_due_time() = notice.reply_due_time();
  }
  absl::StatusOr<jianyan::v1::StoredCase> stored =
      store_.GetCase(notice.case_number());
  if (stored.ok()) {
    *out->mutable_case_() = Summarize(stored->case_());
  } else {
    // The notice is delivered anyway: number and kind are what matter.
    out->mutable_case_()->set_case_number(notice.case_number());
    out->mutable_case_()->set_kind(notice.case_kind());
    out->mutable_case_()->set_handling_organisation_id(
        notice.organisation_id());
  }
  // Notices carry no personal data, whoever watches.
  out->mutable_case_()->clear_submitter_masked();
  return out;
}

void NoticeHub::Dispatch() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return closed_ || !pending_.empty(); });
    if (closed_) return;
    std::deque<StoredNotice> batch;
    batch.swap(pending_);
    const uint64_t floor = dispatched_;
    lock.unlock();
    // Reads (the case summaries) happen without the lock.
    std::vector<std::pair<const StoredNotice*, NoticePtr>> ready;
    for (const StoredNotice& n : batch) {
      if (n.cursor() <= floor) continue;
      ready.emplace_back(&n, Enrich(n));
    }
    lock.lock();
    std::vector<std::shared_ptr<Subscription>> woken;
    auto it = subscriptions_.begin();
    while (it != subscriptions_.end()) {
      std::shared_ptr<Subscription> sub = it->lock();
      if (sub == nullptr) {
        it = subscriptions_.erase(it);
        continue;
      }
      ++it;
      if (!sub->ended_.ok()) continue;
      bool got = false;
      for (const auto& [stored, notice] : ready) {
        if (!Passes(sub->filter_, *stored)) continue;
        if (sub->live_.size() >= options_.watcher_buffer) {
          sub->live_.clear();
          sub->ended_ = absl::ResourceExhaustedError(absl::StrCat(
              "the watcher fell more than ", options_.watcher_buffer,
              " notices behind; reconnect with after_cursor"));
          got = true;
          break;
        }
        sub->live_.push_back(notice);
        got = true;
      }
      if (got) woken.push_back(std::move(sub));
    }
    if (!ready.empty()) {
      dispatched_ = std::max(dispatched_, ready.back().first->cursor());
    }
    lock.unlock();
    for (const auto& sub : woken) sub->Wake();
    lock.lock();
  }
}

absl::StatusOr<std::shared_ptr<NoticeHub::Subscription>> NoticeHub::Subscribe(
    NoticeFilter filter, uint64_t after_cursor, std::function<void()> wake) {
  const uint64_t newest = store_.LastNoticeCursor();
  if (after_cursor > newest) {
    return absl::InvalidArgumentError(
        absl::StrCat("after_cursor: ", after_cursor,
                     " is beyond the newest notice (", newest, ")"));
  }
  std::shared_ptr<Subscription> sub(
      new Subscription(*this, std::move(filter), std::move(wake)));
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return absl::UnavailableError("server is shutting down");
  if (after_cursor > 0 && after_cursor < dispatched_) {
    sub->replay_next_ = after_cursor;
    sub->replay_to_ = dispatched_;
  }
  subscriptions_.push_back(sub);
  return sub;
}

void NoticeHub::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
  }
  // Outside mu_: the store serialises this with a listener call in progress.
  store_.SetNoticeListener(nullptr);
  std::vector<std::shared_ptr<Subscription>> woken;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
    cv_.notify_all();
    for (const auto& weak : subscriptions_) {
      if (auto sub = weak.lock()) {
        sub->live_.clear();
        if (sub->ended_.ok()) {
          sub->ended_ = absl::UnavailableError("server is shutting down");
        }
        woken.push_back(std::move(sub));
      }
    }
    subscriptions_.clear();
  }
  for (const auto& sub : woken) sub->Wake();
}

void NoticeHub::Subscription::Wake() {
  std::function<void()> wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake = wake_;
  }
  if (wake) wake();
}

void NoticeHub::Subscription::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  wake_ = nullptr;
}

absl::Status NoticeHub::Subscription::Next(size_t max,
                                           std::vector<NoticePtr>* out) {
  out->clear();
  if (max == 0) return absl::OkStatus();
  // The replay first: store pages, filtered by the stored fields.
  while (replay_next_ < replay_to_ && out->empty()) {
    {
      std::lock_guard<std::mutex> lock(hub_.mu_);
      if (!ended_.ok()) return ended_;
    }
    absl::StatusOr<std::vector<StoredNotice>> page = hub_.store_.ReadNotices(
        replay_next_, std::min<uint64_t>(hub_.options_.replay_page,
                                         replay_to_ - replay_next_));
    if (!page.ok()) return page.status();
    if (page->empty()) {
      return absl::DataLossError(absl::StrCat("notice ", replay_next_ + 1,
                                              " is missing from the store"));
    }
    for (const StoredNotice& n : *page) {
      if (n.cursor() > replay_to_) break;
      replay_next_ = n.cursor();
      if (hub_.Passes(filter_, n)) out->push_back(hub_.Enrich(n));
      if (out->size() >= max) return absl::OkStatus();
    }
  }
  if (!out->empty()) return absl::OkStatus();
  std::lock_guard<std::mutex> lock(hub_.mu_);
  if (!ended_.ok()) return ended_;
  while (!live_.empty() && out->size() < max) {
    out->push_back(std::move(live_.front()));
    live_.pop_front();
  }
  return absl::OkStatus();
}

}  // namespace jianyan
