// Overload over real gRPC (CoreServer: real RocksDB whose WAL sync a test
// can hold, WorkflowService on an in-process channel): calls beyond a
// service's bound (LimitsConfig.max_inflight_calls) are answered
// RESOURCE_EXHAUSTED at once while the admitted ones wait for a held
// commit, and nothing beyond the bound is ever admitted; watch streams
// beyond max_watch_streams are refused; a client's deadline that passes
// while its command waits behind a held commit means the command is never
// written.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "services/common/call_limits.h"
#include "tests/services/core_server.h"
#include "tests/services/supervision_test_util.h"
#include "tests/storage/fault_file_systems.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::testing {
namespace {

constexpr uint32_t kBound = 8;
constexpr uint32_t kWatchBound = 2;

// One asynchronous CreateCase; `done` runs with its status.
struct PendingCreate {
  grpc::ClientContext ctx;
  jianyan::v1::CreateCaseRequest request;
  jianyan::v1::CreateCaseResponse response;
};

class OverloadTest : public ::testing::Test {
 protected:
  OverloadTest()
      : fs_(std::make_shared<storage::testing::SyncGateFileSystem>()),
        env_(rocksdb::NewCompositeEnv(fs_)) {
    CoreServerOptions options;
    options.env = env_.get();
    options.call_bounds = CallBounds{kBound, kWatchBound};
    server_ = std::make_unique<CoreServer>(options);
    server_->Seed();
    // The first case reserves a block of case numbers (a synced write of
    // its own, on the handler's thread): after it, the next WAL sync a
    // test holds is a command's commit.
    first_ = server_->CreatePetition("overload-first-case");
  }

  void StartCreate(const std::string& request_id,
                   std::function<void(grpc::Status)> done) {
    auto call = std::make_unique<PendingCreate>();
    call->ctx.AddMetadata("authorization",
                          "Bearer " + server_->token("service"));
    call->ctx.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(60));  // bounds a failure
    call->request = CoreServer::PetitionRequest(request_id);
    PendingCreate* c = call.get();
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_.push_back(std::move(call));
    }
    server_->workflow().async()->CreateCase(&c->ctx, &c->request, &c->response,
                                            std::move(done));
  }

  // A command ("overload-held") whose WAL sync is held: every command
  // after it waits behind it until ReleaseCommit().
  void HoldCommit() {
    fs_->HoldNextSync(&held_entered_, &held_release_);
    StartCreate("overload-held", [this](grpc::Status s) {
      EXPECT_TRUE(s.ok()) << s.error_message();
      held_done_.Notify();
    });
    held_entered_.WaitForNotification();
  }
  void ReleaseCommit() {
    held_release_.Notify();
    held_done_.WaitForNotification();
    AwaitStoreIdle();
  }

  // Waits (bounded) until the store has answered every command.
  void AwaitStoreIdle() {
    for (int i = 0; i < 10000 && server_->store().InflightCommands() > 0; ++i) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    EXPECT_EQ(server_->store().InflightCommands(), 0u);
  }

  std::shared_ptr<storage::testing::SyncGateFileSystem> fs_;
  std::unique_ptr<rocksdb::Env> env_;
  std::unique_ptr<CoreServer> server_;
  jianyan::v1::Case first_;
  absl::Notification held_entered_, held_release_, held_done_;
  std::mutex mu_;
  std::vector<std::unique_ptr<PendingCreate>> calls_;
};

TEST_F(OverloadTest, TwiceTheBoundIsRefusedAtOnceWhileTheAdmittedWait) {
  CallLimits& limits = *server_->limits();
  std::vector<std::string> refused_ids;
  for (int wave = 0; wave < 5; ++wave) {
    const std::string w = "overload-w" + std::to_string(wave) + "-";
    // One command holds the WAL sync: it and every admitted call wait.
    absl::Notification entered, release;
    fs_->HoldNextSync(&entered, &release);
    absl::BlockingCounter admitted(kBound);  // the held one + kBound - 1
    std::atomic<int> failed_admitted{0};
    StartCreate(w + "held", [&](grpc::Status s) {
      if (!s.ok()) failed_admitted++;
      admitted.DecrementCount();
    });
    entered.WaitForNotification();
    // Twice the bound more: kBound - 1 fit, kBound + 1 are refused.
    absl::BlockingCounter refused(kBound + 1);
    std::atomic<int> refusals{0}, oks{0}, others{0};
    std::string refusal_message;
    std::mutex message_mu;
    for (uint32_t i = 0; i < 2 * kBound; ++i) {
      const std::string id = w + std::to_string(i);
      StartCreate(id, [&, id](grpc::Status s) {
        if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
          {
            std::lock_guard<std::mutex> lock(message_mu);
            refusal_message = s.error_message();
            refused_ids.push_back(id);
          }
          refusals++;
          refused.DecrementCount();
        } else {
          s.ok() ? oks++ : others++;
          admitted.DecrementCount();
        }
      });
    }
    // Every refusal arrives while the commit is still held: no refused
    // call waited for it.
    refused.Wait();
    EXPECT_FALSE(release.HasBeenNotified());
    EXPECT_EQ(refusals.load(), static_cast<int>(kBound + 1));
    EXPECT_EQ(oks.load(), 0);  // the admitted are still waiting
    EXPECT_EQ(limits.InFlight("WorkflowService"), kBound);
    EXPECT_LE(server_->store().InflightCommands(), kBound);
    {
      std::lock_guard<std::mutex> lock(message_mu);
      EXPECT_NE(refusal_message.find("limits.max_inflight_calls"),
                std::string::npos)
          << refusal_message;
    }
    release.Notify();
    admitted.Wait();
    EXPECT_EQ(failed_admitted.load(), 0);
    EXPECT_EQ(others.load(), 0);
    EXPECT_EQ(oks.load(), static_cast<int>(kBound - 1));
  }
  // Nothing beyond the bound was ever admitted; everything was let go.
  EXPECT_EQ(limits.Peak("WorkflowService"), kBound);
  EXPECT_LE(server_->store().InflightCommands(), 0u);
  for (int i = 0; i < 1000 && limits.InFlight("WorkflowService") > 0; ++i) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_EQ(limits.InFlight("WorkflowService"), 0u);
  // A refused call changed nothing: its request id was never recorded.
  ASSERT_EQ(refused_ids.size(), 5 * (kBound + 1));
  for (const std::string& id : refused_ids) {
    EXPECT_TRUE(absl::IsNotFound(
        server_->store().LookupRequest("intake-edge", id).status()))
        << id;
  }
}

