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
    intake.set_routing_organisation_id("taian-petition-bureau");
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
    accept.actor.set_organisation_id("taian-petition-bureau");  // routes it
    accept.fields["organisation_id"] = "taishan-housing-bureau";
    auto accepted =
        Transition(*def, made->change.case_after, accept, Cst(2026, 3, 3, 9));
    if (!accepted.ok()) std::abort();
    handling = accepted->change.case_after;
    respond.action = "respond";
    respond.actor = accept.actor;
    respond.actor.set_principal_id("handler-2");
    respond.actor.set_organisation_id("taishan-housing-bureau");
    respond.fields["opinion"] = "support";
    respond.fields["reason"] = "已协调供热公司整改，室温达标。";
    respond.request_id = "req-0001";
    // Measure the real thing: the benchmarked transition must succeed.
    if (!Transition(*def, handling, respond, now).ok()) std::abort();
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

// Console output as usual, plus the CPU time per iteration of each
// benchmark: the mean aggregate when repetitions are asked for, otherwise
// the average over its runs. CPU time, because the machine is shared and
// wall time varies with the load; both benchmarks are single-threaded.
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs) {
      const std::string& name = r.run_name.function_name;
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "mean") {
        mean_[name] = r.GetAdjustedCPUTime();
      } else if (r.run_type == Run::RT_Iteration) {
        sum_[name] += r.GetAdjustedCPUTime();
        count_[name] += 1;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  // Nanoseconds per iteration, or a negative value when `name` did not run.
  double Ns(const std::string& name) const {
    if (auto it = mean_.find(name); it != mean_.end()) return it->second;
    auto it = sum_.find(name);
    return it == sum_.end() ? -1 : it->second / count_.at(name);
  }

 private:
  std::map<std::string, double> mean_, sum_;
  std::map<std::string, int> count_;
};

}  // namespace
}  // namespace jianyan

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  jianyan::RecordingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  double t = reporter.Ns("BM_Transition");
  double rt = reporter.Ns("BM_SnapshotRoundTrip");
  // A benchmark filtered out or failed to run is a MISS, never a PASS.
  double ratio = t > 0 && rt > 0 ? t / rt : 1e9;
  jianyan::bench::ReportTarget("transition_vs_roundtrip", ratio, "<=", 2.0);
  benchmark::Shutdown();
  return 0;
}
