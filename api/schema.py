"""The OpenAPI description of our token scheme (drf-spectacular finds knox's own class, not our
subclass, so without this every view warns and the schema names no authentication)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": 'A token from POST /api/token/, sent as "Token <key>"; it expires after '
                               "API_TOKEN_HOURS."}
