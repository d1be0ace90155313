"""`POST /api/v1/auth/token/`: exchange a username and password for an API token.

Uses the site's throttled sign-in form (helix.core.auth), so the API is no way around the
login lock. The token is the user's single DRF token (created on first use); curators can
also create and revoke tokens in the admin.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helix.core.auth import ThrottledAuthenticationForm

from .errors import validation_error_from_django
from .schema import HelixAutoSchema


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")


class ObtainTokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    parser_classes = [JSONParser]
    schema = HelixAutoSchema()

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, summary="Get your API token", tags=["auth"])
    def post(self, request: Request) -> Response:
        payload = TokenRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        form = ThrottledAuthenticationForm(request=request._request, data=payload.validated_data)
        if not form.is_valid():
            raise validation_error_from_django(ValidationError(form.errors.as_data()))
        token, _created = Token.objects.get_or_create(user=form.get_user())
        return Response({"token": token.key})
