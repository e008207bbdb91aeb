// NoticeStream: a blocking reader of one WatchEscalations stream, for the
// supervision tests (in-process and against a jianyand process).
#ifndef JIANYAN_TESTS_SERVICES_SUPERVISION_TEST_UTIL_H_
#define JIANYAN_TESTS_SERVICES_SUPERVISION_TEST_UTIL_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "jianyan/v1/supervision.grpc.pb.h"

namespace jianyan::testing {

// One WatchEscalations stream. Reads block until a notice arrives; the
// call's deadline (real time) only bounds a failing test.
class NoticeStream {
 public:
  NoticeStream(jianyan::v1::SupervisionService::StubInterface& stub,
               std::unique_ptr<grpc::ClientContext> ctx,
               const jianyan::v1::WatchEscalationsRequest& request)
      : ctx_(std::move(ctx)) {
    ctx_->set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
    reader_ = stub.WatchEscalations(ctx_.get(), request);
    // The server sends headers once subscribed: notices after this point
    // reach the stream.
    reader_->WaitForInitialMetadata();
  }
  ~NoticeStream() {
    if (reader_ != nullptr) {
      ctx_->TryCancel();
      reader_->Finish().IgnoreError();
    }
  }

  // The next notice; fails the test when the stream ends first.
  jianyan::v1::EscalationNotice Next() {
    jianyan::v1::EscalationNotice n;
    if (reader_ == nullptr) {
      ADD_FAILURE() << "stream already ended: " << status_.error_message();
      return n;
    }
    EXPECT_TRUE(reader_->Read(&n))
        << "stream ended: " << Finish().error_message();
    return n;
  }
  // The next notice into *out, or false (no failure) when the stream ended:
  // for probing whether a stream was admitted.
  bool TryNext(jianyan::v1::EscalationNotice* out) {
    return reader_ != nullptr && reader_->Read(out);
  }
  // Ends the stream and returns its status.
  grpc::Status Finish() {
    if (reader_ == nullptr) return status_;
    jianyan::v1::EscalationNotice ignored;
    while (reader_->Read(&ignored)) {
    }
    status_ = reader_->Finish();
    reader_.reset();
    return status_;
  }
  void Cancel() { ctx_->TryCancel(); }

 private:
  std::unique_ptr<grpc::ClientContext> ctx_;
  std::unique_ptr<grpc::ClientReaderInterface<jianyan::v1::EscalationNotice>>
      reader_;
  grpc::Status status_;
};

inline jianyan::v1::WatchEscalationsRequest WatchAfter(uint64_t cursor) {
  jianyan::v1::WatchEscalationsRequest r;
  r.set_after_cursor(cursor);
  return r;
}

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_SERVICES_SUPERVISION_TEST_UTIL_H_
