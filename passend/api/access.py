"""Access to personal access tokens: a person reaches only their own."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from passend.api.models import ApiToken


def get_api_token_for_user(user: Any, token_id: Any) -> ApiToken:
    token = ApiToken.objects.of_user(user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token
