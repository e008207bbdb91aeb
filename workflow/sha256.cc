#include "workflow/sha256.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "workflow/hmac_sha256.h"

namespace jianyan {
namespace {

// OpenSSL 3's one-shot SHA256() and HMAC() look their algorithm up by name
// on every call (EVP_MD_fetch: a locked search of the provider store), which
// cost more than the hashing of a case's event. Both are fetched once and
// each thread keeps its contexts.
EVP_MD* FetchedSha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

EVP_MAC* FetchedHmac() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

struct DigestCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

// This thread's HMAC-SHA256 context, keyed with `key`; null on failure.
EVP_MAC_CTX* HmacContext(absl::string_view key) {
  thread_local std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx;
  thread_local std::string ctx_key;
  if (ctx != nullptr && ctx_key == key) {
    // A null key restarts the MAC with the key already set.
    return EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) == 1 ? ctx.get()
                                                             : nullptr;
  }
  ctx.reset();
  if (FetchedHmac() == nullptr) return nullptr;
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> fresh(
      EVP_MAC_CTX_new(FetchedHmac()));
  if (fresh == nullptr) return nullptr;
  char digest_name[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(fresh.get(),
                   reinterpret_cast<const unsigned char*>(key.data()),
                   key.size(), params) != 1) {
    return nullptr;
  }
  ctx = std::move(fresh);
  ctx_key = std::string(key);
  return ctx.get();
}

}  // namespace

std::string Sha256Digest(absl::string_view data) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  auto* out = reinterpret_cast<unsigned char*>(digest.data());
  thread_local std::unique_ptr<EVP_MD_CTX, DigestCtxFree> ctx(EVP_MD_CTX_new());
  unsigned int len = 0;
  if (ctx != nullptr && FetchedSha256() != nullptr &&
      EVP_DigestInit_ex2(ctx.get(), FetchedSha256(), nullptr) == 1 &&
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) == 1 &&
      EVP_DigestFinal_ex(ctx.get(), out, &len) == 1 &&
      len == SHA256_DIGEST_LENGTH) {
    return digest;
  }
  if (SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
             out) == nullptr) {
    // Hash chains and credentials cannot go on without it: a broken
    // invariant (only allocation failure gets here).
    std::abort();
  }
  return digest;
}

std::string HmacSha256(absl::string_view key, absl::string_view data) {
  std::string mac(SHA256_DIGEST_LENGTH, '\0');
  auto* out = reinterpret_cast<unsigned char*>(mac.data());
  size_t len = 0;
  EVP_MAC_CTX* ctx = HmacContext(key);
  if (ctx != nullptr &&
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) == 1 &&
      EVP_MAC_final(ctx, out, &len, mac.size()) == 1 &&
      len == SHA256_DIGEST_LENGTH) {
    return mac;
  }
  unsigned int one_shot_len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           out, &one_shot_len) == nullptr ||
      one_shot_len != SHA256_DIGEST_LENGTH) {
    // A zero MAC would hand out predictable query codes: stop instead.
    std::abort();
  }
  return mac;
}

std::string ToHex(absl::string_view bytes) {
  return absl::BytesToHexString(bytes);
}

}  // namespace jianyan
