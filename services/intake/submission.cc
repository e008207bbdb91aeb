#include "services/intake/submission.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/core/intake_checks.h"
#include "services/core/request_checks.h"
#include "services/intake/id_number.h"
#include "services/intake/text_normalise.h"
#include "workflow/status_macros.h"

namespace jianyan {
namespace {

using jianyan::v1::Case;
using jianyan::v1::SubmitCaseRequest;

absl::Status Bad(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

// Normalised text of 0..max (required: 1..max) code points.
absl::StatusOr<std::string> Text(absl::string_view in, absl::string_view field,
                                 size_t max, bool required) {
  JY_ASSIGN_OR_RETURN(std::string out, NormaliseText(in, field));
  if (required && out.empty()) return Bad(field, "required");
  if (CodePoints(out) > max) {
    return Bad(field, absl::StrCat("longer than ", max, " characters"));
  }
  return out;
}

absl::StatusOr<std::string> Phone(absl::string_view in,
                                  absl::string_view field) {
  JY_ASSIGN_OR_RETURN(std::string text, NormaliseText(in, field));
  std::string phone = FoldFullWidth(text);
  if (phone.empty()) return Bad(field, "required");
  int digits = 0;
  for (char c : phone) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != '+' && c != '-' && c != ' ') {
      return Bad(field, "only digits, '+', '-' and spaces");
    }
  }
  if (digits < 5 || phone.size() > 20) {
    return Bad(field, "5..20 characters with at least 5 digits");
  }
  return phone;
}

bool IsHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::Status Kinds(const SubmitCaseRequest& r, Case& c) {
  if (r.kind() == jianyan::v1::CASE_KIND_UNSPECIFIED) {
    return Bad("kind", "required: CASE_KIND_PETITION or CASE_KIND_SUGGESTION");
  }
  if (!jianyan::v1::CaseKind_IsValid(r.kind())) {
    return Bad("kind", "unknown value");
  }
  if (!jianyan::v1::PetitionType_IsValid(r.petition_type())) {
    return Bad("petition_type", "unknown value");
  }
  const bool petition = r.kind() == jianyan::v1::CASE_KIND_PETITION;
  if (petition && r.petition_type() == jianyan::v1::PETITION_TYPE_UNSPECIFIED) {
    return Bad("petition_type", "required for petitions");
  }
  if (!petition &&
      r.petition_type() != jianyan::v1::PETITION_TYPE_UNSPECIFIED) {
    return Bad("petition_type", "only petitions have a petition type");
  }
  if (!jianyan::v1::Channel_IsValid(r.channel())) {
    return Bad("channel", "unknown value");
  }
  c.set_kind(r.kind());
  c.set_petition_type(r.petition_type());
  c.set_channel(r.channel() == jianyan::v1::CHANNEL_UNSPECIFIED
                    ? jianyan::v1::CHANNEL_TERMINAL
                    : r.channel());
  c.set_confidential(r.petition_type() ==
                     jianyan::v1::PETITION_TYPE_ACCUSATION);
  return absl::OkStatus();
}

absl::Status Where(const SubmitCaseRequest& r, Case& c) {
  JY_ASSIGN_OR_RETURN(std::string region,
                      NormaliseText(r.region_code(), "region_code"));
  region = FoldFullWidth(region);
  if (region.empty()) return Bad("region_code", "required");
  bool six_digits = region.size() == 6;
  for (char ch : region) {
    six_digits =
        six_digits && absl::ascii_isdigit(static_cast<unsigned char>(ch));
  }
  if (!six_digits) {
    return Bad("region_code", "must be a 6-digit administrative division code");
  }
  c.set_region_code(region);
  const bool petition = r.kind() == jianyan::v1::CASE_KIND_PETITION;
  JY_ASSIGN_OR_RETURN(std::string category,
                      Text(r.category(), "category", kMaxCategory, petition));
  c.set_category(category);
  JY_RETURN_IF_ERROR(CheckOptionalIdentifier(r.campaign_id(), "campaign_id"));
  JY_RETURN_IF_ERROR(CheckOptionalIdentifier(r.theme_id(), "theme_id"));
  if (!r.campaign_id().empty() && petition) {
    return Bad("campaign_id", "only suggestions answer a campaign");
  }
  if (!r.theme_id().empty() && r.campaign_id().empty()) {
    return Bad("theme_id", "needs campaign_id");
  }
  c.set_campaign_id(r.campaign_id());
  c.set_theme_id(r.theme_id());
  return absl::OkStatus();
}

absl::Status What(const SubmitCaseRequest& r, Case& c) {
  JY_ASSIGN_OR_RETURN(std::string title,
                      Text(r.title(), "title", kMaxTitle, true));
  JY_ASSIGN_OR_RETURN(std::string content,
                      Text(r.content(), "content", kMaxContent, true));
  c.set_title(title);
  c.set_content(content);
  if (r.attachments_size() > kMaxAttachments) {
    return Bad("attachments", absl::StrCat("at most ", kMaxAttachments));
  }
  for (int i = 0; i < r.attachments_size(); ++i) {
    const auto& in = r.attachments(i);
    const std::string at = absl::StrCat("attachments[", i, "].");
    if (!IsHex64(in.sha256())) {
      return Bad(at + "sha256", "must be 64 hex characters");
    }
    if (in.size_bytes() == 0 || in.size_bytes() > kMaxAttachmentBytes) {
      return Bad(at + "size_bytes",
                 absl::StrCat("must be 1..", kMaxAttachmentBytes));
    }
    const std::string media = absl::AsciiStrToLower(in.media_type());
    if (!AllowedMediaType(media)) {
      return Bad(at + "media_type", "not an allowed media type");
    }
    JY_ASSIGN_OR_RETURN(std::string name, Text(in.name(), at + "name",
                                               kMaxAttachmentName, false));
    auto* out = c.add_attachments();
    out->set_sha256(absl::AsciiStrToLower(in.sha256()));
    out->set_size_bytes(in.size_bytes());
    out->set_media_type(media);
    out->set_name(name);
  }
  return absl::OkStatus();
}

absl::Status Who(const SubmitCaseRequest& r, Case& c) {
  const auto& s = r.submitter();
  const bool petition = r.kind() == jianyan::v1::CASE_KIND_PETITION;
  if (!s.suggester_id().empty()) {
    return Bad("submitter.suggester_id",
               "comes from the caller's token; leave it empty");
  }
  if (s.anonymous() && petition) {
    return Bad("submitter.anonymous", "allowed for suggestions only");
  }
  if (s.anonymous() && s.representatives_size() > 0) {
    return Bad("submitter.representatives",
               "an anonymous suggestion names no one");
  }
  if (petition && s.representatives_size() == 0) {
    return Bad("submitter.representatives", "a petition names 1..5 people");
  }
  if (s.representatives_size() > kMaxRepresentatives) {
    return Bad("submitter.representatives",
               absl::StrCat("at most ", kMaxRepresentatives,
                            " (信访工作条例 Art 20)"));
  }
  if (s.group_size() > kMaxGroupSize) {
    return Bad("submitter.group_size", absl::StrCat("at most ", kMaxGroupSize));
  }
  if (s.group_size() > 1 &&
      s.group_size() < static_cast<uint32_t>(s.representatives_size())) {
    return Bad("submitter.group_size", "fewer than the representatives");
  }
  auto* out = c.mutable_submitter();
  out->set_group_size(s.group_size());
  out->set_anonymous(s.anonymous());
  for (int i = 0; i < s.representatives_size(); ++i) {
    const auto& p = s.representatives(i);
    const std::string at = absl::StrCat("submitter.representatives[", i, "].");
    auto* person = out->add_representatives();
    JY_ASSIGN_OR_RETURN(*person->mutable_name(),
                        Text(p.name(), at + "name", kMaxPersonName, true));
    JY_ASSIGN_OR_RETURN(*person->mutable_phone(),
                        Phone(p.phone(), at + "phone"));
    JY_ASSIGN_OR_RETURN(std::string id,
                        NormaliseText(p.id_number(), at + "id_number"));
    if (!id.empty()) {
      JY_ASSIGN_OR_RETURN(id, NormaliseIdNumber(id, at + "id_number"));
    }
    person->set_id_number(id);
    JY_ASSIGN_OR_RETURN(*person->mutable_address(),
                        Text(p.address(), at + "address", kMaxAddress, false));
  }
  return absl::OkStatus();
}

}  // namespace

bool AllowedMediaType(absl::string_view media_type) {
  static constexpr std::array<absl::string_view, 12> kAllowed = {
      "image/jpeg", "image/png",       "image/gif",  "image/webp",
      "image/heic", "application/pdf", "text/plain", "audio/mpeg",
      "audio/mp4",  "audio/amr",       "video/mp4",  "application/ofd"};
  for (absl::string_view allowed : kAllowed) {
    if (media_type == allowed) return true;
  }
  return false;
}

absl::StatusOr<Case> NormaliseSubmission(const SubmitCaseRequest& request) {
  JY_RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  Case c;
  JY_RETURN_IF_ERROR(Kinds(request, c));
  JY_RETURN_IF_ERROR(What(request, c));
  JY_RETURN_IF_ERROR(Where(request, c));
  JY_RETURN_IF_ERROR(Who(request, c));
  return c;
}

}  // namespace jianyan
