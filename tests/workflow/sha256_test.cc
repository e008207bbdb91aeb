// SHA-256 and the bytes it is taken over (DeterministicBytes).
#include "workflow/sha256.h"

#include <string>
#include <vector>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "jianyan/v1/case.pb.h"
#include "workflow/deterministic_bytes.h"

namespace jianyan {
namespace {

// FIPS 180-4 / NIST CAVP known answers.
TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(ToHex(Sha256Digest("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256Digest("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Sha256Digest(
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(ToHex(Sha256Digest(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Sha256Digest("abc").size(), 32u);
}

// protobuf's own deterministic serialization through a growing string
// stream, as DeterministicBytes wrote it before it sized its buffer: stored
// hash chains and definition versions depend on the bytes staying the same.
std::string Reference(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

TEST(DeterministicBytesTest, SameBytesAsProtobufWhateverTheMapOrder) {
  EXPECT_EQ(DeterministicBytes(jianyan::v1::Event()), "");
  std::vector<std::string> keys;
  for (int i = 0; i < 40; ++i) keys.push_back("field_" + std::to_string(i));
  jianyan::v1::Event forward, backward;
  for (auto* e : {&forward, &backward}) {
    e->set_case_number("XF2026-000001");
    e->set_seq(7);
    e->set_reason(std::string(3000, 'r') + "中文");
    e->mutable_actor()->set_principal_id("handler-1");
    e->mutable_time()->set_seconds(1780000000);
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    (*forward.mutable_fields())[keys[i]] = "v" + std::to_string(i);
    const size_t j = keys.size() - 1 - i;
    (*backward.mutable_fields())[keys[j]] = "v" + std::to_string(j);
  }
  const std::string bytes = DeterministicBytes(forward);
  EXPECT_EQ(bytes, DeterministicBytes(backward));
  EXPECT_EQ(bytes, Reference(forward));
  EXPECT_EQ(bytes.size(), forward.ByteSizeLong());
  jianyan::v1::Event parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_EQ(parsed.fields().size(), keys.size());
  EXPECT_EQ(parsed.reason(), forward.reason());
}

}  // namespace
}  // namespace jianyan
