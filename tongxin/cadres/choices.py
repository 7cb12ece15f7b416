"""The vocabularies of the non-party cadre files (DOMAIN.md, "Non-party cadres").

By design there is no ethnicity and no religion anywhere in this app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Secondary school or below")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


class RankLevel(models.TextChoices):
    """Civil-service rank levels, lowest first."""

    NONE = "none", _("No rank")
    SECTION_DEPUTY = "section_deputy", _("Deputy section level")
    SECTION = "section", _("Section level")
    DIVISION_DEPUTY = "division_deputy", _("Deputy division level")
    DIVISION = "division", _("Division level")
    BUREAU_DEPUTY = "bureau_deputy", _("Deputy bureau level")


class Affiliation(models.TextChoices):
    """Non-party (无党派人士) or one of the eight democratic parties."""

    NON_PARTY = "non_party", _("Non-party")
    RCCK = "rcck", _("Revolutionary Committee of the Kuomintang")
    CDL = "cdl", _("China Democratic League")
    CNDCA = "cndca", _("China National Democratic Construction Association")
    CAPD = "capd", _("China Association for Promoting Democracy")
    CPWDP = "cpwdp", _("Chinese Peasants' and Workers' Democratic Party")
    CZGP = "czgp", _("China Zhi Gong Party")
    JS = "js", _("Jiusan Society")
    TDSGL = "tdsgl", _("Taiwan Democratic Self-Government League")


class CouncilLevel(models.TextChoices):
    """The level of a people's congress or CPPCC a person is a member of."""

    NONE = "", _("Not a member")
    TOWNSHIP = "township", _("Township")
    COUNTY = "county", _("County")
    PREFECTURE = "prefecture", _("Prefecture")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


class PersonStatus(models.TextChoices):
    SERVING = "serving", _("Serving")
    RESERVE = "reserve", _("Reserve")
    RETIRED = "retired", _("Retired")
    LEFT = "left", _("Left")


class AccessKind(models.TextChoices):
    """What a logged read of personal files was."""

    PAGE = "page", _("Page viewed")
    API = "api", _("API detail read")
    EXPORT = "export", _("Export")
    UNMASK = "unmask", _("Identifiers unmasked")
    API_LIST = "api_list", _("API list read")
    SEARCH = "search", _("Search hit opened")
    SUBJECT = "subject", _("Personal data exported on request")


class BodyKind(models.TextChoices):
    """Leadership bodies whose staffing the rules speak of."""

    NPC_STANDING = "npc_standing", _("People's congress standing committee")
    GOVERNMENT = "government", _("Government leadership")
    CPPCC = "cppcc", _("CPPCC leadership")
    COURT = "court", _("Court leadership")
    PROCURATORATE = "procuratorate", _("Procuratorate leadership")
    DEPARTMENT = "department", _("Government department")
    TOWNSHIP_TEAM = "township_team", _("Township team")
    INSTITUTION = "institution", _("Institution")


class PostRole(models.TextChoices):
    LEADER = "leader", _("Head")
    DEPUTY = "deputy", _("Deputy")
    SECTION_CHIEF = "section_chief", _("Section chief")
    MEMBER = "member", _("Member")


class RuleMode(models.TextChoices):
    EACH = "each", _("Each body needs at least N")
    BODIES = "bodies", _("At least N bodies need one")


class ReserveStage(models.TextChoices):
    """The reserve pipeline, in order; "removed" ends it from any stage before appointment."""

    FOUND = "found", _("Found")
    INSPECTED = "inspected", _("Inspected")
    POOL = "pool", _("In the reserve pool")
    TRAINED = "trained", _("Trained")
    APPOINTED = "appointed", _("Appointed")
    REMOVED = "removed", _("Removed")


PIPELINE = (ReserveStage.FOUND, ReserveStage.INSPECTED, ReserveStage.POOL, ReserveStage.TRAINED, ReserveStage.APPOINTED)


# -- training (培养) and making friends (交友) ----------------------------------------------


class CourseKind(models.TextChoices):
    """Where a course is given: a socialist college of a level, a local class, online."""

    PROVINCE_COLLEGE = "province_college", _("Provincial socialist college")
    CITY_COLLEGE = "city_college", _("City socialist college")
    COUNTY_COLLEGE = "county_college", _("County socialist college")
    LOCAL_CLASS = "local_class", _("Local class")
    ONLINE = "online", _("Online course")


#: The socialist colleges a person can be recommended to.
COLLEGES = (CourseKind.PROVINCE_COLLEGE, CourseKind.CITY_COLLEGE, CourseKind.COUNTY_COLLEGE)


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RecommendationOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    ADMITTED = "admitted", _("Admitted")
    DECLINED = "declined", _("Not admitted")


class ContactFrequency(models.TextChoices):
    """How often a leading cadre is to contact their non-party friend."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


#: Months between contacts for each frequency.
FREQUENCY_MONTHS = {
    ContactFrequency.MONTHLY: 1,
    ContactFrequency.QUARTERLY: 3,
    ContactFrequency.HALF_YEARLY: 6,
    ContactFrequency.YEARLY: 12,
}


class ContactForm(models.TextChoices):
    TALK = "talk", _("Talk")
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    LETTER = "letter", _("Letter")
