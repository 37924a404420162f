"""Password rules beyond Django's own validators."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; a password's first 72 characters decide


class GuessableValidator:
    """Refuses a password that an offline guess would find soon (issue 25 F12): twelve characters of
    one letter, a word twice, a keyboard row, a common password with digits, the account's own
    name. zxcvbn (Dropbox's estimator, run here, nothing sent anywhere) scores 0-4 from the number
    of guesses the password takes; `min_score` 3 is its "safely unguessable" level (about 10^8
    guesses for an online attack with throttling, and reasonable against an offline one)."""

    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        from zxcvbn import zxcvbn

        inputs = [str(getattr(user, name, "") or "") for name in ("username", "first_name", "last_name", "email")]
        inputs = [value for value in inputs if value]
        inputs += [part for value in inputs for part in value.replace("@", ".").split(".") if len(part) > 2]
        estimate = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=inputs)
        if estimate["score"] < self.min_score:
            why = estimate["feedback"].get("warning") or ""
            raise ValidationError(
                _("This password is too easy to guess (about %(guesses)s guesses). %(why)s Add a few uncommon "
                  "words, or let a password manager make one.")
                % {"guesses": f"10^{int(estimate['guesses_log10'])}", "why": why},
                code="password_guessable")

    def get_help_text(self) -> str:
        return _("Your password must not be easy to guess: no repeated or common words, keyboard rows, "
                 "or your name (strength at least %(score)d of 4).") % {"score": self.min_score}


class RevokeTokensOnChange:
    """Not a rule: Django calls every validator's password_changed() whenever a password is set
    and saved (the password change page, the admin, `changepassword`), the one place all of them
    meet. A new password revokes the account's API tokens, as it signs out its other sessions."""

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        return None

    def password_changed(self, password: str, user: AbstractBaseUser) -> None:
        from api.tokens import revoke_all

        revoke_all(user)

    def get_help_text(self) -> str:
        return _("Changing your password revokes your API tokens and signs out your other sessions.")
