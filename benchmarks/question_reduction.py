"""Question reduction: after training the first screens of an application, how many elements
of new shots of the same screens are recognized automatically, and how many wrongly.

Screens are generated with known element identities (what the DOM of a rendered page would
tell): three applications (CRM, ERP, help desk), four screens each, built from a sidebar
menu, a title with the record's name, captioned fields, buttons, links, tabs, a table, icon
buttons without text, and record-specific values. Every screen is shot once at 1440x900 and
trained (every question answered through ``training.answer_question``, exactly as the
canvas does). Then each screen is shot again ``SHOTS`` times with other records, other window
sizes (1024..1920 wide: the layout reflows to one or two columns, right-aligned buttons move),
small layout changes (a banner pushing the page down, optional fields present or not, a few
pixels of jitter), OCR noise (a character misread now and then) and slightly different
visual hashes; each new shot goes through ``training.after_analysis`` like an analyzed upload.

Reported:
- ``recognized``: elements matched to a pattern, over the elements that would be asked about
  with an empty library (captions excluded): the question reduction;
- ``no_question``: elements that get no question at all (matched, or a caption), over all
  elements: what the person sees;
- ``wrong``: matched elements whose pattern was learned from an element of another identity.
A small grid over the thresholds (pure matching on the same data) shows why the defaults in
``MatchTuning`` were chosen.

Run: ``python -m benchmarks.question_reduction`` (writes
benchmarks/results/question_reduction.json).
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from techledger.enums import ElementType

SHOTS = int(os.environ.get("BENCH_SHOTS", "6"))
SEED = int(os.environ.get("BENCH_SEED", "11"))
RESULTS = Path(__file__).parent / "results" / "question_reduction.json"

FIRST = [
    "Ada Lovelace",
    "Grace Hopper",
    "Alan Turing",
    "Linus Torvalds",
    "Margaret Hamilton",
    "Barbara Liskov",
    "Dennis Ritchie",
    "Frances Allen",
    "Ken Thompson",
    "Radia Perlman",
]
COMPANIES = [
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Cyberdyne",
    "Soylent",
    "Tyrell",
]


@dataclass(frozen=True)
class Field:
    label: str
    kind: ElementType = ElementType.INPUT
    value: str = "name"  # what kind of record value it shows
    optional: bool = False


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    title: str  # "{record}" is replaced by the record's name
    fields: tuple[Field, ...]
    buttons: tuple[str, ...]
    links: tuple[str, ...] = ()
    tabs: tuple[str, ...] = ()
    table: str | None = None
    icons: tuple[str, ...] = ("settings", "close")


@dataclass(frozen=True)
class AppSpec:
    name: str
    menu: tuple[str, ...]
    screens: tuple[ScreenSpec, ...]


APPS = [
    AppSpec(
        "Salesforce",
        ("Home", "Leads", "Accounts", "Contacts", "Opportunities", "Reports"),
        (
            ScreenSpec(
                "new-lead",
                "New lead",
                (
                    Field("First name"),
                    Field("Last name *"),
                    Field("Company *", value="company"),
                    Field("Email", value="email"),
                    Field("Phone", value="phone", optional=True),
                    Field("Lead source", ElementType.DROPDOWN, value="choice"),
                    Field("Lead status", ElementType.DROPDOWN, value="choice"),
                    Field("Do not call", ElementType.CHECKBOX, value="none"),
                ),
                ("Save", "Save & New", "Cancel"),
                links=("Help for this page",),
            ),
            ScreenSpec(
                "account",
                "Account: {company}",
                (
                    Field("Account name *", value="company"),
                    Field("Account owner", value="name"),
                    Field("Industry", ElementType.DROPDOWN, value="choice"),
                    Field("Annual revenue", value="amount"),
                    Field("Billing address line 1", value="street"),
                    Field("Billing address line 2", value="street", optional=True),
                    Field("Website", value="url", optional=True),
                ),
                ("Edit", "Delete", "Clone"),
                tabs=("Details", "Related", "Activity"),
                table="Contacts Name Title Email Phone",
            ),
            ScreenSpec(
                "opportunity",
                "Opportunity {number}",
                (
                    Field("Opportunity name *", value="company"),
                    Field("Close date *", value="date"),
                    Field("Stage", ElementType.DROPDOWN, value="choice"),
                    Field("Amount", value="amount"),
                    Field("Probability (%)", value="percent"),
                    Field("Private", ElementType.CHECKBOX, value="none"),
                ),
                ("Save", "Mark stage as complete", "Cancel"),
                links=("View all notes",),
            ),
            ScreenSpec(
                "leads-list",
                "Leads",
                (Field("Search this list", value="none"),),
                ("New", "Import", "Change owner"),
                tabs=("Recently viewed", "My leads", "All open leads"),
                table="Name Company State Email Lead status Owner",
            ),
        ),
    ),
    AppSpec(
        "SAP Business One",
        ("Dashboard", "Sales", "Purchasing", "Inventory", "Banking", "Administration"),
        (
            ScreenSpec(
                "sales-order",
                "Sales order {number}",
                (
                    Field("Customer *", value="company"),
                    Field("Contact person", value="name"),
                    Field("Posting date", value="date"),
                    Field("Delivery date *", value="date"),
                    Field("Customer ref. no.", value="number"),
                    Field("Currency", ElementType.DROPDOWN, value="choice"),
                    Field("Sales employee", ElementType.DROPDOWN, value="choice", optional=True),
                ),
                ("Add", "Copy from", "Copy to", "Cancel"),
                tabs=("Contents", "Logistics", "Accounting", "Attachments"),
                table="Item no. Description Quantity Unit price Total",
            ),
            ScreenSpec(
                "item-master",
                "Item master data: {number}",
                (
                    Field("Item number *", value="number"),
                    Field("Description", value="company"),
                    Field("Item group", ElementType.DROPDOWN, value="choice"),
                    Field("Inventory item", ElementType.CHECKBOX, value="none"),
                    Field("Sales item", ElementType.CHECKBOX, value="none"),
                    Field("Purchase item", ElementType.CHECKBOX, value="none"),
                    Field("Bar code", value="number", optional=True),
                ),
                ("Update", "OK", "Cancel"),
                tabs=("General", "Purchasing data", "Sales data", "Inventory data"),
            ),
            ScreenSpec(
                "incoming-payment",
                "Incoming payment {number}",
                (
                    Field("Code *", value="number"),
                    Field("Name", value="company"),
                    Field("Posting date", value="date"),
                    Field("Amount due", value="amount"),
                    Field("Payment on account", ElementType.CHECKBOX, value="none"),
                    Field("Cash", ElementType.RADIO, value="none"),
                    Field("Bank transfer", ElementType.RADIO, value="none"),
                ),
                ("Add", "Payment means", "Cancel"),
                table="Document no. Installment Date Total Balance due",
            ),
            ScreenSpec(
                "approval",
                "Approval status report",
                (
                    Field("From date", value="date"),
                    Field("To date", value="date"),
                    Field("Originator", ElementType.DROPDOWN, value="choice"),
                    Field("Pending", ElementType.CHECKBOX, value="none"),
                    Field("Approved", ElementType.CHECKBOX, value="none"),
                ),
                ("OK", "Cancel"),
                links=("Approval procedures",),
            ),
        ),
    ),
    AppSpec(
        "Zendesk",
        ("Views", "Customers", "Organizations", "Reporting", "Admin"),
        (
            ScreenSpec(
                "ticket",
                "#{number} {subject}",
                (
                    Field("Requester", value="name"),
                    Field("Assignee *", ElementType.DROPDOWN, value="choice"),
                    Field("Followers", value="name", optional=True),
                    Field("Type", ElementType.DROPDOWN, value="choice"),
                    Field("Priority", ElementType.DROPDOWN, value="choice"),
                    Field("Tags", value="tags"),
                ),
                ("Submit as Open", "Submit as Pending", "Submit as Solved", "Close tab"),
                links=("View requester profile", "Merge into another ticket"),
                tabs=("Public reply", "Internal note"),
            ),
            ScreenSpec(
                "customer",
                "{name}",
                (
                    Field("Email", value="email"),
                    Field("Phone", value="phone"),
                    Field("Organization", value="company"),
                    Field("Language", ElementType.DROPDOWN, value="choice"),
                    Field("Time zone", ElementType.DROPDOWN, value="choice"),
                    Field("Notes", value="tags", optional=True),
                ),
                ("New ticket", "Edit", "Delete"),
                tabs=("Tickets", "Related", "Security"),
                table="Subject Status Requested Updated",
            ),
            ScreenSpec(
                "views",
                "Views",
                (Field("Filter tickets", value="none"),),
                ("Add view", "Play", "Export CSV"),
                links=("Manage views",),
                table="Subject Requester Requested Priority Assignee",
                tabs=("Your unsolved tickets", "Unassigned tickets", "Recently updated"),
            ),
            ScreenSpec(
                "macro",
                "Edit macro: {subject}",
                (
                    Field("Macro name *", value="tags"),
                    Field("Description", value="tags", optional=True),
                    Field("Available for", ElementType.DROPDOWN, value="choice"),
                    Field("Active", ElementType.CHECKBOX, value="none"),
                ),
                ("Save", "Clone", "Cancel"),
                links=("Macro documentation",),
            ),
        ),
    ),
]

# Elements that appear only on the new shots (a newer release of the application): close in
# wording to trained ones, but something else. Matching them would be a wrong match.
UNSEEN = {
    "Salesforce": [
        (ElementType.BUTTON, "Mark status as complete"),
        (ElementType.LINK, "Help for this list"),
        (ElementType.BUTTON, "Save & Close"),
        (ElementType.LINK, "View all files"),
    ],
    "SAP Business One": [
        (ElementType.BUTTON, "Copy from draft"),
        (ElementType.LINK, "Approval templates"),
        (ElementType.BUTTON, "Payment terms"),
    ],
    "Zendesk": [
        (ElementType.BUTTON, "Submit as On-hold"),
        (ElementType.LINK, "View organization profile"),
        (ElementType.BUTTON, "Export PDF"),
    ],
}

OCR_CONFUSIONS = [("l", "1"), ("O", "0"), ("rn", "m"), ("i", "l"), ("e", "c"), ("S", "5")]


@dataclass
class Element:
    identity: str  # what it truly is (from the generator, like a DOM truth)
    element_type: ElementType
    text: str
    box: tuple[float, float, float, float]
    visual: str | None = None
    properties: dict | None = None


def _record(rng: random.Random) -> dict[str, str]:
    name = rng.choice(FIRST)
    company = rng.choice(COMPANIES)
    return {
        "name": name,
        "company": company,
        "email": f"{name.split()[0].lower()}@{company.split()[0].lower()}.com",
        "phone": f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        "amount": f"${rng.randint(1, 900)},{rng.randint(100, 999)}.00",
        "date": f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/2026",
        "number": str(rng.randint(10000, 99999)),
        "street": f"{rng.randint(1, 999)} {rng.choice(['Main', 'Oak', 'Pine'])} St",
        "url": f"www.{company.split()[0].lower()}.com",
        "percent": str(rng.choice([10, 25, 50, 75, 90])),
        "choice": rng.choice(["Web", "Partner", "Open", "Closed", "USD", "EUR", "High", "Low"]),
        "tags": rng.choice(["vip billing", "refund", "onboarding", "escalated"]),
        "subject": rng.choice(["Login fails", "Invoice copy", "Refund request", "Slow app"]),
        "none": "",
    }


def _visual(identity: str, rng: random.Random, noise_bits: int) -> str:
    base = random.Random(identity).getrandbits(64)
    for _ in range(noise_bits):
        base ^= 1 << rng.randrange(64)
    return f"{base:016x}"


def _ocr(text: str, rng: random.Random, rate: float) -> str:
    if not text or rng.random() >= rate:
        return text
    options = [(a, b) for a, b in OCR_CONFUSIONS if a in text]
    if not options:
        return text
    a, b = rng.choice(options)
    i = text.index(a)
    return text[:i] + b + text[i + len(a) :]


def render(
    app: AppSpec,
    screen: ScreenSpec,
    *,
    width: int,
    rng: random.Random,
    banner: bool = False,
    optional: bool = True,
    jitter: int = 0,
    ocr_rate: float = 0.0,
    visual_noise: int = 0,
    unseen: int = 0,
) -> tuple[list[Element], int, int]:
    """One shot of ``screen``: its elements with true identities, and the image size."""
    record = _record(rng)
    out: list[Element] = []

    def j() -> float:
        return rng.randint(-jitter, jitter) if jitter else 0

    def add(identity, element_type, text, box, visual=True, properties=None) -> None:  # noqa: ANN001
        x, y, w, h = box
        out.append(
            Element(
                identity,
                element_type,
                _ocr(text, rng, ocr_rate),
                (max(0, x + j()), max(0, y + j()), w, h),
                _visual(identity, rng, visual_noise) if visual else None,
                properties,
            )
        )

    top = 56 + (44 if banner else 0)
    # Chrome shared by every screen of the application.
    add(f"{app.name}:brand", ElementType.LABEL, app.name, (16, 14, 160, 28))
    add(f"{app.name}:search", ElementType.INPUT, "Search...", (width // 2 - 200, 12, 400, 32))
    for i, icon in enumerate(screen.icons):
        add(f"{app.name}:icon:{icon}", ElementType.BUTTON, "", (width - 48 - 44 * i, 12, 32, 32))
    for i, item in enumerate(app.menu):
        add(f"{app.name}:menu:{item}", ElementType.MENU, item, (16, top + 20 + 40 * i, 180, 28))
    x0 = 232
    content_w = width - x0 - 32
    title = screen.title.format(**record)
    add(f"{app.name}:{screen.key}:title", ElementType.LABEL, title, (x0, top + 16, 480, 36))
    y = top + 72
    if screen.tabs:
        x = x0
        for tab in screen.tabs:
            w = 16 + 8 * len(tab)
            add(f"{app.name}:tab:{tab}", ElementType.LINK, tab, (x, y, w, 28))
            x += w + 12
        y += 48
    columns = 2 if width >= 1400 else 1
    col_w = (content_w - 32) // columns
    fields = [f for f in screen.fields if optional or not f.optional]
    for i, field in enumerate(fields):
        col, row = i % columns, i // columns
        fx = x0 + col * (col_w + 32)
        fy = y + row * 72
        fid = f"{app.name}:field:{field.label}"
        if field.kind in (ElementType.CHECKBOX, ElementType.RADIO):
            add(fid, field.kind, "", (fx, fy + 8, 18, 18))
            add(
                fid + ":caption",
                ElementType.LABEL,
                field.label,
                (fx + 26, fy + 7, 8 * len(field.label), 20),
            )
        else:
            add(
                fid + ":caption", ElementType.LABEL, field.label, (fx, fy, 8 * len(field.label), 20)
            )
            value = record.get(field.value, "")
            add(
                fid,
                field.kind,
                value,
                (fx, fy + 24, min(col_w, 420), 34),
                properties={"required": field.label.endswith("*")},
            )
    y += ((len(fields) + columns - 1) // columns) * 72 + 16
    if screen.table:
        add(
            f"{app.name}:table:{screen.table}",
            ElementType.TABLE,
            screen.table,
            (x0, y, content_w, 240),
        )
        y += 256
    for i, link in enumerate(screen.links):
        add(f"{app.name}:link:{link}", ElementType.LINK, link, (x0 + 220 * i, y, 200, 20))
    for i, (kind, text) in enumerate(rng.sample(UNSEEN[app.name], unseen)):
        add(
            f"{app.name}:unseen:{text}",
            kind,
            text,
            (x0 + 220 * (i + len(screen.links)), y, 200, 24),
        )
    y += 40
    x = width - 32
    for label in reversed(screen.buttons):
        w = 24 + 8 * len(label)
        x -= w
        add(
            f"{app.name}:button:{label}",
            ElementType.BUTTON,
            label,
            (x, y, w, 36),
            properties={"primary": label == screen.buttons[0]},
        )
        x -= 12
    height = max(int(y + 80), 700)
    return out, width, height


# ---------------------------------------------------------------- running it for real


def _store(session, workflow, elements: list[Element], width: int, height: int, position: int):  # noqa: ANN001, ANN202
    from techledger.enums import ScreenshotStatus
    from techledger.models import DetectedElement, Screenshot

    shot = Screenshot(
        user_id=workflow.user_id,
        workflow_id=workflow.id,
        original_url=f"file:///bench/{workflow.id}/{position}.png",
        file_size=1000,
        dimensions={"width": width, "height": height},
        status=ScreenshotStatus.ANALYZED,
        position=position,
    )
    session.add(shot)
    session.flush()
    rows = []
    for e in elements:
        properties = dict(e.properties or {})
        if e.visual:
            properties["visualHash"] = e.visual
        row = DetectedElement(
            screenshot_id=shot.id,
            element_type=e.element_type,
            bounding_box=dict(zip(("left", "top", "width", "height"), e.box, strict=True)),
            text=e.text or None,
            confidence=0.9,
            properties=properties or None,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return shot, rows


def _grid(session, org_id, new_shots, identity_of_pattern):  # noqa: ANN001, ANN202
    """Pure matching over the new shots for a few threshold settings."""
    from techledger.services import matching

    settings = []
    grid = [(a, f, 0.80) for a in (0.70, 0.80, 0.90) for f in (0.70, 0.80, 0.88, 0.95)]
    grid = [(*g, True) for g in grid]
    grid += [(0.80, f, 0.0, True) for f in (0.70, 0.80, 0.88)]  # without the word-by-word check
    grid += [(0.80, 0.80, w, False) for w in (0.80, 0.0)]  # text alone: no look, no place
    for accept, fuzzy, word_min, evidence in grid:
        if True:
            tuning = dataclasses.replace(
                matching.DEFAULT_TUNING, accept=accept, fuzzy_min_text=fuzzy, word_min=word_min
            )
            if not evidence:
                tuning = dataclasses.replace(tuning, weight_visual=0.0, weight_position=0.0)
            matched = wrong = askable = 0
            for app_name, rows, truth, width, height, captions in new_shots:
                index = matching.pattern_index(session, org_id, app_name)
                views = matching.element_views(rows, width, height)
                found = {m.element_id: m for m in matching.match_elements(index, views, tuning)}
                for row in rows:
                    if row.id in captions:
                        continue
                    askable += 1
                    if row.id in found:
                        matched += 1
                        wrong += identity_of_pattern.get(found[row.id].pattern_id) != truth[row.id]
            settings.append(
                {
                    "accept": accept,
                    "fuzzy_min_text": fuzzy,
                    "word_min": word_min,
                    "visual_and_position": evidence,
                    "recognized": round(matched / askable, 4),
                    "wrong": round(wrong / max(1, matched), 4),
                }
            )
    return settings


def main() -> dict:
    url = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp(prefix='tl-bench-')}/reduction.db"
    )
    os.environ["DATABASE_URL"] = url
    from sqlmodel import Session, select

    from techledger.db import get_engine, upgrade_database
    from techledger.enums import Role
    from techledger.ids import new_id
    from techledger.models import DetectedElement, TrainingQuestion, Workflow
    from techledger.services import accounts, organizations, training
    from techledger.services.actor import Actor
    from techledger.services.questions import caption_label_ids

    upgrade_database(url)
    engine = get_engine()
    rng = random.Random(SEED)
    started = time.perf_counter()
    with Session(engine, expire_on_commit=False) as session:
        user = accounts.sign_up(
            session=session, email=f"bench-{new_id()}@example.com", password="benchmark-pass"
        )
        org = organizations.create_organization(session=session, user_id=user.id, name="Bench")
        actor = Actor(user_id=user.id, organization_id=org.id, role=Role.OWNER)
        identity_of_pattern: dict[str, str] = {}
        first_questions = first_elements = 0
        # 1. Train: one shot of every screen, every question answered.
        for app in APPS:
            workflow = Workflow(
                user_id=user.id,
                organization_id=org.id,
                name=f"Train {app.name}",
                application_name=app.name,
            )
            session.add(workflow)
            session.flush()
            for position, screen in enumerate(app.screens):
                elements, width, height = render(app, screen, width=1440, rng=rng)
                shot, rows = _store(session, workflow, elements, width, height, position)
                truth = {row.id: e.identity for row, e in zip(rows, elements, strict=True)}
                training.after_analysis(session=session, screenshot_id=shot.id)
                first_elements += len(rows)
                questions = session.exec(
                    select(TrainingQuestion).where(
                        TrainingQuestion.screenshot_id == shot.id,
                        TrainingQuestion.status == "PENDING",
                    )
                ).all()
                first_questions += len(questions)
                for question in questions:
                    session.refresh(question)
                    if question.status != "PENDING":
                        continue  # resolved meanwhile by a pattern learned on this screen
                    result = training.answer_question(
                        session=session,
                        actor=actor,
                        question_id=question.id,
                        answer_text=f"Explains {truth[question.detected_element_id]}",
                    )
                    identity_of_pattern.setdefault(
                        result["pattern_id"], truth[question.detected_element_id]
                    )
        session.commit()
        train_s = time.perf_counter() - started

        # 2. New shots of the same screens: other records, sizes, small changes, OCR noise.
        totals = {
            "elements": 0,
            "askable": 0,
            "matched": 0,
            "wrong": 0,
            "questions": 0,
            "no_question": 0,
        }
        per_app: dict[str, dict[str, int]] = {}
        per_type: dict[str, dict[str, int]] = {}
        wrong_examples: list[dict] = []
        missed: dict[str, int] = {}
        new_shots = []
        for app in APPS:
            workflow = Workflow(
                user_id=user.id,
                organization_id=org.id,
                name=f"Again {app.name}",
                application_name=app.name,
            )
            session.add(workflow)
            session.flush()
            stats = per_app.setdefault(app.name, {"askable": 0, "matched": 0, "wrong": 0})
            position = 0
            for screen in app.screens:
                for _ in range(SHOTS):
                    elements, width, height = render(
                        app,
                        screen,
                        width=rng.choice([1024, 1280, 1366, 1600, 1920]),
                        rng=rng,
                        banner=rng.random() < 0.3,
                        optional=rng.random() < 0.6,
                        jitter=4,
                        ocr_rate=0.05,
                        visual_noise=rng.randint(0, 3),
                        unseen=rng.choice([0, 0, 1, 2]),
                    )
                    shot, rows = _store(session, workflow, elements, width, height, position)
                    position += 1
                    truth = {row.id: e.identity for row, e in zip(rows, elements, strict=True)}
                    training.after_analysis(session=session, screenshot_id=shot.id)
                    rows = list(
                        session.exec(
                            select(DetectedElement).where(DetectedElement.screenshot_id == shot.id)
                        ).all()
                    )
                    captions = caption_label_ids(rows)
                    asked = set(
                        session.exec(
                            select(TrainingQuestion.detected_element_id).where(
                                TrainingQuestion.screenshot_id == shot.id
                            )
                        ).all()
                    )
                    new_shots.append((app.name, rows, truth, width, height, captions))
                    for row in rows:
                        totals["elements"] += 1
                        totals["questions"] += row.id in asked
                        totals["no_question"] += row.id not in asked
                        if row.id in captions:
                            continue
                        kind = row.element_type.value
                        t = per_type.setdefault(kind, {"askable": 0, "matched": 0, "wrong": 0})
                        totals["askable"] += 1
                        stats["askable"] += 1
                        t["askable"] += 1
                        if not row.pattern_id:
                            missed[truth[row.id]] = missed.get(truth[row.id], 0) + 1
                        if row.pattern_id:
                            totals["matched"] += 1
                            stats["matched"] += 1
                            t["matched"] += 1
                            if identity_of_pattern.get(row.pattern_id) != truth[row.id]:
                                totals["wrong"] += 1
                                stats["wrong"] += 1
                                t["wrong"] += 1
                                if len(wrong_examples) < 10:
                                    wrong_examples.append(
                                        {
                                            "element": truth[row.id],
                                            "text": row.text,
                                            "matched_pattern_of": identity_of_pattern.get(
                                                row.pattern_id
                                            ),
                                        }
                                    )
        grid = _grid(session, org.id, new_shots, identity_of_pattern)
        session.rollback()
    elapsed = time.perf_counter() - started

    def rate(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    result = {
        "applications": len(APPS),
        "screens": sum(len(a.screens) for a in APPS),
        "first_shots": {"elements": first_elements, "questions": first_questions},
        "new_shots": SHOTS * sum(len(a.screens) for a in APPS),
        "new_elements": totals["elements"],
        "askable_elements": totals["askable"],
        "recognized": rate(totals["matched"], totals["askable"]),
        "no_question": rate(totals["no_question"], totals["elements"]),
        "wrong": rate(totals["wrong"], totals["matched"]),
        "wrong_count": totals["wrong"],
        "questions_on_new_shots": totals["questions"],
        "questions_without_library": totals["askable"],
        "targets": {"recognized": ">= 0.80", "wrong": "<= 0.02"},
        "per_application": {
            k: {
                "recognized": rate(v["matched"], v["askable"]),
                "wrong": rate(v["wrong"], v["matched"]),
            }
            for k, v in per_app.items()
        },
        "per_element_type": {
            k: {
                "askable": v["askable"],
                "recognized": rate(v["matched"], v["askable"]),
                "wrong": rate(v["wrong"], v["matched"]),
            }
            for k, v in sorted(per_type.items())
        },
        "wrong_examples": wrong_examples,
        "most_missed": sorted(missed.items(), key=lambda kv: -kv[1])[:15],
        "threshold_grid": grid,
        "seed": SEED,
        "seconds": {"training": round(train_s, 1), "total": round(elapsed, 1)},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(
        f"\nrecognized automatically: {result['recognized']:.1%} of the elements that would be "
        f"asked about ({result['no_question']:.1%} of all elements get no question); "
        f"wrong matches: {result['wrong']:.2%} ({result['wrong_count']})"
    )
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
