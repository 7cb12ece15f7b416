"""Model fields and validators shared by the ledgers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongxin.core import identifiers
from tongxin.core.identifiers import IdentifierError

# Translatable messages for the stable error codes of tongxin.core.identifiers.
IDENTIFIER_MESSAGES: dict[str, Any] = {
    "length": _("The number has the wrong length."),
    "charset": _("The number contains characters that are not allowed."),
    "excluded_letter": _("The letters I, O, S, V and Z never appear in a unified social credit code."),
    "registration_authority": _("The first character is not a known registration authority."),
    "entity_type": _("The second character is not an entity type of this registration authority."),
    "division": _("The division code inside the number is not well formed."),
    "check": _("The check character does not match; please re-check the number."),
    "org_check": _("The organisation code inside the number has a wrong check character."),
    "legacy_15": _("This is an old 15-digit ID number; enter the 18-digit number."),
    "address_code": _("The first six digits are not a known address code."),
    "birth_date": _("The birth date inside the number is not a real date."),
    "birth_date_future": _("The birth date inside the number is in the future."),
    "birth_date_range": _("The birth date inside the number is before 1900."),
    "prefix": _("This is not a mainland mobile number."),
    "format": _("The value is not in the expected format."),
    "province": _("The first two digits are not a mainland province."),
    "prefecture_segment": _("Digits 3–4 are not a valid prefecture segment."),
    "township_segment": _("Digits 7–9 are not a valid township segment."),
    "village_segment": _("Digits 10–12 are not a valid village segment."),
    "parent_mismatch": _("The code does not begin with the code of its parent."),
    "level": _("The code denotes a different level of the administrative tree."),
    "unknown": _("The code is not in the division table."),
}


def identifier_error(exc: IdentifierError, label: Any) -> ValidationError:
    """A translated, field-level ValidationError for an identifier error."""
    message = IDENTIFIER_MESSAGES.get(exc.code, IDENTIFIER_MESSAGES["format"])
    return ValidationError("%(label)s: %(message)s", code=exc.code, params={"label": label, "message": message})


def run_identifier(
    func: Callable[..., str], value: str, label: Any, *, field_name: str | None = None, **kwargs: Any
) -> str:
    """Normalize and validate ``value`` with a pure identifier function.

    Raises a ValidationError (keyed by ``field_name`` when given) with a translated message.
    """
    try:
        return func(value, **kwargs)
    except IdentifierError as exc:
        error = identifier_error(exc, label)
        raise (ValidationError({field_name: error}) if field_name else error) from exc


def validate_uscc(value: str) -> None:
    run_identifier(identifiers.validate_uscc, value, _("Unified social credit code"))


def validate_mobile(value: str) -> None:
    run_identifier(identifiers.validate_mobile, value, _("Mobile number"))


def latitude_field() -> models.DecimalField[Any, Any]:
    return models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )


def longitude_field() -> models.DecimalField[Any, Any]:
    return models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )


def field_label(model: type[models.Model], name: str) -> str:
    """The verbose name of ``model.name`` (for headers and messages)."""
    return str(getattr(model._meta.get_field(name), "verbose_name", name))
