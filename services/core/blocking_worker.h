// BlockingWorker: one thread that runs queued tasks in order. For work that
// blocks (synced directory writes, backups, full-store verification) and so
// must not run on a gRPC callback thread: the handler queues it and the task
// finishes the call.
//
// Thread-safety: Run() is safe for concurrent use. The destructor runs every
// queued task, then joins the thread.
#ifndef JIANYAN_SERVICES_CORE_BLOCKING_WORKER_H_
#define JIANYAN_SERVICES_CORE_BLOCKING_WORKER_H_

#include <deque>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace jianyan {

class BlockingWorker {
 public:
  BlockingWorker();
  ~BlockingWorker();
  BlockingWorker(const BlockingWorker&) = delete;
  BlockingWorker& operator=(const BlockingWorker&) = delete;

  void Run(std::function<void()> task);

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_BLOCKING_WORKER_H_
