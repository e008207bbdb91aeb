// jianyand --demo on an empty data directory: the Tai'an directory is
// loaded and the demo tokens are written 0600; they work (the demo terminal
// submits at the intake edge, a demo handler accepts, the demo suggester
// submits a suggestion, each demo supervisor reads the statistics of its
// own kind of case); a second start loads nothing and keeps the file.
#include <sys/stat.h>

#include <map>
#include <string>

#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "jianyan/v1/supervision.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "tests/integration/jianyand_fixture.h"
#include "tests/services/intake_requests.h"
#include "workflow/clock.h"

namespace jianyan::testing {
namespace {

class JianyandDemoTest : public JianyandFixture {
 protected:
  // name -> token of demo-tokens.txt.
  std::map<std::string, std::string> Tokens() {
    std::map<std::string, std::string> out;
    for (const auto& [name, entry] : DemoTokens()) out[name] = entry.second;
    return out;
  }
};

TEST_F(JianyandDemoTest, LoadsTaianAndWritesTheTokens) {
  std::string address;
  auto server = StartServer({"--demo"}, &address);
  ASSERT_NE(server, nullptr);
  struct stat st;
  ASSERT_EQ(stat((dir_ / "data" / "demo-tokens.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::map<std::string, std::string> tokens = Tokens();
  EXPECT_EQ(tokens.size(), 11u);  // terminal, suggester, 6 handlers, ...
  for (const char* name :
       {"terminal", "suggester", "handler-taishan", "handler-feicheng",
        "supervisor", "supervisor-suggestions", "admin"}) {
    EXPECT_EQ(tokens.count(name), 1u) << name;
  }
  auto channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto admin = jianyan::v1::AdminService::NewStub(channel);
  jianyan::v1::ListRequest all;
  all.set_page_size(1000);
  jianyan::v1::ListReportingPointsResponse points;
  ASSERT_TRUE(
      admin->ListReportingPoints(As(tokens["admin"]).get(), all, &points).ok());
  EXPECT_EQ(points.reporting_points_size(), 26);
  jianyan::v1::ListSuggestersResponse suggesters;
  ASSERT_TRUE(
      admin->ListSuggesters(As(tokens["admin"]).get(), all, &suggesters).ok());
  EXPECT_EQ(suggesters.suggesters_size(), 33);
  jianyan::v1::ListRegionsResponse regions;
  ASSERT_TRUE(
      admin->ListRegions(As(tokens["admin"]).get(), all, &regions).ok());
  EXPECT_EQ(regions.regions_size(), 7);
  jianyan::v1::ListCategoriesResponse categories;
  ASSERT_TRUE(
      admin->ListCategories(As(tokens["admin"]).get(), all, &categories).ok());
  EXPECT_GE(categories.categories_size(), 10);
  jianyan::v1::ListCampaignsResponse campaigns;
  ASSERT_TRUE(
      admin->ListCampaigns(As(tokens["admin"]).get(), all, &campaigns).ok());
  ASSERT_EQ(campaigns.campaigns_size(), 1);
  EXPECT_EQ(campaigns.campaigns(0).themes_size(), 5);
  // A demo handler and the supervisor are real principals of the core.
  auto workflow = jianyan::v1::WorkflowService::NewStub(channel);
  jianyan::v1::ListCasesResponse cases;
  for (const char* who : {"handler-taishan", "supervisor", "terminal"}) {
    EXPECT_NE(
        workflow->ListCases(As(tokens[who]).get(), {}, &cases).error_code(),
        grpc::StatusCode::UNAUTHENTICATED)
        << who;
  }

  // The demo terminal (a point of 泰山区) submits a petition at the intake
  // edge; it is routed to the 泰山区 bureau, whose demo handler accepts it;
  // the demo supervisor (the city bureau) counts it in this month's stats.
  auto intake = jianyan::v1::IntakeService::NewStub(channel);
  // The shared test petition: 泰山区 (370902), 城乡建设, valid identity.
  const jianyan::v1::SubmitCaseRequest submit =
      PetitionRequest("demo-submit-1");
  jianyan::v1::SubmitCaseResponse receipt;
  grpc::Status s =
      intake->SubmitCase(As(tokens["terminal"]).get(), submit, &receipt);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(receipt.receipt().query_code().size(), 9u);  // 1234-5678
  jianyan::v1::ActResponse acted;
  s = ReadAndAct(*workflow, tokens["handler-taishan"],
                 receipt.receipt().case_number(), "accept", "demo-accept-1",
                 &acted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(acted.case_().state(), "handling");
  auto supervision = jianyan::v1::SupervisionService::NewStub(channel);
  jianyan::v1::GetStatsRequest stats;
  stats.set_period(jianyan::v1::STATS_PERIOD_MONTH);
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), ChinaTimeZone());
  for (auto* d : {stats.mutable_from(), stats.mutable_to()}) {
    d->set_year(static_cast<int32_t>(today.year()));
    d->set_month(today.month());
    d->set_day(today.day());
  }
  stats.set_group_by(jianyan::v1::STATS_GROUP_KIND);
  // A demo suggester's suggestion in the demo campaign goes to the social
  // work department, whose supervisor sees it; the bureau's does not.
  jianyan::v1::SubmitCaseRequest suggestion =
      SuggestionRequest("demo-suggest-1");
  suggestion.set_campaign_id("taishan-jianyan-2026");
  suggestion.set_theme_id("culture-tourism");
  s = intake->SubmitCase(As(tokens["suggester"]).get(), suggestion, &receipt);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const auto received_by = [&](const std::string& who,
                               jianyan::v1::CaseKind kind) {
    jianyan::v1::GetStatsResponse rows;
    grpc::Status st =
        supervision->GetStats(As(tokens[who]).get(), stats, &rows);
    EXPECT_TRUE(st.ok()) << who << ": " << st.error_message();
    uint64_t received = 0;
    for (const auto& row : rows.rows()) {
      if (row.kind() == kind) received += row.received();
    }
    return received;
  };
  EXPECT_EQ(received_by("supervisor", jianyan::v1::CASE_KIND_PETITION), 1u);
  EXPECT_EQ(received_by("supervisor", jianyan::v1::CASE_KIND_SUGGESTION), 0u);
  EXPECT_EQ(
      received_by("supervisor-suggestions", jianyan::v1::CASE_KIND_SUGGESTION),
      1u);
  EXPECT_EQ(
      received_by("supervisor-suggestions", jianyan::v1::CASE_KIND_PETITION),
      0u);
  StopServer(*server);

  // A second start loads nothing and leaves the tokens as they were.
  const std::string before = ReadFile(dir_ / "data" / "demo-tokens.txt");
  auto again = StartServer({"--demo"}, &address);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(ReadFile(dir_ / "data" / "demo-tokens.txt"), before);
}

}  // namespace
}  // namespace jianyan::testing
