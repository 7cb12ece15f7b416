"""Letters as the campaign issues them: a number sequence per kind, the campaign's report
frequency in the text, people named in full, and downloads named by document number."""

from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from tongxin.accounts.choices import Role
from tongxin.pairing import services
from tongxin.pairing.choices import Frequency, LetterKind
from tongxin.pairing.models import Campaign, Letter
from tongxin.pairing.services.letters import letter_preview_html, person_name
from tongxin.testing.factories import user
from tongxin.testing.pairing import PairingWorld


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


@pytest.mark.django_db
def test_each_kind_of_letter_has_its_own_numbers(pworld: PairingWorld) -> None:
    """A 责任书 and a 聘书 issued in one campaign are both 〔year〕1号, each under its own
    prefix, so no two letters share a document number; the next of each kind is 2号
    (numbers run without gaps per kind, whichever kind was issued in between)."""
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    campaign = pworld.campaign
    responsibility = services.letter_issue_responsibility(pair=pworld.pair, user=admin)
    appointment = services.letter_issue_appointment(appointment=pworld.appointment, user=admin)
    year = responsibility.year
    assert (responsibility.number, appointment.number) == (1, 1)
    assert responsibility.doc_number == f"统建〔{year}〕1号"
    assert appointment.doc_number == f"统聘〔{year}〕1号"
    assert f"统聘〔{year}〕1号" in _text(bytes(appointment.pdf))

    second_liaison = user("liaison_b", Role.LIAISON, county=pworld.world.county)
    second_appointment = services.liaison_appoint(
        campaign=campaign,
        user=admin,
        liaison=second_liaison,
        pairs=[pworld.pair_b],
        term_start=date(2026, 1, 1),
        term_end=date(2027, 12, 31),
    )
    later_appointment = services.letter_issue_appointment(appointment=second_appointment, user=admin)
    later_responsibility = services.letter_issue_responsibility(pair=pworld.pair_b, user=admin)
    assert later_appointment.doc_number == f"统聘〔{year}〕2号"
    assert later_responsibility.doc_number == f"统建〔{year}〕2号"

    for kind in LetterKind.values:
        numbers = list(Letter.objects.filter(campaign=campaign, kind=kind).values_list("number", flat=True))
        assert sorted(numbers) == [1, 2], kind
    doc_numbers = list(Letter.objects.filter(campaign=campaign).values_list("doc_number", flat=True))
    assert len(doc_numbers) == len(set(doc_numbers)) == 4


@pytest.mark.django_db
def test_a_campaign_needs_two_different_well_formed_prefixes(pworld: PairingWorld) -> None:
    """One prefix for both kinds would give two letters the same number: it is refused, and
    so is a prefix with spaces or brackets (it would make a malformed 文号)."""
    campaign = pworld.campaign
    campaign.appointment_prefix = campaign.letter_prefix
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "appointment_prefix" in error.value.message_dict
    for bad in ("统〔建", "统 建", "【统建】"):
        campaign.appointment_prefix, campaign.letter_prefix = "统聘", bad
        with pytest.raises(ValidationError) as error:
            campaign.full_clean()
        assert "letter_prefix" in error.value.message_dict, bad
    assert Campaign._meta.get_field("appointment_prefix").default == "统聘"


@pytest.mark.django_db
@pytest.mark.parametrize(("frequency", "wording"), [(Frequency.MONTHLY, "每月"), (Frequency.QUARTERLY, "每季度")])
def test_letter_states_the_campaigns_report_frequency(pworld: PairingWorld, frequency: str, wording: str) -> None:
    """The 责任书 says the liaison reports as often as the campaign asks (monthly or
    quarterly), in the preview and in the issued PDF."""
    campaign = Campaign.objects.get(pk=pworld.campaign.pk)
    campaign.report_frequency = frequency
    campaign.save()
    pair = pworld.pair
    pair.refresh_from_db()
    expected = f"联络员{wording}向{campaign.issuer}报告共建进展。"
    assert expected in re.sub(r"\s+", "", letter_preview_html(pair))
    letter = services.letter_issue_responsibility(pair=pair, user=pworld.world.users[Role.COUNTY_ADMIN])
    assert expected in _text(bytes(letter.pdf))


@pytest.mark.django_db
def test_letters_name_people_in_full_or_by_login(pworld: PairingWorld) -> None:
    """A letter names the liaison by full name; with no full name (or only spaces) entered,
    by login name: never an empty "兹聘请同志"."""
    liaison = pworld.world.users[Role.LIAISON]
    liaison.full_name = "孙海涛"
    liaison.save()
    assert person_name(liaison) == "孙海涛"
    for blank in ("", "   "):
        liaison.full_name = blank
        assert person_name(liaison) == liaison.username
    liaison.full_name = ""
    liaison.save()
    letter = services.letter_issue_appointment(
        appointment=pworld.appointment, user=pworld.world.users[Role.COUNTY_ADMIN]
    )
    text = _text(bytes(letter.pdf))
    assert f"兹聘请{liaison.username}同志" in text and "兹聘请同志" not in text


@pytest.mark.django_db
def test_letter_downloads_are_named_by_document_number(pworld: PairingWorld) -> None:
    """The page and the API send the PDF as 〈document number〉.pdf (RFC 6266 filename*,
    percent-encoded UTF-8) with an ASCII name for older clients."""
    admin = pworld.world.users[Role.COUNTY_ADMIN]
    letter = services.letter_issue_responsibility(pair=pworld.pair, user=admin)
    encoded = quote(f"{letter.doc_number}.pdf", safe="")
    expected = f"inline; filename=\"responsibility-{letter.year}-1.pdf\"; filename*=UTF-8''{encoded}"
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("pairing:letter_pdf", args=[letter.pk]))
    assert page["Content-Disposition"] == expected
    assert page["Content-Disposition"].isascii()
    api = APIClient()
    api.force_authenticate(admin)
    assert api.get(reverse("pair-letter", args=[pworld.pair.pk]))["Content-Disposition"] == expected
