// StatsQuery (the library behind SupervisionService.GetStats) over a real
// store filled through the real WorkflowService: a scripted November of
// petitions and a suggestion, then every count and rate of the day and
// month rows against values worked out by hand; the bad-input table,
// subtree rows, a district supervisor's scope and the filters.
#include "services/core/stats_query.h"

#include <array>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/services/core_server.h"
#include "workflow/clock.h"
#include "workflow/transition.h"

namespace jianyan::testing {
namespace {

using jianyan::v1::Actor;
using jianyan::v1::GetStatsRequest;
using jianyan::v1::StatsRow;

// China time on `day` of `month` 2026 (10:00 unless told).
absl::Time At(int month, int day, int hour = 10) {
  return absl::FromCivil(absl::CivilSecond(2026, month, day, hour, 0, 0),
                         ChinaTimeZone());
}

Actor ActorOf(jianyan::v1::Role role, const std::string& org = "") {
  Actor a;
  a.set_principal_id("stats-reader");
  a.set_role(role);
  a.set_organisation_id(org);
  return a;
}

GetStatsRequest Request(jianyan::v1::StatsPeriod period, int from_month,
                        int from_day, int to_month, int to_day,
                        jianyan::v1::StatsGroup group) {
  GetStatsRequest r;
  r.set_period(period);
  r.mutable_from()->set_year(2026);
  r.mutable_from()->set_month(from_month);
  r.mutable_from()->set_day(from_day);
  r.mutable_to()->set_year(2026);
  r.mutable_to()->set_month(to_month);
  r.mutable_to()->set_day(to_day);
  r.set_group_by(group);
  return r;
}

GetStatsRequest November(jianyan::v1::StatsPeriod period,
                         jianyan::v1::StatsGroup group) {
  return Request(period, 11, 1, 11, 30, group);
}

// A row as the tests write it: period, group key (organisation or point
// id, or the kind's number), the twelve counts in StatsRow order
// (received, rateable, rated, satisfied, basically_satisfied, unsatisfied,
// closed, resolved_first_time, accepted, accepted_on_time, completed,
// completed_on_time) and the five rates (participation, satisfaction,
// one-time resolution, timely acceptance, on-time completion).
struct Want {
  std::string period;
  std::string group;
  std::array<uint64_t, 12> counts;
  std::array<double, 5> rates;
};

std::string GroupOf(const StatsRow& r, jianyan::v1::StatsGroup group) {
  switch (group) {
    case jianyan::v1::STATS_GROUP_ORGANISATION:
      return r.organisation_id();
    case jianyan::v1::STATS_GROUP_REPORTING_POINT:
      return r.reporting_point_id();
    default:
      return absl::StrCat(static_cast<int>(r.kind()));
  }
}

void ExpectRows(const jianyan::v1::GetStatsResponse& got,
                jianyan::v1::StatsGroup group, const std::vector<Want>& want) {
  std::vector<std::string> got_keys, want_keys;
  for (const StatsRow& r : got.rows()) {
    got_keys.push_back(r.period() + " " + GroupOf(r, group));
  }
  for (const Want& w : want) want_keys.push_back(w.period + " " + w.group);
  ASSERT_EQ(got_keys, want_keys);
  for (size_t i = 0; i < want.size(); ++i) {
    const StatsRow& r = got.rows(static_cast<int>(i));
    SCOPED_TRACE(want_keys[i]);
    const std::array<uint64_t, 12> counts = {r.received(),
                                             r.rateable(),
                                             r.rated(),
                                             r.satisfied(),
                                             r.basically_satisfied(),
                                             r.unsatisfied(),
                                             r.closed(),
                                             r.resolved_first_time(),
                                             r.accepted(),
                                             r.accepted_on_time(),
                                             r.completed(),
                                             r.completed_on_time()};
    EXPECT_EQ(counts, want[i].counts);
    const std::array<double, 5> rates = {
        r.participation_rate(), r.satisfaction_rate(),
        r.one_time_resolution_rate(), r.timely_acceptance_rate(),
        r.on_time_completion_rate()};
    for (size_t k = 0; k < rates.size(); ++k) {
      EXPECT_DOUBLE_EQ(rates[k], want[i].rates[k]) << "rate " << k;
    }
  }
}

class StatsQueryTest : public ::testing::Test {
 protected:
  StatsQueryTest()
      : server_([] {
          CoreServerOptions o;
          o.now = At(11, 2, 9);
          return o;
        }()),
        query_(server_.store(), server_.core().orgs()) {}

