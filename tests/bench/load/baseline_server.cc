// The baseline jianyand is measured against (load_bench.cc): the best a
// gRPC + RocksDB server does on this machine with the same requests. The
// same request bytes come in; each write is one RocksDB put of those bytes
// with a synced WAL. It is written for speed: callback handlers that never
// block a gRPC thread, and one committer thread that joins every write
// waiting into one synced WriteBatch.
//
//   IntakeService.SubmitCase          put(request), receipt with a number
//   WorkflowService.Act               put(request), the next version
//   FeedbackService.SubmitRating      put(request)
//   FeedbackService.GetPublicStatus   get(number)
//
// --keys_per_write=N (default 1) shapes each write like one of jianyand's
// commands for comparison: besides the request bytes under the call's key,
// N-1 entries of 64 bytes under keys spread over the key space (as a
// command's index entries are), in the same synced batch.
//
// Usage: baseline_server --data_dir=DIR [--listen=127.0.0.1:0]
// [--keys_per_write=1]; prints "listening on HOST:PORT" once serving; stops
// on SIGTERM or SIGINT.
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "grpcpp/grpcpp.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "tests/bench/bench_util.h"

namespace jianyan::bench {
namespace {

// One thread writes every put waiting into one synced batch, then answers
// them all.
class Committer {
 public:
  Committer(rocksdb::DB* db, int keys_per_write)
      : db_(db), keys_per_write_(keys_per_write), thread_([this] { Loop(); }) {}
  ~Committer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  void Put(std::string key, std::string value, std::function<void(bool)> done) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back({std::move(key), std::move(value), std::move(done)});
    }
    wake_.notify_one();
  }

 private:
  struct Write {
    std::string key;
    std::string value;
    std::function<void(bool)> done;
  };

  void Loop() {
    std::vector<Write> group;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        group.assign(std::make_move_iterator(queue_.begin()),
                     std::make_move_iterator(queue_.end()));
        queue_.clear();
      }
      rocksdb::WriteBatch batch;
      for (const Write& w : group) {
        batch.Put(w.key, w.value);
        if (keys_per_write_ == 1) continue;
        // Each extra key at its own place: (hash + i) times an odd constant
        // scatters consecutive i over the 64-bit space.
        const uint64_t h = absl::Hash<std::string>{}(w.key);
        for (int i = 1; i < keys_per_write_; ++i) {
          const uint64_t at =
              (h + static_cast<uint64_t>(i)) * 0x9E3779B97F4A7C15ull;
          batch.Put(absl::StrCat(absl::Hex(at, absl::kZeroPad16), "/", w.key),
                    kIndexValue);
        }
      }
      rocksdb::WriteOptions wo;
      wo.sync = true;
      const bool ok = db_->Write(wo, &batch).ok();
      for (Write& w : group) w.done(ok);
      group.clear();
    }
  }

  static constexpr char kIndexValue[] =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  rocksdb::DB* const db_;
  const int keys_per_write_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Write> queue_;
  bool stop_ = false;
  std::thread thread_;
};

grpc::Status Failed() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "write failed");
}

class Intake final : public jianyan::v1::IntakeService::CallbackService {
 public:
  Intake(Committer& committer, std::atomic<uint64_t>& next)
      : committer_(committer), next_(next) {}

  grpc::ServerUnaryReactor* SubmitCase(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::SubmitCaseRequest* request,
      jianyan::v1::SubmitCaseResponse* response) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    const std::string number = absl::StrFormat(
        "B%020d", next_.fetch_add(1, std::memory_order_relaxed));
    auto* receipt = response->mutable_receipt();
    receipt->set_case_number(number);
    receipt->set_query_code("0000-0000");
    receipt->set_kind(request->kind());
    receipt->set_state("registered");
    committer_.Put(number, request->SerializeAsString(), [reactor](bool ok) {
      reactor->Finish(ok ? grpc::Status::OK : Failed());
    });
    return reactor;
  }

 private:
  Committer& committer_;
  std::atomic<uint64_t>& next_;
};

