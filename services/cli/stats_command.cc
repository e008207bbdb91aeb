// `jianyan stats`: the five rates by day or month × organisation /
// reporting point / kind, with each rate's numerator and denominator beside
// it and the change (percentage points) against the previous period of the
// same row. Reads one period more than asked for the first change.
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "jianyan/v1/supervision.grpc.pb.h"
#include "services/cli/app.h"
#include "services/cli/errors.h"
#include "services/cli/format.h"
#include "services/cli/output.h"
#include "workflow/clock.h"

namespace jianyan::cli {
namespace {

using jianyan::v1::StatsRow;

struct StatsFlags {
  std::string period = "month", from, to, by = "organisation", org, point, kind;
  bool subtree = false;
};

absl::CivilDay DayFlag(const std::string& text, absl::string_view flag) {
  if (text.empty()) return absl::ToCivilDay(absl::Now(), ChinaTimeZone());
  absl::StatusOr<absl::CivilDay> day = ParseDay(text);
  if (!day.ok()) FailUsage(absl::StrCat(flag, ": ", day.status().message()));
  return *day;
}

void SetDate(absl::CivilDay day, jianyan::v1::Date* out) {
  out->set_year(static_cast<int32_t>(day.year()));
  out->set_month(day.month());
  out->set_day(day.day());
}

// The period label ("2026-11" or "2026-11-28") before `label`.
std::string PreviousPeriod(const std::string& label) {
  absl::CivilDay day;
  if (absl::ParseCivilTime(label, &day)) {
    return absl::FormatCivilTime(day - 1);
  }
  absl::CivilMonth month;
  if (absl::ParseCivilTime(label, &month)) {
    return absl::FormatCivilTime(month - 1);
  }
  return "";
}

std::string Group(const StatsRow& r) {
  std::string group = r.organisation_id();
  if (!r.reporting_point_id().empty()) {
    absl::StrAppend(&group, group.empty() ? "" : "/", r.reporting_point_id());
  }
  if (r.kind() != jianyan::v1::CASE_KIND_UNSPECIFIED) {
    absl::StrAppend(&group, group.empty() ? "" : "/",
                    EnumShort(jianyan::v1::CaseKind_descriptor(), r.kind()));
  }
  return group.empty() ? "all" : group;
}

// "87.5% 7/8 +2.5": the rate, its counts and the change against `before`
// (when both have a denominator).
std::string RateCell(double rate, uint64_t num, uint64_t den,
                     const double* before_rate, uint64_t before_den) {
  if (den == 0) return "- 0/0";
  std::string cell = absl::StrFormat("%.1f%% %d/%d", rate * 100, num, den);
  if (before_rate != nullptr && before_den > 0) {
    absl::StrAppend(&cell,
                    absl::StrFormat(" %+.1f", (rate - *before_rate) * 100));
  }
  return cell;
}

void AddRow(Table& table, const StatsRow& r, const StatsRow* b) {
  auto cell = [&](double rate, uint64_t num, uint64_t den, double before_rate,
                  uint64_t before_den) {
    return RateCell(rate, num, den, b == nullptr ? nullptr : &before_rate,
                    before_den);
  };
  const StatsRow none;
  const StatsRow& p = b == nullptr ? none : *b;
  table.Add(
      {r.period(), Group(r), absl::StrCat(r.received()),
       cell(r.participation_rate(), r.rated(), r.rateable(),
            p.participation_rate(), p.rateable()),
       cell(r.satisfaction_rate(), r.satisfied() + r.basically_satisfied(),
            r.rated(), p.satisfaction_rate(), p.rated()),
       cell(r.one_time_resolution_rate(), r.resolved_first_time(), r.closed(),
            p.one_time_resolution_rate(), p.closed()),
       cell(r.timely_acceptance_rate(), r.accepted_on_time(), r.accepted(),
            p.timely_acceptance_rate(), p.accepted()),
       cell(r.on_time_completion_rate(), r.completed_on_time(), r.completed(),
            p.on_time_completion_rate(), p.completed())});
}

void Stats(CliContext& ctx, const StatsFlags& f) {
  jianyan::v1::GetStatsRequest request;
  const bool monthly = f.period == "month";
  request.set_period(monthly ? jianyan::v1::STATS_PERIOD_MONTH
                             : jianyan::v1::STATS_PERIOD_DAY);
  const absl::CivilDay from = DayFlag(f.from, "--from");
  const absl::CivilDay to = DayFlag(f.to.empty() ? f.from : f.to, "--to");
  if (to < from) FailUsage("--to is before --from");
  // One period earlier, for the change of the first period asked for.
  const absl::CivilDay before =
      monthly ? absl::CivilDay(absl::CivilMonth(from) - 1) : from - 1;
  const std::string first_period =
      monthly ? absl::FormatCivilTime(absl::CivilMonth(from))
              : absl::FormatCivilTime(from);
  SetDate(before, request.mutable_from());
  SetDate(to, request.mutable_to());
  request.set_group_by(f.by == "kind" ? jianyan::v1::STATS_GROUP_KIND
                       : f.by == "point"
                           ? jianyan::v1::STATS_GROUP_REPORTING_POINT
                           : jianyan::v1::STATS_GROUP_ORGANISATION);
  request.set_organisation_id(f.org);
  request.set_reporting_point_id(f.point);
  if (!f.kind.empty()) {
    request.set_kind(static_cast<jianyan::v1::CaseKind>(
        EnumOrUsage(jianyan::v1::CaseKind_descriptor(), f.kind, "--kind")));
  }
  request.set_include_subtree(f.subtree);
  jianyan::v1::GetStatsResponse response;
  ctx.Check(ctx.Stub<jianyan::v1::SupervisionService>()->GetStats(
                ctx.Call().get(), request, &response),
            "stats");
  std::map<std::pair<std::string, std::string>, const StatsRow*> by_key;
  for (const StatsRow& r : response.rows()) {
    by_key[{r.period(), Group(r)}] = &r;
  }
  Table table({"PERIOD", "GROUP", "RECEIVED", "参评率 PARTICIPATION",
               "满意率 SATISFACTION", "一次性化解率 ONE-TIME",
               "及时受理率 TIMELY-ACCEPT", "按期办结率 ON-TIME"});
  for (const StatsRow& r : response.rows()) {
    if (r.period() < first_period) continue;  // only there for the change
    if (ctx.json()) ctx.out().Json(r);
    auto previous = by_key.find({PreviousPeriod(r.period()), Group(r)});
    AddRow(table, r, previous == by_key.end() ? nullptr : previous->second);
  }
  if (ctx.json()) return;
  ctx.out().Print(table);
  ctx.out().stream()
      << "\neach rate: percent, numerator/denominator, change in points "
         "against the previous period\n";
}

}  // namespace

void AddStatsCommand(CLI::App& app, CliContext& ctx) {
  auto f = std::make_shared<StatsFlags>();
  CLI::App* c = app.add_subcommand(
      "stats", "the five rates by period × organisation / point / kind");
  c->add_option("--period", f->period, "day or month")
      ->check(CLI::IsMember({"day", "month"}))
      ->capture_default_str();
  c->add_option("--from", f->from, "first day YYYY-MM-DD (default today)");
  c->add_option("--to", f->to, "last day YYYY-MM-DD (default --from)");
  c->add_option("--by", f->by, "organisation, point or kind")
      ->check(CLI::IsMember({"organisation", "point", "kind"}))
      ->capture_default_str();
  c->add_option("--org", f->org, "only this organisation");
  c->add_option("--point", f->point, "only this reporting point");
  c->add_option("--kind", f->kind, "only petitions or suggestions");
  c->add_flag("--subtree", f->subtree,
              "organisation rows count their whole subtree");
  SetExample(c,
             "jianyan stats --period month --from 2026-09-01 --to 2026-11-30 "
             "--by organisation --subtree");
  c->callback([f, &ctx] { Stats(ctx, *f); });
}

}  // namespace jianyan::cli
