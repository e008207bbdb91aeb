// CoreServer: the core tier for service tests — a real RocksDB store in a
// temporary directory, the shipped definitions and calendars, WorkflowCore,
// and a real gRPC server hosting WorkflowService, AdminService,
// SupervisionService and TestingService, reached over an in-process channel.
// Time is a ManualClock (clock()) plus the offset TestingService.AdvanceClock
// adds, as jianyand's --testing_clock does; AdvanceClock fires the timers
// that came due. The timer scheduler's background thread is not started:
// timers fire only through AdvanceClock (or core().timers().RunDue).
//
// Seed() builds a small directory (Tai'an city petition bureau with a
// district and a bureau below it, a reporting point, a suggester) and one
// principal per role, each with a real token.
#ifndef JIANYAN_TESTS_SERVICES_CORE_SERVER_H_
#define JIANYAN_TESTS_SERVICES_CORE_SERVER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "jianyan/v1/supervision.grpc.pb.h"
#include "jianyan/v1/testing.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "services/admin/admin_service.h"
#include "services/common/offset_clock.h"
#include "services/common/unary_call.h"
#include "services/core/workflow_core.h"
#include "services/internal/internal_service.h"
#include "services/supervision/supervision_service.h"
#include "services/testing/testing_service.h"
#include "services/workflow/workflow_service.h"
#include "storage/case_store.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::testing {

// Organisations of Seed(): city bureau ⊃ district ⊃ district housing bureau;
// a second district beside it.
inline constexpr char kCityBureau[] = "taian-xfj";     // 泰安市信访局
inline constexpr char kDistrict[] = "taishan-qu";      // 泰山区
inline constexpr char kHousing[] = "taishan-zjj";      // 泰山区住建局
inline constexpr char kOtherDistrict[] = "daiyue-qu";  // 岱岳区
inline constexpr char kPoint[] = "rp-taishan-1";       // a reporting point
inline constexpr char kOtherPoint[] = "rp-daiyue-1";
inline constexpr char kSuggesterId[] = "sg-1";

struct CoreServerOptions {
  absl::Time now = absl::InfinitePast();  // default: DefaultStart()
  std::string data_dir;                   // empty: a fresh temporary directory
  std::string definitions_dir;            // empty: the shipped definitions
  // Tokens of an earlier CoreServer on the same data_dir (its tokens()).
  std::map<std::string, std::string> tokens;
  // The store's Env (fault injection); null: the default. With an Env the
  // store syncs and never retries on its own (the test calls TryResume).
  rocksdb::Env* env = nullptr;
  // Bounds on calls in flight per service (limits()); none when unset.
  std::optional<CallBounds> call_bounds;
};

class CoreServer {
 public:
  // Starts at `now` (China time 2026-03-02 09:00 by default).
  explicit CoreServer(CoreServerOptions options = {});
  ~CoreServer();

  static absl::Time DefaultStart();

  // Directory and one principal per role; tokens() maps a role name
  // ("terminal", "other_terminal", "suggester", "registrar" (handler of the
  // city bureau), "handler" (housing bureau), "other_handler" (other
  // district), "supervisor" (city), "district_supervisor", "admin",
  // "service") to its token.
  void Seed();
  const std::string& token(const std::string& who) const {
    return tokens_.at(who);
  }
  const std::map<std::string, std::string>& tokens() const { return tokens_; }
  void AddToken(const std::string& who, const std::string& token) {
    tokens_[who] = token;
  }
  std::string NewToken(const std::string& id, jianyan::v1::Role role,
                       const std::string& org = "",
                       const std::string& point = "",
                       const std::string& suggester = "");

  // A context carrying "authorization: Bearer <token of who>" (no token
  // when `who` is empty, the literal value when it starts with "raw:").
  std::unique_ptr<grpc::ClientContext> As(const std::string& who) const;

  jianyan::v1::WorkflowService::Stub& workflow() { return *workflow_; }
  // gRPC health of the server ("" = overall), which follows the store's
  // write health as jianyand's does.
  grpc::Server& server() { return *server_; }
  jianyan::v1::AdminService::Stub& admin() { return *admin_; }
  jianyan::v1::SupervisionService::Stub& supervision() { return *supervision_; }
  jianyan::v1::TestingService::Stub& testing() { return *testing_; }
  // AdvanceClock by `by` as the admin, over gRPC; fails the test on error.
  void Advance(absl::Duration by);
  // The time the core sees: clock() plus what AdvanceClock added.
  absl::Time Now() const { return core_clock_.Now(); }
  // The in-process channel to the server (what an edge's CoreLink uses).
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  storage::CaseStore& store() { return *store_; }
  // The bounds of call_bounds (null without).
  CallLimits* limits() { return limits_.get(); }
  WorkflowCore& core() { return *core_; }
  ManualClock& clock() { return clock_; }
  const std::string& dir() const { return data_dir_; }

  // The CreateCaseRequest of CreatePetition (the service's call).
  static jianyan::v1::CreateCaseRequest PetitionRequest(
      const std::string& request_id,
      jianyan::v1::PetitionType type = jianyan::v1::PETITION_TYPE_CLAIM,
      const std::string& query_code_hash = std::string(32, 'q'));
  // A petition created by the service on behalf of the terminal; returns
  // the case. Fails the test on error.
  jianyan::v1::Case CreatePetition(
      const std::string& request_id,
      jianyan::v1::PetitionType type = jianyan::v1::PETITION_TYPE_CLAIM,
      const std::string& query_code_hash = std::string(32, 'q'));
  // Act as `who`, reading the version first. Returns the status and fills
  // *out when given.
  grpc::Status Act(const std::string& who, const std::string& case_number,
                   const std::string& action,
                   std::map<std::string, std::string> fields,
                   jianyan::v1::ActResponse* out = nullptr);

 private:
  storage::testing::TempDir dir_;
  std::string data_dir_;
  ManualClock clock_;
  OffsetClock core_clock_{clock_};
  std::unique_ptr<storage::CaseStore> store_;
  std::unique_ptr<WorkflowCore> core_;
  std::unique_ptr<CallLimits> limits_;  // null without call_bounds
  std::unique_ptr<CallGate> gate_;
  std::unique_ptr<WorkflowServiceImpl> workflow_service_;
  std::unique_ptr<AdminServiceImpl> admin_service_;
  std::unique_ptr<SupervisionServiceImpl> supervision_service_;
  std::unique_ptr<TestingServiceImpl> testing_service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<jianyan::v1::SupervisionService::Stub> supervision_;
  std::unique_ptr<jianyan::v1::TestingService::Stub> testing_;
  std::unique_ptr<CoreInternalServiceImpl> internal_service_;
  std::unique_ptr<jianyan::v1::WorkflowService::Stub> workflow_;
  std::unique_ptr<jianyan::v1::AdminService::Stub> admin_;
  std::map<std::string, std::string> tokens_;
  int request_seq_ = 0;
};

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_SERVICES_CORE_SERVER_H_
