#include "state/current_user.h"

#include <pwd.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

TEST_CASE("the current user comes from the uid, not from $USER", "[state]") {
  const passwd* pw = getpwuid(geteuid());
  REQUIRE(pw != nullptr);
  const char* saved = std::getenv("USER");
  const std::optional<std::string> old = saved ? std::optional<std::string>(saved) : std::nullopt;
  ::unsetenv("USER");
  CHECK(pkiform::state::CurrentUserName() == pw->pw_name);
  ::setenv("USER", "someone-else", 1);
  CHECK(pkiform::state::CurrentUserName() == pw->pw_name);
  if (old) ::setenv("USER", old->c_str(), 1);
  else ::unsetenv("USER");
}
