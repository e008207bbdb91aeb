// jianyand operations as a real process: the first administrator and its
// token file, the loopback-only testing clock, and restoring a backup.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "jianyan/v1/testing.grpc.pb.h"
#include "services/core/token.h"
#include "storage/case_store.h"
#include "tests/integration/jianyand_fixture.h"
#include "tests/integration/subprocess.h"
#include "workflow/time_util.h"

namespace jianyan::testing {
namespace {

namespace fs = std::filesystem;
using grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;
using ::testing::Not;

// Principal "admin" of the (closed) store in DATA_DIR/db.
jianyan::v1::Principal StoredAdmin(const fs::path& data_dir) {
  auto store = storage::CaseStore::Open(storage::CaseStoreOptions(),
                                        (data_dir / "db").string());
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return {};
  auto admin = (*store)->GetPrincipal("admin");
  EXPECT_TRUE(admin.ok()) << admin.status();
  return admin.ok() ? *admin : jianyan::v1::Principal();
}

class JianyandOpsTest : public JianyandFixture {
 protected:
  // The token in DIR/admin.token, without its newline.
  static std::string AdminToken(const fs::path& data_dir) {
    return std::string(
        absl::StripAsciiWhitespace(ReadFile(data_dir / "admin.token")));
  }

  // AdvanceClock on `address` by `by`, with `token` as bearer unless empty.
  static grpc::Status AdvanceClock(const std::string& address,
                                   const std::string& token, absl::Duration by,
                                   absl::Time* now) {
    auto stub = jianyan::v1::TestingService::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    jianyan::v1::AdvanceClockRequest req;
    const int64_t seconds = absl::IDivDuration(by, absl::Seconds(1), &by);
    req.mutable_by()->set_seconds(seconds);
    req.mutable_by()->set_nanos(
        static_cast<int32_t>(absl::ToInt64Nanoseconds(by)));
    jianyan::v1::AdvanceClockResponse resp;
    grpc::Status s = stub->AdvanceClock(&ctx, req, &resp);
    if (s.ok() && now != nullptr) *now = FromProto(resp.now());
    return s;
  }
};

TEST_F(JianyandOpsTest, FirstStartWritesTheAdminTokenAndLaterStartsKeepIt) {
  const fs::path data = dir_ / "data";
  std::string address;
  auto server = StartServer({}, &address);
  ASSERT_NE(server, nullptr);
  StopServer(*server);

  const fs::path file = data / "admin.token";
  ASSERT_TRUE(fs::exists(file));
  struct stat st;
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string token = AdminToken(data);
  EXPECT_EQ(token.size(), 46u);
  EXPECT_TRUE(absl::StartsWith(token, "jy_"));
  EXPECT_TRUE(IsWellFormedToken(token));
  EXPECT_THAT(server->stderr_text(), HasSubstr(file.string()));
  EXPECT_THAT(server->stderr_text(), Not(HasSubstr(token)));
  EXPECT_THAT(server->stdout_text(), Not(HasSubstr(token)));

  const std::string before = ReadFile(file);
  auto again = StartServer({}, &address);
  ASSERT_NE(again, nullptr);
  StopServer(*again);
  EXPECT_EQ(ReadFile(file), before);
  EXPECT_THAT(again->stderr_text(), Not(HasSubstr("principal admin created")));

  jianyan::v1::Principal admin = StoredAdmin(data);
  EXPECT_EQ(admin.role(), jianyan::v1::ROLE_ADMIN);
  EXPECT_EQ(admin.display_name(), "administrator");
  EXPECT_EQ(admin.token_hash(), HashToken(token));
}

TEST_F(JianyandOpsTest, SigkillRightAfterTheFirstStartStillLeavesAnAdmin) {
  const fs::path data = dir_ / "data";
  std::string address;
  auto server = StartServer({}, &address);
  ASSERT_NE(server, nullptr);
  server->Signal(SIGKILL);
  ASSERT_TRUE(server->Wait(absl::Seconds(30)).ok());

  auto again = StartServer({}, &address);
  ASSERT_NE(again, nullptr);
  StopServer(*again);
  EXPECT_EQ(StoredAdmin(data).token_hash(), HashToken(AdminToken(data)));
}

TEST_F(JianyandOpsTest, TokenFileWithoutPrincipalIsFinishedOnTheNextStart) {
  // What a crash between writing the file and storing the principal leaves.
  const fs::path data = dir_ / "data";
  fs::create_directories(data);
  const std::string token = GenerateToken();
  { std::ofstream(data / "admin.token") << token << "\n"; }
  std::string address;
  auto server = StartServer({}, &address);
  ASSERT_NE(server, nullptr);
  StopServer(*server);
  EXPECT_EQ(AdminToken(data), token);
  EXPECT_EQ(StoredAdmin(data).token_hash(), HashToken(token));
}

TEST_F(JianyandOpsTest, TestingClockAdvancesForTheAdminOnly) {
  std::string address;
  auto server = StartServer({"--testing_clock"}, &address);
  ASSERT_NE(server, nullptr);
  EXPECT_THAT(server->stderr_text(),
              HasSubstr("testing clock on: time can be advanced by "
                        "AdvanceClock; never use in production"));
  const std::string token = AdminToken(dir_ / "data");

  absl::Time now;
  const absl::Time before = absl::Now();
  grpc::Status s = AdvanceClock(address, token, absl::Hours(48), &now);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const absl::Time after = absl::Now();
  EXPECT_GE(now, before + absl::Hours(48));
  EXPECT_LE(now, after + absl::Hours(48));

  // Time only moves forward, and adds up.
  s = AdvanceClock(address, token, absl::ZeroDuration(), &now);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_GE(now, before + absl::Hours(48));

  EXPECT_EQ(AdvanceClock(address, "", absl::Hours(1), nullptr).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(AdvanceClock(address, GenerateToken(), absl::Hours(1), nullptr)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(AdvanceClock(address, token, -absl::Hours(1), nullptr).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::StatusCode code;
  EXPECT_EQ(Health(address, "jianyan.v1.TestingService", &code),
            HealthCheckResponse::SERVING);
  StopServer(*server);
  EXPECT_THAT(server->stderr_text(), Not(HasSubstr(token)));
}

TEST_F(JianyandOpsTest, WithoutTheFlagThereIsNoTestingService) {
  std::string address;
  auto server = StartServer({}, &address);
  ASSERT_NE(server, nullptr);
  const std::string token = AdminToken(dir_ / "data");
  EXPECT_EQ(AdvanceClock(address, token, absl::Hours(1), nullptr).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(JianyandOpsTest, TestingClockIsRefusedOnANonLoopbackAddress) {
  std::string err;
  EXPECT_EQ(RunToExit({"--testing_clock", "--listen=0.0.0.0:0",
                       "--data_dir=" + (dir_ / "data").string()},
                      &err),
            2);
  EXPECT_THAT(err, HasSubstr("--testing_clock"));
  EXPECT_THAT(err, HasSubstr("0.0.0.0:0"));
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_FALSE(fs::exists(dir_ / "data"));
}

TEST_F(JianyandOpsTest, RestoresABackupIntoAFreshDataDir) {
  const fs::path data = dir_ / "data";
  std::string address;
  auto server = StartServer({}, &address);
  ASSERT_NE(server, nullptr);
  StopServer(*server);
  const std::string token = AdminToken(data);
  {
    auto store = storage::CaseStore::Open(storage::CaseStoreOptions(),
                                          (data / "db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    jianyan::v1::Organisation org;
    org.set_id("taian-xfj");
    org.set_region_code("370900");
    org.set_active(true);
    ASSERT_TRUE((*store)->PutOrganisation(org).ok());
    ASSERT_TRUE((*store)->Backup((dir_ / "backup").string()).ok());
  }

  const std::string restored = (dir_ / "restored").string();
  std::string err;
  EXPECT_EQ(RunToExit({"--restore_from=" + (dir_ / "backup").string(),
                       "--data_dir=" + restored},
                      &err),
            0)
      << err;
  // Never over an existing store.
  EXPECT_EQ(RunToExit({"--restore_from=" + (dir_ / "backup").string(),
                       "--data_dir=" + restored},
                      &err),
            1);
  EXPECT_THAT(err, HasSubstr("is not empty"));
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_EQ(RunToExit({"--restore_from=" + (dir_ / "nobackup").string(),
                       "--data_dir=" + (dir_ / "other").string()},
                      &err),
            1);
  EXPECT_THAT(err, HasSubstr("nobackup"));

  // The original admin token works against the restored store.
  auto again =
      StartServer({"--data_dir=" + restored, "--testing_clock"}, &address);
  ASSERT_NE(again, nullptr);
  EXPECT_FALSE(fs::exists(fs::path(restored) / "admin.token"));
  grpc::Status s = AdvanceClock(address, token, absl::Hours(1), nullptr);
  EXPECT_TRUE(s.ok()) << s.error_message();
  StopServer(*again);
  auto store =
      storage::CaseStore::Open(storage::CaseStoreOptions(), restored + "/db");
  ASSERT_TRUE(store.ok()) << store.status();
  auto org = (*store)->GetOrganisation("taian-xfj");
  ASSERT_TRUE(org.ok()) << org.status();
  EXPECT_EQ(org->region_code(), "370900");
}

}  // namespace
}  // namespace jianyan::testing
