// A store that cannot write (disk full on the WAL): commands answer
// UNAVAILABLE with a clear message, health turns NOT_SERVING, nothing is
// half-written; when the disk has room again and the store resumes, health
// is SERVING and commands work.
#include <atomic>

#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/services/core_server.h"
#include "tests/storage/wal_hook_file_system.h"

namespace jianyan::testing {
namespace {

using grpc::health::v1::HealthCheckResponse;

HealthCheckResponse::ServingStatus Health(CoreServer& s) {
  auto stub = grpc::health::v1::Health::NewStub(
      s.server().InProcessChannel(grpc::ChannelArguments()));
  grpc::ClientContext ctx;
  grpc::health::v1::HealthCheckRequest req;
  HealthCheckResponse resp;
  grpc::Status st = stub->Check(&ctx, req, &resp);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return resp.status();
}

TEST(WriteErrorTest, DiskFullMakesCommandsUnavailableUntilTheStoreResumes) {
  std::atomic<bool> full{false};
  auto fs = std::make_shared<storage::testing::WalHookFileSystem>(
      [&full](rocksdb::FSWritableFile& file, const rocksdb::Slice& data,
              const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
        if (full.load())
          return rocksdb::IOStatus::NoSpace("injected: disk full");
        return file.Append(data, o, dbg);
      });
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  CoreServerOptions options;
  options.env = env.get();
  CoreServer server(options);
  server.Seed();
  const jianyan::v1::Case c = server.CreatePetition("write-error-1");
  EXPECT_EQ(Health(server), HealthCheckResponse::SERVING);

  full = true;
  grpc::Status failed =
      server.Act("registrar", c.case_number(), "assign",
                 {{"organisation_id", kHousing}, {"deadline_days", "60"}});
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(failed.error_message().find("store is not writable"),
            std::string::npos)
      << failed.error_message();
  EXPECT_EQ(Health(server), HealthCheckResponse::NOT_SERVING);
  // Every command fails fast while the store cannot write; reads work.
  EXPECT_EQ(server
                .Act("registrar", c.case_number(), "assign",
                     {{"organisation_id", kHousing}, {"deadline_days", "60"}})
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
  jianyan::v1::GetCaseRequest get;
  get.set_case_number(c.case_number());
  jianyan::v1::Case now;
  ASSERT_TRUE(
      server.workflow().GetCase(server.As("supervisor").get(), get, &now).ok());
  EXPECT_EQ(now.version(), c.version());

  full = false;
  ASSERT_TRUE(server.store().TryResume().ok());
  EXPECT_EQ(Health(server), HealthCheckResponse::SERVING);
  ASSERT_TRUE(server
                  .Act("registrar", c.case_number(), "assign",
                       {{"organisation_id", kHousing}, {"deadline_days", "60"}})
                  .ok());
  auto report = server.store().Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

}  // namespace
}  // namespace jianyan::testing
