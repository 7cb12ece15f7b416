"""Write the generated demo county into the database (through the models, so audited)."""

from __future__ import annotations

from typing import Final

from django.db import transaction
from django.utils import timezone

from tongxin.accounts.choices import Role
from tongxin.accounts.models import RoleAssignment, User
from tongxin.accounts.services import grant_for_setup
from tongxin.core.context import change_context
from tongxin.core.identifiers import make_uscc
from tongxin.core.models import Capability
from tongxin.core.vocabulary import sync_vocabulary
from tongxin.demo import generator
from tongxin.enterprises.models import Enterprise
from tongxin.regions.models import County, Prefecture, Province, Township, Village
from tongxin.surveys.models import Survey

DEMO_PASSWORD = "tongxin-demo"  # noqa: S105  (documented demo password)

#: The full names of the demo logins: fictional personal names, as the letters need them
#: (a 聘书 reads "兹聘请孙海涛同志", never "兹聘请联络员同志"). What each person does shows in
#: their role assignments, not in their name.
DEMO_PEOPLE: Final[dict[str, str]] = {
    "county_admin": "何志明",
    "county_staff": "林雅琴",
    "township_staff": "郑国华",
    "liaison": "孙海涛",
    "enterprise": "徐建军",
    "village": "马春兰",
    "reviewer": "宋文博",
    "province_staff": "许立群",
    "liaison_township": "郭晓东",
    "cadre_officer": "韩素梅",
    "editor": "罗佳慧",
    "publisher": "唐振宇",
    "association_staff": "陈立新",
}
DEMO_PROVINCE = "之江省（演示）"
DEMO_PREFECTURE = "钱塘市（演示）"
NEIGHBOUR_CODE = "337022"
NEIGHBOUR_NAME = "邻水县（演示）"


def _load_neighbour(prefecture: Prefecture) -> int:
    """A small second fictional county beside the demo county: three townships, a dozen
    villages and enterprises — enough to see that nobody of one county sees the other."""
    county = County.objects.create(
        prefecture=prefecture, code=NEIGHBOUR_CODE, name=NEIGHBOUR_NAME, is_demo=True, latitude=29.9, longitude=119.7
    )
    villages = 0
    for t, name in enumerate(("临江街道", "上坊镇", "云溪乡"), start=1):
        number = (0, 101, 201)[t - 1] + (1 if t == 1 else 0)
        township = Township.objects.create(county=county, code=f"{NEIGHBOUR_CODE}{number:03d}000", name=name)
        for v in range(4):
            Village.objects.create(
                township=township,
                code=f"{township.code[:9]}{200 + v + 1:03d}",
                name=f"{name[:2]}{'东西南北'[v]}村",
                population=600 + 150 * v,
                households=200 + 40 * v,
            )
            villages += 1
        for e in range(3):
            body = f"MA{t}{e:02d}DEMO"[:8]
            Enterprise.objects.create(
                township=township,
                uscc=make_uscc("91", NEIGHBOUR_CODE, body),
                name=f"{name[:2]}{('茶业', '竹木', '农旅')[e]}有限公司",
                industry=("A", "C", "R")[e],
            )
    return villages


def _load_tree_logins(province: Province, county: County) -> None:
    """Province staff over the whole demo province, and a township cadre who is also a
    liaison officer appointed to pairs of that township (two hats, one person)."""
    from tongxin.pairing import services
    from tongxin.pairing.choices import PairStatus

    staff = _demo_user("province_staff")
    grant_for_setup(staff, Role.PROVINCE_STAFF, province)
    campaign = county.campaigns.get()
    township = Township.objects.get(code=RoleAssignment.objects.get(user__username="township_staff").township.code)
    cadre = _demo_user("liaison_township")
    grant_for_setup(cadre, Role.TOWNSHIP_STAFF, township)
    grant_for_setup(cadre, Role.LIAISON, county)
    pairs = list(campaign.pairs.filter(status=PairStatus.APPROVED, township=township).order_by("pk")[:2])
    if pairs:
        admin = User.objects.get(username="county_admin")
        services.liaison_appoint(
            campaign=campaign, user=admin, liaison=cadre, pairs=pairs, term_start=campaign.start, term_end=campaign.end
        )


