// Supervision benchmarks, printed in one run:
//   - the timer scheduler's fire rate next to the store's own ApplyAsync
//     rate for the same number of commands (alternating rounds, each on
//     fresh cases of one synced store);
//   - a user command's latency while the scheduler catches up on a backlog
//     (--catchup cases, each with a due warning and a due expiry);
//   - ListOverdue's first page at each size of --cases (default 10000 and
//     1000000 open cases under 100 organisations), alternating between the
//     stores, and the ratio of the largest to the smallest;
//   - 200 WatchEscalations streams: the time from a command that raises a
//     notice to each stream's receipt of it.
// Flags: --cases=10000,1000000 --fires=2000 --rounds=3 --catchup=50000
//        --watchers=200 --notices=100 --dir=/tmp
//        --only=scheduler,catchup,overdue,watchers (default: all four)
// Smoke run (ctest): small sizes, one round.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/core/workflow_core.h"
#include "storage/case_store.h"
#include "tests/bench/bench_util.h"
#include "tests/services/core_server.h"
#include "tests/services/supervision_test_util.h"
#include "workflow/calendar.h"
#include "workflow/definition_loader.h"
#include "workflow/time_util.h"
#include "workflow/transition.h"

namespace jianyan::bench {
namespace {

using Steady = std::chrono::steady_clock;
using jianyan::v1::Principal;

struct Flags {
  std::vector<int64_t> cases = {10000, 1000000};
  int64_t fires = 2000;
  int rounds = 3;
  int64_t catchup = 50000;  // 100 000 due timers
  int watchers = 200;
  int notices = 100;
  std::string dir = "/tmp";
  std::vector<std::string> only;  // empty: every part

  bool Runs(absl::string_view part) const {
    return only.empty() ||
           std::find(only.begin(), only.end(), part) != only.end();
  }
};

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (const auto& [name, value] : bench::NamedFlags(argc, argv)) {
    if (name == "cases") {
      f.cases.clear();
      for (absl::string_view part : absl::StrSplit(value, ',')) {
        int64_t n = 0;
        if (absl::SimpleAtoi(part, &n)) f.cases.push_back(n);
      }
    }
    if (name == "fires") (void)absl::SimpleAtoi(value, &f.fires);
    if (name == "rounds") (void)absl::SimpleAtoi(value, &f.rounds);
    if (name == "catchup") (void)absl::SimpleAtoi(value, &f.catchup);
    if (name == "watchers") (void)absl::SimpleAtoi(value, &f.watchers);
    if (name == "notices") (void)absl::SimpleAtoi(value, &f.notices);
    if (name == "dir") f.dir = value;
    if (name == "only") f.only = absl::StrSplit(value, ',');
  }
  return f;
}

double Seconds(Steady::time_point since) {
  return std::chrono::duration<double>(Steady::now() - since).count();
}

void Check(const absl::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, std::string(s.message()).c_str());
    std::exit(2);
  }
}

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0), ChinaTimeZone());
constexpr char kRoot[] = "city";

// A synced store and the workflow core over it, the shipped definitions, a
// city bureau with `orgs` bodies below it.
struct Core {
  explicit Core(const std::string& dir, int orgs, bool sync = true)
      : clock(kStart) {
    std::filesystem::remove_all(dir);
    storage::CaseStoreOptions options;
    options.sync = sync;
    options.clock = &clock;
    auto opened = storage::CaseStore::Open(options, dir);
    Check(opened.status(), "open store");
    store = *std::move(opened);
    for (int i = -1; i < orgs; ++i) {
      jianyan::v1::Organisation o;
      o.set_id(i < 0 ? kRoot : absl::StrCat("org", i));
      o.set_parent_id(i < 0 ? "" : kRoot);
      o.mutable_name()->set_zh("机关");
      o.set_active(true);
      Check(store->PutOrganisation(o), "put organisation");
    }
    WorkflowCoreOptions core_options;
    auto calendars = LoadCalendarDir(DefaultCalendarsDir());
    Check(calendars.status(), "calendars");
    core_options.calendars = *calendars;
    auto defs = LoadDefinitionDir(DefaultDefinitionsDir(), *calendars);
    Check(defs.status(), "definitions");
    core_options.from_files = *defs;
    auto c = WorkflowCore::Open(*store, clock, std::move(core_options));
    Check(c.status(), "core");
    core = *std::move(c);
    service.set_id("edge");
    service.set_role(jianyan::v1::ROLE_SERVICE);
    registrar.set_id("registrar");
    registrar.set_role(jianyan::v1::ROLE_HANDLER);
    registrar.set_organisation_id(kRoot);
    supervisor.set_id("supervisor");
    supervisor.set_role(jianyan::v1::ROLE_SUPERVISOR);
    supervisor.set_organisation_id(kRoot);
  }
  ~Core() {
    core->Quiesce();
    core.reset();
    store.reset();
  }

