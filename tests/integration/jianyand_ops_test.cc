// jianyand operations as a real process: the first administrator and its
// token file.
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

}  // namespace
}  // namespace jianyan::testing
