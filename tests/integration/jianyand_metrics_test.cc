// jianyand --metrics_listen: /metrics is scraped before and after a known
// sequence of RPCs against a real process, and every counter moved by
// exactly the calls made; /healthz answers 200 while serving; the store's
// and RocksDB's figures are there.
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "tests/integration/jianyand_fixture.h"
#include "tests/services/intake_requests.h"

namespace jianyan::testing {
namespace {

// Series ("name{labels}") -> value of one scrape.
using Scrape = std::map<std::string, double>;

class JianyandMetricsTest : public JianyandFixture {
 protected:
  // GET `path` on the metrics endpoint; the status in *status.
  std::string Get(const std::string& path, int* status) {
    httplib::Client client("127.0.0.1", Port(metrics_));
    client.set_read_timeout(10, 0);
    auto res = client.Get(path.c_str());
    EXPECT_TRUE(res) << "GET " << path;
    if (!res) return "";
    *status = res->status;
    return res->body;
  }

  // jianyand --demo with its metrics endpoint on a free port (metrics_);
  // null when it did not start.
  std::unique_ptr<Subprocess> StartDemoWithMetrics(std::string* address) {
    auto server =
        StartServer({"--demo", "--metrics_listen=127.0.0.1:0"}, address);
    if (server == nullptr) return nullptr;
    auto line = server->WaitForLine("metrics on ", kStartTimeout);
    EXPECT_TRUE(line.ok()) << line.status();
    if (!line.ok()) return nullptr;
    metrics_ = *line;
    return server;
  }

  Scrape ScrapeMetrics() {
    int status = 0;
    const std::string text = Get("/metrics", &status);
    EXPECT_EQ(status, 200);
    last_text_ = text;
    Scrape out;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (line.empty() || line[0] == '#') continue;
      const size_t space = line.rfind(' ');
      double value = 0;
      EXPECT_TRUE(absl::SimpleAtod(line.substr(space + 1), &value)) << line;
      out[std::string(line.substr(0, space))] = value;
    }
    return out;
  }

  // after - before of one series (absent counts as 0).
  static double Delta(const Scrape& before, const Scrape& after,
                      const std::string& series) {
    auto b = before.find(series);
    auto a = after.find(series);
    return (a == after.end() ? 0 : a->second) -
           (b == before.end() ? 0 : b->second);
  }

  // Sum of after - before over every series of family `name` (the series
  // named `name` or `name{...}`).
  static double FamilyDelta(const Scrape& before, const Scrape& after,
                            const std::string& name) {
    double sum = 0;
    for (const Scrape* s : {&before, &after}) {
      for (const auto& [series, value] : *s) {
        if (series == name || absl::StartsWith(series, name + "{")) {
          sum += s == &after ? value : -value;
        }
      }
    }
    return sum;
  }

  static std::string Grpc(const std::string& family, const std::string& service,
                          const std::string& method, const std::string& code) {
    std::string labels = "grpc_service=\"jianyan.v1." + service +
                         "\",grpc_method=\"" + method +
                         "\",grpc_type=\"unary\"";
    if (!code.empty()) labels += ",grpc_code=\"" + code + "\"";
    return family + "{" + labels + "}";
  }

  // Parses `text` with Prometheus's Python parser (prometheus_client);
  // true when it parses.
  bool ParsesWithPrometheusClient(const std::string& text) {
    const std::filesystem::path file = dir_ / "scrape.txt";
    {
      std::ofstream out(file, std::ios::binary);
      out << text;
    }
    auto python = Subprocess::Start(
        {JIANYAN_PYTHON3, "-c",
         "import sys\n"
         "from prometheus_client.parser import text_string_to_metric_families\n"
         "families = "
         "list(text_string_to_metric_families(open(sys.argv[1]).read()))\n"
         "assert families, 'no families'\n",
         file.string()});
    EXPECT_TRUE(python.ok()) << python.status();
    if (!python.ok()) return false;
    auto code = (*python)->Wait(absl::Seconds(60));
    EXPECT_TRUE(code.ok()) << code.status();
    if (!code.ok()) return false;
    EXPECT_EQ(*code, 0) << (*python)->stderr_text();
    return *code == 0;
  }