  // `n` letter petitions registered by the city bureau and forwarded to its
  // bodies, 64 commands in flight; returns their numbers.
  std::vector<std::string> ForwardedCases(int64_t n, const std::string& tag) {
    std::vector<std::string> numbers(static_cast<size_t>(n));
    Window window(64);
    for (int64_t i = 0; i < n; ++i) {
      window.Enter();
      jianyan::v1::CreateCaseRequest create;
      create.set_request_id(absl::StrCat("create-", tag, "-", i));
      auto* c = create.mutable_case_();
      c->set_kind(jianyan::v1::CASE_KIND_PETITION);
      c->set_petition_type(jianyan::v1::PETITION_TYPE_CLAIM);
      c->set_channel(jianyan::v1::CHANNEL_LETTER);
      c->set_routing_organisation_id(kRoot);
      c->set_title("关于小区供暖不达标的反映");
      c->set_content(std::string(600, 'x'));
      c->mutable_submitter()->add_representatives()->set_name("张三");
      core->cases().CreateCase(
          service, create,
          [this, i, tag, &numbers,
           &window](absl::StatusOr<jianyan::v1::CreateCaseResponse> created) {
            Check(created.status(), "create");
            jianyan::v1::ActRequest act;
            act.set_request_id(absl::StrCat("forward-", tag, "-", i));
            act.set_case_number(created->case_().case_number());
            act.set_expected_version(created->case_().version());
            act.set_action("forward");
            (*act.mutable_fields())["organisation_id"] =
                absl::StrCat("org", i % 100);
            numbers[static_cast<size_t>(i)] = created->case_().case_number();
            core->cases().Act(
                registrar, act,
                [&window](absl::StatusOr<jianyan::v1::ActResponse> acted) {
                  Check(acted.status(), "forward");
                  window.Leave();
                });
          });
    }
    window.Drain();
    return numbers;
  }

  // At most `limit` callers inside at once.
  class Window {
   public:
    explicit Window(int limit) : limit_(limit) {}
    void Enter() {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return inside_ < limit_; });
      ++inside_;
    }
    void Leave() {
      std::lock_guard<std::mutex> lock(mu_);
      --inside_;
      cv_.notify_all();
    }
    void Drain() {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return inside_ == 0; });
    }

   private:
    std::mutex mu_;
    std::condition_variable cv_;
    int inside_ = 0;
    const int limit_;
  };

  ManualClock clock;
  std::unique_ptr<storage::CaseStore> store;
  std::unique_ptr<WorkflowCore> core;
  Principal service, registrar, supervisor;
};

