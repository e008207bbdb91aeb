#include "services/core/definition_registry.h"

#include "absl/strings/str_cat.h"
#include "workflow/status_macros.h"

namespace jianyan {
namespace {

std::shared_ptr<const WorkingCalendar> CalendarOf(const CalendarMap& calendars,
                                                  const std::string& name) {
  auto it = calendars.find(name);
  return it == calendars.end() ? nullptr : it->second;
}

}  // namespace

absl::StatusOr<std::unique_ptr<DefinitionRegistry>> DefinitionRegistry::Open(
    storage::CaseStore& store, CalendarMap calendars,
    const std::map<std::string, DefinitionPtr>& from_files) {
  std::unique_ptr<DefinitionRegistry> reg(new DefinitionRegistry(store));
  // Calendar years an administrator stored, beyond the files.
  storage::PageRequest page;
  page.page_size = 1000;
  do {
    std::string next;
    JY_ASSIGN_OR_RETURN(
        std::vector<std::string> records,
        store.ListDirectory(storage::DirectoryKind::kCalendarYear, page,
                            &next));
    for (const std::string& bytes : records) {
      jianyan::v1::CalendarYear year;
      if (!year.ParseFromString(bytes)) {
        return absl::DataLossError("directory: unreadable calendar year");
      }
      auto existing = CalendarOf(calendars, year.name());
      auto calendar = existing ? std::make_shared<WorkingCalendar>(*existing)
                               : std::make_shared<WorkingCalendar>(year.name());
      if (calendar->HasYear(year.year())) continue;  // the file wins
      JY_RETURN_IF_ERROR(calendar->AddYear(year));
      calendars[year.name()] = std::move(calendar);
    }
    page.page_token = next;
  } while (!page.page_token.empty());

  absl::MutexLock lock(&reg->mu_);
  reg->calendars_ = std::move(calendars);
  for (const auto& [name, def] : from_files) {
    absl::StatusOr<jianyan::v1::WorkflowDefinition> stored =
        store.GetDefinition(name, def->version());
    absl::StatusOr<std::string> current = store.GetCurrentDefinition(name);
    if (!current.ok() && !absl::IsNotFound(current.status())) {
      return current.status();
    }
    if (absl::IsNotFound(stored.status())) {
      JY_RETURN_IF_ERROR(
          store.PutDefinition(def->proto(), /*make_current=*/true));
    } else if (!stored.ok()) {
      return stored.status();
    } else if (!current.ok()) {
      JY_RETURN_IF_ERROR(store.SetCurrentDefinition(name, def->version()));
    }
  }
  JY_ASSIGN_OR_RETURN(std::vector<jianyan::v1::WorkflowDefinition> all,
                      store.ListDefinitions(""));
  for (jianyan::v1::WorkflowDefinition& proto : all) {
    const std::string name = proto.name();
    const std::string version = proto.version();
    auto calendar = CalendarOf(reg->calendars_, proto.calendar());
    // Stored versions may predate today's authoring rules.
    absl::StatusOr<DefinitionPtr> def = Definition::Create(
        std::move(proto), calendar, nullptr, DefinitionOrigin::kStored);
    if (!def.ok()) {
      return absl::Status(def.status().code(),
                          absl::StrCat("stored definition ", name, "@", version,
                                       ": ", def.status().message()));
    }
    if ((*def)->version() != version) {
      return absl::DataLossError(absl::StrCat("stored definition ", name, "@",
                                              version, " has digest ",
                                              (*def)->version()));
    }
    reg->versions_[{name, version}] = *def;
  }
  for (const auto& [key, def] : reg->versions_) {
    if (reg->current_.count(key.first)) continue;
    JY_ASSIGN_OR_RETURN(std::string version,
                        store.GetCurrentDefinition(key.first));
    auto it = reg->versions_.find({key.first, version});
    if (it == reg->versions_.end()) {
      return absl::DataLossError(absl::StrCat("current definition ", key.first,
                                              "@", version, " is not stored"));
    }
    reg->current_[key.first] = it->second;
  }
  return reg;
}

absl::StatusOr<DefinitionPtr> DefinitionRegistry::Pinned(
    const std::string& name, const std::string& version) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = versions_.find({name, version});
  if (it == versions_.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the case is pinned to definition ", name, "@", version,
                     ", which this store does not hold"));
  }
  return it->second;
}

absl::StatusOr<DefinitionPtr> DefinitionRegistry::Current(
    const std::string& name) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = current_.find(name);
  if (it == current_.end()) {
    return absl::NotFoundError(
        absl::StrCat("definition_name: no definition named '", name, "'"));
  }
  return it->second;
}

