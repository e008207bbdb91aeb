// `jianyan demo load` against a real jianyand --demo --testing_clock: the
// cases it makes show up in the supervisor's console (overdue, escalated)
// and in the stats (ratings at each level), suggestions are adopted, and a
// rerun changes nothing.
#include <map>
#include <set>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"
#include "jianyan/v1/supervision.pb.h"
#include "jianyan/v1/workflow_service.pb.h"
#include "tests/cli/cli_fixture.h"

namespace jianyan::testing {
namespace {

using ::testing::HasSubstr;
namespace v1 = jianyan::v1;

class DemoLoadTest : public CliFixture {
 protected:
  // Every case the supervisor (the city bureau's subtree) and the
  // suggestions' handler see.
  std::vector<v1::CaseSummary> AllCases() {
    auto cases = JsonLines<v1::CaseSummary>(
        Ok("supervisor", {"-o", "json", "case", "list", "--all"}).out);
    auto suggestions = JsonLines<v1::CaseSummary>(
        Ok("handler-taian-shgb", {"-o", "json", "case", "list", "--all"}).out);
    std::map<std::string, v1::CaseSummary> unique;
    for (const auto& c : cases) unique[c.case_number()] = c;
    for (const auto& c : suggestions) unique[c.case_number()] = c;
    std::vector<v1::CaseSummary> out;
    for (const auto& [number, c] : unique) out.push_back(c);
    return out;
  }
};

TEST_F(DemoLoadTest, VariedStatesOverdueEscalatedRatedAndRerunIsANoOp) {
  StartDemo();
  CliRun load = Ok("", {"-o", "json", "demo", "load", "--tokens-file",
                        TokensFile(), "--cases", "60"});
  auto summary = JsonLines<google::protobuf::Struct>(load.out);
  ASSERT_EQ(summary.size(), 1u) << load.out << load.err;
  const auto& f = summary[0].fields();
  EXPECT_EQ(f.at("cases").number_value(), 60);
  EXPECT_EQ(f.at("clock_advanced_days").number_value(), 20);
  EXPECT_EQ(f.at("skipped").number_value(), 0);
  EXPECT_GT(f.at("ratings").number_value(), 0);
  // Not a terminal: plain progress lines.
  EXPECT_THAT(load.err, HasSubstr("demo load: 60/60 cases"));

  // Cases at many reporting points, in many states.
  std::vector<v1::CaseSummary> cases = AllCases();
  EXPECT_EQ(cases.size(), 60u);
  std::set<std::string> points, states;
  std::map<v1::EscalationLevel, int> levels;
  for (const auto& c : cases) {
    points.insert(c.reporting_point_id());
    states.insert(c.state());
    ++levels[c.escalation_level()];
  }
  EXPECT_GE(points.size(), 10u);
  for (const char* state :
       {"registered", "declined", "handling", "responded", "answered",
        "received", "screened", "studying", "feedback_given", "closed"}) {
    EXPECT_TRUE(states.count(state)) << state;
  }
  EXPECT_GT(levels[v1::ESCALATION_LEVEL_URGE], 0);
  EXPECT_GT(levels[v1::ESCALATION_LEVEL_SUPERVISE], 0);
  EXPECT_GT(levels[v1::ESCALATION_LEVEL_LISTED], 0);

  // The supervisor's console: overdue cases, most overdue first.
  auto overdue = JsonLines<v1::DeadlineEntry>(
      Ok("supervisor", {"-o", "json", "supervise", "overdue", "--all"}).out);
  EXPECT_FALSE(overdue.empty());
  CliRun table = Ok("supervisor", {"supervise", "overdue"});
  EXPECT_THAT(table.out, HasSubstr("转送交办期限 routing"));

  // Stats over the months the load spanned: ratings at each level.
  const absl::TimeZone china = absl::FixedTimeZone(8 * 3600);
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), china);
  auto rows = JsonLines<v1::StatsRow>(
      Ok("supervisor", {"-o", "json", "stats", "--period", "month", "--from",
                        absl::FormatCivilTime(today - 2), "--to",
                        absl::FormatCivilTime(today + 40), "--by", "kind"})
          .out);
  uint64_t satisfied = 0, basically = 0, unsatisfied = 0, received = 0;
  for (const auto& r : rows) {
    satisfied += r.satisfied();
    basically += r.basically_satisfied();
    unsatisfied += r.unsatisfied();
    received += r.received();
  }
  EXPECT_GT(satisfied, 0u);
  EXPECT_GT(basically, 0u);
  EXPECT_GT(unsatisfied, 0u);
  EXPECT_GT(received, 0u);

  // Suggestions concluded as adopted: their history says so.
  int adopted = 0;
  for (const auto& c : cases) {
    if (c.kind() != v1::CASE_KIND_SUGGESTION || c.state() != "closed") continue;
    auto events = JsonLines<v1::Event>(
        Ok("handler-taian-shgb",
           {"-o", "json", "case", "history", c.case_number()})
            .out);
    for (const auto& e : events) {
      auto it = e.fields().find("outcome");
      if (e.action() == "conclude" && it != e.fields().end() &&
          it->second == "adopted") {
        ++adopted;
      }
    }
  }
  EXPECT_GT(adopted, 0);

  // A rerun: nothing new.
  CliRun again =
      Ok("", {"demo", "load", "--tokens-file", TokensFile(), "--cases", "60"});
  EXPECT_THAT(again.err, HasSubstr("already done"));
  EXPECT_EQ(AllCases().size(), 60u);
  StopServer(*server_);
}

TEST_F(DemoLoadTest, NeedsTheDemoTokens) {
  StartDemo();
  CliRun run = Run("", {"demo", "load"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("--tokens-file"));
  StopServer(*server_);
}

}  // namespace
}  // namespace jianyan::testing
