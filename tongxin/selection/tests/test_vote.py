"""The public vote: verified numbers only, once per candidate, at most the places, rate
limits, codes, proof of work — through the services and the public pages."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tongxin.core.exceptions import WorkflowError
from tongxin.selection import pow, sms
from tongxin.selection.models import PhoneCode, Vote, Voter
from tongxin.selection.services.voting import code_request, code_verify, keyed_hash, phone_key, vote_cast
from tongxin.testing.factories import World, build_world
from tongxin.testing.selection import VotingWorld, voting_selection

PHONE = "13912345678"


def memory() -> override_settings:
    """Codes kept in memory, a light proof of work (a fresh override each time: one
    override object cannot be entered twice at once)."""
    return override_settings(SELECTION_CODE_SENDER="tongxin.selection.sms.MemorySender", SELECTION_POW_MAX_NUMBER=2000)


@pytest.fixture(autouse=True)
def _memory_sender() -> Any:
    sms.OUTBOX.clear()
    with memory():
        yield
    sms.OUTBOX.clear()


@pytest.fixture
def vw(world: World) -> VotingWorld:
    return voting_selection(world.county, world.township, places=3, candidates=4)


def _verified(vw: VotingWorld, phone: str = PHONE, address: str = "10.0.0.1") -> Voter:
    code_request(selection=vw.selection, phone=phone, address=address)
    return code_verify(selection=vw.selection, phone_hash=phone_key(phone), code=sms.OUTBOX[-1].code)


@pytest.mark.django_db
def test_the_number_is_kept_only_as_a_keyed_hash(vw: VotingWorld) -> None:
    voter = _verified(vw)
    assert voter.phone_hash == keyed_hash(PHONE) != PHONE
    assert len(voter.phone_hash) == 64
    for row in PhoneCode.objects.values():
        assert PHONE not in str(row.values())
    with override_settings(SELECTION_PHONE_HASH_KEY="another-key"):
        assert keyed_hash(PHONE) != voter.phone_hash  # keyed: not a plain hash of the number


@pytest.mark.django_db
def test_vote_needs_a_verified_number(vw: VotingWorld) -> None:
    with pytest.raises(WorkflowError) as refused:
        vote_cast(voter_id=None, nomination=vw.candidates[0], address="10.0.0.1")
    assert refused.value.code == "unverified"
    client = Client()
    url = reverse("selection:public_vote", args=[vw.selection.pk, vw.candidates[0].pk])
    response = client.post(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_once_per_candidate_and_at_most_the_places(vw: VotingWorld) -> None:
    voter = _verified(vw)
    for candidate in vw.candidates[:3]:
        vote_cast(voter_id=voter.pk, nomination=candidate, address="10.0.0.1")
    with pytest.raises(WorkflowError) as twice:
        vote_cast(voter_id=voter.pk, nomination=vw.candidates[0], address="10.0.0.1")
    assert twice.value.code == "duplicate"
    with pytest.raises(WorkflowError) as fourth:
        vote_cast(voter_id=voter.pk, nomination=vw.candidates[3], address="10.0.0.1")
    assert fourth.value.code == "no_votes_left"
    assert Vote.objects.filter(voter=voter).count() == 3
    assert Voter.objects.get(pk=voter.pk).ballots == 3


@pytest.mark.django_db
def test_wrong_and_expired_codes(vw: VotingWorld) -> None:
    key = phone_key(PHONE)
    code_request(selection=vw.selection, phone=PHONE, address="10.0.0.1")
    good = sms.OUTBOX[-1].code
    wrong = "000000" if good != "000000" else "111111"
    with pytest.raises(WorkflowError) as refused:
        code_verify(selection=vw.selection, phone_hash=key, code=wrong)
    assert refused.value.code == "wrong"
    later = timezone.now() + timedelta(minutes=6)
    with pytest.raises(WorkflowError) as expired:
        code_verify(selection=vw.selection, phone_hash=key, code=good, now=later)
    assert expired.value.code == "expired"
    assert not Voter.objects.exists()
    # Five wrong tries use the code up, even the right one after them.
    PhoneCode.objects.all().delete()
    code_request(selection=vw.selection, phone=PHONE, address="10.0.0.2")
    good = sms.OUTBOX[-1].code
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(WorkflowError):
            code_verify(selection=vw.selection, phone_hash=key, code=wrong)
    with pytest.raises(WorkflowError) as tries:
        code_verify(selection=vw.selection, phone_hash=key, code=good)
    assert tries.value.code == "tries"
    # A code is used once.
    PhoneCode.objects.all().delete()
    code_request(selection=vw.selection, phone=PHONE, address="10.0.0.3")
    code_verify(selection=vw.selection, phone_hash=key, code=sms.OUTBOX[-1].code)
    with pytest.raises(WorkflowError) as used:
        code_verify(selection=vw.selection, phone_hash=key, code=sms.OUTBOX[-1].code)
    assert used.value.code == "expired"


@pytest.mark.django_db
def test_rate_limits_per_number_and_per_address(vw: VotingWorld) -> None:
    code_request(selection=vw.selection, phone=PHONE, address="10.0.0.1")
    with pytest.raises(WorkflowError) as wait:
        code_request(selection=vw.selection, phone=PHONE, address="10.0.0.9")
    assert wait.value.code == "wait"
    now = timezone.now()
    for minute in range(1, 5):  # five codes an hour for one number
        code_request(selection=vw.selection, phone=PHONE, address="10.0.0.1", now=now + timedelta(minutes=minute))
    with pytest.raises(WorkflowError) as number:
        code_request(selection=vw.selection, phone=PHONE, address="10.0.0.7", now=now + timedelta(minutes=6))
    assert number.value.code == "number_limit"
    with override_settings(SELECTION_LIMITS={"CODES_PER_ADDRESS_HOUR": 3, "VOTES_PER_ADDRESS_HOUR": 2}):
        for index in range(3):
            code_request(selection=vw.selection, phone=f"1370000000{index}", address="10.9.9.9")
        with pytest.raises(WorkflowError) as address:
            code_request(selection=vw.selection, phone="13700000009", address="10.9.9.9")
        assert address.value.code == "address_limit"
        voter = _verified(vw, phone="13600000001", address="10.8.8.8")
        vote_cast(voter_id=voter.pk, nomination=vw.candidates[0], address="10.8.8.8")
        vote_cast(voter_id=voter.pk, nomination=vw.candidates[1], address="10.8.8.8")
        with pytest.raises(WorkflowError) as votes:
            vote_cast(voter_id=voter.pk, nomination=vw.candidates[2], address="10.8.8.8")
        assert votes.value.code == "address_limit"


@pytest.mark.django_db
def test_not_a_mainland_mobile_and_closed_vote_are_refused(vw: VotingWorld) -> None:
    for bad in ("12345", "23912345678", "+1 202 555 0100"):
        with pytest.raises(WorkflowError) as refused:
            code_request(selection=vw.selection, phone=bad, address="10.0.0.1")
        assert refused.value.code == "phone"
    voter = _verified(vw)
    vw.selection.stage = "result_publicity"
    vw.selection.save(update_fields=["stage"])
    with pytest.raises(WorkflowError) as closed:
        vote_cast(voter_id=voter.pk, nomination=vw.candidates[0], address="10.0.0.1")
    assert closed.value.code == "closed"


@pytest.mark.django_db
def test_public_pages_prove_the_number_then_vote(vw: VotingWorld) -> None:
    """The page: proof of work, code, verify, vote; no code without the proof of work."""
    client = Client()
    ballot = reverse("selection:public_ballot", args=[vw.selection.pk])
    assert client.get(ballot).status_code == 200
    code_url = reverse("selection:public_code", args=[vw.selection.pk])
    client.post(code_url, {"phone": PHONE, "altcha": ""})
    assert not sms.OUTBOX  # refused without the proof of work
    found = client.get(reverse("selection:public_challenge", args=[vw.selection.pk])).json()
    payload = pow.solve(found)
    client.post(code_url, {"phone": PHONE, "altcha": payload})
    assert len(sms.OUTBOX) == 1
    client.post(code_url, {"phone": PHONE, "altcha": payload})  # a solution is used once
    assert len(sms.OUTBOX) == 1
    assert PHONE not in str(dict(client.session.items()))
    client.post(reverse("selection:public_verify", args=[vw.selection.pk]), {"code": sms.OUTBOX[0].code})
    vote = reverse("selection:public_vote", args=[vw.selection.pk, vw.candidates[1].pk])
    assert client.post(vote, HTTP_ACCEPT="application/json").status_code == 201
    assert client.post(vote, HTTP_ACCEPT="application/json").status_code == 409
    page = client.get(ballot).content.decode()
    assert 'data-testid="voted"' in page
    assert Vote.objects.get().nomination == vw.candidates[1]


@pytest.mark.django_db(transaction=True)
def test_parallel_votes_from_one_identity_count_once() -> None:
    """1,000 votes for one candidate from one verified voter, sent at once from many
    threads with their own database connections, leave exactly one vote: the unique
    constraint decides. (SQLite serialises writers, so fewer threads run there.)"""
    from tongxin.core.models import Capability
    from tongxin.core.vocabulary import sync_vocabulary

    sync_vocabulary(Capability)
    w = build_world()
    with memory():
        vw = voting_selection(w.county, w.township, places=3, candidates=2)
        voter = _verified(vw)
    threads = 8 if connection.vendor == "sqlite" else 32
    attempts = 1000
    outcomes: list[str] = []
    lock = threading.Lock()
    candidate = vw.candidates[0]
    barrier = threading.Barrier(threads)

    def worker(share: int) -> None:
        """``share`` votes on one connection of its own, all threads at once."""
        mine = []
        try:
            barrier.wait(timeout=30)
            for _ in range(share):
                try:
                    vote_cast(voter_id=voter.pk, nomination=candidate, address="10.1.1.1")
                    mine.append("ok")
                except WorkflowError as exc:
                    mine.append(exc.code)
                except OperationalError:  # SQLite: locked beyond its timeout — refused, nothing written
                    mine.append("locked")
        finally:
            connection.close()
            with lock:
                outcomes.extend(mine)

    with override_settings(SELECTION_LIMITS={"VOTES_PER_ADDRESS_HOUR": 100_000}):
        shares = [attempts // threads + (index < attempts % threads) for index in range(threads)]
        workers = [threading.Thread(target=worker, args=(share,)) for share in shares]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join(timeout=300)
    assert len(outcomes) == attempts
    assert outcomes.count("ok") == 1, {o: outcomes.count(o) for o in set(outcomes)}
    assert set(outcomes) <= {"ok", "duplicate", "locked"}
    assert Vote.objects.filter(voter=voter).count() == 1
    assert Voter.objects.get(pk=voter.pk).ballots == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_votes_for_many_candidates_stop_at_the_places() -> None:
    """One voter votes for six candidates at once with three places: three count."""
    from tongxin.core.models import Capability
    from tongxin.core.vocabulary import sync_vocabulary

    sync_vocabulary(Capability)
    w = build_world()
    with memory():
        vw = voting_selection(w.county, w.township, places=3, candidates=6)
        voter = _verified(vw)
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def one(candidate: Any) -> None:
        try:
            barrier.wait(timeout=10)
            vote_cast(voter_id=voter.pk, nomination=candidate, address="10.1.1.2")
            outcomes.append("ok")
        except WorkflowError as exc:
            outcomes.append(exc.code)
        except OperationalError:
            outcomes.append("locked")
        finally:
            connection.close()

    workers = [threading.Thread(target=one, args=(c,)) for c in vw.candidates]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert Vote.objects.filter(voter=voter).count() == outcomes.count("ok") <= 3
    assert Voter.objects.get(pk=voter.pk).ballots == outcomes.count("ok")
    assert outcomes.count("ok") + outcomes.count("no_votes_left") + outcomes.count("locked") == 6