// The supervisor's 催办 of each case, computed before the clock starts, then
// applied with 64 in flight: the store's own command rate.
double ApplyRate(Core& core, const std::vector<std::string>& numbers) {
  std::vector<storage::ApplyRequest> commands;
  for (const std::string& no : numbers) {
    auto stored = core.store->GetCase(no);
    Check(stored.status(), "read case");
    auto def =
        core.core->registry().Pinned(stored->case_().definition_name(),
                                     stored->case_().definition_version());
    Check(def.status(), "definition");
    Command urge;
    urge.action = "urge";
    urge.actor.set_principal_id("supervisor");
    urge.actor.set_role(jianyan::v1::ROLE_SUPERVISOR);
    urge.actor.set_organisation_id(kRoot);
    urge.request_id = absl::StrCat("urge-", no);
    auto moved = Transition(**def, stored->case_(), urge, core.clock.Now());
    Check(moved.status(), "urge");
    storage::ApplyRequest apply;
    apply.change = std::move(moved->change);
    apply.expected_version = stored->case_().version();
    apply.idempotency =
        storage::IdempotencyInput{"supervisor", urge.request_id, "h"};
    commands.push_back(std::move(apply));
  }
  Core::Window window(64);
  const auto start = Steady::now();
  for (auto& command : commands) {
    window.Enter();
    core.store->ApplyAsync(std::move(command),
                           [&window](absl::StatusOr<storage::ApplyResult> r) {
                             Check(r.status(), "apply");
                             window.Leave();
                           });
  }
  window.Drain();
  return static_cast<double>(numbers.size()) / Seconds(start);
}

// Fires every timer due 16 days on (each case: its acceptance warning, then
// its expiry).
double FireRate(Core& core) {
  const auto start = Steady::now();
  auto fired = core.core->timers().RunDue(core.clock.Now());
  Check(fired.status(), "run due");
  return static_cast<double>(*fired) / Seconds(start);
}

double SchedulerVsApply(const Flags& f) {
  std::vector<double> ratios;
  for (int round = 0; round < f.rounds; ++round) {
    Core core(absl::StrCat(f.dir, "/jy_sched_bench_", getpid()), 100);
    // fires/2 cases for the scheduler (2 timers each), fires for the store.
    auto timed = core.ForwardedCases(f.fires / 2, "t");
    core.clock.Set(kStart + absl::Hours(24 * 16));
    // Created now, so none of their timers is due: the scheduler leaves
    // them alone in either order of the round.
    auto urged = core.ForwardedCases(f.fires, "u");
    double apply = 0, fire = 0;
    if (round % 2 == 0) {
      apply = ApplyRate(core, urged);
      fire = FireRate(core);
    } else {
      fire = FireRate(core);
      apply = ApplyRate(core, urged);
    }
    std::printf(
        "scheduler round %d: fire %.0f/s, store apply %.0f/s, ratio %.2f\n",
        round, fire, apply, fire / apply);
    ratios.push_back(fire / apply);
  }
  return Median(ratios);
}

void CatchUpLatency(const Flags& f) {
  Core core(absl::StrCat(f.dir, "/jy_catchup_bench_", getpid()), 100);
  auto timed = core.ForwardedCases(f.catchup, "t");
  core.clock.Set(kStart + absl::Hours(24 * 16));
  // The users' cases have nothing due: their commands compete with the
  // catch-up, not with its fires on their own cases.
  auto users = core.ForwardedCases(200, "u");
  std::atomic<bool> done{false};
  const auto start = Steady::now();
  std::thread catchup([&] {
    FireRate(core);
    done = true;
  });
  std::vector<double> latencies;
  for (size_t i = 0; !done && i < users.size(); ++i) {
    jianyan::v1::ActRequest act;
    act.set_request_id(absl::StrCat("user-cmd-", i));
    act.set_case_number(users[i]);
    auto stored = core.store->GetCase(users[i]);
    Check(stored.status(), "read");
    act.set_expected_version(stored->case_().version());
    act.set_action("urge");
    std::promise<void> acted;
    const auto t0 = Steady::now();
    core.core->cases().Act(core.supervisor, act,
                           [&](absl::StatusOr<jianyan::v1::ActResponse> r) {
                             // ABORTED: the scheduler moved the case first;
                             // FAILED_PRECONDITION: its acceptance_overdue
                             // already raised the level to 催办.
                             if (!r.ok() && !absl::IsAborted(r.status()) &&
                                 !absl::IsFailedPrecondition(r.status())) {
                               Check(r.status(), "user command");
                             }
                             acted.set_value();
                           });
    acted.get_future().wait();
    latencies.push_back(Seconds(t0) * 1000);
  }
  catchup.join();
  std::printf(
      "catch-up of %lld cases (%lld timers) took %.2f s; %zu user commands "
      "during it: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      static_cast<long long>(f.catchup), static_cast<long long>(2 * f.catchup),
      Seconds(start), latencies.size(), Quantile(latencies, 0.5),
      Quantile(latencies, 0.99), Quantile(latencies, 1.0));
}

