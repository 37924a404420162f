"""API tokens that expire: POST /api/token/ hands one out (a new one once the old has expired),
saying plainly when django-axes has locked the login; a token older than API_TOKEN_HOURS is
refused and deleted. A password change revokes them (pkoanalysis.passwords)."""

from axes.helpers import get_lockout_message
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.authentication import expired, lifetime
from api.throttles import ThrottleFirst, TokenRateThrottle


class ObtainToken(ThrottleFirst, ObtainAuthToken):
    throttle_classes = [TokenRateThrottle]

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # authenticate(request=...) lets axes flag DRF's request; its middleware only sees
            # Django's, so a lockout would otherwise read as a plain wrong password.
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": str(get_lockout_message())}, status=429)
            raise
        user = serializer.validated_data["user"]
        token = Token.objects.filter(user=user).first()
        if token is not None and expired(token):
            token.delete()
            token = None
        if token is None:
            token = Token.objects.create(user=user)
        return Response({"token": token.key, "expires": (token.created + lifetime()).isoformat()})


obtain_token = ObtainToken.as_view()
