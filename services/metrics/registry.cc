#include "services/metrics/registry.h"

#include <utility>

namespace jianyan::metrics {

Labels ZipLabels(const std::vector<std::string>& names,
                 const std::vector<std::string>& values) {
  Labels out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    out.emplace_back(names[i], values[i]);
  }
  return out;
}

void CounterFamily::Write(ExpositionWriter& out) const {
  out.Family(name_, help_, MetricType::kCounter);
  cells_.ForEach([&](const std::vector<std::string>& values,
                     const std::atomic<uint64_t>& cell) {
    out.Sample(name_, ZipLabels(label_names_, values),
               static_cast<double>(cell.load(std::memory_order_relaxed)));
  });
}

void HistogramFamily::Write(ExpositionWriter& out) const {
  out.Family(name_, help_, MetricType::kHistogram);
  cells_.ForEach(
      [&](const std::vector<std::string>& values, const AtomicHistogram& cell) {
        out.Histogram(name_, ZipLabels(label_names_, values), cell.Read());
      });
}

CounterFamily& Registry::Counter(const std::string& name,
                                 const std::string& help,
                                 const std::vector<std::string>& label_names) {
  absl::MutexLock lock(&mu_);
  auto& family = counters_[name];
  if (family == nullptr) {
    family = std::make_unique<CounterFamily>(name, help, label_names);
  }
  return *family;
}

HistogramFamily& Registry::Histogram(
    const std::string& name, const std::string& help,
    const std::vector<std::string>& label_names,
    const std::vector<double>& bounds) {
  absl::MutexLock lock(&mu_);
  auto& family = histograms_[name];
  if (family == nullptr) {
    family = std::make_unique<HistogramFamily>(name, help, label_names, bounds);
  }
  return *family;
}

int Registry::AddCollector(Collector collector) {
  absl::MutexLock lock(&mu_);
  collectors_[next_collector_] = std::move(collector);
  return next_collector_++;
}

void Registry::RemoveCollector(int id) {
  absl::MutexLock lock(&mu_);
  collectors_.erase(id);
}

std::string Registry::Scrape() const {
  // Scrapes hold the lock throughout, so a collector is never running once
  // RemoveCollector has returned.
  absl::MutexLock lock(&mu_);
  ExpositionWriter out;
  std::map<std::string, std::function<void()>> families;
  for (const auto& [name, family] : counters_) {
    families[name] = [&out, f = family.get()] { f->Write(out); };
  }
  for (const auto& [name, family] : histograms_) {
    families[name] = [&out, f = family.get()] { f->Write(out); };
  }
  for (const auto& [name, write] : families) write();
  for (const auto& [id, collector] : collectors_) collector(out);
  return out.text();
}

Registry& DefaultRegistry() {
  static Registry* registry = new Registry();
  return *registry;
}

}  // namespace jianyan::metrics
