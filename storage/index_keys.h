// Key codecs of the listing indexes (version 1).
//   idx_matter:   v1 | str(H(id number)) | str(category) | str(case)
// t() is OrderedTime: lists come oldest (or soonest due) first.
// Schema 6 retired the five single-purpose families of the old ListBy*
// calls (idx_state, idx_org, idx_point, idx_campaign, idx_deadline): the
// idx_list indexes below answer the same questions, so a command no longer
// writes the same fact twice.
// idx_matter (schema 5) holds one entry per (representative identity
// number, category) of each petition with a category (the repeat and
// 终结 checks of CreateCase); H is MatterIdHash, never the number itself.
//
// idx_list (schema 3) holds every index of CaseStore::ListCases, told apart
// by a one-letter tag string after the version byte. Each key is a prefix
// (tag and fixed fields) followed by a position, t(create or due) |
// str(case), the same for every index of one order, so that page tokens and
// the merge of several organisations' ranges compare positions only:
//   a: v1 | str("a") | t(create) | str(case)                 every case
//   s: v1 | str("s") | str(state) | t(create) | str(case)
//   o: v1 | str("o") | str(org) | t(create) | str(case)      each org of the
//      case's organisation set (see ListOrganisations)
//   O: v1 | str("O") | str(org) | str(state) | t(create) | str(case)
//   p: v1 | str("p") | str(point) | t(create) | str(case)
//   c: v1 | str("c") | str(campaign) | t(create) | str(case)
//   u: v1 | str("u") | str(suggester) | t(create) | str(case)
//   d: v1 | str("d") | t(due) | str(case)      open cases with a due time
//   D: v1 | str("D") | str(org) | t(due) | str(case)   the same, per org
// Every idx_list value is EncodeListEntry of the case: its number and the
// fields a query filters on, so residual filters need no case read. The
// value starts with its own version byte (2 since schema 4, which added the
// escalation level and the warn time; the value of schema 3 had none).
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_INDEX_KEYS_H_
#define JIANYAN_STORAGE_INDEX_KEYS_H_

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jianyan::storage {

// SHA-256 of `salt` (the store's 32 random bytes, meta "matter_salt")
// followed by `id_number` upper-cased (ASCII): a reader of the database
// cannot look a number up without the salt, nor read numbers back.
std::string MatterIdHash(absl::string_view salt, absl::string_view id_number);
// The entries of one (identity hash, category); the key of one case.
std::string MatterIndexPrefix(absl::string_view id_hash,
                              absl::string_view category);
std::string MatterIndexKey(absl::string_view id_hash,
                           absl::string_view category,
                           absl::string_view case_number);

// The idx_list indexes (tags above).
enum class ListIndex : char {
  kAll = 'a',
  kState = 's',
  kOrg = 'o',
  kOrgState = 'O',
  kPoint = 'p',
  kCampaign = 'c',
  kSuggester = 'u',
  kDue = 'd',
  kOrgDue = 'D',
};

// v1 | str(tag) | str(field)... : the fixed part of an idx_list key.
std::string ListIndexPrefix(ListIndex index,
                            std::initializer_list<absl::string_view> fields);
// t | str(case): the position of an entry within its prefix.
std::string ListPosition(absl::Time t, absl::string_view case_number);
// t alone: the first position at or after `t` (a range bound).
std::string ListTimeBound(absl::Time t);
// True when `position` is exactly one ListPosition.
bool IsListPosition(absl::string_view position);

// The value of every idx_list entry.
struct ListEntry {
  std::string case_number;
  int32_t kind = 0;  // jianyan.v1.CaseKind
  absl::Time create_time;
  bool open = false;
  std::string state;
  std::string reporting_point_id;
  std::string campaign_id;
  std::string suggester_id;
  std::vector<std::string> organisation_ids;  // sorted, unique
  int32_t escalation_level = 0;               // jianyan.v1.EscalationLevel
  // The earliest warn_time of the case's running deadlines (not paused,
  // with a due time); nullopt when none has one.
  std::optional<absl::Time> warn_time;
};
inline constexpr char kListEntryV2 = 0x02;
std::string EncodeListEntry(const ListEntry& e);
// Returns false on malformed input (also on a value of schema 3).
bool DecodeListEntry(absl::string_view in, ListEntry* e);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_INDEX_KEYS_H_
