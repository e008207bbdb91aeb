// `jianyan admin calendar put|list`, `admin backup DIR`, `admin verify`:
// working-day calendars and the store's maintenance.
#include <unistd.h>

#include <chrono>
#include <future>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "services/cli/admin_commands.h"
#include "services/cli/admin_list.h"
#include "services/cli/app.h"
#include "services/cli/errors.h"
#include "services/cli/exit_codes.h"
#include "services/cli/format.h"

namespace jianyan::cli {
namespace {

namespace v1 = jianyan::v1;

std::string Day(const v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

RecordView<v1::CalendarYear> CalendarView() {
  return {{"CALENDAR", "YEAR", "HOLIDAYS", "MAKE-UP DAYS", "SOURCE"},
          [](const v1::CalendarYear& y) -> std::vector<std::string> {
            std::vector<std::string> holidays, days;
            for (const auto& h : y.holidays()) {
              holidays.push_back(absl::StrCat(
                  h.label().zh(), " ", Day(h.first()), "..", Day(h.last())));
            }
            for (const auto& d : y.working_days()) days.push_back(Day(d));
            return {y.name(), absl::StrCat(y.year()),
                    absl::StrCat(holidays.size()), absl::StrCat(days.size()),
                    y.source().empty() ? "-" : y.source()};
          }};
}

void AddCalendar(CLI::App& admin, CliContext& ctx) {
  CLI::App* group = admin.add_subcommand(
      "calendar", "working-day calendars: holidays and make-up days (调休)");
  group->require_subcommand(1);
  SetExample(group, "jianyan admin calendar list");
  auto file = std::make_shared<std::string>();
  auto request_id = std::make_shared<std::string>();
  CLI::App* put = group->add_subcommand(
      "put", "load one year of a calendar (a CalendarYear file)");
  put->add_option("FILE", *file, "CalendarYear as textproto or JSON")
      ->required();
  put->add_option("--request-id", *request_id, "idempotency id");
  SetExample(put,
             "jianyan admin calendar put workflow/calendars/cn-2027.textproto");
  put->callback([file, request_id, &ctx] {
    v1::PutCalendarYearRequest r;
    r.set_request_id(RequestIdOr(*request_id));
    ReadMessageFile(*file, "FILE", r.mutable_calendar_year());
    PutAndShow(ctx, "admin calendar put", &AdminStub::PutCalendarYear, r,
               CalendarView(),
               "that year of this calendar is loaded already: a year is "
               "loaded once.");
  });
  AddListCommand(*group, ctx, "list the calendar years stored by calendar put",
                 "jianyan admin calendar list", &AdminStub::ListCalendarYears,
                 &v1::ListCalendarYearsResponse::calendar_years,
                 CalendarView());
}

// Waits for `done`, redrawing "backing up into DIR ... 3s" on stderr when it
// is a terminal (one line when it is not).
template <typename T>
void ProgressWhile(std::future<T>& done, const std::string& dir) {
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  const auto start = std::chrono::steady_clock::now();
  std::cerr << "backing up into " << dir << " (on the server) ...";
  if (!tty) std::cerr << "\n";
  while (done.wait_for(std::chrono::milliseconds(200)) !=
         std::future_status::ready) {
    if (!tty) continue;
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    std::cerr << "\rbacking up into " << dir << " (on the server) ... " << s
              << "s";
  }
  if (tty) std::cerr << "\r\033[K";
}

void AddBackup(CLI::App& admin, CliContext& ctx) {
  auto dir = std::make_shared<std::string>();
  auto request_id = std::make_shared<std::string>();
  CLI::App* c = admin.add_subcommand(
      "backup",
      "a consistent backup of the store into DIR on the server, below its "
      "backup_root (incremental into the same DIR)");
  c->add_option("DIR", *dir, "directory on the server")->required();
  c->add_option("--request-id", *request_id, "idempotency id");
  SetExample(c, "jianyan --timeout 600 admin backup nightly");
  c->callback([dir, request_id, &ctx] {
    v1::BackupRequest r;
    r.set_directory(*dir);
    r.set_request_id(RequestIdOr(*request_id));
    auto stub = ctx.Stub<v1::AdminService>();
    auto call = ctx.Call();
    v1::BackupResponse response;
    std::future<grpc::Status> done = std::async(std::launch::async, [&] {
      return stub->Backup(call.get(), r, &response);
    });
    ProgressWhile(done, *dir);
    ctx.Check(done.get(), "admin backup");
    if (ctx.json()) {
      ctx.out().Json(response);
      return;
    }
    ctx.out().Record({{"backup", response.directory()},
                      {"cases", absl::StrCat(response.cases())},
                      {"files", absl::StrCat(response.files())},
                      {"bytes", absl::StrCat(response.bytes())}});
  });
}

void AddVerify(CLI::App& admin, CliContext& ctx) {
  auto max_problems = std::make_shared<uint32_t>(0);
  CLI::App* c = admin.add_subcommand(
      "verify",
      "re-derive indexes, timers and counters and check every hash chain "
      "(exit 1 when a problem is found)");
  c->add_option("--max-problems", *max_problems, "stop after N (0: 100)");
  SetExample(c, "jianyan --timeout 600 admin verify");
  c->callback([max_problems, &ctx] {
    v1::VerifyRequest r;
    r.set_max_problems(*max_problems);
    v1::VerifyResponse response;
    ctx.Check(
        ctx.Stub<v1::AdminService>()->Verify(ctx.Call().get(), r, &response),
        "admin verify");
    if (ctx.json()) {
      ctx.out().Json(response);
    } else {
      ctx.out().Record({{"ok", response.ok() ? "yes" : "NO"},
                        {"cases", absl::StrCat(response.cases_checked())},
                        {"events", absl::StrCat(response.events_checked())},
                        {"problems", absl::StrCat(response.problems_size())}});
      if (response.problems_size() > 0) {
        Table table({"KIND", "CASE", "DETAIL"});
        for (const auto& p : response.problems()) {
          table.Add({p.kind(), p.case_number().empty() ? "-" : p.case_number(),
                     p.detail()});
        }
        ctx.out().stream() << "\n";
        ctx.out().Print(table);
      }
    }
    if (!response.ok()) {
      std::cerr << "jianyan: admin verify: the store has problems (above)\n";
      throw CliExit{kExitRefused};
    }
  });
}

}  // namespace

void AddAdminStoreCommands(CLI::App& admin, CliContext& ctx) {
  AddCalendar(admin, ctx);
  AddBackup(admin, ctx);
  AddVerify(admin, ctx);
}

}  // namespace jianyan::cli
