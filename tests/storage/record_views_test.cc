// wire_fields.h and record_views.h: top-level field scans of serialized
// messages and the partial parses built on them. Pure functions, no store.
#include "storage/record_views.h"

#include <string>
#include <vector>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "storage/wire_fields.h"

namespace jianyan::storage {
namespace {

using google::protobuf::util::MessageDifferencer;
using jianyan::v1::Case;
using jianyan::v1::Event;
using jianyan::v1::StoredCase;
using jianyan::v1::StoredEvent;

// A case with every kind of field set, the parts the outline drops among
// them.
StoredCase FullCase() {
  StoredCase s;
  Case& c = *s.mutable_case_();
  c.set_case_number("P2026-00000007-3");
  c.set_kind(jianyan::v1::CASE_KIND_PETITION);
  c.set_reporting_point_id("point-1");
  c.mutable_submitter()->set_anonymous(false);
  c.mutable_submitter()->add_representatives()->set_name("张三");
  c.set_title("小区噪音");
  c.set_content(std::string(3000, 'x') + "夜间施工噪音扰民");
  c.add_attachments()->set_name("photo.jpg");
  c.add_attachments()->set_name("note.pdf");
  c.set_state("registered");
  c.mutable_state_label()->set_zh("已登记");
  c.set_handling_organisation_id("org-1");
  c.add_co_handler_organisation_ids("org-2");
  c.add_deadlines()->set_timer("accept");
  c.mutable_due_time()->set_seconds(1790000000);
  c.set_version(~uint64_t{0});  // a varint of ten bytes
  (*c.mutable_attributes())["opinion"] = "已答复";
  (*c.mutable_action_counts())["register"] = 1;
  c.set_last_event_seq(3);
  c.set_open(true);
  c.add_possible_repeat_of("P2025-00000001-1");
  s.set_query_code_hash(std::string(32, '\x01'));
  s.set_last_event_hash(std::string(32, '\x02'));
  return s;
}

// `s` as its outline should read: without the four intake fields.
StoredCase Outlined(StoredCase s) {
  Case& c = *s.mutable_case_();
  c.clear_submitter();
  c.clear_title();
  c.clear_content();
  c.clear_attachments();
  return s;
}

Event FullEvent() {
  Event e;
  e.set_case_number("P2026-00000007-3");
  e.set_seq(~uint64_t{0});  // a varint of ten bytes
  e.set_action("accept");
  e.mutable_action_label()->set_zh("受理");
  e.mutable_actor()->set_principal_id("handler-1");
  e.set_reason("依法受理");
  (*e.mutable_fields())["opinion"] = "同意";
  e.mutable_time()->set_seconds(1790000100);
  e.set_from_state("registered");
  e.set_to_state("accepted");
  e.set_request_id("r-1");
  e.set_prev_hash(std::string(32, '\x03'));
  e.mutable_rating()->set_comment("好");
  return e;
}

std::string StoredEventBytes(const Event& e) {
  StoredEvent s;
  s.set_event(e.SerializeAsString());
  s.add_counters()->set_metric("accepted");
  return s.SerializeAsString();
}

TEST(WireFieldsTest, SplitsTopLevelFieldsInOrder) {
  const std::string bytes = FullEvent().SerializeAsString();
  std::vector<uint32_t> numbers;
  std::string joined;
  ASSERT_TRUE(ForEachWireField(bytes, [&](const WireField& f) {
    numbers.push_back(f.number);
    joined.append(f.whole.data(), f.whole.size());
  }));
  EXPECT_EQ(joined, bytes);  // nothing lost, nothing reordered
  EXPECT_EQ(numbers, (std::vector<uint32_t>{1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12,
                                            13, 15}));
  EXPECT_TRUE(ForEachWireField("", [](const WireField&) { FAIL(); }));
  // A tag of five bytes is kept modulo 2^32, as protobuf reads it: field
  // 2^29-1 here.
  const std::string high("\xf8\xff\xff\xff\x7f\x01", 6);
  uint32_t number = 0;
  ASSERT_TRUE(
      ForEachWireField(high, [&](const WireField& f) { number = f.number; }));
  EXPECT_EQ(number, 0x1FFFFFFFu);
}

TEST(WireFieldsTest, MalformedInputIsRefused) {
  const std::string good = FullEvent().SerializeAsString();
  const std::vector<std::string> bad = {
      std::string("\x08", 1),          // varint field without a value
      std::string("\x08\xff\xff", 3),  // truncated varint
      "\x08" + std::string(10, '\xff') + "\x01",  // varint of 11 bytes
      std::string("\x0a\x05"
                  "abc",
                  5),                                  // length past the end
      std::string("\x00\x01", 2),                      // field number 0
      std::string("\xf8\xff\xff\xff\xff\x01\x01", 7),  // a tag of 6 bytes
      std::string("\x0c", 1),                          // an end-group tag alone
      std::string("\x0b\x10\x01", 3),   // a group without its end
      std::string("\x0b\x14", 2),       // a group ended by another
      std::string("\x0e\x00", 2),       // wire type 6
      std::string("\x09\x01\x02", 3),   // fixed64 cut short
      std::string("\x0d\x01", 2),       // fixed32 cut short
      good.substr(0, good.size() - 1),  // the last field cut short
  };
  for (const std::string& in : bad) {
    std::string out;
    EXPECT_FALSE(KeepWireFields(
        in, [](uint32_t) { return true; }, &out))
        << testing::PrintToString(in);
  }
}

TEST(WireFieldsTest, AGroupIsOneFieldUpToItsEnd) {
  // Field 1 group { field 2 = 1, field 3 group {} }, then field 4 = 5: what
  // protobuf skips as unknown fields, though the store writes no groups.
  const std::string in("\x0b\x10\x01\x1b\x1c\x0c\x20\x05", 8);
  std::vector<std::string> wholes;
  ASSERT_TRUE(ForEachWireField(in, [&](const WireField& f) {
    wholes.emplace_back(f.whole.data(), f.whole.size());
  }));
  EXPECT_EQ(wholes, (std::vector<std::string>{in.substr(0, 6), in.substr(6)}));
  std::string deep;
  for (int i = 0; i < 200; ++i) deep.push_back('\x0b');
  for (int i = 0; i < 200; ++i) deep.push_back('\x0c');
  std::string out;
  EXPECT_FALSE(KeepWireFields(
      deep, [](uint32_t) { return true; }, &out));
}

TEST(WireFieldsTest, KeepsOnlyTheAcceptedFields) {
  const std::string bytes = FullEvent().SerializeAsString();
  std::string kept;
  ASSERT_TRUE(KeepWireFields(
      bytes, [](uint32_t n) { return n == 2 || n == 9; }, &kept));
  Event e;
  ASSERT_TRUE(e.ParseFromString(kept));
  Event want;
  want.set_seq(~uint64_t{0});
  want.mutable_time()->set_seconds(1790000100);
  EXPECT_TRUE(MessageDifferencer::Equals(e, want)) << e.DebugString();
}

TEST(RecordViewsTest, TheOutlineIsTheCaseWithoutWhatTheSubmitterWrote) {
  const StoredCase full = FullCase();
  StoredCase outline;
  ASSERT_TRUE(ParseCaseOutline(full.SerializeAsString(), &outline));
  EXPECT_TRUE(MessageDifferencer::Equals(outline, Outlined(full)))
      << outline.DebugString();
}

TEST(RecordViewsTest, AnOutlineMergesACaseSerializedInParts) {
  // Protobuf merges the occurrences of a message field: so must the
  // outline, each part without what it leaves out.
  const StoredCase full = FullCase();
  Case first = full.case_();
  first.clear_state();
  Case second;
  second.set_state("accepted");
  second.set_content("more");
  second.mutable_submitter()->set_group_size(3);
  std::string bytes;
  AppendLengthDelimited(StoredCase::kCaseFieldNumber, first.SerializeAsString(),
                        &bytes);
  AppendLengthDelimited(StoredCase::kCaseFieldNumber,
                        second.SerializeAsString(), &bytes);
  StoredCase merged;
  ASSERT_TRUE(merged.ParseFromString(bytes));
  ASSERT_EQ(merged.case_().state(), "accepted");
  StoredCase outline;
  ASSERT_TRUE(ParseCaseOutline(bytes, &outline));
  EXPECT_TRUE(MessageDifferencer::Equals(outline, Outlined(merged)))
      << outline.DebugString();
}

TEST(RecordViewsTest, AnOutlineOfAMalformedRecordFails) {
  const std::string bytes = FullCase().SerializeAsString();
  StoredCase out;
  EXPECT_FALSE(ParseCaseOutline(bytes.substr(0, bytes.size() / 2), &out));
  // Well-formed wire format inside the case, but a kept field that does not
  // parse: the state as invalid UTF-8.
  std::string bad_state;
  AppendLengthDelimited(Case::kStateFieldNumber, "\xff\xfe", &bad_state);
  std::string stored;
  AppendLengthDelimited(StoredCase::kCaseFieldNumber, bad_state, &stored);
  EXPECT_FALSE(ParseCaseOutline(stored, &out));
}

TEST(RecordViewsTest, AStepIsTheEventsLabelTimeAndStates) {
  const Event full = FullEvent();
  Event step;
  ASSERT_TRUE(ParseEventStep(StoredEventBytes(full), &step));
  Event want;
  want.set_case_number(full.case_number());
  want.set_seq(full.seq());
  want.set_action(full.action());
  *want.mutable_action_label() = full.action_label();
  *want.mutable_time() = full.time();
  want.set_from_state(full.from_state());
  want.set_to_state(full.to_state());
  EXPECT_TRUE(MessageDifferencer::Equals(step, want)) << step.DebugString();

  Event whole;
  ASSERT_TRUE(ParseStoredEvent(StoredEventBytes(full), &whole));
  EXPECT_TRUE(MessageDifferencer::Equals(whole, full));
}

TEST(RecordViewsTest, TheLastEventBytesOfAStoredEventCount) {
  Event older = FullEvent();
  older.set_seq(1);
  std::string bytes = StoredEventBytes(older);
  AppendLengthDelimited(StoredEvent::kEventFieldNumber,
                        FullEvent().SerializeAsString(), &bytes);
  Event whole, step;
  ASSERT_TRUE(ParseStoredEvent(bytes, &whole));
  ASSERT_TRUE(ParseEventStep(bytes, &step));
  EXPECT_EQ(whole.seq(), ~uint64_t{0});
  EXPECT_EQ(step.seq(), whole.seq());
}

TEST(RecordViewsTest, AStoredEventWithoutItsEventIsNoStep) {
  StoredEvent s;
  s.add_counters()->set_metric("accepted");
  Event step;
  EXPECT_FALSE(ParseEventStep(s.SerializeAsString(), &step));
  const std::string bytes = StoredEventBytes(FullEvent());
  EXPECT_FALSE(ParseEventStep(bytes.substr(0, bytes.size() - 3), &step));
}

}  // namespace
}  // namespace jianyan::storage