absl::StatusOr<DefinitionPtr> DefinitionRegistry::DefaultFor(
    jianyan::v1::CaseKind kind) const {
  const char* name = kind == jianyan::v1::CASE_KIND_PETITION     ? "petition"
                     : kind == jianyan::v1::CASE_KIND_SUGGESTION ? "suggestion"
                                                                 : nullptr;
  if (name == nullptr) {
    return absl::InvalidArgumentError(
        "case.kind: must be petition or suggestion");
  }
  absl::StatusOr<DefinitionPtr> def = Current(name);
  if (!def.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no '", name, "' definition is loaded"));
  }
  return def;
}

absl::StatusOr<DefinitionPtr> DefinitionRegistry::StoreAsCurrent(
    DefinitionPtr def) {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto current = current_.find(def->name());
    if (current != current_.end() &&
        current->second->proto().kind() != def->proto().kind()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "definition.kind: '", def->name(), "' is a definition of ",
          jianyan::v1::CaseKind_Name(current->second->proto().kind()),
          "; a new version keeps its kind"));
    }
  }
  JY_RETURN_IF_ERROR(store_.PutDefinition(def->proto(), /*make_current=*/true));
  absl::MutexLock lock(&mu_);
  versions_[{def->name(), def->version()}] = def;
  current_[def->name()] = def;
  return def;
}

absl::StatusOr<DefinitionPtr> DefinitionRegistry::PutText(
    const std::string& textproto) {
  absl::MutexLock write(&write_mu_);
  CalendarMap calendars;
  {
    absl::ReaderMutexLock lock(&mu_);
    calendars = calendars_;
  }
  absl::StatusOr<DefinitionPtr> def =
      LoadDefinitionFromText(textproto, "textproto", calendars);
  if (!def.ok()) return def.status();
  return StoreAsCurrent(*std::move(def));
}

absl::StatusOr<DefinitionPtr> DefinitionRegistry::Put(
    jianyan::v1::WorkflowDefinition proto) {
  absl::MutexLock write(&write_mu_);
  std::shared_ptr<const WorkingCalendar> calendar;
  {
    absl::ReaderMutexLock lock(&mu_);
    calendar = CalendarOf(calendars_, proto.calendar());
  }
  if (calendar == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "definition.calendar: unknown calendar '", proto.calendar(), "'"));
  }
  absl::StatusOr<DefinitionPtr> def = Definition::Create(
      std::move(proto), calendar, [](const DefinitionError& e) {
        return absl::StrCat("definition: ", e.message);
      });
  if (!def.ok()) return def.status();
  return StoreAsCurrent(*std::move(def));
}

std::vector<DefinitionPtr> DefinitionRegistry::List(
    const std::string& name) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<DefinitionPtr> out;
  for (const auto& [key, def] : versions_) {
    if (name.empty() || key.first == name) out.push_back(def);
  }
  return out;
}

absl::Status DefinitionRegistry::PutCalendarYear(
    const jianyan::v1::CalendarYear& year) {
  absl::MutexLock write(&write_mu_);
  std::shared_ptr<WorkingCalendar> calendar;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto existing = CalendarOf(calendars_, year.name());
    calendar = existing ? std::make_shared<WorkingCalendar>(*existing)
                        : std::make_shared<WorkingCalendar>(year.name());
  }
  if (calendar->HasYear(year.year())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "calendar_year: ", year.name(), " ", year.year(),
        " is already loaded; a loaded year is not replaced (it would move "
        "running deadlines)"));
  }
  absl::Status added = calendar->AddYear(year);
  if (!added.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("calendar_year: ", added.message()));
  }
  // Rebuild first, so a failure leaves nothing changed.
  std::map<std::pair<std::string, std::string>, DefinitionPtr> rebuilt;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [key, def] : versions_) {
      if (def->proto().calendar() != year.name()) continue;
      JY_ASSIGN_OR_RETURN(rebuilt[key],
                          Definition::Create(def->proto(), calendar, nullptr,
                                             DefinitionOrigin::kStored));
    }
  }
  JY_RETURN_IF_ERROR(store_.PutCalendarYear(year));
  absl::MutexLock lock(&mu_);
  calendars_[year.name()] = calendar;
  for (auto& [key, def] : rebuilt) {
    versions_[key] = def;
    auto cur = current_.find(key.first);
    if (cur != current_.end() && cur->second->version() == key.second) {
      cur->second = def;
    }
  }
  return absl::OkStatus();
}

}  // namespace jianyan
