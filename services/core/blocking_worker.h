// BlockingWorker: threads that run queued tasks, first in first out (one
// thread by default, so tasks run in order). For work that blocks (synced
// directory writes, backups, full-store verification, an edge's calls to
// the core) and so must not run on a gRPC callback thread: the handler
// queues it and the task finishes the call.
//
// Thread-safety: Run() is safe for concurrent use. The destructor runs every
// queued task, then joins the threads.
#ifndef JIANYAN_SERVICES_CORE_BLOCKING_WORKER_H_
#define JIANYAN_SERVICES_CORE_BLOCKING_WORKER_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace jianyan {

class BlockingWorker {
 public:
  // `threads` below 1 counts as 1; `name` names the threads (at most 15
  // characters).
  explicit BlockingWorker(int threads = 1, const char* name = "jy-blocking");
  ~BlockingWorker();
  BlockingWorker(const BlockingWorker&) = delete;
  BlockingWorker& operator=(const BlockingWorker&) = delete;

  void Run(std::function<void()> task);

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Last: they start after the members above exist.
  std::vector<std::thread> threads_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_BLOCKING_WORKER_H_