  std::string metrics_;
  std::string last_text_;  // of the last ScrapeMetrics()
};

TEST_F(JianyandMetricsTest, CountersMoveByExactlyTheCallsMade) {
  std::string address;
  auto server = StartDemoWithMetrics(&address);
  ASSERT_NE(server, nullptr);
  auto tokens = DemoTokens();
  const std::string terminal = tokens["terminal"].second;
  const std::string handler = tokens["handler-taishan"].second;

  int status = 0;
  EXPECT_EQ(Get("/healthz", &status), "SERVING\n");
  EXPECT_EQ(status, 200);
  Get("/nothing-here", &status);
  EXPECT_EQ(status, 404);

  const Scrape before = ScrapeMetrics();
  // The sequence: 6 calls on the public server.
  PetitionStubs stubs(address);
  auto& [channel, intake, workflow, feedback] = stubs;
  jianyan::v1::SubmitCaseResponse receipt;
  grpc::Status s = intake->SubmitCase(
      As(terminal).get(), PetitionRequest("metrics-submit-1"), &receipt);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (int i = 0; i < 2; ++i) {
    jianyan::v1::SubmitCaseResponse refused;
    EXPECT_EQ(intake
                  ->SubmitCase(As("jy_not-a-token").get(),
                               PetitionRequest("metrics-submit-x"), &refused)
                  .error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  jianyan::v1::ActResponse acted;
  s = ReadAndAct(*workflow, handler, receipt.receipt().case_number(), "accept",
                 "metrics-accept-1", &acted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(acted.case_().state(), "handling");
  jianyan::v1::GetPublicStatusRequest public_status;
  public_status.set_case_number(receipt.receipt().case_number());
  public_status.set_query_code(receipt.receipt().query_code());
  jianyan::v1::PublicStatus shown;
  grpc::ClientContext anonymous;
  s = feedback->GetPublicStatus(&anonymous, public_status, &shown);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const Scrape after = ScrapeMetrics();
  EXPECT_TRUE(ParsesWithPrometheusClient(last_text_));

  // gRPC: 6 started and 6 handled, each where it belongs.
  EXPECT_EQ(FamilyDelta(before, after, "grpc_server_started_total"), 6);
  EXPECT_EQ(FamilyDelta(before, after, "grpc_server_handled_total"), 6);
  EXPECT_EQ(FamilyDelta(before, after, "grpc_server_handling_seconds_count"),
            6);
  struct Moved {
    const char* family;
    const char* service;
    const char* method;
    const char* code;  // "" for the families without grpc_code
    double by;
  };
  for (const Moved& m : std::vector<Moved>{
           {"grpc_server_started_total", "IntakeService", "SubmitCase", "", 3},
           {"grpc_server_handled_total", "IntakeService", "SubmitCase", "OK",
            1},
           {"grpc_server_handled_total", "IntakeService", "SubmitCase",
            "UNAUTHENTICATED", 2},
           {"grpc_server_handling_seconds_count", "IntakeService", "SubmitCase",
            "", 3},
           {"grpc_server_handled_total", "WorkflowService", "GetCase", "OK", 1},
           {"grpc_server_handled_total", "WorkflowService", "Act", "OK", 1},
           {"grpc_server_handled_total", "FeedbackService", "GetPublicStatus",
            "OK", 1},
       }) {
    const std::string series = Grpc(m.family, m.service, m.method, m.code);
    EXPECT_EQ(Delta(before, after, series), m.by) << series;
  }
  EXPECT_EQ(
      Delta(before, after,
            "grpc_server_handling_seconds_bucket{grpc_service=\"jianyan.v1."
            "WorkflowService\",grpc_method=\"Act\",grpc_type=\"unary\",le=\"+"
            "Inf\"}"),
      1);

  // The core: two commands (the intake's creation and the acceptance),
  // one more open case, now in "handling".
  EXPECT_EQ(FamilyDelta(before, after, "jianyan_commands_total"), 2);
  EXPECT_EQ(Delta(before, after, "jianyan_commands_total{action=\"accept\"}"),
            1);
  EXPECT_EQ(FamilyDelta(before, after, "jianyan_open_cases"), 1);
  EXPECT_EQ(Delta(before, after,
                  "jianyan_open_cases{kind=\"petition\",state=\"handling\"}"),
            1);
  EXPECT_EQ(after.at("jianyan_store_inflight_commands"), 0);
  EXPECT_EQ(after.at("jianyan_serving"), 1);
  EXPECT_GE(Delta(before, after, "jianyan_wal_sync_seconds_count"), 2);
  EXPECT_GE(Delta(before, after, "jianyan_commit_group_size_count"), 2);
  EXPECT_EQ(after.at("jianyan_timers_due"), 0);
  EXPECT_EQ(after.count("jianyan_timer_lag_seconds"), 1u);
  // RocksDB's own figures.
  EXPECT_EQ(after.at("rocksdb_is_write_stopped"), 0);
  EXPECT_EQ(after.at("rocksdb_actual_delayed_write_rate"), 0);
  for (const char* name :
       {"rocksdb_num_running_compactions",
        "rocksdb_estimate_pending_compaction_bytes",
        "rocksdb_block_cache_usage_bytes", "rocksdb_live_sst_size_bytes"}) {
    EXPECT_EQ(after.count(name), 1u) << name;
  }
  StopServer(*server);
}

// Callers choose the paths they call: past 256 distinct paths the server
// does not serve, the rest are counted together, so the families (and the
// interceptor's table) stay bounded; a served method keeps its own series.
TEST_F(JianyandMetricsTest, PathsTheServerDoesNotServeStayBounded) {
  std::string address;
  auto server = StartDemoWithMetrics(&address);
  ASSERT_NE(server, nullptr);
  auto channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  constexpr int kPaths = 300;
  for (int i = 0; i < kPaths; ++i) {
    grpc::ClientContext ctx;
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1), response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&ctx, absl::StrCat("/jianyan.v1.NoSuchService/M", i),
                   grpc::StubOptions(), &request, &response,
                   [&done](grpc::Status st) { done.set_value(st); });
    EXPECT_EQ(done.get_future().get().error_code(),
              grpc::StatusCode::UNIMPLEMENTED);
  }
  PetitionStubs stubs(address);
  jianyan::v1::GetPublicStatusRequest unknown_case;
  jianyan::v1::PublicStatus shown;
  grpc::ClientContext anonymous;
  EXPECT_FALSE(
      stubs.feedback->GetPublicStatus(&anonymous, unknown_case, &shown).ok());
  const Scrape after = ScrapeMetrics();
  int own = 0;
  for (const auto& [series, value] : after) {
    if (absl::StartsWith(series,
                         "grpc_server_started_total{grpc_service="
                         "\"jianyan.v1.NoSuchService\"")) {
      ++own;
      EXPECT_EQ(value, 1) << series;
    }
  }
  EXPECT_EQ(own, 256);
  EXPECT_EQ(after.at("grpc_server_started_total{grpc_service=\"\","
                     "grpc_method=\"other\",grpc_type=\"bidi_stream\"}"),
            kPaths - 256);
  EXPECT_EQ(after.at(Grpc("grpc_server_started_total", "FeedbackService",
                          "GetPublicStatus", "")),
            1);
  StopServer(*server);
}

TEST_F(JianyandMetricsTest, ATakenMetricsPortEndsTheStart) {
  std::string address;
  auto server = StartServer({"--metrics_listen=127.0.0.1:0"}, &address);
  ASSERT_NE(server, nullptr);
  auto line = server->WaitForLine("metrics on ", kStartTimeout);
  ASSERT_TRUE(line.ok()) << line.status();
  std::string err;
  EXPECT_EQ(RunToExit({"--data_dir=" + (dir_ / "other").string(),
                       "--listen=127.0.0.1:0", "--metrics_listen=" + *line},
                      &err),
            1);
  EXPECT_NE(err.find("metrics_listen"), std::string::npos) << err;
  EXPECT_EQ(RunToExit({"--data_dir=" + (dir_ / "other").string(),
                       "--metrics_listen=nonsense"},
                      &err),
            2);
  EXPECT_NE(err.find("metrics_listen"), std::string::npos) << err;
  StopServer(*server);
}

// An edge whose core cannot be reached reports NOT_SERVING: /healthz
// answers 503 and jianyan_serving is 0. An edge holds no store: no store
// or RocksDB figures.
TEST_F(JianyandMetricsTest, HealthzFollowsAnEdgeThatLostItsCore) {
  for (const auto& [name, content] :
       {std::pair<std::string, std::string>{
            "service.token", "jy_" + std::string(43, 'A') + "\n"},
        {"query-code.key", std::string(32, '\x5a')}}) {
    {
      std::ofstream file(dir_ / name, std::ios::binary);
      file << content;
    }
    std::filesystem::permissions(dir_ / name,
                                 std::filesystem::perms::owner_read |
                                     std::filesystem::perms::owner_write);
  }
  std::string address;
  auto edge = StartServer(
      {"--services=intake,feedback", "--core_address=127.0.0.1:1",
       "--service_token_file=" + (dir_ / "service.token").string(),
       "--query_code_secret_file=" + (dir_ / "query-code.key").string(),
       "--metrics_listen=127.0.0.1:0"},
      &address);
  ASSERT_NE(edge, nullptr);
  auto line = edge->WaitForLine("metrics on ", kStartTimeout);
  ASSERT_TRUE(line.ok()) << line.status();
  metrics_ = *line;
  // The edge notices its core is away within its reconnect backoff: a
  // bounded poll.
  int status = 0;
  std::string body;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  do {
    body = Get("/healthz", &status);
    if (status == 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (absl::Now() < deadline);
  EXPECT_EQ(status, 503);
  EXPECT_EQ(body, "NOT_SERVING\n");
  const Scrape scrape = ScrapeMetrics();
  EXPECT_EQ(scrape.at("jianyan_serving"), 0);
  EXPECT_EQ(scrape.count("jianyan_store_inflight_commands"), 0u);
  EXPECT_EQ(scrape.count("rocksdb_is_write_stopped"), 0u);
  StopServer(*edge);
}

}  // namespace
}  // namespace jianyan::testing
