// The Prometheus text exposition format (version 0.0.4), written by hand:
// Debian 12 has no prometheus-cpp. ExpositionWriter appends metric
// families: a "# HELP" and a "# TYPE" line, then one line per sample,
//   grpc_server_handled_total{grpc_service="a.B",grpc_code="OK"} 3
// Label values escape backslash, double quote and newline; HELP text
// escapes backslash and newline. Values are printed so that integers stay
// exact, and +Inf, -Inf and NaN as the format spells them.
//
// The caller keeps the format's rules that the writer cannot see: one
// family per name, valid names ([a-zA-Z_:][a-zA-Z0-9_:]*), each family's
// samples together right after its header.
//
// Thread-safety: a writer belongs to one thread; the free functions are
// pure.
#ifndef JIANYAN_SERVICES_METRICS_EXPOSITION_H_
#define JIANYAN_SERVICES_METRICS_EXPOSITION_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "workflow/atomic_histogram.h"

namespace jianyan::metrics {

// The Content-Type of a scrape.
inline constexpr char kContentType[] =
    "text/plain; version=0.0.4; charset=utf-8";

enum class MetricType { kCounter, kGauge, kHistogram };

// (name, value) pairs, in the order they are printed.
using Labels = std::vector<std::pair<std::string, std::string>>;

std::string EscapeLabelValue(absl::string_view value);
std::string EscapeHelp(absl::string_view help);
std::string FormatValue(double value);
// True for a valid metric name; label names are the same without ':'.
bool IsValidMetricName(absl::string_view name);
bool IsValidLabelName(absl::string_view name);

class ExpositionWriter {
 public:
  // Starts the family `name` (for a counter, the name with "_total").
  void Family(absl::string_view name, absl::string_view help, MetricType type);
  // One sample line: `name` is the family's name or, for a histogram, the
  // family's name plus "_bucket", "_sum" or "_count".
  void Sample(absl::string_view name, const Labels& labels, double value);
  // The _bucket (with "le"), _sum and _count lines of one histogram series
  // of the family `name`.
  void Histogram(absl::string_view name, const Labels& labels,
                 const AtomicHistogram::Snapshot& snapshot);

  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

}  // namespace jianyan::metrics

#endif  // JIANYAN_SERVICES_METRICS_EXPOSITION_H_
