// `jianyan admin definition validate|put|list|show|diff`: workflow
// definitions. `validate` runs locally, with the loader and validator the
// server uses (workflow/definition_loader.h); the others call AdminService.
// Versions are content digests: a command takes a version's unique prefix,
// or "current" for the version new cases pin now.
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/text_format.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "services/cli/admin_commands.h"
#include "services/cli/app.h"
#include "services/cli/definition_diff.h"
#include "services/cli/errors.h"
#include "services/cli/exit_codes.h"
#include "services/cli/format.h"
#include "services/cli/paging.h"
#include "workflow/calendar.h"
#include "workflow/definition_loader.h"

namespace jianyan::cli {
namespace {

namespace v1 = jianyan::v1;

// Every stored definition (states, actions and timers omitted).
std::vector<v1::WorkflowDefinition> ListAll(CliContext& ctx) {
  auto stub = ctx.Stub<v1::AdminService>();
  std::vector<v1::WorkflowDefinition> all;
  ForEachPage<v1::ListWorkflowDefinitionsResponse>(
      v1::ListRequest(), /*all=*/true,
      [&](const v1::ListRequest& r, v1::ListWorkflowDefinitionsResponse* page) {
        ctx.Check(stub->ListWorkflowDefinitions(ctx.Call().get(), r, page),
                  "admin definition list");
      },
      [&](const v1::ListWorkflowDefinitionsResponse& page) {
        all.insert(all.end(), page.definitions().begin(),
                   page.definitions().end());
      });
  return all;
}

// The definition `name` at `version` ("" or "current": the current one; else
// a unique prefix of a stored version).
v1::WorkflowDefinition Fetch(CliContext& ctx, const std::string& name,
                             const std::string& version) {
  v1::GetWorkflowDefinitionRequest r;
  r.set_name(name);
  if (!version.empty() && version != "current") {
    std::vector<std::string> matches, versions;
    for (const auto& d : ListAll(ctx)) {
      if (d.name() != name) continue;
      versions.push_back(d.version());
      if (absl::StartsWith(d.version(), version))
        matches.push_back(d.version());
    }
    if (matches.size() > 1) {
      FailUsage(absl::StrCat("version '", version, "' of ", name,
                             " is ambiguous: ", absl::StrJoin(matches, ", ")));
    }
    if (matches.empty()) {
      std::cerr << "jianyan: definition " << name << " has no version '"
                << version << "'"
                << (versions.empty()
                        ? " (no such definition)"
                        : " (it has: " + absl::StrJoin(versions, ", ") + ")")
                << "\n";
      throw CliExit{kExitRefused};
    }
    r.set_version(matches[0]);
  }
  v1::WorkflowDefinition def;
  ctx.Check(ctx.Stub<v1::AdminService>()->GetWorkflowDefinition(
                ctx.Call().get(), r, &def),
            "admin definition show");
  return def;
}

std::string Duration(const v1::DurationSpec& d) {
  if (d.amount() == 0) return "-";
  return absl::StrCat(d.amount(), " ",
                      EnumShort(v1::DurationUnit_descriptor(), d.unit()));
}

std::string StateFlags(const v1::StateDef& s) {
  std::vector<std::string> flags;
  if (s.closed()) flags.push_back("closed");
  if (s.terminal()) flags.push_back("terminal");
  if (s.rateable()) flags.push_back("rateable");
  if (s.bars_resubmission()) flags.push_back("bars_resubmission");
  return flags.empty() ? "-" : absl::StrJoin(flags, ",");
}

std::string Roles(const v1::ActionDef& a) {
  if (a.system_only()) return "system";
  std::vector<std::string> roles;
  for (int r : a.roles()) roles.push_back(EnumShort(v1::Role_descriptor(), r));
  return roles.empty() ? "-" : absl::StrJoin(roles, ",");
}

void ShowDefinition(Output& out, const v1::WorkflowDefinition& d) {
  out.Record({{"definition", LabelAnd(d.label(), d.name())},
              {"version", d.version()},
              {"kind", EnumShort(v1::CaseKind_descriptor(), d.kind())},
              {"initial state", d.initial_state()},
              {"calendar", d.calendar()}});
  out.stream() << "\n";
  Table states({"STATE", "LABEL", "FLAGS"});
  for (const auto& s : d.states()) {
    states.Add({s.name(), s.label().zh(), StateFlags(s)});
  }
  out.Print(states);
  out.stream() << "\n";
  Table actions({"ACTION", "LABEL", "FROM", "TO", "ROLES"});
  for (const auto& a : d.actions()) {
    actions.Add(
        {a.name(), a.label().zh(),
         a.from_states().empty() ? "-" : absl::StrJoin(a.from_states(), ","),
         a.to_state().empty() ? "-" : a.to_state(), Roles(a)});
  }
  out.Print(actions);
  out.stream() << "\n";
  Table timers({"TIMER", "LABEL", "DURATION", "STARTS IN", "ON EXPIRY"});
  for (const auto& t : d.timers()) {
    timers.Add({t.name(), t.label().zh(), Duration(t.duration()),
                t.start_on_enter().empty()
                    ? "-"
                    : absl::StrJoin(t.start_on_enter(), ","),
                t.on_expiry().empty() ? "-" : t.on_expiry()});
  }
  out.Print(timers);
}

void AddValidate(CLI::App& group) {
  auto file = std::make_shared<std::string>();
  auto calendars = std::make_shared<std::string>(DefaultCalendarsDir());
  CLI::App* c = group.add_subcommand(
      "validate",
      "check a definition file locally, as the server would load it (no "
      "server needed; exit 1 when invalid)");
  c->add_option("FILE", *file, "definition textproto")->required();
  CLI::Option* given =
      c->add_option("--calendars", *calendars,
                    "directory of calendar files (default: the source "
                    "tree's; without it, weekends-only calendars)")
          ->capture_default_str();
  SetExample(c, "jianyan admin definition validate my-petition.textproto");
  c->callback([file, calendars, given] {
    CalendarMap cals;
    if (given->count() > 0 || std::filesystem::is_directory(*calendars)) {
      absl::StatusOr<CalendarMap> loaded = LoadCalendarDir(*calendars);
      if (!loaded.ok()) {
        FailUsage(absl::StrCat("--calendars: ", loaded.status().message()));
      }
      cals = *std::move(loaded);
    } else {
      // An installed client without the calendar files: the definition's
      // calendar counts weekdays only, as the server does for a year it
      // has no file for.
      v1::WorkflowDefinition partial;
      google::protobuf::TextFormat::Parser parser;
      parser.AllowPartialMessage(true);
      parser.ParseFromString(ReadFileOrUsage(*file, "FILE"), &partial);
      if (!partial.calendar().empty()) {
        cals[partial.calendar()] =
            std::make_shared<WorkingCalendar>(partial.calendar());
        std::cerr << "note: no calendar files in " << *calendars
                  << "; calendar '" << partial.calendar()
                  << "' counts weekdays only (--calendars DIR)\n";
      }
    }
    auto def = LoadDefinitionFromFile(*file, cals);
    if (!def.ok() && def.status().code() == absl::StatusCode::kNotFound) {
      FailUsage(def.status().message());
    }
    if (!def.ok()) {
      std::cerr << "jianyan: " << *file << " is not a valid definition:\n";
      for (absl::string_view problem :
           absl::StrSplit(def.status().message(), "; ")) {
        std::cerr << "  " << problem << "\n";
      }
      throw CliExit{kExitRefused};
    }
    const v1::WorkflowDefinition& d = (*def)->proto();
    std::cout << "ok: " << d.name() << " version " << d.version() << ", "
              << d.states_size() << " states, " << d.actions_size()
              << " actions, " << d.timers_size() << " timers\n";
  });
}

void AddPut(CLI::App& group, CliContext& ctx) {
  auto file = std::make_shared<std::string>();
  auto request_id = std::make_shared<std::string>();
  CLI::App* c = group.add_subcommand(
      "put",
      "store a definition and make it current for new cases (running cases "
      "keep theirs)");
  c->add_option("FILE", *file, "definition as textproto or JSON")->required();
  c->add_option("--request-id", *request_id, "idempotency id");
  SetExample(c, "jianyan admin definition put my-petition.textproto");
  c->callback([file, request_id, &ctx] {
    v1::PutWorkflowDefinitionRequest r;
    r.set_request_id(RequestIdOr(*request_id));
    const std::string text = ReadFileOrUsage(*file, "FILE");
    if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(text), "{")) {
      ReadMessageFile(*file, "FILE", r.mutable_definition());
    } else {
      r.set_textproto(text);
    }
    v1::WorkflowDefinition stored;
    ctx.Check(ctx.Stub<v1::AdminService>()->PutWorkflowDefinition(
                  ctx.Call().get(), r, &stored),
              "admin definition put");
    if (ctx.json()) {
      ctx.out().Json(stored);
      return;
    }
    ctx.out().Record({{"definition", LabelAnd(stored.label(), stored.name())},
                      {"version", stored.version()},
                      {"current", "yes (new cases pin it)"}});
  });
}

