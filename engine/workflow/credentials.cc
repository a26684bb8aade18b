#include "engine/workflow/credentials.h"

#include <cctype>

#include "engine/workflow/ids.h"
#include "engine/workflow/organisation.h"
#include "engine/workflow/tokens.h"

namespace exemplar {
namespace {

// 32 characters, so each random byte picks one uniformly (256 = 8 x 32).
constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
constexpr std::size_t kCodeLength = 12;

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

}  // namespace

Result<std::string> DrawSetupCode() {
  Result<std::string> random = RandomHex(kCodeLength);
  if (!random.ok()) return random.status();
  std::string code;
  for (std::size_t i = 0; i < kCodeLength; ++i) {
    if (i > 0 && i % 4 == 0) code.push_back('-');
    const int byte =
        HexValue((*random)[2 * i]) * 16 + HexValue((*random)[2 * i + 1]);
    code.push_back(kCodeAlphabet[byte % kCodeAlphabet.size()]);
  }
  return code;
}

std::string SetupCodeHash(std::string_view typed) {
  std::string canonical;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    canonical.push_back(
        static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return HashSecret(canonical);
}

SetupCodeIssued SetupCodeIssuedFor(const std::string& user_id,
                                   std::string_view code, std::int64_t at_us) {
  return SetupCodeIssued{user_id, SetupCodeHash(code),
                         at_us + Micros(kSetupCodeLifetime)};
}

Result<NewSession> DrawSession() {
  Result<std::string> id = RandomHex(8);
  if (!id.ok()) return id.status();
  Result<std::string> secret = RandomHex(32);
  if (!secret.ok()) return secret.status();
  return NewSession{"ses" + *id, std::move(*secret)};
}

SignedIn SignedInFor(const NewSession& session, const std::string& user_id,
                     std::int64_t at_us) {
  return SignedIn{user_id, session.session_id,
                  at_us + Micros(kSessionLifetime)};
}

Status CheckPasswordSet(const PasswordSet& e, const Authority& authority,
                        std::int64_t at_us) {
  const UserRecord* user = authority.FindUser(e.user_id);
  const CredentialRecord* credential = authority.FindCredential(e.user_id);
  if (user == nullptr || !user->ActiveAt(at_us) || credential == nullptr ||
      credential->code_used || credential->code_sha256 != e.code_sha256 ||
      at_us >= credential->code_expires_at_us) {
    return Status::Rejected("invalid_setup_code",
                            "the setup code is unknown, used or expired",
                            "setup_code");
  }
  return Status::Ok();
}

Status CheckSignedIn(const SignedIn& e, const Authority& authority,
                     std::int64_t at_us) {
  const UserRecord* user = authority.FindUser(e.user_id);
  const CredentialRecord* credential = authority.FindCredential(e.user_id);
  if (user == nullptr || !user->ActiveAt(at_us) || credential == nullptr ||
      !credential->password_set) {
    return Status::Rejected("invalid_credentials",
                            "the user name or password is wrong");
  }
  if (!IsValidId(e.session_id)) {
    return Status::Rejected("validation_failed", "not a session id",
                            "session_id");
  }
  if (e.expires_at_us <= at_us ||
      e.expires_at_us - at_us > Micros(kSessionLifetime)) {
    return Status::Rejected("validation_failed",
                            "a session ends within " +
                                std::to_string(kSessionLifetime.count()) +
                                " hours",
                            "expires_at_us");
  }
  return Status::Ok();
}

Status CheckSignedOut(const SignedOut& e, const Authority& authority) {
  if (authority.FindUser(e.user_id) == nullptr) {
    return Status::Rejected("unknown_user", "no user \"" + e.user_id + "\"",
                            "user_id");
  }
  if (!IsValidId(e.session_id)) {
    return Status::Rejected("validation_failed", "not a session id",
                            "session_id");
  }
  return Status::Ok();
}

}  // namespace exemplar
