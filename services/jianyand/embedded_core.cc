#include "services/jianyand/embedded_core.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/log.h"
#include "services/jianyand/admin_bootstrap.h"
#include "workflow/calendar.h"
#include "workflow/definition_loader.h"

namespace jianyan {
namespace {

absl::Status Prefixed(absl::string_view prefix, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat(prefix, ": ", s.message()));
}

// Warns once per calendar when `year` has no file: deadlines computed for it
// count weekends only and are marked provisional.
void WarnOnMissingCalendarYears(const EmbeddedCore::DefinitionMap& definitions,
                                int year) {
  std::map<std::string, bool> seen;
  for (const auto& [name, definition] : definitions) {
    const WorkingCalendar& calendar = definition->calendar();
    if (seen[calendar.name()]) continue;
    seen[calendar.name()] = true;
    if (!calendar.HasYear(year)) {
      LogWarning("calendar '", calendar.name(), "' has no year ", year,
                 ": working-day deadlines are provisional until an "
                 "administrator loads that year's file");
    }
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<EmbeddedCore>> EmbeddedCore::Open(
    const jianyan::v1::ServerConfig& config, const Clock& clock) {
  std::unique_ptr<EmbeddedCore> core(new EmbeddedCore());

  const std::string calendars_dir = config.calendars_dir().empty()
                                        ? DefaultCalendarsDir()
                                        : config.calendars_dir();
  auto calendars = LoadCalendarDir(calendars_dir);
  if (!calendars.ok()) return Prefixed("calendars", calendars.status());
  const std::string definitions_dir = config.definitions_dir().empty()
                                          ? DefaultDefinitionsDir()
                                          : config.definitions_dir();
  auto definitions = LoadDefinitionDir(definitions_dir, *calendars);
  if (!definitions.ok()) return Prefixed("definitions", definitions.status());
  if (definitions->empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("definitions: no *.textproto in ", definitions_dir));
  }

  auto data_dir = DataDir::Open(config.data_dir());
  if (!data_dir.ok()) return data_dir.status();
  core->data_dir_ = *std::move(data_dir);

  storage::CaseStoreOptions options =
      storage::CaseStoreOptions::FromConfig(config.store());
  options.clock = &clock;
  if (config.limits().max_inflight_commands() > 0) {
    options.max_queued_commands = config.limits().max_inflight_commands();
  }
  auto store = storage::CaseStore::Open(options, config.data_dir() + "/db");
  if (!store.ok()) return Prefixed("store", store.status());
  core->store_ = *std::move(store);

  if (absl::Status s = BootstrapAdmin(config.data_dir(), *core->store_, clock);
      !s.ok()) {
    return s;
  }
  WarnOnMissingCalendarYears(
      *definitions, absl::ToCivilYear(clock.Now(), ChinaTimeZone()).year());
  WorkflowCoreOptions core_options;
  core_options.calendars = *std::move(calendars);
  core_options.from_files = *std::move(definitions);
  core_options.backup_root = config.backup_root();
  auto opened =
      WorkflowCore::Open(*core->store_, clock, std::move(core_options));
  if (!opened.ok()) return Prefixed("core", opened.status());
  core->core_ = *std::move(opened);
  for (const DefinitionPtr& def : core->core_->registry().List("")) {
    auto current = core->core_->registry().Current(def->name());
    LogInfo("workflow '", def->name(), "' version ", def->version(),
            current.ok() && *current == def ? " (current)" : "");
  }
  return core;
}

EmbeddedCore::~EmbeddedCore() {
  // The scheduler and the notice hub let go of the store before it closes.
  if (core_ != nullptr) core_->Quiesce();
  // The store first: its close runs the callbacks of queued commands, which
  // use the core's case commands.
  store_.reset();
  core_.reset();  // before the data-dir lock is released
}

}  // namespace jianyan