TEST_F(OverloadTest, OneMillisecondDeadlineBehindAHeldCommitIsNotApplied) {
  HoldCommit();
  jianyan::v1::CreateCaseRequest late =
      CoreServer::PetitionRequest("overload-late");
  jianyan::v1::CreateCaseResponse response;
  std::unique_ptr<grpc::ClientContext> ctx = server_->As("service");
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(1));
  grpc::Status s = server_->workflow().CreateCase(ctx.get(), late, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << s.error_message();
  ReleaseCommit();
  // Not applied: the request id was never recorded, and a retry without a
  // deadline creates the case afresh (version 1, its first event).
  EXPECT_TRUE(absl::IsNotFound(
      server_->store().LookupRequest("intake-edge", "overload-late").status()));
  jianyan::v1::CreateCaseResponse retried;
  grpc::Status again = server_->workflow().CreateCase(
      server_->As("service").get(), late, &retried);
  ASSERT_TRUE(again.ok()) << again.error_message();
  EXPECT_EQ(retried.case_().version(), 1u);
  storage::testing::ExpectVerifyClean(server_->store());
}

// The same for a supervisor's command: SupervisionService.Escalate carries
// the caller's deadline down to the store.
TEST_F(OverloadTest,
       EscalationWhoseDeadlinePassedBehindAHeldCommitIsNotApplied) {
  HoldCommit();
  jianyan::v1::EscalateRequest urge;
  urge.set_request_id("overload-urge");
  urge.set_case_number(first_.case_number());
  urge.set_expected_version(first_.version());
  urge.set_level(jianyan::v1::ESCALATION_LEVEL_URGE);
  urge.set_note("请尽快受理");
  jianyan::v1::EscalateResponse response;
  std::unique_ptr<grpc::ClientContext> ctx = server_->As("supervisor");
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(1));
  grpc::Status s = server_->supervision().Escalate(ctx.get(), urge, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << s.error_message();
  ReleaseCommit();
  // Not applied: the case is as it was, and the same request retried
  // without a deadline escalates it (one version on).
  jianyan::v1::GetCaseRequest get;
  get.set_case_number(first_.case_number());
  jianyan::v1::Case now;
  ASSERT_TRUE(server_->workflow()
                  .GetCase(server_->As("supervisor").get(), get, &now)
                  .ok());
  EXPECT_EQ(now.version(), first_.version());
  EXPECT_EQ(now.escalation_level(), jianyan::v1::ESCALATION_LEVEL_NONE);
  grpc::Status again = server_->supervision().Escalate(
      server_->As("supervisor").get(), urge, &response);
  ASSERT_TRUE(again.ok()) << again.error_message();
  EXPECT_EQ(response.case_().version(), first_.version() + 1);
  EXPECT_EQ(response.case_().escalation_level(),
            jianyan::v1::ESCALATION_LEVEL_URGE);
  storage::testing::ExpectVerifyClean(server_->store());
}

TEST_F(OverloadTest, WatchStreamsBeyondTheBoundAreRefused) {
  CallLimits& limits = *server_->limits();
  std::vector<std::unique_ptr<NoticeStream>> open;
  for (uint32_t i = 0; i < kWatchBound; ++i) {
    open.push_back(std::make_unique<NoticeStream>(
        server_->supervision(), server_->As("supervisor"), WatchAfter(0)));
  }
  EXPECT_EQ(limits.InFlight("WatchEscalations"), kWatchBound);
  NoticeStream refused(server_->supervision(), server_->As("supervisor"),
                       WatchAfter(0));
  grpc::Status s = refused.Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find("limits.max_watch_streams"),
            std::string::npos)
      << s.error_message();
  // A closed stream frees its place.
  open[0]->Cancel();
  EXPECT_EQ(open[0]->Finish().error_code(), grpc::StatusCode::CANCELLED);
  for (int i = 0;
       i < 10000 && limits.InFlight("WatchEscalations") >= kWatchBound; ++i) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_EQ(limits.InFlight("WatchEscalations"), kWatchBound - 1);
  NoticeStream again(server_->supervision(), server_->As("supervisor"),
                     WatchAfter(0));
  EXPECT_EQ(limits.InFlight("WatchEscalations"), kWatchBound);
  EXPECT_EQ(limits.Peak("WatchEscalations"), kWatchBound);
}

}  // namespace
}  // namespace jianyan::testing
