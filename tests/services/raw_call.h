// RawUnaryCall: one unary call whose request body is `body` as given, for
// tests that send what no typed client would (garbage, invalid UTF-8 in a
// string field). Blocks until the call ends; returns its status.
#ifndef JIANYAN_TESTS_SERVICES_RAW_CALL_H_
#define JIANYAN_TESTS_SERVICES_RAW_CALL_H_

#include <condition_variable>
#include <mutex>
#include <string>

#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"

namespace jianyan::testing {

// One unary call of `method` with `request` as its body; blocks until it
// ends and returns its status (the answer in *response).
inline grpc::Status BlockingUnaryCall(grpc::GenericStub& stub,
                                      grpc::ClientContext* ctx,
                                      const std::string& method,
                                      const grpc::ByteBuffer& request,
                                      grpc::ByteBuffer* response) {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(ctx, method, grpc::StubOptions(), &request, response,
                 [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  return status;
}

inline grpc::Status RawUnaryCall(grpc::GenericStub& stub,
                                 grpc::ClientContext* ctx,
                                 const std::string& method,
                                 const std::string& body) {
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1), response;
  return BlockingUnaryCall(stub, ctx, method, request, &response);
}

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_SERVICES_RAW_CALL_H_
