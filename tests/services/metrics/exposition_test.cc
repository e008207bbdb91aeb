// The exposition writer against the text format's rules: escaping of label
// values and HELP text, value spelling, histogram lines; and the registry's
// families and collectors. metrics_parse_test.py parses a whole scrape with
// Prometheus's own Python parser.
#include "services/metrics/exposition.h"

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "services/metrics/registry.h"

namespace jianyan::metrics {
namespace {

TEST(ExpositionTest, EscapesLabelValuesAndHelp) {
  EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(EscapeLabelValue("信访 ok"), "信访 ok");
  // HELP keeps double quotes as they are.
  EXPECT_EQ(EscapeHelp("say \"x\"\\\n"), "say \"x\"\\\\\\n");
}

TEST(ExpositionTest, SpellsValues) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(42), "42");
  EXPECT_EQ(FormatValue(-3), "-3");
  EXPECT_EQ(FormatValue(18446744073709551615.0), "1.8446744073709552e+19");
  EXPECT_EQ(FormatValue(0.005), "0.005");
  EXPECT_EQ(FormatValue(2.5), "2.5");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
}

TEST(ExpositionTest, ChecksNames) {
  EXPECT_TRUE(IsValidMetricName("grpc_server_started_total"));
  EXPECT_TRUE(IsValidMetricName("a:b"));
  EXPECT_FALSE(IsValidMetricName("1abc"));
  EXPECT_FALSE(IsValidMetricName("a-b"));
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_TRUE(IsValidLabelName("grpc_code"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
}

TEST(ExpositionTest, WritesFamiliesAndSamples) {
  ExpositionWriter out;
  out.Family("x_total", "Things \"done\".", MetricType::kCounter);
  out.Sample("x_total", {{"a", "1"}, {"b", "q\""}}, 3);
  out.Sample("x_total", {}, 4);
  EXPECT_EQ(out.text(),
            "# HELP x_total Things \"done\".\n"
            "# TYPE x_total counter\n"
            "x_total{a=\"1\",b=\"q\\\"\"} 3\n"
            "x_total 4\n");
}

TEST(ExpositionTest, WritesCumulativeHistogramBuckets) {
  AtomicHistogram h({0.1, 1});
  h.Observe(0.05);
  h.Observe(0.1);  // on the bound: counted in le="0.1"
  h.Observe(0.5);
  h.Observe(7);
  ExpositionWriter out;
  out.Family("t_seconds", "Time.", MetricType::kHistogram);
  out.Histogram("t_seconds", {{"m", "x"}}, h.Read());
  EXPECT_EQ(out.text(),
            "# HELP t_seconds Time.\n"
            "# TYPE t_seconds histogram\n"
            "t_seconds_bucket{m=\"x\",le=\"0.1\"} 2\n"
            "t_seconds_bucket{m=\"x\",le=\"1\"} 3\n"
            "t_seconds_bucket{m=\"x\",le=\"+Inf\"} 4\n"
            "t_seconds_sum{m=\"x\"} 7.65\n"
            "t_seconds_count{m=\"x\"} 4\n");
}

TEST(RegistryTest, FamiliesInNameOrderThenCollectors) {
  Registry r;
  r.Counter("b_total", "B.", {"k"}).Add({"y"}, 2);
  r.Counter("b_total", "B.", {"k"}).Add({"x"});
  r.Histogram("a_seconds", "A.", {}, {1}).Cell({}).Observe(0.5);
  const int id = r.AddCollector([](ExpositionWriter& out) {
    out.Family("c", "C.", MetricType::kGauge);
    out.Sample("c", {}, 9);
  });
  const std::string text = r.Scrape();
  const size_t a = text.find("# TYPE a_seconds histogram");
  const size_t b = text.find("# TYPE b_total counter");
  const size_t c = text.find("# TYPE c gauge");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(c, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_NE(text.find("b_total{k=\"x\"} 1\nb_total{k=\"y\"} 2\n"),
            std::string::npos);
  r.RemoveCollector(id);
  EXPECT_EQ(r.Scrape().find("# TYPE c gauge"), std::string::npos);
}

TEST(RegistryTest, ConcurrentUpdatesAreAllCounted) {
  Registry r;
  CounterFamily& f = r.Counter("n_total", "N.", {"k"});
  HistogramFamily& h = r.Histogram("h", "H.", {"k"}, {1, 2});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        f.Add({t % 2 == 0 ? "even" : "odd"});
        h.Cell({"k"}).Observe(1.5);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(f.Cell({"even"}).load(), 2000u);
  EXPECT_EQ(f.Cell({"odd"}).load(), 2000u);
  AtomicHistogram::Snapshot s = h.Cell({"k"}).Read();
  EXPECT_EQ(s.count(), 4000u);
  EXPECT_EQ(s.cumulative[0], 0u);
  EXPECT_EQ(s.cumulative[1], 4000u);
  EXPECT_DOUBLE_EQ(s.sum, 6000);
}

}  // namespace
}  // namespace jianyan::metrics
