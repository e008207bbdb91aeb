#include "storage/key_coding.h"

namespace jianyan::storage {

void PutFixed64BE(std::string* dst, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    dst->push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

bool GetFixed64BE(absl::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  uint64_t r = 0;
  for (int i = 0; i < 8; ++i) {
    r = (r << 8) | static_cast<uint8_t>((*in)[i]);
  }
  in->remove_prefix(8);
  *v = r;
  return true;
}

void PutOrderedString(std::string* dst, absl::string_view s) {
  for (char c : s) {
    dst->push_back(c);
    if (c == '\0') dst->push_back('\xFF');
  }
  dst->push_back('\0');
  dst->push_back('\x01');
}

bool SkipOrderedString(absl::string_view* in) {
  for (size_t i = 0; i + 1 < in->size();) {
    if ((*in)[i] != '\0') {
      ++i;
      continue;
    }
    char next = (*in)[i + 1];
    if (next == '\x01') {
      in->remove_prefix(i + 2);
      return true;
    }
    if (next != '\xFF') return false;
    i += 2;
  }
  return false;
}

bool GetOrderedString(absl::string_view* in, std::string* out) {
  absl::string_view rest = *in;
  if (!SkipOrderedString(&rest)) return false;
  // The escaped body, without its terminator; each 0x00 0xFF is one 0x00.
  absl::string_view body = in->substr(0, in->size() - rest.size() - 2);
  out->clear();
  for (size_t i = 0; i < body.size(); ++i) {
    out->push_back(body[i]);
    if (body[i] == '\0') ++i;
  }
  *in = rest;
  return true;
}

std::string V1Key() { return std::string(1, kKeyCodecV1); }

std::string V1Key(absl::string_view s) {
  std::string k = V1Key();
  PutOrderedString(&k, s);
  return k;
}

uint64_t OrderedTime(absl::Time t) {
  int64_t micros = absl::ToUnixMicros(t);
  return static_cast<uint64_t>(micros) ^ (uint64_t{1} << 63);
}

absl::Time TimeFromOrdered(uint64_t v) {
  return absl::FromUnixMicros(static_cast<int64_t>(v ^ (uint64_t{1} << 63)));
}

std::string EncodeFixed64LE(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return out;
}

bool DecodeFixed64LE(absl::string_view in, uint64_t* v) {
  if (in.size() != 8) return false;
  uint64_t r = 0;
  for (int i = 7; i >= 0; --i) r = (r << 8) | static_cast<uint8_t>(in[i]);
  *v = r;
  return true;
}

std::string PrefixSuccessor(absl::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    unsigned char last = static_cast<unsigned char>(s.back());
    if (last != 0xFF) {
      s.back() = static_cast<char>(last + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

bool ConsumeVersion(absl::string_view* in) {
  if (in->empty() || (*in)[0] != kKeyCodecV1) return false;
  in->remove_prefix(1);
  return true;
}

}  // namespace jianyan::storage
