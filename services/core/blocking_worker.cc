#include "services/core/blocking_worker.h"

#include <pthread.h>

#include <utility>

namespace jianyan {

BlockingWorker::BlockingWorker() : thread_([this] { Loop(); }) {
  pthread_setname_np(thread_.native_handle(), "jy-blocking");
}

BlockingWorker::~BlockingWorker() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void BlockingWorker::Run(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  tasks_.push_back(std::move(task));
}

void BlockingWorker::Loop() {
  while (true) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](BlockingWorker* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) {
            return w->stopping_ || !w->tasks_.empty();
          },
          this));
      if (tasks_.empty()) return;  // stopping, nothing left
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace jianyan
