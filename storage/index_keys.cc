#include "storage/index_keys.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/key_coding.h"
#include "workflow/sha256.h"

namespace jianyan::storage {
namespace {

std::string WithTimeAndCase(std::string prefix, absl::Time t,
                            absl::string_view case_number) {
  PutFixed64BE(&prefix, OrderedTime(t));
  PutOrderedString(&prefix, case_number);
  return prefix;
}

}  // namespace

std::string MatterIdHash(absl::string_view salt, absl::string_view id_number) {
  return Sha256Digest(absl::StrCat(salt, absl::AsciiStrToUpper(id_number)));
}

std::string MatterIndexPrefix(absl::string_view id_hash,
                              absl::string_view category) {
  std::string k = V1Key(id_hash);
  PutOrderedString(&k, category);
  return k;
}

std::string MatterIndexKey(absl::string_view id_hash,
                           absl::string_view category,
                           absl::string_view case_number) {
  std::string k = MatterIndexPrefix(id_hash, category);
  PutOrderedString(&k, case_number);
  return k;
}

std::string ListIndexPrefix(ListIndex index,
                            std::initializer_list<absl::string_view> fields) {
  const char tag = static_cast<char>(index);
  std::string k = V1Key(absl::string_view(&tag, 1));
  for (absl::string_view f : fields) PutOrderedString(&k, f);
  return k;
}

std::string ListPosition(absl::Time t, absl::string_view case_number) {
  return WithTimeAndCase(std::string(), t, case_number);
}

std::string ListTimeBound(absl::Time t) {
  std::string k;
  PutFixed64BE(&k, OrderedTime(t));
  return k;
}

bool IsListPosition(absl::string_view position) {
  uint64_t t = 0;
  return GetFixed64BE(&position, &t) && SkipOrderedString(&position) &&
         position.empty();
}

std::string EncodeListEntry(const ListEntry& e) {
  std::string v(1, kListEntryV2);
  PutOrderedString(&v, e.case_number);
  PutFixed64BE(&v, static_cast<uint64_t>(static_cast<int64_t>(e.kind)));
  PutFixed64BE(&v, OrderedTime(e.create_time));
  v.push_back(e.open ? 1 : 0);
  PutFixed64BE(&v,
               static_cast<uint64_t>(static_cast<int64_t>(e.escalation_level)));
  v.push_back(e.warn_time ? 1 : 0);
  PutFixed64BE(&v, e.warn_time ? OrderedTime(*e.warn_time) : 0);
  for (const std::string* s :
       {&e.state, &e.reporting_point_id, &e.campaign_id, &e.suggester_id}) {
    PutOrderedString(&v, *s);
  }
  for (const std::string& org : e.organisation_ids) PutOrderedString(&v, org);
  return v;
}

bool DecodeListEntry(absl::string_view in, ListEntry* e) {
  uint64_t kind = 0, created = 0, level = 0, warn = 0;
  if (in.empty() || in[0] != kListEntryV2) return false;
  in.remove_prefix(1);
  if (!GetOrderedString(&in, &e->case_number) || !GetFixed64BE(&in, &kind) ||
      !GetFixed64BE(&in, &created) || in.empty() || in[0] > 1) {
    return false;
  }
  e->kind = static_cast<int32_t>(static_cast<int64_t>(kind));
  e->create_time = TimeFromOrdered(created);
  e->open = in[0] == 1;
  in.remove_prefix(1);
  if (!GetFixed64BE(&in, &level) || in.empty() || in[0] > 1) return false;
  const bool has_warn = in[0] == 1;
  in.remove_prefix(1);
  if (!GetFixed64BE(&in, &warn)) return false;
  e->escalation_level = static_cast<int32_t>(static_cast<int64_t>(level));
  e->warn_time = has_warn ? std::optional<absl::Time>(TimeFromOrdered(warn))
                          : std::nullopt;
  for (std::string* s :
       {&e->state, &e->reporting_point_id, &e->campaign_id, &e->suggester_id}) {
    if (!GetOrderedString(&in, s)) return false;
  }
  e->organisation_ids.clear();
  while (!in.empty()) {
    if (!GetOrderedString(&in, &e->organisation_ids.emplace_back())) {
      return false;
    }
  }
  return true;
}

}  // namespace jianyan::storage
