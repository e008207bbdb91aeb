// SHA-256, HMAC-SHA256 and the bytes SHA-256 is taken over
// (DeterministicBytes).
#include "workflow/sha256.h"

#include <string>
#include <thread>
#include <vector>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "jianyan/v1/case.pb.h"
#include "workflow/deterministic_bytes.h"
#include "workflow/hmac_sha256.h"

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

// RFC 4231 test cases 1, 2 and 6 (a key longer than SHA-256's block), and
// a thread switching keys between calls: its context follows the key.
TEST(HmacSha256Test, KnownAnswersWhateverTheOrderOfKeys) {
  const std::string key1(20, '\x0b');
  const std::string key6(131, '\xaa');
  const std::string data6 =
      "Test Using Larger Than Block-Size Key - Hash Key First";
  const std::string mac1 =
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
  const std::string mac2 =
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  const std::string mac6 =
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(ToHex(HmacSha256(key1, "Hi There")), mac1);
    EXPECT_EQ(ToHex(HmacSha256(key1, "Hi There")), mac1);
    EXPECT_EQ(ToHex(HmacSha256("Jefe", "what do ya want for nothing?")), mac2);
    EXPECT_EQ(ToHex(HmacSha256(key6, data6)), mac6);
  }
  std::string other_thread;
  std::thread t([&] { other_thread = ToHex(HmacSha256(key6, data6)); });
  t.join();
  EXPECT_EQ(other_thread, mac6);
  // A key that is a prefix of the cached one is another key.
  EXPECT_NE(HmacSha256(key1.substr(0, 19), "Hi There"),
            HmacSha256(key1, "Hi There"));
}

TEST(Sha256Test, ThreadsHashIndependently) {
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&got, i] {
      for (int n = 0; n < 100; ++n) got[i] = ToHex(Sha256Digest("abc"));
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& g : got) {
    EXPECT_EQ(
        g, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
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
