#include "services/cli/definition_diff.h"

#include <map>
#include <set>

#include "google/protobuf/util/message_differencer.h"

namespace jianyan::cli {
namespace {

namespace v1 = jianyan::v1;
using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;
using SpecificField = MessageDifferencer::SpecificField;

// Collects the names of the top-level fields that differ.
class FieldCollector : public MessageDifferencer::Reporter {
 public:
  void ReportAdded(const Message&, const Message&,
                   const std::vector<SpecificField>& path) override {
    Add(path);
  }
  void ReportDeleted(const Message&, const Message&,
                     const std::vector<SpecificField>& path) override {
    Add(path);
  }
  void ReportModified(const Message&, const Message&,
                      const std::vector<SpecificField>& path) override {
    Add(path);
  }
  std::vector<std::string> fields() const {
    return {names_.begin(), names_.end()};
  }

 private:
  void Add(const std::vector<SpecificField>& path) {
    if (!path.empty() && path[0].field != nullptr) {
      names_.insert(path[0].field->name());
    }
  }
  std::set<std::string> names_;
};

// The top-level fields in which `a` and `b` differ (empty: equal).
std::vector<std::string> ChangedFields(const Message& a, const Message& b) {
  FieldCollector collector;
  MessageDifferencer differencer;
  differencer.ReportDifferencesTo(&collector);
  differencer.Compare(a, b);
  return collector.fields();
}

// Appends the changes of one kind of named item (states, actions, timers).
template <typename Item, typename Items>
void DiffItems(const std::string& kind, const Items& from, const Items& to,
               std::vector<DefinitionChange>* out) {
  std::map<std::string, const Item*> old_items;
  for (const Item& item : from) old_items[item.name()] = &item;
  std::set<std::string> seen;
  for (const Item& item : to) {
    seen.insert(item.name());
    auto it = old_items.find(item.name());
    if (it == old_items.end()) {
      out->push_back({kind, item.name(), "added", item.label(), {}});
      continue;
    }
    std::vector<std::string> fields = ChangedFields(*it->second, item);
    if (!fields.empty()) {
      out->push_back({kind, item.name(), "changed", item.label(), fields});
    }
  }
  for (const Item& item : from) {
    if (seen.count(item.name()) == 0) {
      out->push_back({kind, item.name(), "removed", item.label(), {}});
    }
  }
}

}  // namespace

std::vector<DefinitionChange> DiffDefinitions(
    const v1::WorkflowDefinition& from, const v1::WorkflowDefinition& to) {
  std::vector<DefinitionChange> out;
  v1::WorkflowDefinition a = from, b = to;
  for (v1::WorkflowDefinition* d : {&a, &b}) {
    d->clear_version();
    d->clear_states();
    d->clear_actions();
    d->clear_timers();
  }
  std::vector<std::string> fields = ChangedFields(a, b);
  if (!fields.empty()) {
    out.push_back({"definition", to.name(), "changed", to.label(), fields});
  }
  DiffItems<v1::StateDef>("state", from.states(), to.states(), &out);
  DiffItems<v1::ActionDef>("action", from.actions(), to.actions(), &out);
  DiffItems<v1::TimerDef>("timer", from.timers(), to.timers(), &out);
  return out;
}

google::protobuf::Struct ChangeToStruct(const DefinitionChange& change) {
  google::protobuf::Struct s;
  auto& f = *s.mutable_fields();
  f["kind"].set_string_value(change.kind);
  f["name"].set_string_value(change.name);
  f["change"].set_string_value(change.change);
  auto& label = *f["label"].mutable_struct_value()->mutable_fields();
  label["zh"].set_string_value(change.label.zh());
  label["en"].set_string_value(change.label.en());
  auto* list = f["fields"].mutable_list_value();
  for (const std::string& name : change.fields) {
    list->add_values()->set_string_value(name);
  }
  return s;
}

}  // namespace jianyan::cli
