// jianyand's logs: one JSON object per line, one line per RPC with its
// identifiers (rpc, code, latency, principal, request id, case number,
// peer), and never a bearer token, a query code, a field of a Person or the
// free text of a case. An end-to-end scenario with recognisable personal
// data runs against a real process, and every byte of its stdout and
// stderr is searched for each of those values.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "tests/integration/jianyand_fixture.h"
#include "tests/services/intake_requests.h"

namespace jianyan::testing {
namespace {

class JianyandLogTest : public JianyandFixture {
 protected:
  // The stderr lines that contain every one of `parts`.
  static std::vector<std::string> LinesWith(
      const std::string& log, const std::vector<std::string>& parts) {
    std::vector<std::string> out;
    for (absl::string_view line : absl::StrSplit(log, '\n')) {
      bool all = true;
      for (const std::string& p : parts)
        all = all && absl::StrContains(line, p);
      if (all) out.emplace_back(line);
    }
    return out;
  }
};

TEST_F(JianyandLogTest, RpcLinesCarryIdentifiersButNoPersonalData) {
  std::string address;
  auto server = StartServer({"--demo"}, &address);
  ASSERT_NE(server, nullptr);
  auto tokens = DemoTokens();
  const auto& [terminal_id, terminal] = tokens["terminal"];
  const auto& [handler_id, handler] = tokens["handler-taishan"];
  const std::string admin = tokens["admin"].second;

  // Recognisable personal data and free text.
  jianyan::v1::SubmitCaseRequest submit = PetitionRequest("log-submit-1");
  submit.set_title("隐私标题甲乙丙");
  submit.set_content("隐私内容丁戊己，住在隐私路八十八号。");
  auto* person = submit.mutable_submitter()->mutable_representatives(0);
  person->set_name("欧阳隐私");
  person->set_phone("13987654321");
  person->set_address("泰山区隐私路88号");
  const std::string reason = "隐私理由庚辛壬";

  PetitionStubs stubs(address);
  auto& [channel, intake, workflow, feedback] = stubs;
  jianyan::v1::SubmitCaseResponse receipt;
  grpc::Status s = intake->SubmitCase(As(terminal).get(), submit, &receipt);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::string number = receipt.receipt().case_number();
  const std::string query_code = receipt.receipt().query_code();
  // A wrong query code, the petitioner's status check, a refused token,
  // a handler's reads and actions (one refused, with free text).
  jianyan::v1::GetPublicStatusRequest status;
  status.set_case_number(number);
  status.set_query_code("9876-5432");
  jianyan::v1::PublicStatus shown;
  {
    grpc::ClientContext ctx;
    EXPECT_FALSE(feedback->GetPublicStatus(&ctx, status, &shown).ok());
  }
  status.set_query_code(query_code);
  {
    grpc::ClientContext ctx;
    s = feedback->GetPublicStatus(&ctx, status, &shown);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  jianyan::v1::SubmitCaseResponse refused;
  EXPECT_EQ(
      intake->SubmitCase(As("jy_wrong-token-ABCDEFG").get(), submit, &refused)
          .error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  jianyan::v1::ActResponse acted;
  EXPECT_FALSE(ReadAndAct(*workflow, handler, number, "no_such_action",
                          "log-act-1", &acted, reason)
                   .ok());
  s = ReadAndAct(*workflow, handler, number, "accept", "log-act-2", &acted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  StopServer(*server);

  const std::string out = server->stdout_text();
  const std::string err = server->stderr_text();
  for (const std::string& secret :
       {terminal, handler, admin, std::string("jy_wrong-token-ABCDEFG"),
        std::string("Bearer"), query_code, std::string("9876-5432"),
        person->name(), person->phone(), person->id_number(), person->address(),
        submit.title(), submit.content(), reason, std::string("隐私")}) {
    EXPECT_FALSE(absl::StrContains(out, secret)) << secret << " in stdout";
    EXPECT_FALSE(absl::StrContains(err, secret)) << secret << " in stderr";
  }

  // Every stderr line is one JSON object with a time and a level.
  for (absl::string_view line : absl::StrSplit(err, '\n')) {
    if (line.empty()) continue;
    EXPECT_TRUE(absl::StartsWith(line, "{\"time\":\"") &&
                absl::EndsWith(line, "}"))
        << line;
    EXPECT_TRUE(absl::StrContains(line, "\"level\":\"")) << line;
  }
  // One line per RPC, with the identifiers the request and the caller
  // give.
  auto submit_lines =
      LinesWith(err, {"\"rpc\":\"/jianyan.v1.IntakeService/SubmitCase\""});
  ASSERT_EQ(submit_lines.size(), 2u) << err;
  for (const std::string& field :
       {std::string("\"level\":\"info\""), std::string("\"code\":\"OK\""),
        "\"principal_id\":\"" + terminal_id + "\"",
        std::string("\"request_id\":\"log-submit-1\""),
        std::string("\"latency_ms\":"),
        std::string("\"peer\":\"ipv4:127.0.0.1:")}) {
    EXPECT_TRUE(absl::StrContains(submit_lines[0], field))
        << field << " not in " << submit_lines[0];
  }
  EXPECT_TRUE(
      absl::StrContains(submit_lines[1], "\"code\":\"UNAUTHENTICATED\""))
      << submit_lines[1];
  EXPECT_FALSE(absl::StrContains(submit_lines[1], "principal_id"))
      << submit_lines[1];
  EXPECT_EQ(LinesWith(err, {"/jianyan.v1.FeedbackService/GetPublicStatus",
                            "\"case_number\":\"" + number + "\""})
                .size(),
            2u);
  EXPECT_EQ(LinesWith(err, {"/jianyan.v1.WorkflowService/Act",
                            "\"code\":\"OK\"", "\"request_id\":\"log-act-2\"",
                            "\"case_number\":\"" + number + "\"",
                            "\"principal_id\":\"" + handler_id + "\""})
                .size(),
            1u)
      << err;
  EXPECT_EQ(LinesWith(err, {"/jianyan.v1.WorkflowService/GetCase",
                            "\"principal_id\":\"" + handler_id + "\""})
                .size(),
            2u);
}

TEST_F(JianyandLogTest, LogLevelWarningDropsTheRpcLines) {
  std::string address;
  auto server = StartServer({"--log_level=warning"}, &address);
  ASSERT_NE(server, nullptr);
  grpc::StatusCode code;
  Health(address, "", &code);
  EXPECT_EQ(code, grpc::StatusCode::OK);
  StopServer(*server);
  EXPECT_FALSE(absl::StrContains(server->stderr_text(), "\"level\":\"info\""))
      << server->stderr_text();
  std::string err;
  EXPECT_EQ(RunToExit({"--log_level=verbose"}, &err), 2);
  EXPECT_TRUE(absl::StrContains(err, "log_level")) << err;
}

}  // namespace
}  // namespace jianyan::testing
