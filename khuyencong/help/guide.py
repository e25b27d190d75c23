"""The user guide's content: for each role, the tasks that role does, in numbered steps.

A step names the real menu entries and buttons by the very msgids the pages use (`UI` below), so the guide
reads in the language of the interface and changes with it; `tests/help/` fails when a page stops showing a
label the guide quotes, when a step's page stops answering, or when a screenshot is missing. Each task's
screenshot is taken from the page named by its `screen` (see `help.selectors.SCREENS`) by `khuyencong guide`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UI:
    """Labels of the interface, with the msgids (and contexts) of the templates that show them."""

    # the top menu (core.context_processors.NAV) and the account menu
    ESTABLISHMENTS = pgettext_lazy("navigation", "Establishments")
    PROGRAMME = _("Programme")
    SELECTION = _("Selection")
    MARKET_LINKAGE = pgettext_lazy("navigation", "Market linkage")
    REPORTS = _("Reports")
    IMPORT_EXPORT = pgettext_lazy("navigation", "Import / export")
    CATALOGUE = pgettext_lazy("navigation", "Catalogue")
    MY_ACCOUNT = _("My account")
    ADMINISTRATION = _("Administration")
    LOG_IN = _("Log in")
    # registry
    REGISTER_ESTABLISHMENT = _("Register an establishment")
    SAVE = _("Save")
    # selection
    NEW_ROUND = _("New round")
    COUNCIL = _("Council")
    RESULTS = _("Results")
    CLOSE_REGISTRATION = _("Close registration")
    OPEN_SCORING = _("Open scoring")
    ADD_TO_COUNCIL = _("Add to the council")
    ADD_A_PERSON = _("Add a person")
    ASSIGN_DOSSIERS = _("Assign dossiers")
    RECORD_DECISION_AND_ISSUE = _("Record the decision and issue certificates")
    RECORD_DECISION = _("Record the decision")
    DECISION_AND_CERTIFICATES = _("Decision and certificates")
    SIGN_ALL = _("Sign the decision and all certificates")
    SIGNATORIES = _("Signatories and recipients")
    REGISTER_PRODUCT = _("Register a product")
    CREATE_DOSSIER = _("Create the dossier")
    SUBMIT_DOSSIER = _("Submit the dossier")
    ATTACH = _("Attach")
    MY_DOSSIERS = _("My dossiers")
    APPEAL = _("Appeal")
    LODGE_APPEAL = _("Lodge an appeal")
    WITHDRAW_APPEAL = _("Withdraw the appeal")
    WAITING_FOR_SCORE = _("Dossiers waiting for your score")
    GIVE_SCORES = _("Give scores")
    SAVE_DRAFT = _("Save draft")
    SUBMIT_AND_SEAL = _("Submit and seal")
    CONFLICT = _("Conflict of interest")
    NOMINATE_WINNERS = _("Nominate winners to the next level")
    NOMINATE = _("Nominate")
    CURRENT_ROUNDS = _("Current rounds")
    NOMINEES = _("Nominees")
    LETTER = _("The people's committee's letter")
    # programme
    PROPOSE_PROJECT = _("Propose a project")
    PROPOSE = _("Propose")
    NEXT_STEP = _("Next step")
    RECORD_ACCEPTANCE = _("Record acceptance")
    RECORD_PAYMENT = _("Record a payment")
    BUDGET_CLASSIFICATION = _("Budget classification")
    DOCUMENTS = _("Documents")
    TARGETS = _("Targets and progress")
    # reports and data
    SHOW = _("Show")
    UPLOAD_AND_CHECK = _("Upload and check")
    EXPORT = _("Export")
    # outreach
    SEND_ANSWERS = _("Send our answers")
    # national plan
    CONSOLIDATION = _("Consolidation")
    REGISTERED_PROJECTS = _("Registered projects")
    # public
    VERIFY_CERTIFICATE = _("Verify a certificate")
    VERIFY = _("Verify")
    CHECK_SIGNED_PDF = _("Check a signed PDF (decision or certificate)")
    CHECK = _("Check")
    SEARCH = _("Search")
    OPEN_DATA = _("Open data")


@dataclass(frozen=True)
class Step:
    """One numbered step: `text` with `{}` where each quoted label goes.

    `screen` is the page (a key of `help.selectors.SCREENS`) on which the labels are shown, when it differs
    from the task's; `None` with labels means a page the demo has no record for (checked against the
    catalogue only). A `code` line is shown as a command to type."""

    text: Promise
    labels: tuple = ()
    screen: str | None = ""
    code: str = ""

    def html(self) -> SafeString:
        quoted = [format_html('<strong class="ui-label">{}</strong>', label) for label in self.labels]
        return format_html(str(self.text), *quoted) if quoted else escape(self.text)


@dataclass(frozen=True)
class Task:
    slug: str
    title: Promise
    summary: Promise
    screen: str | None
    steps: tuple[Step, ...]

    def screen_of(self, step: Step) -> str | None:
        return self.screen if step.screen == "" else step.screen


@dataclass(frozen=True)
class RoleGuide:
    key: str  # the role's value in accounts.models.Role, or "public"
    title: Promise
    summary: Promise
    demo_user: str  # the demo account the screenshots are taken as ("" for the public)
    tasks: tuple[Task, ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        return self.key.replace("_", "-")


S = Step

FIRST_STEPS = Task(
    "first-steps",
    _("First steps: log in, language, notifications"),
    _("How to sign in, switch between Vietnamese and English and keep your account safe."),
    "profile",
    (
        S(
            _("Open the site's address and press {} at the top right; type your user name and password."),
            (UI.LOG_IN,),
            screen="login",
        ),
        S(_("The button EN (or VI) at the top right switches the language; the site remembers your choice.")),
        S(_("The bell shows your unread notifications; choose there whether they also come by e-mail.")),
        S(
            _("Under your name, {} lets you change your password and turn on two-step verification."),
            (UI.MY_ACCOUNT,),
        ),
    ),
)

GUIDES: tuple[RoleGuide, ...] = (
    RoleGuide(
        "province_officer",
        _("Province officer"),
        _(
            "The Department of Industry and Trade or its Industrial Promotion Centre: the province's registry, "
            "selection rounds, support projects and reports."
        ),
        "sct.camau",
        (
            FIRST_STEPS,
            Task(
                "register-establishment",
                _("Register an establishment"),
                _("Add a rural industrial establishment to the province's registry."),
                "establishment_new",
                (
                    S(_("In the menu, open {}."), (UI.ESTABLISHMENTS,), screen="establishments"),
                    S(
                        _(
                            'Search first by name or tax code (accents are optional, e.g. "kho muc") so the '
                            "establishment is not entered twice."
                        )
                    ),
                    S(_("Press {}."), (UI.REGISTER_ESTABLISHMENT,), screen="establishments"),
                    S(
                        _(
                            "Fill in the name, kind, tax code, commune and address; the form names any establishment "
                            "that already holds the tax code. Press {}."
                        ),
                        (UI.SAVE,),
                    ),
                ),
            ),
            Task(
                "open-round",
                _("Open a selection round"),
                _("A province round of typical rural industrial products, from registration to results."),
                "round_new",
                (
                    S(
                        _("In the menu, open {} and press {}."),
                        (UI.SELECTION, UI.NEW_ROUND),
                        screen="selection",
                    ),
                    S(
                        _(
                            "Choose the level, the year, the registration period and the quota; the official criteria "
                            "are taken from the newest rubric. Press {}."
                        ),
                        (UI.SAVE,),
                    ),
                    S(
                        _(
                            "On the round's page, representatives register their products while registration is "
                            "open; close it with {}, then press {} once the council is set up."
                        ),
                        (UI.CLOSE_REGISTRATION, UI.OPEN_SCORING),
                        screen="round_open",
                    ),
                ),
            ),
            Task(
                "council",
                _("Set up the council"),
                _("Add the council's members and assign them the dossiers to score."),
                "council",
                (
                    S(_("On the round's page press {}."), (UI.COUNCIL,), screen="round_open"),
                    S(
                        _("Under {} choose a person and their role, then press {}."),
                        (UI.ADD_A_PERSON, UI.ADD_TO_COUNCIL),
                    ),
                    S(
                        _(
                            "Under {} give each member the dossiers they score; a member who declared a conflict "
                            "of interest is not offered that dossier."
                        ),
                        (UI.ASSIGN_DOSSIERS,),
                    ),
                ),
            ),
            Task(
                "results-certificates",
                _("Approve the results and issue certificates"),
                _(
                    "After scoring: approve the results, record the decision, sign and issue the certificates."
                ),
                "results_approved",
                (
                    S(
                        _("On the round's page press {}; check the ranking and the judging diagnostic."),
                        (UI.RESULTS,),
                        screen="round_approved",
                    ),
                    S(
                        _(
                            "Under {} type the decision's number and date and press {}: the certificates are "
                            "issued and the products enter the public catalogue."
                        ),
                        (UI.RECORD_DECISION_AND_ISSUE, UI.RECORD_DECISION),
                    ),
                    S(
                        _(
                            "Open {} to sign with the organisation's certificate ({}), or download each PDF, "
                            "sign it with your token and upload it."
                        ),
                        (UI.DECISION_AND_CERTIFICATES, UI.SIGN_ALL),
                        screen="documents_decided",
                    ),
                    S(
                        _("Who signs and who receives the decision is set once under {}."),
                        (UI.SIGNATORIES,),
                        screen="documents_decided",
                    ),
                ),
            ),
            Task(
                "support-project",
                _("Create and settle a support project"),
                _("A project of the industrial promotion programme, from the proposal to the settlement."),
                "project_running",
                (
                    S(
                        _("In the menu, open {} and press {}."),
                        (UI.PROGRAMME, UI.PROPOSE_PROJECT),
                        screen="programme",
                    ),
                    S(
                        _(
                            "Choose the beneficiary (its province and commune follow), the activity and the costs; "
                            "the ceilings of the dated rules are checked. Press {}."
                        ),
                        (UI.PROPOSE,),
                        screen="project_new",
                    ),
                    S(
                        _(
                            "On the project's page, {} shows the buttons of the steps that follow: appraise, "
                            "approve, contract, start, {}."
                        ),
                        (UI.NEXT_STEP, UI.RECORD_ACCEPTANCE),
                    ),
                    S(
                        _(
                            "Record each tranche with {}, complete the {} and attach the papers under {}; then "
                            "settle the project: the final payment closes it."
                        ),
                        (UI.RECORD_PAYMENT, UI.BUDGET_CLASSIFICATION, UI.DOCUMENTS),
                    ),
                ),
            ),
            Task(
                "reports",
                _("Reports and exports"),
                _("The programme summary, its drill-down, and the files the Ministry receives."),
                "reports",
                (
                    S(
                        _("In the menu, open {}; choose the years and the place and press {}."),
                        (UI.REPORTS, UI.SHOW),
                    ),
                    S(
                        _(
                            "Every figure is a link to the records it counts. XLSX and PDF download the summary."
                        )
                    ),
                    S(
                        _(
                            "{} in the menu imports the registry, projects and results from a spreadsheet "
                            "({}) and exports them."
                        ),
                        (UI.IMPORT_EXPORT, UI.UPLOAD_AND_CHECK),
                        screen="data",
                    ),
                ),
            ),
        ),
    ),
    RoleGuide(
        "establishment",
        _("Establishment representative"),
        _("A rural industrial establishment's owner or staff: its products, dossiers, surveys and appeals."),
        "coso.khomuc",
        (
            FIRST_STEPS,
            Task(
                "submit-dossier",
                _("Submit a dossier"),
                _("Register a product in an open round and send the dossier to the province."),
                "dossier_draft",
                (
                    S(
                        _("In the menu, open {}; under {} choose a round that is open for registration."),
                        (UI.SELECTION, UI.CURRENT_ROUNDS),
                        screen="selection",
                    ),
                    S(_("On the round's page press {}."), (UI.REGISTER_PRODUCT,), screen="round_open"),
                    S(
                        _(
                            "Choose the product and press {}: the markets and workers are taken from the registry and "
                            "your last dossier."
                        ),
                        (UI.CREATE_DOSSIER,),
                        screen="dossier_register",
                    ),
                    S(
                        _("Under {} attach the registration form and a photo of the product ({})."),
                        (UI.DOCUMENTS, UI.ATTACH),
                    ),
                    S(_("Press {}; you are notified when the province screens it."), (UI.SUBMIT_DOSSIER,)),
                ),
            ),
            Task(
                "survey",
                _("Answer a survey"),
                _("The province asks establishments about their needs for support."),
                "survey_answer",
                (
                    S(
                        _(
                            "In the menu, open {}, then the surveys; the dashboard also counts the surveys to "
                            "answer."
                        ),
                        (UI.MARKET_LINKAGE,),
                        screen="surveys",
                    ),
                    S(
                        _("Open the survey, answer each question and press {}."),
                        (UI.SEND_ANSWERS,),
                        screen=None,
                    ),
                ),
            ),
            Task(
                "appeal",
                _("Appeal a result"),
                _("Within the appeal period after the results are published."),
                "dossier_appealed",
                (
                    S(
                        _("In the menu, open {}; under {} open the dossier."),
                        (UI.SELECTION, UI.MY_DOSSIERS),
                        screen="selection",
                    ),
                    S(
                        _("Under {} write your reasons and press {}; the council answers on the same page."),
                        (UI.APPEAL, UI.LODGE_APPEAL),
                        screen=None,
                    ),
                    S(_("Until it is answered, {} takes the appeal back."), (UI.WITHDRAW_APPEAL,)),
                ),
            ),
        ),
    ),
    RoleGuide(
        "judge",
        _("Council member"),
        _("A member of a selection council: declares conflicts and scores the dossiers assigned."),
        "giamkhao1",
        (
            FIRST_STEPS,
            Task(
                "score",
                _("Score the dossiers"),
                _("Give points on each criterion of the official rubric, then seal the sheet."),
                "judge_score",
                (
                    S(
                        _("In the menu, open {}; {} lists what is assigned to you while scoring is open."),
                        (UI.SELECTION, UI.WAITING_FOR_SCORE),
                        screen="selection",
                    ),
                    S(
                        _(
                            "On the dossier's page, declare a {} first if you have one: the dossier is then "
                            "scored by others."
                        ),
                        (UI.CONFLICT,),
                        screen="judge_dossier",
                    ),
                    S(
                        _(
                            "Press {}, enter the points of each criterion (the maximum is checked as you type) and "
                            "press {} to come back later."
                        ),
                        (UI.GIVE_SCORES, UI.SAVE_DRAFT),
                        screen=None,
                    ),
                    S(
                        _(
                            "When every criterion has its points, press {}: a sealed sheet can no longer change."
                        ),
                        (UI.SUBMIT_AND_SEAL,),
                        screen=None,
                    ),
                ),
            ),
        ),
    ),
    RoleGuide(
        "commune_officer",
        _("Commune officer"),
        _("The commune's people's committee: the commune's establishments, its round and its nominations."),
        "xa.songdoc",
        (
            FIRST_STEPS,
            Task(
                "commune-round",
                _("Run a commune round"),
                _("A selection round at commune level, run like the province's."),
                "round_new",
                (
                    S(
                        _("In the menu, open {} and press {}."),
                        (UI.SELECTION, UI.NEW_ROUND),
                        screen="selection",
                    ),
                    S(
                        _(
                            "The level and the commune are yours; set the year and the registration period and press "
                            "{}."
                        ),
                        (UI.SAVE,),
                    ),
                    S(
                        _(
                            "Set up the council and record the results as the province officer's guide describes."
                        )
                    ),
                ),
            ),
            Task(
                "nominate",
                _("Nominate winners to the province"),
                _("Send the commune's certified products to the next level's round."),
                "nominate_commune",
                (
                    S(
                        _("On the decided round's page press {}."),
                        (UI.NOMINATE_WINNERS,),
                        screen="round_commune_decided",
                    ),
                    S(
                        _("Tick the products and press {}: the dossier and its documents are carried over."),
                        (UI.NOMINATE,),
                    ),
                ),
            ),
        ),
    ),
    RoleGuide(
        "national_organiser",
        _("National organiser"),
        _(
            "The Ministry's agency for industrial promotion: region and national rounds, the provinces' batches "
            "and the national plan."
        ),
        "cuc.khuyencong",
        (
            FIRST_STEPS,
            Task(
                "region-round",
                _("Open a region or national round"),
                _("Rounds above the province: the provinces nominate their winners into them."),
                "round_region_open",
                (
                    S(
                        _("In the menu, open {} and press {}."),
                        (UI.SELECTION, UI.NEW_ROUND),
                        screen="selection",
                    ),
                    S(
                        _("Choose the level (region or national), the region and the periods and press {}."),
                        (UI.SAVE,),
                        screen="round_new",
                    ),
                    S(_("Set up the {} and follow the round as a province does."), (UI.COUNCIL,)),
                ),
            ),
            Task(
                "batches",
                _("Receive the provinces' batches"),
                _("Each province sends its nominations as one batch with the people's committee's letter."),
                "batch",
                (
                    S(
                        _("Open the batch from the notification or the round's page; read {} and the {}."),
                        (UI.LETTER, UI.NOMINEES),
                    ),
                    S(
                        _(
                            "Accept it as complete (the 30 working days to the decision start) or return it to the "
                            "province with the reason."
                        )
                    ),
                ),
            ),
            Task(
                "national-plan",
                _("Appraise and allocate the national plan"),
                _("The provinces' registrations for national funds: appraisal, consolidation, allocation."),
                "registration",
                (
                    S(
                        _("Open {} on the national plan page to compare the provinces."),
                        (UI.CONSOLIDATION,),
                        screen="national",
                    ),
                    S(
                        _("Open a province's registration: {} lists each project with the amount requested."),
                        (UI.REGISTERED_PROJECTS,),
                    ),
                    S(
                        _(
                            "Appraise each project, then allocate the funds per activity under the Ministry's "
                            "decision; the province sees the allocation in its plan."
                        )
                    ),
                ),
            ),
        ),
    ),
    RoleGuide(
        "viewer",
        _("Ministry viewer"),
        _("Reads the figures of the whole country (or of a region or province) without changing anything."),
        "bo.cuc",
        (
            FIRST_STEPS,
            Task(
                "country-reports",
                _("Read the reports of the whole country"),
                _("The programme summary for every province, with its drill-down and downloads."),
                "reports",
                (
                    S(
                        _("In the menu, open {}; without a province chosen the figures are the country's."),
                        (UI.REPORTS,),
                    ),
                    S(
                        _(
                            "Choose a region or a province and press {}; every figure opens the records it counts."
                        ),
                        (UI.SHOW,),
                    ),
                    S(_("XLSX and PDF download the summary as it is shown.")),
                ),
            ),
            Task(
                "targets",
                _("Follow the programme targets"),
                _("The national programme 2026–2030 and the provinces' programmes, year by year."),
                "targets",
                (
                    S(_("In the menu, open {}, then {}."), (UI.PROGRAMME, UI.TARGETS), screen="programme"),
                    S(
                        _(
                            "Open a programme to see each target's progress from the records and its projection."
                        )
                    ),
                ),
            ),
        ),
    ),
    RoleGuide(
        "admin",
        _("System administrator"),
        _("Keeps the site running: users, signatories, backups."),
        "admin",
        (
            FIRST_STEPS,
            Task(
                "users",
                _("Create users"),
                _("Each person has an account with a role and the place the role covers."),
                "admin_users",
                (
                    S(
                        _("Under your name, open {}; under Accounts, open Users and add one."),
                        (UI.ADMINISTRATION,),
                        screen="home",
                    ),
                    S(
                        _(
                            "Give the user name, the role and the place (province, commune or establishment); the "
                            'person sets a password with "Forgot your password?" on the login page.'
                        )
                    ),
                ),
            ),
            Task(
                "signatories",
                _("Set the signatories"),
                _("Who signs the decisions and certificates, and who receives them."),
                "signatories",
                (
                    S(
                        _(
                            "Open {} and fill in each kind of document's signer, title and recipients; press {}."
                        ),
                        (UI.SIGNATORIES, UI.SAVE),
                    ),
                ),
            ),
            Task(
                "backups",
                _("Back up and restore"),
                _("One archive holds the database and the uploads (see docs/operations.md)."),
                None,
                (
                    S(
                        _("Make an archive (a timer does it every night):"),
                        code="khuyencong backup /var/backups/khuyencong/$(date +%F).tar.gz",
                    ),
                    S(
                        _("Restore it into an empty database and compare it with its manifest:"),
                        code="khuyencong restore FILE.tar.gz --verify",
                    ),
                    S(_("Try the restore on another machine every month, as docs/operations.md describes.")),
                ),
            ),
        ),
    ),
    RoleGuide(
        "public",
        _("Everyone (no login)"),
        _("The public catalogue of certified products and the verification of certificates."),
        "",
        (
            Task(
                "catalogue",
                _("Browse the catalogue"),
                _("Every certified typical product, with its establishment and certificates."),
                "catalogue",
                (
                    S(
                        _("In the menu, open {}; type a name and press {}, or filter by province and level."),
                        (UI.CATALOGUE, UI.SEARCH),
                    ),
                    S(_("{} downloads the catalogue for reuse."), (UI.OPEN_DATA,)),
                ),
            ),
            Task(
                "verify",
                _("Verify a certificate"),
                _("Is this certificate genuine? Its number or QR code answers."),
                "verify",
                (
                    S(_("In the catalogue press {}."), (UI.VERIFY_CERTIFICATE,), screen="catalogue"),
                    S(
                        _(
                            "Type the certificate's number and press {}; scanning the QR code on the certificate opens "
                            "the same answer."
                        ),
                        (UI.VERIFY,),
                        screen="verify_lookup",
                    ),
                    S(
                        _("For a signed PDF, press {}, choose the file and press {}."),
                        (UI.CHECK_SIGNED_PDF, UI.CHECK),
                        screen="verify_lookup",
                    ),
                ),
            ),
        ),
    ),
)

BY_SLUG = {guide.slug: guide for guide in GUIDES}
BY_KEY = {guide.key: guide for guide in GUIDES}


def guide_for(slug: str) -> RoleGuide | None:
    return BY_SLUG.get(slug)


def ordered_for(key: str) -> list[RoleGuide]:
    """Every guide, the reader's own role first."""
    own = BY_KEY.get(key)
    return [own, *(g for g in GUIDES if g is not own)] if own else list(GUIDES)


def screenshot_name(guide: RoleGuide, task: Task) -> str:
    return f"{guide.slug}-{task.slug}.png"
