"""The proof of work before a one-time code is sent (altcha, v1 challenges).

The page fetches a signed challenge (``challenge()``), the browser finds the number whose
SHA-256 with the salt gives the challenge (``static/js/selection-pow.js``, a few hundred
milliseconds on a phone) and sends it back base64-encoded with the form; ``verify()``
checks the signature and the expiry and that the solution was not used before (kept in
the cache until it expires). It makes each code request cost the sender a little CPU —
cheap for one person, expensive for a script asking for thousands.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta
from typing import Any

from altcha import v1 as altcha
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

MINUTES = 10


def _key() -> str:
    return hashlib.sha256(f"tongxin.selection.pow:{settings.SECRET_KEY}".encode()).hexdigest()


def max_number() -> int:
    return int(getattr(settings, "SELECTION_POW_MAX_NUMBER", 100_000))


def challenge() -> dict[str, Any]:
    """A signed challenge (the JSON the page's solver reads)."""
    options = altcha.ChallengeOptions(
        hmac_key=_key(), max_number=max_number(), expires=timezone.now() + timedelta(minutes=MINUTES)
    )
    created: dict[str, Any] = altcha.create_challenge(options).to_dict()
    return created


def verify(payload: str) -> bool:
    """Whether ``payload`` (base64 JSON) solves a challenge of ours, in time, once."""
    if not payload or len(payload) > 2000:
        return False
    try:
        ok, _error = altcha.verify_solution(payload, _key(), check_expires=True)
        data = json.loads(base64.b64decode(payload).decode())
    except (ValueError, TypeError, KeyError):
        return False
    if not ok or not isinstance(data, dict):
        return False
    # Each solution once: the challenge's salt is remembered until it expires.
    return bool(cache.add(f"selection:pow:{data.get('salt')}", 1, timeout=MINUTES * 60))


def solve(found: dict[str, Any]) -> str:
    """The payload a browser would send for a challenge (tests and the benchmark)."""
    solution = altcha.solve_challenge(found["challenge"], found["salt"], found["algorithm"], found["maxNumber"])
    assert solution is not None
    data = {
        "algorithm": found["algorithm"],
        "challenge": found["challenge"],
        "number": solution.number,
        "salt": found["salt"],
        "signature": found["signature"],
    }
    return base64.b64encode(json.dumps(data).encode()).decode()