// `n` open cases under 100 bodies, a third overdue; bulk-loaded (no sync).
void FillDeadlines(Core& core, int64_t n) {
  std::mt19937_64 rng(7);
  std::vector<storage::ApplyRequest> batch;
  for (int64_t i = 0; i < n; ++i) {
    storage::ApplyRequest r;
    jianyan::v1::Case& c = r.change.case_after;
    c.set_case_number(absl::StrCat("P2026-", 10000000 + i, "-0"));
    c.set_kind(jianyan::v1::CASE_KIND_PETITION);
    c.set_state("handling");
    c.set_handling_organisation_id(absl::StrCat("org", rng() % 100));
    c.set_title("供暖");
    c.set_version(1);
    c.set_last_event_seq(1);
    c.set_open(true);
    *c.mutable_create_time() = ToProto(kStart - absl::Hours(24 * 90));
    const absl::Time due =
        kStart + absl::Seconds(static_cast<int64_t>(rng() % (86400 * 90))) -
        absl::Hours(24 * 30);
    auto* d = c.add_deadlines();
    d->set_timer("handling");
    *d->mutable_start_time() = ToProto(due - absl::Hours(24 * 60));
    *d->mutable_due_time() = ToProto(due);
    *c.mutable_due_time() = ToProto(due);
    jianyan::v1::Event e;
    e.set_case_number(c.case_number());
    e.set_seq(1);
    e.set_action("register");
    *e.mutable_time() = c.create_time();
    r.change.events.push_back(e);
    batch.push_back(std::move(r));
    if (batch.size() == 1000 || i + 1 == n) {
      for (const auto& result : core.store->ApplyAll(std::move(batch))) {
        Check(result.status(), "fill");
      }
      batch.clear();
    }
  }
}

double ListOverdueGrowth(const Flags& f) {
  std::vector<std::unique_ptr<Core>> cores;
  for (int64_t n : f.cases) {
    const auto start = Steady::now();
    cores.push_back(std::make_unique<Core>(
        absl::StrCat(f.dir, "/jy_overdue_bench_", getpid(), "_", n), 100,
        /*sync=*/false));
    FillDeadlines(*cores.back(), n);
    std::printf("filled %lld cases in %.1f s\n", static_cast<long long>(n),
                Seconds(start));
    // Measured in the steady state of a store that size, not in the pile
    // of level-0 files a bulk fill leaves behind.
    const auto compacting = Steady::now();
    Check(cores.back()->store->CompactAll(), "compact");
    std::printf("compacted in %.1f s\n", Seconds(compacting));
  }
  std::vector<std::vector<double>> micros(cores.size());
  jianyan::v1::ListOverdueRequest req;
  req.set_page_size(50);
  for (int rep = 0; rep < 200; ++rep) {
    for (size_t k = 0; k < cores.size(); ++k) {
      const size_t i = rep % 2 == 0 ? k : cores.size() - 1 - k;
      const auto t0 = Steady::now();
      auto page =
          cores[i]->core->supervision().ListOverdue(cores[i]->supervisor, req);
      micros[i].push_back(Seconds(t0) * 1e6);
      Check(page.status(), "list overdue");
      if (page->entries_size() != 50) {
        std::fprintf(stderr, "short first page: %d\n", page->entries_size());
        std::exit(2);
      }
    }
  }
  for (size_t i = 0; i < cores.size(); ++i) {
    std::printf(
        "ListOverdue first page at %lld cases: median %.0f us, p99 %.0f us\n",
        static_cast<long long>(f.cases[i]), Median(micros[i]),
        Quantile(micros[i], 0.99));
  }
  // Where the time goes: a page of one (the index seek alone)
  // and the store's global due index (no organisation filter) for 50.
  for (size_t i = 0; i < cores.size(); ++i) {
    std::vector<double> one, global;
    jianyan::v1::ListOverdueRequest single;
    single.set_page_size(1);
    storage::CaseQuery all;
    all.order = storage::CaseOrder::kDueAsc;
    all.due_before = cores[i]->clock.Now();
    storage::PageRequest page;
    page.page_size = 50;
    storage::ListCasesStats stats;
    for (int rep = 0; rep < 100; ++rep) {
      auto t0 = Steady::now();
      Check(cores[i]
                ->core->supervision()
                .ListOverdue(cores[i]->supervisor, single)
                .status(),
            "list one");
      one.push_back(Seconds(t0) * 1e6);
      t0 = Steady::now();
      Check(cores[i]->store->ListCases(all, page, &stats).status(),
            "list global");
      global.push_back(Seconds(t0) * 1e6);
    }
    std::printf(
        "  at %lld cases: first page of 1 median %.0f us; "
        "global due index, 50 cases, median %.0f us (%llu entries "
        "examined, %llu cases read)\n",
        static_cast<long long>(f.cases[i]), Median(one), Median(global),
        static_cast<unsigned long long>(stats.entries_examined),
        static_cast<unsigned long long>(stats.cases_read));
  }
  return Median(micros.back()) / Median(micros.front());
}

