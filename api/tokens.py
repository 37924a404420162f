"""API tokens that expire: POST /api/token/ hands out a new one each time (its plain value is shown
once; the database keeps only its digest, api.authentication), saying plainly when django-axes
has locked the login. An account keeps at most API_TOKENS_PER_USER live tokens (the oldest go
first). Changing the password (pkoanalysis.passwords) or signing out of the site
(pkoanalysis.sessions.SignOut) revokes them all."""

from axes.helpers import get_lockout_message
from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import lifetime
from api.throttles import ThrottleFirst, TokenRateThrottle


def issue(user) -> tuple[str, AuthToken]:
    """A new token for `user` (the plain value, to show once, and its row); expired tokens and
    those past the per-account cap are deleted."""
    tokens = AuthToken.objects.filter(user=user)
    tokens.filter(expiry__lte=timezone.now()).delete()
    keep = max(settings.API_TOKENS_PER_USER - 1, 0)
    stale = list(tokens.order_by("-created").values_list("digest", flat=True)[keep:])
    AuthToken.objects.filter(digest__in=stale).delete()
    row, token = AuthToken.objects.create(user=user, expiry=lifetime())
    return token, row


def revoke_all(user) -> int:
    """Every API token of `user` stops working now. Returns how many there were."""
    if user is None or not user.pk:
        return 0
    return AuthToken.objects.filter(user=user).delete()[0]


class ObtainToken(ThrottleFirst, APIView):
    throttle_classes = [TokenRateThrottle]
    permission_classes = [AllowAny]
    parser_classes = [FormParser, MultiPartParser, JSONParser]

    @extend_schema(request=AuthTokenSerializer, responses=inline_serializer("Token", {
        "token": serializers.CharField(), "expires": serializers.DateTimeField()}))
    def post(self, request, *args, **kwargs):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # authenticate(request=...) lets axes flag DRF's request; its middleware only sees
            # Django's, so a lockout would otherwise read as a plain wrong password.
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": str(get_lockout_message())}, status=429)
            raise
        token, row = issue(serializer.validated_data["user"])
        return Response({"token": token, "expires": row.expiry.isoformat()})


obtain_token = ObtainToken.as_view()
