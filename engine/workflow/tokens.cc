#include "engine/workflow/tokens.h"

#include "engine/workflow/ids.h"
#include "events/sha256.h"

namespace exemplar {

Result<NewToken> DrawToken(const std::string& secret) {
  NewToken token;
  if (secret.empty()) {
    Result<std::string> random = RandomHex(32);
    if (!random.ok()) return random.status();
    token.secret = "exm_" + *random;
  } else {
    EXEMPLAR_RETURN_IF_ERROR(CheckTokenSecret(secret));
    token.secret = secret;
  }
  Result<std::string> id = NewTokenId();
  if (!id.ok()) return id.status();
  token.token_id = std::move(*id);
  return token;
}

TokenIssued TokenIssuedFor(const NewToken& token, const std::string& user_id,
                           std::int64_t at_us, std::chrono::seconds lifetime) {
  return TokenIssued{
      token.token_id, user_id, HashSecret(token.secret),
      at_us + std::chrono::duration_cast<std::chrono::microseconds>(lifetime)
                  .count()};
}

std::string HashSecret(std::string_view secret) {
  return ToHex(Sha256({secret}));
}

Status CheckTokenSecret(const std::string& secret) {
  if (secret.size() < 20 || secret.size() > 200) {
    return Status::InvalidArgument("a token is 20 to 200 characters", "token");
  }
  for (char c : secret) {
    if (c <= ' ' || c > '~') {
      return Status::InvalidArgument("a token is printable ASCII", "token");
    }
  }
  return Status::Ok();
}

}  // namespace exemplar