void AddList(CLI::App& group, CliContext& ctx) {
  CLI::App* c = group.add_subcommand(
      "list", "every stored version; * marks the one new cases pin");
  SetExample(c, "jianyan admin definition list");
  c->callback([&ctx] {
    std::vector<v1::WorkflowDefinition> all = ListAll(ctx);
    if (ctx.json()) {
      for (const auto& d : all) ctx.out().Json(d);
      return;
    }
    std::map<std::string, std::string> current;
    for (const auto& d : all) {
      if (current.count(d.name()) == 0) {
        current[d.name()] = Fetch(ctx, d.name(), "").version();
      }
    }
    Table table({"NAME", "VERSION", "CURRENT", "KIND", "LABEL"});
    for (const auto& d : all) {
      table.Add(
          {d.name(), d.version(), current[d.name()] == d.version() ? "*" : "",
           EnumShort(v1::CaseKind_descriptor(), d.kind()), d.label().zh()});
    }
    ctx.out().Print(table);
  });
}

void AddShow(CLI::App& group, CliContext& ctx) {
  struct Flags {
    std::string name, version;
    bool textproto = false;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* c = group.add_subcommand(
      "show", "one definition's states, actions and timers");
  c->add_option("NAME", f->name, "definition name, e.g. petition")->required();
  c->add_option("--version", f->version,
                "a version (or its unique prefix); default: current");
  c->add_flag("--textproto", f->textproto,
              "print it as textproto (to edit and put back)");
  SetExample(c, "jianyan admin definition show petition --version 3f2a");
  c->callback([f, &ctx] {
    v1::WorkflowDefinition d = Fetch(ctx, f->name, f->version);
    if (f->textproto) {
      std::string text;
      google::protobuf::TextFormat::PrintToString(d, &text);
      std::cout << text;
    } else if (ctx.json()) {
      ctx.out().Json(d);
    } else {
      ShowDefinition(ctx.out(), d);
    }
  });
}

void AddDiff(CLI::App& group, CliContext& ctx) {
  struct Flags {
    std::string name, from, to;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* c = group.add_subcommand(
      "diff",
      "the states, actions and timers added, removed or changed between two "
      "versions");
  c->add_option("NAME", f->name, "definition name")->required();
  c->add_option("V1", f->from, "the older version (prefix) or current")
      ->required();
  c->add_option("V2", f->to, "the newer version (prefix) or current")
      ->required();
  SetExample(c, "jianyan admin definition diff petition 3f2a 9c41");
  c->callback([f, &ctx] {
    const v1::WorkflowDefinition from = Fetch(ctx, f->name, f->from);
    const v1::WorkflowDefinition to = Fetch(ctx, f->name, f->to);
    const std::vector<DefinitionChange> changes = DiffDefinitions(from, to);
    if (ctx.json()) {
      for (const auto& change : changes) ctx.out().Json(ChangeToStruct(change));
      return;
    }
    std::cout << f->name << " " << from.version() << " → " << to.version()
              << ": " << changes.size() << " change"
              << (changes.size() == 1 ? "" : "s") << "\n";
    if (changes.empty()) return;
    Table table({"KIND", "NAME", "CHANGE", "LABEL", "FIELDS"});
    for (const auto& change : changes) {
      table.Add(
          {change.kind, change.name, change.change,
           absl::StrCat(change.label.zh(), " / ", change.label.en()),
           change.fields.empty() ? "-" : absl::StrJoin(change.fields, ",")});
    }
    ctx.out().Print(table);
  });
}

}  // namespace

void AddAdminDefinitionCommands(CLI::App& admin, CliContext& ctx) {
  CLI::App* group = admin.add_subcommand(
      "definition", "workflow definitions: validate, put, list, show, diff");
  group->require_subcommand(1);
  SetExample(group, "jianyan admin definition list");
  AddValidate(*group);
  AddPut(*group, ctx);
  AddList(*group, ctx);
  AddShow(*group, ctx);
  AddDiff(*group, ctx);
}

}  // namespace jianyan::cli
