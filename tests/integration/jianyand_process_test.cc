// jianyand as a real process: starts on port 0, serves health and
// reflection, survives garbage, fails loudly on bad setup, exits cleanly on
// SIGTERM.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "tests/integration/jianyand_fixture.h"
#include "tests/integration/subprocess.h"
#include "tests/services/lingering_connection.h"
#include "tests/services/raw_call.h"

namespace jianyan::testing {
namespace {

namespace fs = std::filesystem;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

class JianyandProcessTest : public JianyandFixture {
 protected:
  static std::set<std::string> ReflectedServices(const std::string& address) {
    auto channel =
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    auto stream = stub->ServerReflectionInfo(&ctx);
    grpc::reflection::v1alpha::ServerReflectionRequest req;
    req.set_list_services("*");
    EXPECT_TRUE(stream->Write(req));
    stream->WritesDone();
    grpc::reflection::v1alpha::ServerReflectionResponse resp;
    std::set<std::string> names;
    while (stream->Read(&resp)) {
      for (const auto& s : resp.list_services_response().service()) {
        names.insert(s.name());
      }
    }
    EXPECT_TRUE(stream->Finish().ok());
    return names;
  }
};

TEST_F(JianyandProcessTest, ServesHealthAndReflectionAndStopsCleanlyOnSigterm) {
  std::string address;
  auto server = StartServer({}, &address);
  ASSERT_NE(server, nullptr);

  grpc::StatusCode code;
  EXPECT_EQ(Health(address, "", &code), HealthCheckResponse::SERVING);
  EXPECT_EQ(code, grpc::StatusCode::OK);
  for (const char* name :
       {"jianyan.v1.IntakeService", "jianyan.v1.FeedbackService",
        "jianyan.v1.WorkflowService", "jianyan.v1.SupervisionService",
        "jianyan.v1.AdminService"}) {
    EXPECT_EQ(Health(address, name, &code), HealthCheckResponse::SERVING)
        << name;
    EXPECT_EQ(code, grpc::StatusCode::OK) << name;
  }
  EXPECT_THAT(
      ReflectedServices(address),
      IsSupersetOf({"jianyan.v1.IntakeService", "jianyan.v1.FeedbackService",
                    "jianyan.v1.WorkflowService",
                    "jianyan.v1.SupervisionService", "jianyan.v1.AdminService",
                    "grpc.health.v1.Health"}));

  server->Signal(SIGTERM);
  auto exit_code = server->Wait(absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << server->stderr_text();
  EXPECT_THAT(server->stderr_text(), HasSubstr("stopped"));
}

TEST_F(JianyandProcessTest, AnIdleConnectionDoesNotHoldTheStop) {
  // A grace period far longer than the test: the stop waits for calls in
  // flight, never for the connections clients keep open.
  const std::string config = (dir_ / "grace.textproto").string();
  std::ofstream(config) << "limits { shutdown_grace_seconds: 3600 }\n";
  std::string address;
  auto server = StartServer({"--config=" + config}, &address);
  ASSERT_NE(server, nullptr);
  LingeringConnection lingering(Port(address));
  ASSERT_TRUE(lingering.established());
  grpc::StatusCode code;
  EXPECT_EQ(Health(address, "", &code), HealthCheckResponse::SERVING);

  server->Signal(SIGTERM);
  EXPECT_TRUE(lingering.WaitForClose(kSoonerThanGrpc));
  auto exit_code = server->Wait(absl::Seconds(60));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << server->stderr_text();
}

TEST_F(JianyandProcessTest, RestartsOnItsDataDirWithTheDefaultWorkflows) {
  for (int run = 0; run < 2; ++run) {
    std::string address;
    auto server = StartServer({}, &address);
    ASSERT_NE(server, nullptr);
    server->Signal(SIGTERM);
    auto exit_code = server->Wait(absl::Seconds(30));
    ASSERT_TRUE(exit_code.ok()) << exit_code.status();
    EXPECT_EQ(*exit_code, 0) << server->stderr_text();
    EXPECT_THAT(server->stderr_text(),
                HasSubstr("workflow 'petition' version"));
    EXPECT_THAT(server->stderr_text(),
                HasSubstr("workflow 'suggestion' version"));
  }
  EXPECT_TRUE(fs::exists(dir_ / "data" / "db" / "CURRENT"));
}

TEST_F(JianyandProcessTest, HostsOnlyTheChosenServices) {
  std::string address;
  // An edge tier: it names the core it calls (not running here; the edge
  // starts anyway and reports NOT_SERVING until it is reachable) and the
  // intake key its replicas share.
  const std::string token_file = (dir_ / "service.token").string();
  std::ofstream(token_file) << "jy_" << std::string(43, 'A') << "\n";
  const std::string key_file = (dir_ / "query-code.key").string();
  std::ofstream(key_file) << std::string(32, 'k');
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write);
  auto server =
      StartServer({"--services=intake,feedback", "--core_address=127.0.0.1:1",
                   "--service_token_file=" + token_file,
                   "--query_code_secret_file=" + key_file},
                  &address);
  ASSERT_NE(server, nullptr);
  // Edge-only processes hold no database.
  EXPECT_FALSE(fs::exists(dir_ / "data"));
  std::set<std::string> names = ReflectedServices(address);
  EXPECT_TRUE(names.count("jianyan.v1.IntakeService"));
  EXPECT_TRUE(names.count("jianyan.v1.FeedbackService"));
  EXPECT_FALSE(names.count("jianyan.v1.WorkflowService"));
  grpc::StatusCode code;
  Health(address, "jianyan.v1.WorkflowService", &code);
  EXPECT_EQ(code, grpc::StatusCode::NOT_FOUND);
}

// Writes `bytes` on a fresh TCP connection and closes it.
void SendRaw(uint16_t port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  (void)!send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  close(fd);
}

TEST_F(JianyandProcessTest, KeepsServingAfterGarbageAndMalformedProtobuf) {
  std::string address;
  auto server = StartServer({}, &address);
  ASSERT_NE(server, nullptr);
  const uint16_t port = Port(address);

  std::mt19937 rng(7);
  auto random_bytes = [&](size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
  };
  const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  for (int i = 0; i < 30; ++i) {
    SendRaw(port, random_bytes(1 + rng() % 8192));            // not HTTP/2
    SendRaw(port, preface + random_bytes(1 + rng() % 4096));  // bad frames
  }
  SendRaw(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");

  // Well-framed gRPC calls whose payload is not a valid message.
  auto channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  grpc::GenericStub generic(channel);
  for (const char* method :
       {"/grpc.health.v1.Health/Check", "/jianyan.v1.IntakeService/SubmitCase",
        "/jianyan.v1.WorkflowService/Act", "/jianyan.v1.NoSuch/Method"}) {
    for (int i = 0; i < 10; ++i) {
      std::string payload = random_bytes(1 + rng() % 512);
      payload[0] = '\xff';  // an invalid tag: never parses
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
      grpc::Status status = RawUnaryCall(generic, &ctx, method, payload);
      EXPECT_FALSE(status.ok()) << method;
    }
  }
  // A message over the size limit is refused, not buffered.
  {
    auto stub = jianyan::v1::IntakeService::NewStub(channel);
    grpc::ClientContext ctx;
    jianyan::v1::SubmitCaseRequest req;
    req.set_content(std::string(5 << 20, 'x'));
    jianyan::v1::SubmitCaseResponse resp;
    EXPECT_EQ(stub->SubmitCase(&ctx, req, &resp).error_code(),
              grpc::StatusCode::RESOURCE_EXHAUSTED);
  }

  EXPECT_TRUE(server->Running());
  grpc::StatusCode code;
  EXPECT_EQ(Health(address, "", &code), HealthCheckResponse::SERVING);
  EXPECT_EQ(code, grpc::StatusCode::OK);
}

TEST_F(JianyandProcessTest, TakenPortFailsLoudly) {
  std::string address;
  auto first = StartServer({}, &address);
  ASSERT_NE(first, nullptr);
  auto second = Subprocess::Start({JIANYAND_PATH, "--listen=" + address,
                                   "--data_dir=" + (dir_ / "other").string()});
  ASSERT_TRUE(second.ok());
  auto code = (*second)->Wait(absl::Seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_NE(*code, 0);
  EXPECT_THAT((*second)->stderr_text(), HasSubstr("listen"));
}

TEST_F(JianyandProcessTest, SecondProcessOnTheSameDataDirIsRefused) {
  std::string address;
  auto first = StartServer({}, &address);
  ASSERT_NE(first, nullptr);
  auto second = Subprocess::Start({JIANYAND_PATH, "--listen=127.0.0.1:0",
                                   "--data_dir=" + (dir_ / "data").string()});
  ASSERT_TRUE(second.ok());
  auto code = (*second)->Wait(absl::Seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 1);
  EXPECT_THAT((*second)->stderr_text(), HasSubstr("in use by another process"));
}

struct BadSetup {
  std::string name;
  std::string config;  // written to a file when not empty
  std::vector<std::string> flags;
  int exit_code;
  std::string message;
};

TEST_F(JianyandProcessTest, BadSetupGivesOneLineErrorAndNonZeroExit) {
  fs::path not_a_dir = dir_ / "file";
  fs::create_directories(dir_ / "empty");
  fs::create_directories(dir_ / "broken");
  std::ofstream(dir_ / "broken" / "petition.textproto")
      << "name: \"petition\"\n";
  // The shipped petition workflow with a misspelt calendar name.
  fs::create_directories(dir_ / "miscalendared");
  {
    std::ifstream in(JIANYAN_SOURCE_DIR
                     "/workflow/definitions/petition.textproto");
    std::stringstream text;
    text << in.rdbuf();
    std::string def = text.str();
    const std::string from = "calendar: \"cn\"";
    ASSERT_NE(def.find(from), std::string::npos);
    def.replace(def.find(from), from.size(), "calendar: \"cn2\"");
    std::ofstream(dir_ / "miscalendared" / "petition.textproto") << def;
  }
  { std::ofstream(not_a_dir) << "x"; }
  const std::vector<BadSetup> cases = {
      {"syntax", "listen: [", {}, 2, "config "},
      {"unknown field", "listn: \"x\"", {}, 2, "listn"},
      {"bad listen", "listen: \"nohost\"", {}, 2, "listen: 'nohost'"},
      {"bad service", "services: \"intke\"", {}, 2, "unknown service 'intke'"},
      {"bad shard", "store { shard_id: 12 }", {}, 2, "store.shard_id"},
      {"tls half", "tls { cert_file: \"/x.pem\" }", {}, 2, "tls"},
      {"no definitions",
       "definitions_dir: \"" + (dir_ / "empty").string() + "\"",
       {},
       1,
       "definitions: no *.textproto"},
      {"invalid definition",
       "definitions_dir: \"" + (dir_ / "broken").string() + "\"",
       {},
       1,
       "definitions: petition.textproto"},
      {"unknown calendar",
       "definitions_dir: \"" + (dir_ / "miscalendared").string() + "\"",
       {},
       1,
       "names calendar 'cn2', which has no file"},
      {"missing file",
       "",
       {"--config=/nonexistent/j.textproto"},
       2,
       "cannot read"},
      {"data dir is a file",
       "",
       {"--data_dir=" + not_a_dir.string()},
       1,
       "not a directory"},
  };
  for (const BadSetup& c : cases) {
    std::vector<std::string> argv = {JIANYAND_PATH};
    if (!c.config.empty()) {
      fs::path file = dir_ / "bad.textproto";
      std::ofstream(file) << c.config;
      argv.push_back("--config=" + file.string());
    } else {
      argv.push_back("--listen=127.0.0.1:0");
    }
    if (c.flags.empty()) argv.push_back("--data_dir=" + (dir_ / "d").string());
    argv.insert(argv.end(), c.flags.begin(), c.flags.end());
    auto child = Subprocess::Start(argv);
    ASSERT_TRUE(child.ok());
    auto code = (*child)->Wait(absl::Seconds(60));
    ASSERT_TRUE(code.ok()) << c.name;
    EXPECT_EQ(*code, c.exit_code) << c.name << ": " << (*child)->stderr_text();
    const std::string& err = (*child)->stderr_text();
    EXPECT_THAT(err, HasSubstr(c.message)) << c.name;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1)
        << c.name << ": " << err;
    // The failure is a log line like the others: JSON, level error.
    EXPECT_TRUE(absl::StartsWith(err, "{\"time\":")) << c.name << ": " << err;
    EXPECT_THAT(err, HasSubstr("\"level\":\"error\"")) << c.name;
    EXPECT_TRUE((*child)->stdout_text().empty()) << c.name;
  }
}

}  // namespace
}  // namespace jianyan::testing
