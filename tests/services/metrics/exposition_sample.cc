// Prints one scrape of a registry that uses every feature of the writer
// (labels needing escapes, non-ASCII values, histograms, a collector's
// gauges); metrics_parse_test.py parses it with prometheus_client.
#include <cstdio>
#include <limits>

#include "services/metrics/registry.h"

int main() {
  using jianyan::metrics::ExpositionWriter;
  using jianyan::metrics::MetricType;
  jianyan::metrics::Registry r;
  auto& started =
      r.Counter("grpc_server_started_total", "RPCs started on the server.",
                {"grpc_service", "grpc_method", "grpc_type"});
  started.Add({"jianyan.v1.IntakeService", "SubmitCase", "unary"}, 3);
  started.Add({"odd \"svc\"", "back\\slash\nnewline", "unary"});
  auto& seconds =
      r.Histogram("grpc_server_handling_seconds",
                  "Response latency (seconds) of RPCs handled by the server.",
                  {"grpc_service", "grpc_method", "grpc_type"},
                  {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  auto& cell =
      seconds.Cell({"jianyan.v1.IntakeService", "SubmitCase", "unary"});
  for (double v : {0.001, 0.02, 0.3, 12.0}) cell.Observe(v);
  r.AddCollector([](ExpositionWriter& out) {
    out.Family("jianyan_open_cases", "Open cases by kind and state (信访).",
               MetricType::kGauge);
    out.Sample("jianyan_open_cases", {{"kind", "petition"}, {"state", "登记"}},
               2);
    out.Family("rocksdb_actual_delayed_write_rate", "Help with \\ and\nline.",
               MetricType::kGauge);
    out.Sample("rocksdb_actual_delayed_write_rate", {},
               std::numeric_limits<double>::infinity());
  });
  const std::string text = r.Scrape();
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}