class Workflow final : public jianyan::v1::WorkflowService::CallbackService {
 public:
  explicit Workflow(Committer& committer) : committer_(committer) {}

  grpc::ServerUnaryReactor* Act(grpc::CallbackServerContext* ctx,
                                const jianyan::v1::ActRequest* request,
                                jianyan::v1::ActResponse* response) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    response->mutable_case_()->set_case_number(request->case_number());
    response->mutable_case_()->set_version(request->expected_version() + 1);
    committer_.Put(absl::StrCat(request->case_number(), "/",
                                request->expected_version() + 1),
                   request->SerializeAsString(), [reactor](bool ok) {
                     reactor->Finish(ok ? grpc::Status::OK : Failed());
                   });
    return reactor;
  }

 private:
  Committer& committer_;
};

class Feedback final : public jianyan::v1::FeedbackService::CallbackService {
 public:
  Feedback(rocksdb::DB* db, Committer& committer)
      : db_(db), committer_(committer) {}

  grpc::ServerUnaryReactor* GetPublicStatus(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::GetPublicStatusRequest* request,
      jianyan::v1::PublicStatus* response) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    std::string value;
    rocksdb::Status s =
        db_->Get(rocksdb::ReadOptions(), request->case_number(), &value);
    if (s.ok()) {
      response->set_case_number(request->case_number());
      response->set_state("registered");
      reactor->Finish(grpc::Status::OK);
    } else {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "no case"));
    }
    return reactor;
  }

  grpc::ServerUnaryReactor* SubmitRating(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::SubmitRatingRequest* request,
      jianyan::v1::SubmitRatingResponse* response) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    response->mutable_status()->set_case_number(request->case_number());
    committer_.Put(absl::StrCat(request->case_number(), "/rating"),
                   request->SerializeAsString(), [reactor](bool ok) {
                     reactor->Finish(ok ? grpc::Status::OK : Failed());
                   });
    return reactor;
  }

 private:
  rocksdb::DB* const db_;
  Committer& committer_;
};

int Main(int argc, char** argv) {
  // Blocked before any thread starts (RocksDB's, the committer, gRPC's), so
  // only sigwait below receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  std::string listen = "127.0.0.1:0";
  std::string dir;
  int keys_per_write = 1;
  bool keys_ok = true;
  for (const auto& [name, value] : NamedFlags(argc, argv)) {
    if (name == "listen") listen = value;
    if (name == "data_dir") dir = value;
    if (name == "keys_per_write") {
      keys_ok = absl::SimpleAtoi(value, &keys_per_write) &&
                keys_per_write >= 1 && keys_per_write <= 64;
    }
  }
  if (dir.empty() || !keys_ok) {
    std::fprintf(stderr,
                 "usage: baseline_server --data_dir=DIR "
                 "[--listen=127.0.0.1:0] [--keys_per_write=1..64]\n");
    return 2;
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  options.max_background_jobs = 2;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(options, dir, &raw);
  if (!opened.ok()) {
    std::fprintf(stderr, "baseline_server: %s\n", opened.ToString().c_str());
    return 2;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  std::atomic<uint64_t> next{1};
  auto committer = std::make_unique<Committer>(db.get(), keys_per_write);
  Intake intake(*committer, next);
  Workflow workflow(*committer);
  Feedback feedback(db.get(), *committer);

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&intake);
  builder.RegisterService(&workflow);
  builder.RegisterService(&feedback);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "baseline_server: cannot listen on %s\n",
                 listen.c_str());
    return 2;
  }
  std::printf("listening on %s:%d\n",
              listen.substr(0, listen.rfind(':')).c_str(), port);
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  server->Shutdown();
  committer.reset();
  return 0;
}

}  // namespace
}  // namespace jianyan::bench

int main(int argc, char** argv) { return jianyan::bench::Main(argc, argv); }
