"""POST /api/token/: DRF's token view, saying plainly when django-axes has locked the login."""

from axes.helpers import get_lockout_message
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response


class ObtainToken(ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # authenticate(request=...) lets axes flag DRF's request; its middleware only sees
            # Django's, so a lockout would otherwise read as a plain wrong password.
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": str(get_lockout_message())}, status=429)
            raise


obtain_token = ObtainToken.as_view()
