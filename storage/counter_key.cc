#include "storage/counter_key.h"

#include "absl/strings/str_format.h"
#include "storage/key_coding.h"

namespace jianyan::storage {

std::string PeriodLabel(Period period, absl::CivilDay day) {
  if (period == Period::kMonth) {
    return absl::StrFormat("%04d%02d", day.year(), day.month());
  }
  return absl::StrFormat("%04d%02d%02d", day.year(), day.month(), day.day());
}

std::string CounterPrefix(Period period, absl::string_view period_label,
                          absl::string_view org, absl::string_view point) {
  std::string k(1, kKeyCodecV1);
  k.push_back(static_cast<char>(period));
  PutOrderedString(&k, period_label);
  if (org.empty()) return k;
  PutOrderedString(&k, org);
  if (point.empty()) return k;
  PutOrderedString(&k, point);
  return k;
}

std::string CounterKey(const CounterId& id) {
  std::string k(1, kKeyCodecV1);
  k.push_back(static_cast<char>(id.period));
  PutOrderedString(&k, id.period_label);
  PutOrderedString(&k, id.organisation_id);
  PutOrderedString(&k, id.reporting_point_id);
  k.push_back(static_cast<char>(id.kind));
  PutOrderedString(&k, id.metric);
  return k;
}

bool DecodeCounterKey(absl::string_view key, CounterId* id) {
  if (!ConsumeVersion(&key) || key.empty()) return false;
  char p = key[0];
  if (p != 'D' && p != 'M') return false;
  id->period = static_cast<Period>(p);
  key.remove_prefix(1);
  if (!GetOrderedString(&key, &id->period_label) ||
      !GetOrderedString(&key, &id->organisation_id) ||
      !GetOrderedString(&key, &id->reporting_point_id) || key.empty()) {
    return false;
  }
  int kind = static_cast<unsigned char>(key[0]);
  if (!jianyan::v1::CaseKind_IsValid(kind)) return false;
  id->kind = static_cast<jianyan::v1::CaseKind>(kind);
  key.remove_prefix(1);
  return GetOrderedString(&key, &id->metric) && key.empty();
}

}  // namespace jianyan::storage