// p99 of the time from an urge (which raises a notice) to its receipt by
// each of f.watchers streams, in ms.
double WatcherLatency(const Flags& f) {
  testing::CoreServer server;
  server.Seed();
  std::vector<std::string> numbers;
  for (int i = 0; i < f.notices; ++i) {
    jianyan::v1::Case c = server.CreatePetition(absl::StrCat("watched-", i));
    server.Act("registrar", c.case_number(), "forward",
               {{"organisation_id", testing::kHousing}});
    numbers.push_back(c.case_number());
  }
  std::vector<std::unique_ptr<testing::NoticeStream>> streams;
  for (int i = 0; i < f.watchers; ++i) {
    streams.push_back(std::make_unique<testing::NoticeStream>(
        server.supervision(), server.As("supervisor"), testing::WatchAfter(0)));
  }
  std::vector<Steady::time_point> sent(numbers.size());
  std::mutex mu;
  std::vector<double> latencies;
  std::vector<std::thread> readers;
  for (auto& stream : streams) {
    readers.emplace_back([&, s = stream.get()] {
      for (size_t i = 0; i < numbers.size(); ++i) {
        jianyan::v1::EscalationNotice n = s->Next();
        const auto now = Steady::now();
        std::lock_guard<std::mutex> lock(mu);
        latencies.push_back(std::chrono::duration<double, std::milli>(
                                now - sent[n.cursor() - 1])
                                .count());
      }
    });
  }
  for (size_t i = 0; i < numbers.size(); ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      sent[i] = Steady::now();
    }
    server.Act("supervisor", numbers[i], "urge", {});
  }
  for (auto& t : readers) t.join();
  std::printf(
      "%d watchers x %d notices: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
      f.watchers, f.notices, Quantile(latencies, 0.5),
      Quantile(latencies, 0.99), Quantile(latencies, 1.0));
  return Quantile(latencies, 0.99);
}

}  // namespace
}  // namespace jianyan::bench

int main(int argc, char** argv) {
  using namespace jianyan::bench;
  const Flags f = ParseFlags(argc, argv);
  const double sched = f.Runs("scheduler") ? SchedulerVsApply(f) : 0;
  if (f.Runs("catchup")) CatchUpLatency(f);
  const double growth = f.Runs("overdue") ? ListOverdueGrowth(f) : 0;
  const double watch = f.Runs("watchers") ? WatcherLatency(f) : 0;
  if (f.Runs("scheduler")) {
    ReportTarget("scheduler_fire_vs_store_apply", sched, ">=", 0.5);
  }
  if (f.Runs("overdue")) {
    ReportTarget("list_overdue_first_page_1m_vs_10k", growth, "<=", 1.2);
  }
  if (f.Runs("watchers")) {
    ReportTarget("watchers_notice_p99_ms", watch, "<=", 50);
  }
  return 0;
}
