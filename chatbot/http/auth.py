"""API keys: a constant-time comparison, and the ``/v1`` bearer-token check built on it."""

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer


def key_matcher(api_key: str) -> Callable[[str | None], bool]:
    """A test of a presented key against ``api_key``, in constant time (digests of equal length)."""
    expected = hashlib.sha256(api_key.encode()).digest()

    def matches(given: str | None) -> bool:
        digest = hashlib.sha256(given.encode() if given is not None else b"").digest()
        return hmac.compare_digest(digest, expected) and given is not None

    return matches


def bearer_check(api_key: str) -> Callable[..., Awaitable[None]]:
    """A dependency accepting only ``Authorization: Bearer <api_key>``, compared in constant time."""
    matches = key_matcher(api_key)
    bearer = HTTPBearer(auto_error=False, description="Required when the server has CHATBOT_API_KEY set.")

    async def check(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
        if not matches(credentials.credentials if credentials else None):
            raise HTTPException(401, "missing or wrong API key", headers={"WWW-Authenticate": "Bearer"})

    return check
