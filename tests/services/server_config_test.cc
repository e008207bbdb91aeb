#include "services/common/server_config.h"

#include <string>

#include "gtest/gtest.h"

namespace jianyan {
namespace {

TEST(ServerConfigTest, ShippedExampleLoadsAndCompletes) {
  auto config =
      LoadServerConfigFile(JIANYAN_SOURCE_DIR "/deploy/jianyand.textproto");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(CompleteServerConfig(*config).ok());
  EXPECT_EQ(config->listen(0), "127.0.0.1:7400");
  EXPECT_EQ(config->services_size(), 5);
  EXPECT_EQ(config->store().durability(), jianyan::v1::DURABILITY_SYNC);
  EXPECT_EQ(config->metrics_listen(), "127.0.0.1:9464");
  EXPECT_EQ(config->log_level(), "info");
}

TEST(ServerConfigTest, DefaultsHostEverything) {
  jianyan::v1::ServerConfig config;
  ASSERT_TRUE(CompleteServerConfig(config).ok());
  EXPECT_EQ(config.listen(0), "127.0.0.1:7400");
  EXPECT_EQ(config.data_dir(), "./data");
  ASSERT_EQ(config.services_size(), 5);
  EXPECT_EQ(config.services(0), "workflow");  // started first
  EXPECT_EQ(ServiceFullName("intake"), "jianyan.v1.IntakeService");
  EXPECT_EQ(ServiceFullName("intak"), "");
}

TEST(ServerConfigTest, RejectsBadValuesNamingTheField) {
  struct Case {
    const char* what;
    void (*mutate)(jianyan::v1::ServerConfig&);
    const char* message;
  };
  const Case cases[] = {
      {"port out of range", [](auto& c) { c.add_listen("127.0.0.1:70000"); },
       "listen: '127.0.0.1:70000'"},
      {"no port", [](auto& c) { c.add_listen("localhost"); },
       "listen: 'localhost'"},
      {"unknown service", [](auto& c) { c.add_services("adm"); },
       "services: unknown service 'adm'"},
      {"duplicate service",
       [](auto& c) {
         c.add_services("admin");
         c.add_services("admin");
       },
       "listed twice"},
      {"shard", [](auto& c) { c.mutable_store()->set_shard_id(10); },
       "store.shard_id"},
      {"metrics address without a port",
       [](auto& c) { c.set_metrics_listen("localhost"); },
       "metrics_listen: 'localhost'"},
      {"unknown log level", [](auto& c) { c.set_log_level("debug"); },
       "log_level: \"debug\""},
      {"ca without cert",
       [](auto& c) { c.mutable_tls()->set_client_ca_file("/ca.pem"); },
       "tls.client_ca_file"},
      {"client cert without ca",
       [](auto& c) {
         c.mutable_tls()->set_cert_file("/s.pem");
         c.mutable_tls()->set_key_file("/s.key");
         c.mutable_tls()->set_require_client_cert(true);
       },
       "tls.require_client_cert"},
      {"testing clock on a public address",
       [](auto& c) {
         c.set_testing_clock(true);
         c.add_listen("127.0.0.1:0");
         c.add_listen("0.0.0.0:7400");
       },
       "--testing_clock is refused on the non-loopback listen address "
       "0.0.0.0:7400"},
      {"testing clock without the core",
       [](auto& c) {
         c.set_testing_clock(true);
         c.add_services("intake");
       },
       "--testing_clock needs the workflow service"},
  };
  for (const Case& c : cases) {
    jianyan::v1::ServerConfig config;
    c.mutate(config);
    absl::Status s = CompleteServerConfig(config);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.what;
    EXPECT_NE(s.message().find(c.message), absl::string_view::npos)
        << c.what << ": " << s.message();
  }
}

TEST(ServerConfigTest, LoopbackAddresses) {
  for (const char* a : {"127.0.0.1:0", "127.1.2.3:7400", "localhost:7400",
                        "[::1]:7400", "::1:0"}) {
    EXPECT_TRUE(IsLoopbackListenAddress(a)) << a;
  }
  for (const char* a : {"0.0.0.0:0", "10.0.0.1:7400", "[::]:7400",
                        "example.org:7400", "128.0.0.1:1", "nohost"}) {
    EXPECT_FALSE(IsLoopbackListenAddress(a)) << a;
  }
  jianyan::v1::ServerConfig config;
  config.set_testing_clock(true);
  config.add_listen("127.0.0.1:0");
  EXPECT_TRUE(CompleteServerConfig(config).ok());
}

TEST(ServerConfigTest, ParseErrorsCarryFileLineAndColumn) {
  const std::string path = ::testing::TempDir() + "/bad_config.textproto";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("listen: \"127.0.0.1:1\"\nstore { shard: 1 }\n", f);
  std::fclose(f);
  auto config = LoadServerConfigFile(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find(path + ":2:"),
            absl::string_view::npos)
      << config.status().message();
  EXPECT_EQ(LoadServerConfigFile("/nonexistent.textproto").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jianyan