  void SetUp() override { server_.Seed(); }

  void Day(int month, int day, int hour = 10) {
    server_.clock().Set(At(month, day, hour));
  }

  // A petition registered by the service for the terminal of `point`.
  std::string Petition(const std::string& point, const std::string& terminal) {
    jianyan::v1::CreateCaseRequest req;
    req.set_request_id(absl::StrCat("stats-create-", ++created_));
    auto* c = req.mutable_case_();
    c->set_kind(jianyan::v1::CASE_KIND_PETITION);
    c->set_petition_type(jianyan::v1::PETITION_TYPE_CLAIM);
    c->set_channel(jianyan::v1::CHANNEL_TERMINAL);
    c->set_reporting_point_id(point);
    c->set_region_code("370902");
    c->set_title("物业费收取不规范");
    c->set_content("小区物业未公示收费标准。");
    auto* person = c->mutable_submitter()->add_representatives();
    person->set_name("李四");
    person->set_phone("13912345678");
    person->set_id_number("370911198805051234");
    person->set_address("岱岳区粥店街道2号");
    req.mutable_on_behalf_of()->set_principal_id(terminal);
    req.mutable_on_behalf_of()->set_role(jianyan::v1::ROLE_TERMINAL);
    req.mutable_on_behalf_of()->set_reporting_point_id(point);
    req.set_query_code_hash(std::string(32, 'q'));
    return Create(req);
  }

  // A suggestion of the seeded suggester, registered by the service.
  std::string Suggestion() {
    jianyan::v1::CreateCaseRequest req;
    req.set_request_id(absl::StrCat("stats-create-", ++created_));
    auto* c = req.mutable_case_();
    c->set_kind(jianyan::v1::CASE_KIND_SUGGESTION);
    c->set_channel(jianyan::v1::CHANNEL_ONLINE);
    c->set_routing_organisation_id(kCityBureau);
    c->set_title("建议增设公交线路");
    c->set_content("建议开通高铁站至老城区的夜班公交。");
    c->mutable_submitter()->add_representatives()->set_name("王建言");
    req.mutable_on_behalf_of()->set_principal_id("suggester-1");
    req.mutable_on_behalf_of()->set_role(jianyan::v1::ROLE_SUGGESTER);
    return Create(req);
  }

