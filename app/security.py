"""Secrets at work: password hashing, candidate pseudonyms and workbook seals.

- Passwords are hashed with Argon2id (memory-hard), through argon2-cffi.
- Candidate identifiers (names, e-mails, profile URLs, agency references) are replaced on import by a keyed hash:
  HMAC-SHA256 with a key derived from the instance's SECRET_KEY. The same person matches across files of the same
  instance; nobody without the key can reverse or recompute it. Changing SECRET_KEY changes every pseudonym, so
  treat it as part of the data (see README, Configuration).
- Workbooks carry a seal: HMAC-SHA256 over the audit ID and the findings' SHA-256, so `flask verify` can tell a
  workbook this instance wrote from one edited and re-hashed by someone else.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

_hasher = PasswordHasher()  # Argon2id with argon2-cffi's RFC 9106 low-memory profile (64 MiB, 3 passes)
_PROFILE = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.)?(?:www\.)?linkedin\.com/in/([^/?#]+)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _derived_key(secret: str, purpose: str) -> bytes:
    return hmac.digest(secret.encode("utf-8"), f"scrutineer:{purpose}:v1".encode(), "sha256")


def normalise_identifier(value: str) -> str:
    """The form of an identifier we hash: LinkedIn profile URLs reduced to their handle, case and spaces folded."""
    # NFKC changes nothing in ASCII text, which nearly every identifier is: skip it there (it is a third of the cost).
    text = (value if value.isascii() else unicodedata.normalize("NFKC", value)).strip()
    if "/" in text:  # every profile URL has one; names and e-mail addresses rarely do
        profile = _PROFILE.match(text)
        if profile:
            return "linkedin:" + profile.group(1).lower().rstrip("/")
    # str.split() splits on exactly the characters \s matches in a str pattern, so this equals _SPACE.sub(" ", …)
    return " ".join(text.split()).casefold()


# Whitespace other than a plain space or the line break that joins a column's values (see Pseudonymiser.many).
_OTHER_SPACE = re.compile(r"[^\S \n]")


class Pseudonymiser:
    """HMAC-SHA256 of the normalised identifier, keyed per instance, as 32 hex characters.

    Imports hash a million identifiers at a time, so the HMAC's two keyed SHA-256 states are prepared once and
    copied per value (RFC 2104 by hand): the same digest as `hmac.digest`, at a third of the cost. `many` hashes a
    column of values at once and gives exactly what calling the pseudonymiser on each would.
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, secret: str) -> None:
        key = _derived_key(secret, "candidate")
        block = key.ljust(64, b"\0")  # the key is 32 bytes, shorter than SHA-256's 64-byte block
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block)).copy
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block)).copy

    def __call__(self, value: str) -> str:
        first = self._inner()
        first.update(normalise_identifier(value).encode("utf-8"))
        second = self._outer()
        second.update(first.digest())
        return second.hexdigest()[:32]

    def many(self, values: list[str]) -> list[str]:
        """The pseudonyms of a column of identifiers, in order.

        Most columns hold plain names and e-mail addresses: no profile URLs, no stray spaces. For those the
        normalising is done once over the whole column joined by line breaks (NFKC and case folding work character
        by character and never make or join across a line break), and only the two hashes are left per value.
        Any other column is done value by value.
        """
        joined = "\n".join(values)
        if joined.count("\n") != len(values) - 1:  # a value with a line break of its own
            return list(map(self, values))
        if not joined.isascii():
            joined = unicodedata.normalize("NFKC", joined)
        if (
            "/" in joined  # perhaps a profile URL, reduced to its handle
            or "  " in joined
            or " \n" in joined
            or "\n " in joined
            or joined.startswith(" ")
            or joined.endswith(" ")
            or _OTHER_SPACE.search(joined)
        ):
            return list(map(self, values))
        parts = joined.casefold().encode("utf-8").split(b"\n")
        if len(parts) != len(values):  # normalising made a line break (no character should): be safe
            return list(map(self, values))
        inner, outer = self._inner, self._outer
        out: list[str] = []
        append = out.append
        for value in parts:
            first = inner()
            first.update(value)
            second = outer()
            second.update(first.digest())
            append(second.hexdigest()[:32])
        return out


def make_pseudonymiser(secret: str) -> Pseudonymiser:
    return Pseudonymiser(secret)


def pseudonymiser() -> Pseudonymiser:
    return make_pseudonymiser(current_app.config["SECRET_KEY"])


def seal(audit_id: str, findings_sha256: str) -> str:
    key = _derived_key(current_app.config["SECRET_KEY"], "workbook")
    return hmac.new(key, f"{audit_id}\n{findings_sha256}".encode(), hashlib.sha256).hexdigest()


def seal_matches(audit_id: str, findings_sha256: str, claimed: str) -> bool:
    return hmac.compare_digest(seal(audit_id, findings_sha256), claimed or "")
