// One transition on the petition definition vs. one serialise + parse round
// trip of the same case snapshot, in the same binary and run.
// Target: a transition costs at most 2x the round trip.
//
//   build-wf/tests/bench/workflow/transition_bench
#include <map>
#include <string>

#include "benchmark/benchmark.h"
#include "tests/bench/bench_util.h"
#include "workflow/clock.h"
#include "workflow/definition_loader.h"
#include "workflow/transition.h"

namespace jianyan {
namespace {

absl::Time Cst(int y, int m, int d, int hh) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), ChinaTimeZone());
}

struct Fixture {
  std::shared_ptr<const Definition> def;
  jianyan::v1::Case handling;  // a realistic case under handling
  Command respond;
  absl::Time now = Cst(2026, 3, 20, 10);

  Fixture() {
    auto defs = LoadDefaultDefinitions();
    if (!defs.ok()) std::abort();
    def = defs->at("petition");
    jianyan::v1::Case intake;
    intake.set_kind(jianyan::v1::CASE_KIND_PETITION);
    intake.set_petition_type(jianyan::v1::PETITION_TYPE_CLAIM);
    intake.set_channel(jianyan::v1::CHANNEL_TERMINAL);
    intake.set_reporting_point_id("taian-taishan-point-017");
    intake.set_region_code("370902");
    auto* p = intake.mutable_submitter()->add_representatives();
    p->set_name("张三");
    p->set_id_number("370902198001011234");
    p->set_phone("13800000000");
    p->set_address("山东省泰安市泰山区某街道某小区3号楼2单元501室");
    intake.set_title("小区供暖不达标问题");
    std::string content;
    for (int i = 0; i < 12; ++i) {
      content += "今年入冬以来小区室内温度长期低于十八度，多次反映未果。";
    }
    intake.set_content(content);
    intake.set_category("城乡建设");
    auto* a = intake.add_attachments();
    a->set_sha256(std::string(64, 'a'));
    a->set_size_bytes(123456);
    a->set_media_type("image/jpeg");
    a->set_name("photo.jpg");
    jianyan::v1::Actor terminal;
    terminal.set_role(jianyan::v1::ROLE_TERMINAL);
    auto made = CreateCase(*def, intake, "P2026-00001234-7", terminal,
                           Cst(2026, 3, 2, 10));
    if (!made.ok()) std::abort();
    Command accept;
    accept.action = "accept";
    accept.actor.set_role(jianyan::v1::ROLE_HANDLER);
    accept.actor.set_principal_id("handler-1");
    accept.fields["organisation_id"] = "taishan-housing-bureau";
    auto accepted =
        Transition(*def, made->change.case_after, accept, Cst(2026, 3, 3, 9));
    if (!accepted.ok()) std::abort();
    handling = accepted->change.case_after;
    respond.action = "respond";
    respond.actor = accept.actor;
    respond.fields["opinion"] = "support";
    respond.fields["reason"] = "已协调供热公司整改，室温达标。";
    respond.request_id = "req-0001";
  }
};

Fixture& F() {
  static Fixture* f = new Fixture();
  return *f;
}

void BM_Transition(benchmark::State& state) {
  Fixture& f = F();
  for (auto _ : state) {
    auto r = Transition(*f.def, f.handling, f.respond, f.now);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Transition);

void BM_SnapshotRoundTrip(benchmark::State& state) {
  Fixture& f = F();
  state.counters["snapshot_bytes"] = f.handling.ByteSizeLong();
  for (auto _ : state) {
    std::string bytes;
    f.handling.SerializeToString(&bytes);
    jianyan::v1::Case parsed;
    parsed.ParseFromString(bytes);
    benchmark::DoNotOptimize(parsed);
  }
}
BENCHMARK(BM_SnapshotRoundTrip);

// Console output as usual, plus the per-iteration real time of each run.
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs) {
      if (r.run_type == Run::RT_Iteration) {
        ns[r.benchmark_name()] = r.GetAdjustedRealTime();
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> ns;
};

}  // namespace
}  // namespace jianyan

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  jianyan::RecordingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  double t = reporter.ns["BM_Transition"];
  double rt = reporter.ns["BM_SnapshotRoundTrip"];
  jianyan::bench::ReportTarget("transition_vs_roundtrip", rt > 0 ? t / rt : 0.0,
                               "<=", 2.0);
  benchmark::Shutdown();
  return 0;
}