def _demo_user(username: str) -> User:
    user = User(username=username, full_name=DEMO_PEOPLE[username])
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def load_demo(seed: int = 2027) -> dict[str, int]:
    """Create the demo county, its ledgers, surveys and one user per role."""
    data = generator.build_demo_county(seed)
    # The needs and advantages the demo's villages name: the vocabulary a migration
    # creates, made again if the database was emptied since (a flushed test database).
    sync_vocabulary(Capability)
    with change_context(source="command"):
        province = Province.objects.create(code=data.county.code6[:2], name=DEMO_PROVINCE, is_demo=True)
        prefecture = Prefecture.objects.create(province=province, code=data.county.code6[:4], name=DEMO_PREFECTURE)
        county = County.objects.create(
            prefecture=prefecture,
            code=data.county.code6,
            name=data.county.name,
            is_demo=True,
            latitude=data.county.lat,
            longitude=data.county.lon,
        )
        townships = {
            t.code12: Township.objects.create(
                county=county, code=t.code12, name=t.name, latitude=t.lat, longitude=t.lon
            )
            for t in data.townships
        }
        villages: dict[str, Village] = {}
        for v in data.villages:
            village = Village.objects.create(
                township=townships[v.township_code12],
                code=v.code12,
                name=v.name,
                urban_rural=v.urban_rural_code,
                population=v.population,
                households=v.households,
                area_km2=v.area_km2,
                per_capita_income=v.per_capita_income_yuan,
                collective_income=v.collective_income_yuan,
                industries=v.industries,
                latitude=v.lat,
                longitude=v.lon,
                party_secretary=v.party_secretary,
                party_members=v.party_members,
                party_notes=v.party_notes,
            )
            village.needs.set(list(v.needs))  # type: ignore[arg-type]
            village.advantages.set(list(v.advantages))  # type: ignore[arg-type]
            villages[v.code12] = village
        enterprises: dict[str, Enterprise] = {}
        for e in data.enterprises:
            enterprise = Enterprise.objects.create(
                township=townships[e.township_code12],
                uscc=e.uscc,
                name=e.name,
                industry=e.industry_section,
                size=e.size,
                employees=e.employees,
                revenue=e.revenue_10k_yuan,
                address=e.address,
                has_party_org=e.has_party_org,
                contact_name=e.contact_name,
                contact_mobile=e.contact_mobile,
                latitude=e.lat,
                longitude=e.lon,
            )
            enterprise.offers.set(list(e.offers))  # type: ignore[arg-type]
            enterprises[e.uscc] = enterprise
        for s in data.surveys:
            subject: dict[str, Village | Enterprise] = (
                {"village": villages[s.subject_code]}
                if s.subject == "village"
                else {"enterprise": enterprises[s.subject_code]}
            )
            Survey.objects.create(
                kind=s.kind,
                date=s.date,
                surveyors="、".join(s.surveyors),
                findings=s.findings,
                figures=s.figures.as_dict(),
                **subject,
            )
        first_township = townships[data.townships[0].code12]
        first_village = next(v for v in villages.values() if v.township_id == first_township.pk)
        first_enterprise = next(e for e in enterprises.values() if e.township_id == first_township.pk)
        bindings: dict[str, tuple[str, dict[str, object]]] = {
            "county_admin": (Role.COUNTY_ADMIN, {"county": county}),
            "county_staff": (Role.COUNTY_STAFF, {"county": county}),
            "township_staff": (Role.TOWNSHIP_STAFF, {"township": first_township}),
            "liaison": (Role.LIAISON, {"county": county}),
            "enterprise": (Role.ENTERPRISE_CONTACT, {"enterprise": first_enterprise}),
            "village": (Role.VILLAGE_CONTACT, {"village": first_village}),
            "reviewer": (Role.REVIEWER, {"county": county}),
            "cadre_officer": (Role.CADRE_OFFICER, {"county": county}),
        }
        for username, (role, binding) in bindings.items():
            user = User(username=username, full_name=DEMO_PEOPLE[username], is_staff=role == Role.COUNTY_ADMIN)
            user.set_password(DEMO_PASSWORD)
            user.save()
            (node,) = binding.values()
            grant_for_setup(user, role, node)
        from tongxin.demo.campaign import load_campaign, rebind_demo_users

        pairing = load_campaign(county, seed)
        rebind_demo_users(county.campaigns.get().pairs.all())
        from tongxin.cadres.demo import load_cadres

        cadres = load_cadres(county, list(townships.values()), seed, timezone.localdate())
        from tongxin.chambers.demo import load_chambers

        chambers = load_chambers(
            county, list(townships.values()), list(enterprises.values()), seed, timezone.localdate()
        )
        from tongxin.portal.demo import load_portal

        portal = load_portal(county, _demo_user("editor"), _demo_user("publisher"), seed)
        from tongxin.selection.demo import load_selections

        selections = load_selections(county, list(townships.values()), seed)
        from tongxin.platforms.demo import demo_association, load_platforms

        platforms = load_platforms(
            county, list(townships.values()), list(villages.values()), seed, timezone.localdate()
        )
        grant_for_setup(_demo_user("association_staff"), Role.ASSOCIATION_STAFF, demo_association(county))
        neighbour = _load_neighbour(prefecture)
        _load_tree_logins(province, county)
    return {
        "neighbour villages": neighbour,
        **pairing,
        **cadres,
        **chambers,
        **portal,
        **selections,
        **platforms,
        "townships": len(townships),
        "villages": len(villages),
        "enterprises": len(enterprises),
        "surveys": len(data.surveys),
        # Besides the bindings: province_staff, liaison_township, editor, publisher, association_staff.
        "users": len(bindings) + 5,
    }
