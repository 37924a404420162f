"""Password rules beyond Django's own validators."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _


class RevokeTokensOnChange:
    """Not a rule: Django calls every validator's password_changed() whenever a password is set
    and saved (the password change page, the admin, `changepassword`), the one place all of them
    meet. A new password revokes the account's API tokens, as it signs out its other sessions."""

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        return None

    def password_changed(self, password: str, user: AbstractBaseUser) -> None:
        from rest_framework.authtoken.models import Token

        if user.pk:
            Token.objects.filter(user=user).delete()

    def get_help_text(self) -> str:
        return _("Changing your password revokes your API tokens and signs out your other sessions.")