  std::string Create(const jianyan::v1::CreateCaseRequest& req) {
    jianyan::v1::CreateCaseResponse resp;
    grpc::Status s =
        server_.workflow().CreateCase(server_.As("service").get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.case_().case_number();
  }

  void Do(const std::string& who, const std::string& no,
          const std::string& action,
          std::map<std::string, std::string> fields = {}) {
    grpc::Status s = server_.Act(who, no, action, std::move(fields));
    ASSERT_TRUE(s.ok()) << action << " on " << no << ": " << s.error_message();
  }

  // Fires `timer` of case `no` now, as the timer scheduler does: the
  // system command of workflow/transition.h applied through the store.
  void Fire(const std::string& no, const std::string& timer) {
    auto stored = server_.store().GetCase(no);
    ASSERT_TRUE(stored.ok()) << stored.status();
    const jianyan::v1::Case& c = stored->case_();
    auto def = server_.core().registry().Pinned(c.definition_name(),
                                                c.definition_version());
    ASSERT_TRUE(def.ok()) << def.status();
    auto command = FireTimerCommand(**def, c, timer);
    ASSERT_TRUE(command.ok()) << command.status();
    auto moved = Transition(**def, c, *command, server_.clock().Now());
    ASSERT_TRUE(moved.ok()) << moved.status();
    storage::ApplyRequest apply;
    apply.change = std::move(moved->change);
    apply.expected_version = c.version();
    auto applied = server_.store().Apply(std::move(apply));
    ASSERT_TRUE(applied.ok()) << applied.status();
  }

  // The scripted month (China time, 10:00 unless told). Organisations:
  // C = city bureau, H = housing bureau (under the district), O = the other
  // district. Points: A = kPoint (C's), B = kOtherPoint (O's).
  //   11-02  P1..P8 registered at A (routing C); C assigns P1-P4 to H and
  //          P5-P8 to O. S1, a suggestion, registered (routing C).
  //   11-03  P9..P16 registered at B (routing O); O assigns P9-P12 to H and
  //          P13-P16 to O. C screens S1 (valid) and assigns it to H.
  //   11-04  on-time acceptance of P1-P3, P5-P7, P9-P11, P13-P15.
  //   11-10  P1-P3, P5-P7 answered (respond + deliver); H concludes S1
  //          (adopted) and gives feedback.
  //   11-12  P9-P11, P13-P15 answered.
  //   11-14  ratings: P1 满意, P2 基本满意, P3 不满意, P5 满意, P6 满意, P7
  //   不满意,
  //          P9 满意, P10 基本满意, P13 不满意, P14 基本满意, P15 满意, S1
  //          满意; P11 is not rated.
  //   11-16  P3 sent back for redo (重办); P7's review (复查) requested:
  //          it goes to O's parent, C.
  //   11-18  P3 answered again and rated 满意 (a later round).
  //   11-19  C answers P7's review and delivers it.
  //   11-20  past the 15-day acceptance limit (due 11-18 / 11-19 00:00):
  //          late acceptance of P4, P8, P12, P16.
  //   11-24  P4, P8, P12, P16 answered (not rated).
  //   12-28  the review window of P1, P2, P5, P6, P9, P10, P13, P14, P15
  //          expires (fired as the scheduler would): the case is closed for
  //          good; those rated 满意/基本满意 are resolved the first time.
  void ScriptMonth() {
    Day(11, 2);
    for (int i = 1; i <= 8; ++i) p_[i] = Petition(kPoint, "terminal-1");
    for (int i = 1; i <= 8; ++i) {
      Do("registrar", p_[i], "assign",
         {{"organisation_id", i <= 4 ? kHousing : kOtherDistrict},
          {"deadline_days", "60"}});
    }
    s1_ = Suggestion();
    Day(11, 3);
    for (int i = 9; i <= 16; ++i) p_[i] = Petition(kOtherPoint, "terminal-2");
    for (int i = 9; i <= 16; ++i) {
      Do("other_handler", p_[i], "assign",
         {{"organisation_id", i <= 12 ? kHousing : kOtherDistrict},
          {"deadline_days", "60"}});
    }
    Do("registrar", s1_, "screen", {{"verdict", "valid"}});
    Do("registrar", s1_, "assign", {{"organisation_id", kHousing}});
    Day(11, 4);
    for (int i : {1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15}) {
      Do(HandlerOf(i), p_[i], "accept");
    }
    Day(11, 10);
    for (int i : {1, 2, 3, 5, 6, 7}) Answer(i);
    Do("handler", s1_, "conclude",
       {{"outcome", "adopted"}, {"reason", "已纳入明年线网规划"}});
    Do("handler", s1_, "give_feedback", {{"feedback", "感谢建议，已采纳"}});
    Day(11, 12);
    for (int i : {9, 10, 11, 13, 14, 15}) Answer(i);
    Day(11, 14);
    const std::map<int, std::string> ratings = {
        {1, "satisfied"},    {2, "basically_satisfied"},
        {3, "unsatisfied"},  {5, "satisfied"},
        {6, "satisfied"},    {7, "unsatisfied"},
        {9, "satisfied"},    {10, "basically_satisfied"},
        {13, "unsatisfied"}, {14, "basically_satisfied"},
        {15, "satisfied"}};
    for (const auto& [i, level] : ratings) {
      Do("service", p_[i], "rate", {{"rating", level}});
    }
    Do("service", s1_, "rate", {{"rating", "satisfied"}});
    Day(11, 16);
    Do("supervisor", p_[3], "redo", {{"reason", "答复未回应核心诉求"}});
    Do("service", p_[7], "request_review", {{"reason", "事实认定有误"}});
    Day(11, 18);
    Answer(3);
    Do("service", p_[3], "rate", {{"rating", "satisfied"}});
    Day(11, 19);
    Do("registrar", p_[7], "answer_review", {{"opinion", "uphold"}});
    Do("registrar", p_[7], "deliver_review", {{"delivery", "written"}});
    Day(11, 20);
    for (int i : {4, 8, 12, 16}) Do(HandlerOf(i), p_[i], "accept");
    Day(11, 24);
    for (int i : {4, 8, 12, 16}) Answer(i);
    Day(12, 28);
    for (int i : {1, 2, 5, 6, 9, 10, 13, 14, 15}) {
      Fire(p_[i], "review_request_window");
    }
  }

  // The handler of P<i>'s handling organisation.
  static std::string HandlerOf(int i) {
    return (i <= 4 || (i >= 9 && i <= 12)) ? "handler" : "other_handler";
  }
  void Answer(int i) {
    Do(HandlerOf(i), p_[i], "respond", {{"opinion", "explain"}});
    Do(HandlerOf(i), p_[i], "deliver", {{"delivery", "written"}});
  }

  jianyan::v1::GetStatsResponse Run(const Actor& caller,
                                    const GetStatsRequest& request) {
    auto out = query_.Run(caller, request);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : jianyan::v1::GetStatsResponse();
  }

  CoreServer server_;
  StatsQuery query_;
  int created_ = 0;
  std::array<std::string, 17> p_;  // P1..P16 of ScriptMonth
  std::string s1_;
};

constexpr auto kDay = jianyan::v1::STATS_PERIOD_DAY;
constexpr auto kMonth = jianyan::v1::STATS_PERIOD_MONTH;
constexpr auto kByOrg = jianyan::v1::STATS_GROUP_ORGANISATION;
constexpr auto kByPoint = jianyan::v1::STATS_GROUP_REPORTING_POINT;
constexpr auto kByKind = jianyan::v1::STATS_GROUP_KIND;

// Counts: received, rateable, rated, satisfied, basically_satisfied,
// unsatisfied, closed, resolved_first_time, accepted, accepted_on_time,
// completed, completed_on_time. Rates: participation, satisfaction,
// one-time resolution, timely acceptance, on-time completion.
//
// Attribution (docs/rates.md): `received` goes to the routing body (C for
// A's petitions and S1, O for B's); acceptance and completion to the
// handling body; ratings and `rateable` to the first answering body.

// Month totals of H in November (11-04 + 11-10 + 11-12 + 11-14 + 11-18 +
// 11-20 + 11-24): rateable 4+3+2, rated 6 (P1 P2 P3 P9 P10 S1), 满意 3
// (P1 P9 S1), 基本满意 2 (P2 P10), 不满意 1 (P3), closed 3+3+1 (S1 rated)
// +1 (P3 again) +2, accepted 6+2 of which 6 on time, completed 4+3+2 all
// on time. Rates: 6/9; (3+2)/6; 0 of 9 first answers; 6/8; 9/9.
const Want kHousingNovember = {"2026-11",
                               kHousing,
                               {0, 9, 6, 3, 2, 1, 10, 0, 8, 6, 9, 9},
                               {6.0 / 9, 5.0 / 6, 0, 0.75, 1}};
// O in November: received 8 (P9-P16); rateable 3+3+2; rated 6 (P5 P6 P7
// P13 P14 P15): 满意 3 (P5 P6 P15), 基本满意 1 (P14), 不满意 2 (P7 P13);
// closed 3+3+2 (P7's review answer is C's); accepted 6+2, 6 on time;
// completed 3+3+2 on time. Rates: 6/8; 4/6; 0/8; 6/8; 8/8.
const Want kOtherNovember = {"2026-11",
                             kOtherDistrict,
                             {8, 8, 6, 3, 1, 2, 8, 0, 8, 6, 8, 8},
                             {0.75, 4.0 / 6, 0, 0.75, 1}};
// C in November: received 9 (P1-P8, S1); closed 1 (P7's review answer
// delivered); S1's screening limit decided on time.
const Want kCityNovember = {"2026-11",
                            kCityBureau,
                            {9, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0},
                            {0, 0, 0, 1, 0}};

TEST_F(StatsQueryTest, ScriptedMonthDayRowsByOrganisation) {
  ScriptMonth();
  ExpectRows(
      Run(ActorOf(jianyan::v1::ROLE_ADMIN), November(kDay, kByOrg)), kByOrg,
      {
          // P1-P8 and S1 registered, all routed by C.
          {"2026-11-02",
           kCityBureau,
           {9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0}},
          // P9-P16 registered at B, routed by O.
          {"2026-11-03",
           kOtherDistrict,
           {8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0}},
          // S1 screened within its limit by C (the suggestion's acceptance).
          {"2026-11-03",
           kCityBureau,
           {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0},
           {0, 0, 0, 1, 0}},
          // Accepted on time: P5-P7, P13-P15 by O; P1-P3, P9-P11 by H.
          {"2026-11-04",
           kOtherDistrict,
           {0, 0, 0, 0, 0, 0, 0, 0, 6, 6, 0, 0},
           {0, 0, 0, 1, 0}},
          {"2026-11-04",
           kHousing,
           {0, 0, 0, 0, 0, 0, 0, 0, 6, 6, 0, 0},
           {0, 0, 0, 1, 0}},
          // P5-P7 answered on time and delivered: closed and rateable.
          {"2026-11-10",
           kOtherDistrict,
           {0, 3, 0, 0, 0, 0, 3, 0, 0, 0, 3, 3},
           {0, 0, 0, 0, 1}},
          // P1-P3 the same; S1 concluded within its study limit and its
          // feedback given (rateable, not closed).
          {"2026-11-10",
           kHousing,
           {0, 4, 0, 0, 0, 0, 3, 0, 0, 0, 4, 4},
           {0, 0, 0, 0, 1}},
          // P13-P15 and P9-P11 answered.
          {"2026-11-12",
           kOtherDistrict,
           {0, 3, 0, 0, 0, 0, 3, 0, 0, 0, 3, 3},
           {0, 0, 0, 0, 1}},
          {"2026-11-12",
           kHousing,
           {0, 3, 0, 0, 0, 0, 3, 0, 0, 0, 3, 3},
           {0, 0, 0, 0, 1}},
          // O's ratings: P5 P15 满意, P14 基本满意, P7 P13 不满意: 4 of 6.
          {"2026-11-14",
           kOtherDistrict,
           {0, 0, 6, 3, 1, 2, 0, 0, 0, 0, 0, 0},
           {0, 4.0 / 6, 0, 0, 0}},
          // H's: P1 P9 S1 满意, P2 P10 基本满意, P3 不满意: 5 of 6. Rating
          // S1 closes it (the petitions stay closed-but-open-to-review).
          {"2026-11-14",
           kHousing,
           {0, 0, 6, 3, 2, 1, 1, 0, 0, 0, 0, 0},
           {0, 5.0 / 6, 0, 0, 0}},
          // 11-16 (redo, review requested) changes no counter: no row.
          // P3 redone and delivered again: closed once more; its second
          // rating is a later round, outside these counts.
          {"2026-11-18",
           kHousing,
           {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0}},
          // P7's review answer delivered by C.
          {"2026-11-19",
           kCityBureau,
           {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0}},
          // Late acceptances: P8 P16 (O), P4 P12 (H).
          {"2026-11-20",
           kOtherDistrict,
           {0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0},
           {0, 0, 0, 0, 0}},
          {"2026-11-20",
           kHousing,
           {0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0},
           {0, 0, 0, 0, 0}},
          // ... answered on time.
          {"2026-11-24",
           kOtherDistrict,
           {0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 2, 2},
           {0, 0, 0, 0, 1}},
          {"2026-11-24",
           kHousing,
           {0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 2, 2},
           {0, 0, 0, 0, 1}},
      });
}

TEST_F(StatsQueryTest, ScriptedMonthMonthRows) {
  ScriptMonth();
  const Actor admin = ActorOf(jianyan::v1::ROLE_ADMIN);
  // November and December by organisation. In December the review windows
  // closed P1 P2 P9 P10 (H) and P5 P6 P14 P15 (O) for good, answered once,
  // rated 满意/基本满意, never redone or reviewed: resolved the first time.
  // P13 (不满意) is not. December has no first answers, so its one-time
  // resolution rate has a zero denominator: 0 (docs/rates.md).
  ExpectRows(Run(admin, Request(kMonth, 11, 1, 12, 31, kByOrg)), kByOrg,
             {kOtherNovember,
              kCityNovember,
              kHousingNovember,
              {"2026-12",
               kOtherDistrict,
               {0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0},
               {0, 0, 0, 0, 0}},
              {"2026-12",
               kHousing,
               {0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0},
               {0, 0, 0, 0, 0}}});
  // The store re-derives every counter from the events, the timers fired
  // here included, and finds what it holds.
  auto report = server_.store().Verify();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok()) << report->problems.front();
  // By reporting point: S1 came online (no point).
  ExpectRows(
      Run(admin, November(kMonth, kByPoint)), kByPoint,
      {// S1: received, screened on time, concluded on time, rated 满意.
       {"2026-11", "", {1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1}, {1, 1, 0, 1, 1}},
       // B: P9-P16; rated P9 P15 满意, P10 P14 基本满意, P13 不满意;
       // closed 6 + P12 P16; accepted 6 on time + P12 P16 late.
       {"2026-11",
        kOtherPoint,
        {8, 8, 5, 2, 2, 1, 8, 0, 8, 6, 8, 8},
        {5.0 / 8, 4.0 / 5, 0, 0.75, 1}},
       // A: P1-P8; rated P1 P5 P6 满意, P2 基本满意, P3 P7 不满意; closed 6
       // + P3 again + P7's review + P4 P8.
       {"2026-11",
        kPoint,
        {8, 8, 6, 3, 1, 2, 10, 0, 8, 6, 8, 8},
        {0.75, 4.0 / 6, 0, 0.75, 1}}});
  // By kind: the 16 petitions, and S1.
  ExpectRows(Run(admin, November(kMonth, kByKind)), kByKind,
             {{"2026-11",
               "1",
               {16, 16, 11, 5, 3, 3, 18, 0, 16, 12, 16, 16},
               {11.0 / 16, 8.0 / 11, 0, 0.75, 1}},
              {"2026-11",
               "2",
               {1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1},
               {1, 1, 0, 1, 1}}});
}

TEST_F(StatsQueryTest, SubtreeRowsSumEachOrganisationsSubtree) {
  ScriptMonth();
  GetStatsRequest r = November(kMonth, kByOrg);
  r.set_include_subtree(true);
  // C's subtree is everything: received 9+8, rateable 9+8, rated 6+6,
  // 满意 3+3, 基本满意 2+1, 不满意 1+2, closed 1+10+8, accepted 1+8+8 (on
  // time 1+6+6), completed 9+8. The district has no counters of its own:
  // its row is H's.
  Want district = kHousingNovember;
  district.group = kDistrict;
  const std::vector<Want> want = {kOtherNovember,
                                  {"2026-11",
                                   kCityBureau,
                                   {17, 17, 12, 6, 3, 3, 19, 0, 17, 13, 17, 17},
                                   {12.0 / 17, 9.0 / 12, 0, 13.0 / 17, 1}},
                                  district,
                                  kHousingNovember};
  ExpectRows(Run(ActorOf(jianyan::v1::ROLE_ADMIN), r), kByOrg, want);
  // The city supervisor's scope is the whole tree: the same rows.
  ExpectRows(Run(ActorOf(jianyan::v1::ROLE_SUPERVISOR, kCityBureau), r), kByOrg,
             want);
  // With an organisation filter: it and each organisation below it.
  r.set_organisation_id(kDistrict);
  ExpectRows(Run(ActorOf(jianyan::v1::ROLE_ADMIN), r), kByOrg,
             {district, kHousingNovember});
  // Without include_subtree the district's own counters: none.
  r.set_include_subtree(false);
  EXPECT_EQ(Run(ActorOf(jianyan::v1::ROLE_ADMIN), r).rows_size(), 0);
  // Subtree totals grouped by kind: the district's subtree is H.
  r.set_include_subtree(true);
  r.set_group_by(kByKind);
  auto by_kind = Run(ActorOf(jianyan::v1::ROLE_ADMIN), r);
  ASSERT_EQ(by_kind.rows_size(), 2);
  EXPECT_EQ(by_kind.rows(0).organisation_id(), kDistrict);
  EXPECT_EQ(by_kind.rows(0).rated() + by_kind.rows(1).rated(), 6u);
  EXPECT_EQ(by_kind.rows(0).closed() + by_kind.rows(1).closed(), 10u);
}

TEST_F(StatsQueryTest, DistrictSupervisorSeesItsSubtreeOnly) {
  ScriptMonth();
  const Actor district = ActorOf(jianyan::v1::ROLE_SUPERVISOR, kDistrict);
  // No filter: the district's subtree (the district and H) only.
  ExpectRows(Run(district, November(kMonth, kByOrg)), kByOrg,
             {kHousingNovember});
  GetStatsRequest r = November(kMonth, kByOrg);
  r.set_include_subtree(true);
  Want subtree = kHousingNovember;
  subtree.group = kDistrict;
  ExpectRows(Run(district, r), kByOrg, {subtree, kHousingNovember});
  // By kind, unfiltered: H's counters only (16 petitions exist, but only
  // P1-P4 and P9-P12 are H's, and S1's later steps).
  auto by_kind = Run(district, November(kMonth, kByKind));
  ASSERT_EQ(by_kind.rows_size(), 2);
  EXPECT_EQ(by_kind.rows(0).received(), 0u);
  EXPECT_EQ(by_kind.rows(0).accepted(), 8u);
  EXPECT_EQ(by_kind.rows(1).rated(), 1u);
  // Its own organisation and H may be asked for; the city and the other
  // district are outside its scope.
  r.set_organisation_id(kHousing);
  EXPECT_TRUE(query_.Run(district, r).ok());
  for (const char* outside : {kCityBureau, kOtherDistrict}) {
    r.set_organisation_id(outside);
    auto denied = query_.Run(district, r);
    EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_TRUE(absl::StartsWith(denied.status().message(),
                                 "organisation_id: outside the caller's scope"))
        << denied.status();
  }
}

TEST_F(StatsQueryTest, Filters) {
  ScriptMonth();
  const Actor admin = ActorOf(jianyan::v1::ROLE_ADMIN);
  // Suggestions only: S1's intake at C, its handling at H.
  GetStatsRequest r = November(kMonth, kByOrg);
  r.set_kind(jianyan::v1::CASE_KIND_SUGGESTION);
  ExpectRows(Run(admin, r), kByOrg,
             {{"2026-11",
               kCityBureau,
               {1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0},
               {0, 0, 0, 1, 0}},
              {"2026-11",
               kHousing,
               {0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1},
               {1, 1, 0, 0, 1}}});
  // H's own counters of A's petitions (P1-P4): rateable P1-P3 + P4, rated
  // P1 满意 P2 基本满意 P3 不满意, closed 3 + P3 again + P4, accepted 3 on
  // time + P4 late, completed 4 on time. The row names both filters.
  r = November(kMonth, kByOrg);
  r.set_organisation_id(kHousing);
  r.set_reporting_point_id(kPoint);
  auto h_at_a = Run(admin, r);
  ExpectRows(h_at_a, kByOrg,
             {{"2026-11",
               kHousing,
               {0, 4, 3, 1, 1, 1, 5, 0, 4, 3, 4, 4},
               {0.75, 2.0 / 3, 0, 0.75, 1}}});
  ASSERT_EQ(h_at_a.rows_size(), 1);
  EXPECT_EQ(h_at_a.rows(0).reporting_point_id(), kPoint);
  EXPECT_EQ(h_at_a.rows(0).kind(), jianyan::v1::CASE_KIND_UNSPECIFIED);
  // O's own counters by point: B's received 8 (P9-P16 came in at B and
  // were routed by O) and P13-P16; A's P5-P8 (their intake is C's, P7's
  // review answer too).
  r = November(kMonth, kByPoint);
  r.set_organisation_id(kOtherDistrict);
  ExpectRows(Run(admin, r), kByPoint,
             {{"2026-11",
               kOtherPoint,
               {8, 4, 3, 1, 1, 1, 4, 0, 4, 3, 4, 4},
               {0.75, 2.0 / 3, 0, 0.75, 1}},
              {"2026-11",
               kPoint,
               {0, 4, 3, 2, 0, 1, 4, 0, 4, 3, 4, 4},
               {0.75, 2.0 / 3, 0, 0.75, 1}}});
  // A reporting point without an organisation: every organisation's
  // counters of that point, here B's by day on 11-03 (received at O).
  r = Request(kDay, 11, 3, 11, 3, kByOrg);
  r.set_reporting_point_id(kOtherPoint);
  ExpectRows(Run(admin, r), kByOrg,
             {{"2026-11-03",
               kOtherDistrict,
               {8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
               {0, 0, 0, 0, 0}}});
}

TEST_F(StatsQueryTest, BadInputNamesTheField) {
  const Actor admin = ActorOf(jianyan::v1::ROLE_ADMIN);
  struct Case {
    std::string name;
    std::function<void(GetStatsRequest*)> change;
    Actor caller;
    absl::StatusCode code;
    std::string message;  // the status message starts with it
  };
  auto date = [](jianyan::v1::Date* d, int y, int m, int day) {
    d->set_year(y);
    d->set_month(m);
    d->set_day(day);
  };
  const auto bad = absl::StatusCode::kInvalidArgument;
  const auto denied = absl::StatusCode::kPermissionDenied;
  const std::vector<Case> cases = {
      {"no period", [](GetStatsRequest* r) { r->clear_period(); }, admin, bad,
       "period: required"},
      {"unknown period",
       [](GetStatsRequest* r) {
         r->set_period(static_cast<jianyan::v1::StatsPeriod>(7));
       },
       admin, bad, "period: unknown value"},
      {"no from", [](GetStatsRequest* r) { r->clear_from(); }, admin, bad,
       "from: required"},
      {"from 02-30",
       [&](GetStatsRequest* r) { date(r->mutable_from(), 2026, 2, 30); }, admin,
       bad, "from: not a valid date"},
      {"from year 0",
       [&](GetStatsRequest* r) { date(r->mutable_from(), 0, 1, 1); }, admin,
       bad, "from: not a valid date"},
      {"no to", [](GetStatsRequest* r) { r->clear_to(); }, admin, bad,
       "to: required"},
      {"to month 13",
       [&](GetStatsRequest* r) { date(r->mutable_to(), 2026, 13, 1); }, admin,
       bad, "to: not a valid date"},
      {"reversed",
       [&](GetStatsRequest* r) { date(r->mutable_to(), 2026, 10, 31); }, admin,
       bad, "to: before from"},
      {"367 day rows",
       [&](GetStatsRequest* r) {
         date(r->mutable_from(), 2026, 1, 1);
         date(r->mutable_to(), 2027, 1, 2);
       },
       admin, bad, "to: day rows span at most 366 days"},
      {"121 month rows",
       [&](GetStatsRequest* r) {
         r->set_period(jianyan::v1::STATS_PERIOD_MONTH);
         date(r->mutable_from(), 2016, 1, 31);
         date(r->mutable_to(), 2026, 1, 1);
       },
       admin, bad, "to: month rows span at most 120 months"},
      {"no group", [](GetStatsRequest* r) { r->clear_group_by(); }, admin, bad,
       "group_by: required"},
      {"unknown group",
       [](GetStatsRequest* r) {
         r->set_group_by(static_cast<jianyan::v1::StatsGroup>(9));
       },
       admin, bad, "group_by: unknown value"},
      {"malformed organisation",
       [](GetStatsRequest* r) { r->set_organisation_id("Not An Id!"); }, admin,
       bad, "organisation_id: "},
      {"unknown organisation",
       [](GetStatsRequest* r) { r->set_organisation_id("nowhere"); }, admin,
       bad, "organisation_id: unknown organisation"},
      {"unknown organisation, supervisor",
       [](GetStatsRequest* r) { r->set_organisation_id("nowhere"); },
       ActorOf(jianyan::v1::ROLE_SUPERVISOR, kDistrict), bad,
       "organisation_id: unknown organisation"},
      {"unknown point",
       [](GetStatsRequest* r) { r->set_reporting_point_id("rp-nowhere"); },
       admin, bad, "reporting_point_id: unknown reporting point"},
      {"unknown kind",
       [](GetStatsRequest* r) {
         r->set_kind(static_cast<jianyan::v1::CaseKind>(9));
       },
       admin, bad, "kind: unknown value"},
      {"outside the scope",
       [](GetStatsRequest* r) { r->set_organisation_id(kOtherDistrict); },
       ActorOf(jianyan::v1::ROLE_SUPERVISOR, kDistrict), denied,
       "organisation_id: outside the caller's scope"},
      {"a handler", [](GetStatsRequest*) {},
       ActorOf(jianyan::v1::ROLE_HANDLER, kHousing), denied,
       "role 'handler' may not read statistics"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    GetStatsRequest r = November(kDay, kByOrg);
    c.change(&r);
    auto got = query_.Run(c.caller, r);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), c.code) << got.status();
    EXPECT_TRUE(absl::StartsWith(got.status().message(), c.message))
        << got.status();
  }
  // The longest ranges allowed: 366 days, 120 months.
  GetStatsRequest days = Request(kDay, 1, 1, 12, 31, kByOrg);
  days.mutable_to()->set_year(2027);
  days.mutable_to()->set_month(1);
  days.mutable_to()->set_day(1);
  EXPECT_TRUE(query_.Run(admin, days).ok());
  GetStatsRequest months = Request(kMonth, 2, 1, 1, 31, kByOrg);
  months.mutable_from()->set_year(2016);
  EXPECT_TRUE(query_.Run(admin, months).ok());
}

}  // namespace
}  // namespace jianyan::testing
