"""Generate self-contained HTML pages that imitate enterprise UIs, with typed truth in the DOM.

Every typed element carries ``data-el="TYPE"``; popups that cover the page (open
menus, dialogs) carry ``data-overlay``. ``render.py`` turns the pages into PNGs
and truth JSON.

Two sets come out of the same templates:

* the HELD-OUT set: ``HELDOUT_PAGES`` below, 24 pages, each a fixed (style,
  layout, seed) with seeds 0..99. They are committed under
  ``evaluation/pages/heldout/`` and the engine is never trained or tuned on them.
* the TRAINING set: ``training_pages(n)``, seeds from 10_000 up, random style and
  layout, written to ``evaluation/pages/train/`` (not committed, regenerated).
"""

from __future__ import annotations

import colorsys
import html
import random
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Style:
    name: str
    font: str
    size: int  # base font size in px
    bg: str  # page background
    surface: str  # cards, tables
    text: str
    muted: str
    primary: str
    on_primary: str
    header_bg: str
    header_fg: str
    border: str
    radius: int
    input_style: str = "box"  # box | underline
    sidebar_bg: str = ""
    sidebar_fg: str = ""
    link: str = ""
    stripe: str = ""
    row_pad: int = 8
    shadow: bool = False


STYLES: dict[str, Style] = {
    "salesforce": Style(
        "salesforce",
        "'Liberation Sans', Arial, sans-serif",
        13,
        "#f3f3f3",
        "#ffffff",
        "#080707",
        "#706e6b",
        "#0176d3",
        "#ffffff",
        "#ffffff",
        "#181818",
        "#dddbda",
        4,
        link="#0176d3",
        stripe="#fafaf9",
        shadow=True,
    ),
    "fiori": Style(
        "fiori",
        "'DejaVu Sans', sans-serif",
        14,
        "#f7f7f7",
        "#ffffff",
        "#32363a",
        "#6a6d70",
        "#0a6ed1",
        "#ffffff",
        "#354a5f",
        "#ffffff",
        "#d9d9d9",
        4,
        link="#0a6ed1",
        row_pad=10,
    ),
    "servicenow": Style(
        "servicenow",
        "'Liberation Sans', sans-serif",
        13,
        "#ffffff",
        "#ffffff",
        "#2e2e2e",
        "#6b6b6b",
        "#278efc",
        "#ffffff",
        "#293e40",
        "#ffffff",
        "#cbcbcb",
        3,
        sidebar_bg="#303a46",
        sidebar_fg="#e6e8ea",
        link="#1f8476",
        stripe="#f6f6f6",
    ),
    "dynamics": Style(
        "dynamics",
        "'DejaVu Sans', sans-serif",
        13,
        "#faf9f8",
        "#ffffff",
        "#323130",
        "#605e5c",
        "#0078d4",
        "#ffffff",
        "#002050",
        "#ffffff",
        "#8a8886",
        2,
        link="#0078d4",
        row_pad=7,
    ),
    "hubspot": Style(
        "hubspot",
        "'Liberation Sans', sans-serif",
        14,
        "#f5f8fa",
        "#ffffff",
        "#33475b",
        "#516f90",
        "#ff7a59",
        "#ffffff",
        "#2d3e50",
        "#ffffff",
        "#cbd6e2",
        3,
        link="#0091ae",
        row_pad=10,
    ),
    "workday": Style(
        "workday",
        "'Liberation Sans', sans-serif",
        14,
        "#ffffff",
        "#ffffff",
        "#333333",
        "#5e6a75",
        "#0875e1",
        "#ffffff",
        "#005cb9",
        "#ffffff",
        "#ced3d9",
        16,
        link="#0875e1",
        shadow=True,
    ),
    "jira": Style(
        "jira",
        "'DejaVu Sans', sans-serif",
        13,
        "#ffffff",
        "#ffffff",
        "#172b4d",
        "#5e6c84",
        "#0052cc",
        "#ffffff",
        "#0747a6",
        "#deebff",
        "#dfe1e6",
        3,
        sidebar_bg="#f4f5f7",
        sidebar_fg="#42526e",
        link="#0052cc",
    ),
    "bootstrap": Style(
        "bootstrap",
        "'Liberation Sans', sans-serif",
        15,
        "#f8f9fa",
        "#ffffff",
        "#212529",
        "#6c757d",
        "#0d6efd",
        "#ffffff",
        "#212529",
        "#ffffff",
        "#dee2e6",
        6,
        sidebar_bg="#343a40",
        sidebar_fg="#ffffff",
        link="#0d6efd",
        stripe="#f2f2f2",
    ),
    "material": Style(
        "material",
        "'DejaVu Sans', sans-serif",
        14,
        "#fafafa",
        "#ffffff",
        "#212121",
        "#757575",
        "#6200ee",
        "#ffffff",
        "#6200ee",
        "#ffffff",
        "#e0e0e0",
        4,
        input_style="underline",
        link="#6200ee",
        shadow=True,
        row_pad=12,
    ),
    "zendesk": Style(
        "zendesk",
        "'Liberation Sans', sans-serif",
        14,
        "#f8f9f9",
        "#ffffff",
        "#2f3941",
        "#68737d",
        "#1f73b7",
        "#ffffff",
        "#03363d",
        "#ffffff",
        "#d8dcde",
        4,
        sidebar_bg="#03363d",
        sidebar_fg="#ffffff",
        link="#1f73b7",
    ),
    "oracle": Style(
        "oracle",
        "'Liberation Serif', serif",
        14,
        "#fcfbfa",
        "#ffffff",
        "#161513",
        "#6f6a65",
        "#c74634",
        "#ffffff",
        "#312d2a",
        "#ffffff",
        "#c9c4bf",
        6,
        link="#227e9e",
        stripe="#f5f4f2",
    ),
    "dark": Style(
        "dark",
        "'Liberation Sans', sans-serif",
        14,
        "#1e1e1e",
        "#252526",
        "#e8e8e8",
        "#a0a0a0",
        "#3794ff",
        "#ffffff",
        "#333333",
        "#ffffff",
        "#454545",
        4,
        sidebar_bg="#181818",
        sidebar_fg="#cccccc",
        link="#4fc1ff",
        stripe="#2a2a2b",
    ),
    "dark_slate": Style(
        "dark_slate",
        "'DejaVu Sans', sans-serif",
        13,
        "#0f172a",
        "#1e293b",
        "#e2e8f0",
        "#94a3b8",
        "#22c55e",
        "#0f172a",
        "#020617",
        "#e2e8f0",
        "#334155",
        8,
        link="#38bdf8",
        stripe="#273449",
    ),
}

STYLE_NAMES = sorted(STYLES)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*tuple(max(0, min(255, round(c * 255))) for c in rgb))


def _rgb(h: str) -> tuple[float, float, float]:
    h = h.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _shift(color: str, rng: random.Random, hue: float, light: float = 0.0) -> str:
    hh, ll, ss = colorsys.rgb_to_hls(*_rgb(color))
    return _hex(colorsys.hls_to_rgb((hh + hue) % 1.0, max(0, min(1, ll + light)), ss))


def jitter_style(style: Style, rng: random.Random) -> Style:
    """A random variant of a style: other hues, radius, font size, density."""
    hue = rng.uniform(-0.5, 0.5)
    fonts = [
        "'Liberation Sans', sans-serif",
        "'DejaVu Sans', sans-serif",
        "'Liberation Serif', serif",
        "'DejaVu Sans Condensed', sans-serif",
        "'Liberation Sans Narrow', sans-serif",
    ]
    return replace(
        style,
        primary=_shift(style.primary, rng, hue),
        header_bg=_shift(style.header_bg, rng, hue * rng.choice([0, 1])),
        link=_shift(style.link or style.primary, rng, hue),
        radius=rng.choice([0, 2, 3, 4, 6, 8, 12, 18]),
        size=max(11, min(17, style.size + rng.choice([-2, -1, 0, 0, 1, 2]))),
        row_pad=rng.choice([4, 6, 8, 10, 12]),
        font=rng.choice(fonts) if rng.random() < 0.4 else style.font,
        input_style=rng.choice(["box", "box", "box", "underline"]),
        shadow=rng.random() < 0.4,
    )


# --------------------------------------------------------------------------- data

FIRST = [
    "Alice",
    "Bruno",
    "Chen",
    "Dana",
    "Emil",
    "Fatima",
    "Greta",
    "Hiro",
    "Ines",
    "Jamal",
    "Kofi",
    "Lena",
    "Marco",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
    "Uma",
    "Victor",
]
LAST = [
    "Anders",
    "Baker",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Huang",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Moreau",
    "Nguyen",
    "Okafor",
    "Patel",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Weber",
]
COMPANIES = [
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Ltd",
    "Stark Industries",
    "Wayne Enterprises",
    "Hooli",
    "Vandelay Import",
    "Soylent",
    "Cyberdyne",
    "Tyrell",
    "Wonka Foods",
    "Nordwind AG",
    "Blue Harbor",
    "Pinecrest",
    "Atlas Logistics",
    "Meridian Health",
    "Quantum Retail",
]
STATUSES = [
    "Open",
    "Closed",
    "Pending",
    "In Progress",
    "Approved",
    "Rejected",
    "Draft",
    "On Hold",
    "New",
]
FIELDS = [
    "Account Name",
    "Contact Email",
    "Phone",
    "Opportunity",
    "Close Date",
    "Amount",
    "Stage",
    "Priority",
    "Category",
    "Assigned To",
    "Department",
    "Cost Center",
    "Invoice Number",
    "Purchase Order",
    "Supplier",
    "Ship To",
    "Billing City",
    "Postal Code",
    "Country",
    "Region",
    "Employee ID",
    "Manager",
    "Start Date",
    "Job Title",
    "Ticket Subject",
    "Description",
    "Due Date",
    "Project Key",
    "Reporter",
    "Currency",
    "Payment Terms",
    "Tax Code",
]
NAV = [
    "Home",
    "Accounts",
    "Contacts",
    "Leads",
    "Opportunities",
    "Reports",
    "Dashboards",
    "Cases",
    "Tasks",
    "Calendar",
    "Invoices",
    "Orders",
    "Products",
    "Inventory",
    "Projects",
    "Issues",
    "Tickets",
    "Knowledge",
    "Analytics",
    "Settings",
    "Payroll",
    "Expenses",
    "Approvals",
    "Teams",
]
ACTIONS = [
    "Save",
    "Cancel",
    "Submit",
    "New",
    "Edit",
    "Delete",
    "Export",
    "Import",
    "Approve",
    "Reject",
    "Assign",
    "Clone",
    "Print",
    "Refresh",
    "Share",
    "Archive",
    "Next",
    "Back",
    "Apply",
    "Reset",
    "Create Invoice",
    "Add Row",
    "Send Email",
    "Log a Call",
    "Convert Lead",
    "Save & New",
]
OPTIONS = [
    "Email notifications",
    "SMS alerts",
    "Weekly digest",
    "Auto-assign tickets",
    "Require approval",
    "Include archived",
    "Show inactive users",
    "Enable two-factor login",
    "Public profile",
    "Send reminders",
    "Track changes",
    "Allow guest access",
    "Notify manager",
    "Mark as urgent",
]
TITLES = [
    "Account Overview",
    "New Opportunity",
    "Purchase Requisition",
    "Incident INC0012345",
    "Employee Profile",
    "Sales Pipeline",
    "Invoice Details",
    "Supplier Onboarding",
    "Sprint Board",
    "Customer Case",
    "Expense Report",
    "Time Off Request",
    "Contract Renewal",
    "Vendor Master Data",
    "Service Request",
    "Lead Qualification",
    "Quarterly Forecast",
    "Shipment Tracking",
]
WORDS = [
    "review",
    "pending",
    "customer",
    "request",
    "approval",
    "quarter",
    "update",
    "report",
    "budget",
    "renewal",
    "contract",
    "delivery",
    "priority",
    "account",
    "region",
    "target",
    "forecast",
]


# tall plan cards (Page.plan_cards_block): names, and detail rows drawn as caption and value
PLAN_NAMES = [
    "Bronze HMO",
    "Silver PPO",
    "Gold PPO",
    "Starter",
    "Growth",
    "Scale",
    "Unlimited 5G",
    "Basic 10 GB",
    "Family share",
    "Economy",
    "Premium economy",
    "Flex fare",
    "Fixed 12 months",
    "Green tariff",
    "Waive coverage",
]
PLAN_DETAILS = [
    "Deductible",
    "Out-of-pocket max",
    "Primary care visit",
    "Users",
    "Storage",
    "Data",
    "Checked bag",
    "Change fee",
    "Standing charge",
    "Support",
    "Contract",
]
PLAN_VALUES = [
    "$1,500",
    "$6,000",
    "$25 copay",
    "Up to 10",
    "100 GB",
    "Unlimited",
    "1 x 23 kg",
    "Free",
    "41.2p/day",
    "24/7 chat",
    "12 months",
    "None",
]


def _card_row(title: str, cards: list[str]) -> str:
    """Card-style options under their bold title, in a wrapping row."""
    head = f'<div style="font-weight:bold;margin-bottom:10px">{esc(title)}</div>'
    return (
        f'<div>{head}<div style="display:flex;gap:14px;flex-wrap:wrap">{"".join(cards)}</div></div>'
    )


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _value(field: str, rng: random.Random) -> str:
    f = field.lower()
    if "email" in f:
        return f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()}@example.com"
    if "date" in f:
        return f"{rng.randint(2024, 2027)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if "amount" in f:
        return f"{rng.randint(1, 999)},{rng.randint(0, 999):03d}.00"
    if "phone" in f:
        return f"+1 {rng.randint(200, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    if "name" in f or "to" in f or "manager" in f or "reporter" in f:
        return _name(rng)
    if "number" in f or "id" in f or "order" in f or "key" in f:
        return f"{rng.choice(['PO', 'INV', 'EMP', 'PRJ', 'REQ'])}-{rng.randint(1000, 99999)}"
    return rng.choice(COMPANIES)


def esc(s: str) -> str:
    return html.escape(s, quote=True)


# --------------------------------------------------------------------------- components

CHEVRON = (
    '<svg width="10" height="6" viewBox="0 0 10 6" style="flex:none"><path d="M1 1l4 4 4-4" '
    'fill="none" stroke="currentColor" stroke-width="1.6"/></svg>'
)
# the arrows of selects on training pages: SVG chevrons and carets of other weights, text glyphs
ARROWS = [
    CHEVRON,
    '<svg width="12" height="8" viewBox="0 0 12 8"><path d="M1 1.5l5 5 5-5" fill="none" stroke="currentColor" stroke-width="2.2"/></svg>',
    '<svg width="8" height="5" viewBox="0 0 8 5"><path d="M0 0h8L4 5z" fill="currentColor"/></svg>',
    '<svg width="10" height="6" viewBox="0 0 10 6"><path d="M0 0h10L5 6z" fill="currentColor"/></svg>',
    '<svg width="8" height="12" viewBox="0 0 8 12"><path d="M0 5L4 0l4 5zM0 7l4 5 4-5z" fill="currentColor"/></svg>',
    '<svg width="14" height="14" viewBox="0 0 14 14"><path d="M3.5 5.5L7 9l3.5-3.5" fill="none" stroke="currentColor" stroke-width="1.3"/></svg>',
    "<span>&#9662;</span>",
    "<span>&#9660;</span>",
    "<span>&#8964;</span>",
]
ICONS = {
    "search": '<svg width="14" height="14" viewBox="0 0 14 14"><circle cx="6" cy="6" r="4.5" fill="none" '
    'stroke="currentColor" stroke-width="1.6"/><path d="M9.5 9.5l3.5 3.5" stroke="currentColor" stroke-width="1.6"/></svg>',
    "plus": '<svg width="12" height="12" viewBox="0 0 12 12"><path d="M6 1v10M1 6h10" stroke="currentColor" stroke-width="1.8"/></svg>',
    "close": '<svg width="12" height="12" viewBox="0 0 12 12"><path d="M1 1l10 10M11 1L1 11" stroke="currentColor" stroke-width="1.6"/></svg>',
    "gear": '<svg width="16" height="16" viewBox="0 0 16 16"><circle cx="8" cy="8" r="5" fill="none" stroke="currentColor" stroke-width="2.2" stroke-dasharray="2.4 1.6"/><circle cx="8" cy="8" r="2" fill="currentColor"/></svg>',
    "bell": '<svg width="16" height="16" viewBox="0 0 16 16"><path d="M3 12h10l-1.5-2V7a3.5 3.5 0 0 0-7 0v3z" fill="currentColor"/><circle cx="8" cy="13.5" r="1.5" fill="currentColor"/></svg>',
}


class Page:
    """Accumulates CSS and HTML of one page."""

    def __init__(
        self, style: Style, rng: random.Random, dense: bool = False, varied: bool = False
    ) -> None:
        self.s = style
        self.rng = rng
        self.dense = dense
        # training pages draw every control from a wider set of looks (pill and filled
        # buttons, filled / pill / underline fields, other dropdown arrows and native selects,
        # tables with row lines only or none): the held-out pages keep the plain looks
        self.varied = varied

    # -- atoms
    def button(self, text: str, kind: str = "primary", icon: str | None = None) -> str:
        s = self.s
        pad = f"{max(4, s.row_pad - 2)}px {12 + s.row_pad}px"
        if kind == "primary":
            css = f"background:{s.primary};color:{s.on_primary};border:1px solid {s.primary};"
        elif kind == "outline":
            css = f"background:{s.surface};color:{s.primary};border:1px solid {s.border if self.rng.random() < 0.5 else s.primary};"
        elif kind == "soft":
            css = f"background:{_mix(s.primary, s.surface, 0.85)};color:{s.primary};border:none;"
        else:  # text button, paints nothing
            css = f"background:none;color:{s.link or s.primary};border:none;"
            pad = "0"
        rad = s.radius if kind != "text" else 0
        shadow = "box-shadow:0 1px 3px rgba(0,0,0,.25);" if s.shadow and kind == "primary" else ""
        weight = "font-weight:bold;" if self.rng.random() < 0.4 else ""
        if self.varied:
            r = self.rng
            if kind != "text":
                rad = r.choice([rad, rad, 999, 0, 6])
                pad = f"{r.choice([3, 5, 6, 8, 10, 12])}px {r.choice([8, 12, 16, 20, 24])}px"
                if kind == "outline" and r.random() < 0.35:  # grey secondary button
                    css = f"background:{_mix(s.surface, s.text, r.uniform(0.03, 0.1))};color:{s.text};border:1px solid {s.border};"
                if kind == "soft" and r.random() < 0.5:  # a tinted pill, as in mail clients
                    css = f"background:{_mix(s.primary, s.surface, r.uniform(0.6, 0.85))};color:{s.text};border:none;"
            elif icon is None and r.random() < 0.35:
                icon = "plus"
            if r.random() < 0.12:
                css += "text-transform:uppercase;letter-spacing:.5px;"
        ic = ICONS[icon] if icon else ""
        gap = "gap:6px;" if icon and text else ""
        if icon and not text:
            pad = "7px"
        return (
            f'<button data-el="BUTTON" style="{css}{shadow}{weight}padding:{pad};border-radius:{rad}px;'
            f'font:inherit;{weight}display:inline-flex;align-items:center;{gap}cursor:pointer">'
            f"{ic}{esc(text)}</button>"
        )

    def input_(self, value: str, placeholder: bool = False, width: int = 220, tall: int = 0) -> str:
        s = self.s
        if self.varied:
            box = self._field_box()
        elif s.input_style == "underline":
            box = self._underlined()
        else:
            box = f"border:1px solid {s.border if self.rng.random() < 0.7 else s.muted};background:{s.surface};border-radius:{min(s.radius, 8)}px;"
        color = s.muted if placeholder else s.text
        h = f"min-height:{tall}px;align-items:flex-start;" if tall else "align-items:center;"
        pad = f"{s.row_pad - 2}px 8px"
        icon = ""
        if self.varied:
            pad = f"{self.rng.choice([3, 5, 7, 9, 11])}px {self.rng.choice([6, 8, 12, 16])}px"
            if placeholder and not tall and self.rng.random() < 0.3:
                icon = f'<span style="display:flex;color:{s.muted}">{ICONS["search"]}</span>'
                h += "gap:8px;"
        return (
            f'<div data-el="INPUT" style="{box}display:flex;{h}padding:{pad};width:{width}px;'
            f'color:{color};box-sizing:border-box">{icon}<span>{esc(value)}</span></div>'
        )

    def _underlined(self) -> str:
        """A field drawn as a tinted strip with a rule under it (Material's filled field)."""
        s = self.s
        return f"border:none;border-bottom:1px solid {s.muted};background:{_mix(s.text, s.surface, 0.96)};border-radius:{min(s.radius, 4)}px {min(s.radius, 4)}px 0 0;"

    def _field_box(self) -> str:
        """The frame of a text field or select on a training page: one of the common looks."""
        s, r = self.s, self.rng
        look = r.choice(["box", "box", "filled", "pill", "underline", "line", "thick", "inset"])
        rad = min(s.radius, 8)
        if look == "filled":  # tinted, no border (mail and search boxes)
            tint = s.primary if r.random() < 0.4 else s.text
            return f"border:none;background:{_mix(s.surface, tint, r.uniform(0.05, 0.14))};border-radius:{r.choice([rad, 8, 999])}px;"
        if look == "pill":
            return f"border:1px solid {s.border};background:{s.surface};border-radius:999px;"
        if look == "underline":
            return self._underlined()
        if look == "line":  # a bottom rule only
            return f"border:none;border-bottom:{r.choice([1, 2])}px solid {s.muted};background:transparent;border-radius:0;"
        if look == "thick":
            return f"border:2px solid {r.choice([s.border, s.muted, s.primary])};background:{s.surface};border-radius:{rad}px;"
        if look == "inset":
            return f"border:1px solid {s.border};box-shadow:inset 0 1px 2px rgba(0,0,0,.2);background:{s.surface};border-radius:{rad}px;"
        return f"border:1px solid {r.choice([s.border, s.muted])};background:{s.surface};border-radius:{rad}px;"

    def dropdown(self, value: str, width: int = 200) -> str:
        s = self.s
        if self.varied:
            return self._varied_dropdown(value, width)
        if s.input_style == "underline":
            box = f"border:none;border-bottom:1px solid {s.muted};background:{_mix(s.text, s.surface, 0.96)};"
        else:
            box = f"border:1px solid {s.border};background:{s.surface};border-radius:{min(s.radius, 8)}px;"
        return (
            f'<div data-el="DROPDOWN" style="{box}display:flex;align-items:center;justify-content:space-between;'
            f'gap:8px;padding:{s.row_pad - 2}px 8px;width:{width}px;box-sizing:border-box;color:{s.text}">'
            f'<span>{esc(value)}</span><span style="color:{s.muted};display:flex">{CHEVRON}</span></div>'
        )

    def _varied_dropdown(self, value: str, width: int) -> str:
        """A select on a training page: a native one, or a field with one of many arrows."""
        s, r = self.s, self.rng
        if r.random() < 0.2:
            return (
                f'<select data-el="DROPDOWN" style="font:inherit;color:{s.text};width:{width}px;'
                f'padding:{r.choice([2, 4, 6])}px"><option>{esc(value)}</option></select>'
            )
        arrow = r.choice(ARROWS)
        seg = (  # the arrow in a segment of its own
            f"border-left:1px solid {s.border};padding-left:8px;align-self:stretch;align-items:center;"
            if r.random() < 0.2
            else ""
        )
        justify = "flex-start" if r.random() < 0.3 else "space-between"  # arrow after the value
        return (
            f'<div data-el="DROPDOWN" style="{self._field_box()}display:flex;align-items:center;justify-content:{justify};'
            f"gap:{r.choice([4, 6, 8])}px;padding:{r.choice([3, 5, 7, 9])}px {r.choice([6, 8, 12])}px;width:{width}px;box-sizing:border-box;"
            f'color:{s.text}"><span>{esc(value)}</span><span style="color:{r.choice([s.muted, s.text, s.primary])};display:flex;{seg}">{arrow}</span></div>'
        )

    def checkbox(self, checked: bool, native: bool = False) -> str:
        s = self.s
        if native:
            c = " checked" if checked else ""
            return f'<input type="checkbox" data-el="CHECKBOX"{c} style="margin:0;width:15px;height:15px;accent-color:{s.primary}">'
        size = self.rng.choice([14, 16, 18])
        bg = s.primary if checked else s.surface
        bd = s.primary if checked else s.muted
        mark = (
            f'<span style="position:absolute;left:{size * 0.3:.0f}px;top:{size * 0.1:.0f}px;width:{size * 0.25:.0f}px;'
            f'height:{size * 0.5:.0f}px;border:solid {s.on_primary};border-width:0 2px 2px 0;transform:rotate(45deg)"></span>'
            if checked
            else ""
        )
        return (
            f'<span data-el="CHECKBOX" style="position:relative;display:inline-block;flex:none;width:{size}px;'
            f"height:{size}px;box-sizing:border-box;border:{1 if not checked else 1}px solid {bd};background:{bg};"
            f'border-radius:{min(3, s.radius)}px">{mark}</span>'
        )

    def radio(self, checked: bool, native: bool = False) -> str:
        s = self.s
        if native:
            c = " checked" if checked else ""
            return f'<input type="radio" data-el="RADIO"{c} style="margin:0;width:15px;height:15px;accent-color:{s.primary}">'
        size = self.rng.choice([14, 16, 18])
        inner = (
            f'<span style="position:absolute;left:3px;top:3px;right:3px;bottom:3px;border-radius:50%;'
            f'background:{s.primary}"></span>'
            if checked
            else ""
        )
        return (
            f'<span data-el="RADIO" style="position:relative;display:inline-block;flex:none;width:{size}px;height:{size}px;'
            f"box-sizing:border-box;border:{2 if checked else 1}px solid {s.primary if checked else s.muted};"
            f'border-radius:50%;background:{s.surface}">{inner}</span>'
        )

    def toggle(self, on: bool) -> str:
        s = self.s
        w, h = self.rng.choice([(34, 18), (40, 22), (28, 16)])
        knob = h - 4
        left = w - knob - 2 if on else 2
        bg = s.primary if on else _mix(s.muted, s.surface, 0.5)
        return (
            f'<span data-el="CHECKBOX" style="position:relative;display:inline-block;flex:none;width:{w}px;height:{h}px;'
            f'border-radius:{h // 2}px;background:{bg}"><span style="position:absolute;top:2px;left:{left}px;'
            f'width:{knob}px;height:{knob}px;border-radius:50%;background:#ffffff"></span></span>'
        )

    def link(self, text: str, color: str | None = None, underline: bool | None = None) -> str:
        u = self.rng.random() < 0.3 if underline is None else underline
        return (
            f'<a data-el="LINK" href="#" style="color:{color or self.s.link or self.s.primary};'
            f'text-decoration:{"underline" if u else "none"}">{esc(text)}</a>'
        )

    def label(self, text: str, extra: str = "") -> str:
        return f'<div style="{extra}">{esc(text)}</div>'

    def card(self, inner: str, extra: str = "") -> str:
        s = self.s
        shadow = (
            "box-shadow:0 1px 4px rgba(0,0,0,.18);" if s.shadow else f"border:1px solid {s.border};"
        )
        return (
            f'<div style="background:{s.surface};{shadow}border-radius:{min(s.radius, 10)}px;'
            f'padding:{10 + s.row_pad}px;{extra}">{inner}</div>'
        )

    # -- blocks
    def header(self, nav_as_tabs: bool) -> str:
        s, r = self.s, self.rng
        app = r.choice(
            [
                "Sales Cloud",
                "Service Hub",
                "Finance",
                "Procurement",
                "HR Portal",
                "Workspace",
                "Customer 360",
                "Ops Center",
            ]
        )
        items = r.sample(NAV, r.randint(3, 7))
        links = "".join(
            f'<a data-el="LINK" href="#" style="color:{s.header_fg};text-decoration:none;'
            + (
                f"border-bottom:3px solid {s.primary};padding-bottom:4px;"
                if i == 0 and nav_as_tabs
                else ""
            )
            + f'">{esc(t)}</a>'
            for i, t in enumerate(items)
        )
        search = ""
        if r.random() < 0.7:
            search = (
                f'<div data-el="INPUT" style="display:flex;align-items:center;gap:6px;background:{_mix(s.header_fg, s.header_bg, 0.12) if _lum(s.header_bg) < 0.5 else "#ffffff"};'
                f"border:1px solid {_mix(s.header_fg, s.header_bg, 0.3)};border-radius:{s.radius}px;padding:5px 8px;width:{r.randint(180, 320)}px;"
                f'color:{_mix(s.header_fg, s.header_bg, 0.65)}">{ICONS["search"]}<span>Search {esc(r.choice(NAV))}...</span></div>'
            )
        icons = "".join(
            f'<button data-el="BUTTON" style="background:none;border:none;color:{s.header_fg};padding:4px;display:flex">{ICONS[i]}</button>'
            for i in r.sample(["bell", "gear"], r.randint(0, 2))
        )
        user = (
            f'<span style="color:{s.header_fg}">{esc(_name(r))}</span>' if r.random() < 0.6 else ""
        )
        bb = f"border-bottom:1px solid {s.border};" if _lum(s.header_bg) > 0.8 else ""
        return (
            f'<div style="display:flex;align-items:center;gap:{r.randint(18, 30)}px;background:{s.header_bg};{bb}'
            f'padding:{r.randint(9, 14)}px 20px;flex:none"><span style="color:{s.header_fg};font-weight:bold;'
            f'font-size:{s.size + 3}px">{esc(app)}</span>{links}<span style="flex:1"></span>{search}{icons}{user}</div>'
        )

    def sidebar(self) -> str:
        s, r = self.s, self.rng
        bg = s.sidebar_bg or _mix(s.bg, s.text, 0.05)
        fg = s.sidebar_fg or s.text
        rows = []
        for sec in range(r.randint(1, 2)):
            rows.append(
                f'<div style="color:{_mix(fg, bg, 0.6)};font-size:{s.size - 2}px;text-transform:uppercase;'
                f'margin:14px 0 6px">{esc(r.choice(["Main", "Records", "Admin", "Favorites", "Recent"]))}</div>'
            )
            for i, t in enumerate(r.sample(NAV, r.randint(3, 6))):
                active = sec == 0 and i == 1
                st = (
                    f"background:{_mix(s.primary, bg, 0.25)};color:{s.on_primary if _lum(bg) < 0.5 else s.primary};"
                    f"padding:6px 10px;border-radius:{min(s.radius, 6)}px;display:block;"
                    if active
                    else f"color:{fg};padding:6px 10px;display:block;"
                )
                rows.append(
                    f'<div style="margin:2px 0"><a data-el="LINK" href="#" style="{st}text-decoration:none;'
                    f'width:fit-content">{esc(t)}</a></div>'
                )
        return (
            f'<div style="width:{r.randint(170, 230)}px;flex:none;background:{bg};padding:8px 14px;'
            f'border-right:1px solid {s.border}">{"".join(rows)}</div>'
        )

    def title_block(self) -> str:
        s, r = self.s, self.rng
        crumbs = ""
        if r.random() < 0.5:
            parts = r.sample(NAV, 2)
            crumbs = (
                f'<div style="display:flex;gap:14px;align-items:center;margin-bottom:6px">'
                f'{self.link(parts[0], underline=False)}<span style="color:{s.muted};display:flex;transform:rotate(-90deg)">{CHEVRON}</span>'
                f"{self.link(parts[1], underline=False)}</div>"
            )
        acts = r.sample(ACTIONS, r.randint(1, 4))
        kinds = ["primary"] + [r.choice(["outline", "outline", "soft", "text"]) for _ in acts[1:]]
        btns = "".join(
            self.button(
                a, k, icon="plus" if (a == "New" or r.random() < 0.1) and k != "text" else None
            )
            for a, k in zip(acts, kinds, strict=False)
        )
        sub = (
            f'<div style="color:{s.muted};margin-top:4px">{esc(r.choice(COMPANIES))} '
            f"{esc(r.choice(WORDS))} {r.randint(2, 99)} items</div>"
            if r.random() < 0.6
            else ""
        )
        return (
            f'<div>{crumbs}<div style="display:flex;align-items:center;gap:10px"><div style="flex:1">'
            f'<div style="font-size:{s.size + r.randint(4, 10)}px;font-weight:bold">{esc(r.choice(TITLES))}</div>{sub}</div>'
            f"{btns}</div></div>"
        )

    def tabs_block(self) -> str:
        s, r = self.s, self.rng
        items = r.sample(
            [
                "Details",
                "Related",
                "Activity",
                "History",
                "Notes",
                "Files",
                "Approvals",
                "Line Items",
                "Comments",
                "Attachments",
                "Summary",
                "Audit Log",
            ],
            r.randint(3, 6),
        )
        pill = r.random() < 0.35
        boxed = self.varied and r.random() < 0.3
        # half the underlined tabs are padded, so the open one's bar overhangs its text (decided
        # without a draw, which would change every later draw of the page)
        side = "padding:0 14px;" if self.varied and len("".join(items)) % 2 else ""
        out = []
        for i, t in enumerate(items):
            if boxed:  # folder tabs: a bordered box each, the open one joined to the content
                st = (
                    f"border:1px solid {s.border};border-bottom-color:{s.surface if i == 0 else s.border};"
                    f"background:{s.surface if i == 0 else _mix(s.surface, s.text, 0.05)};padding:6px 14px;"
                    f"border-radius:{min(s.radius, 6)}px {min(s.radius, 6)}px 0 0;color:{s.text if i == 0 else s.muted};"
                )
            elif pill:
                st = (
                    f"background:{s.primary};color:{s.on_primary};padding:5px 12px;border-radius:{s.radius}px;"
                    if i == 0
                    else f"color:{s.text};padding:5px 12px;"
                )
            else:
                st = (
                    f"color:{s.primary};border-bottom:2px solid {s.primary};{side}padding-bottom:6px;font-weight:bold;"
                    if i == 0
                    else f"color:{s.muted};{side}padding-bottom:8px;"
                )
            out.append(f'<a data-el="LINK" href="#" style="{st}text-decoration:none">{esc(t)}</a>')
        line = "" if pill else f"border-bottom:1px solid {s.border};"
        gap = 2 if boxed else r.randint(16, 30)
        return (
            f'<div style="display:flex;gap:{gap}px;{line}align-items:flex-end">{"".join(out)}</div>'
        )

    def form_block(self, cols: int | None = None, n: int | None = None) -> str:
        s, r = self.s, self.rng
        cols = cols or r.choice([1, 2, 2, 3])
        n = n or r.randint(3, 8)
        fields = r.sample(FIELDS, n)
        stacked = r.random() < 0.6
        cells = []
        for f in fields:
            kind = r.random()
            w = r.randint(180, 300)
            if kind < 0.55:
                ph = r.random() < 0.3
                ctl = self.input_(f"Enter {f.lower()}" if ph else _value(f, r), ph, w)
            elif kind < 0.85:
                ctl = self.dropdown(
                    r.choice(STATUSES + COMPANIES[:4] + ["--None--", "Select..."]), w
                )
            else:
                ctl = self.input_(
                    f"{r.choice(WORDS).capitalize()} {r.choice(WORDS)} for {r.choice(COMPANIES)}",
                    False,
                    w + 60,
                    tall=56,
                )
            req = '<span style="color:#c23934">*</span> ' if r.random() < 0.25 else ""
            lab = f'<div style="color:{s.muted if r.random() < 0.5 else s.text};font-size:{s.size - r.choice([0, 1])}px">{req}{esc(f)}</div>'
            if stacked:
                cells.append(
                    f'<div style="display:flex;flex-direction:column;gap:5px">{lab}{ctl}</div>'
                )
            else:
                cells.append(
                    f'<div style="display:flex;align-items:center;gap:12px"><div style="width:130px;text-align:right">{lab}</div>{ctl}</div>'
                )
        grid = (
            f'<div style="display:grid;grid-template-columns:repeat({cols}, max-content);gap:{10 + s.row_pad}px '
            f'{r.randint(24, 48)}px">{"".join(cells)}</div>'
        )
        head = (
            f'<div style="font-weight:bold;font-size:{s.size + 2}px;margin-bottom:12px">{esc(r.choice(["Details", "General Information", "Address", "Additional Info", "Request"]))}</div>'
            if r.random() < 0.7
            else ""
        )
        foot = ""
        if self.varied and r.random() < 0.2:  # one button as wide as the form (sign-in, checkout)
            wide = self.button(r.choice(["Submit", "Continue", "Pay now", "Sign in", "Save"]))
            wide = wide.replace(
                "display:inline-flex;", "display:flex;justify-content:center;width:100%;"
            )
            foot = f'<div style="margin-top:16px">{wide}</div>'
        elif r.random() < 0.5:
            foot = f'<div style="display:flex;gap:10px;margin-top:16px">{self.button("Save")}{self.button("Cancel", r.choice(["outline", "text"]))}</div>'
        return self.card(head + grid + foot)

    def table_block(self, rows: int | None = None) -> str:
        s, r = self.s, self.rng
        cols = r.sample(
            [
                "Name",
                "Account",
                "Status",
                "Owner",
                "Amount",
                "Created",
                "Priority",
                "Region",
                "Number",
                "Due Date",
                "Category",
                "Assigned To",
                "Stage",
            ],
            r.randint(3, 7 if not self.dense else 9),
        )
        rows = rows or r.randint(3, 9 if not self.dense else 16)
        pad = max(3, s.row_pad - (3 if self.dense else 0))
        head_bg = r.choice(
            [_mix(s.surface, s.text, 0.06), s.surface, _mix(s.surface, s.primary, 0.1)]
        )
        # rules between rows, around every cell, under the header only, or none (zebra)
        rules = r.choice(["rows", "rows", "grid", "header", "none"]) if self.varied else "rows"
        cell_line = {
            "rows": f"border-bottom:1px solid {s.border};",
            "grid": f"border:1px solid {s.border};",
        }.get(rules, "")
        head_line = cell_line or f"border-bottom:{r.choice([1, 2])}px solid {s.border};"
        outer = f"border:1px solid {s.border};"
        if self.varied and r.random() < 0.5:
            outer = ""
            head_bg = r.choice([head_bg, "transparent"])
        th = "".join(
            f'<th style="text-align:left;padding:{pad}px 10px;font-weight:bold;{head_line}background:{head_bg}">{esc(c)}</th>'
            for c in cols
        )
        body = []
        stripe = (s.stripe or self.varied) and (r.random() < 0.5 or rules == "none")
        stripe_bg = s.stripe or _mix(s.surface, s.text, 0.04)
        for i in range(rows):
            tds = []
            for c in cols:
                if c in ("Status", "Stage", "Priority"):
                    v = (
                        r.choice(STATUSES)
                        if c != "Priority"
                        else r.choice(["Low", "Medium", "High", "Critical"])
                    )
                elif c in ("Name", "Owner", "Assigned To"):
                    v = _name(r)
                elif c in ("Amount",):
                    v = f"${r.randint(1, 99)},{r.randint(0, 999):03d}"
                elif c in ("Created", "Due Date"):
                    v = f"{r.randint(1, 12):02d}/{r.randint(1, 28):02d}/{r.randint(2024, 2026)}"
                elif c == "Number":
                    v = f"{r.choice(['INC', 'REQ', 'CS', 'OPP'])}{r.randint(10000, 99999)}"
                else:
                    v = r.choice(
                        COMPANIES + ["EMEA", "APAC", "North America", "Hardware", "Software"]
                    )
                color = s.link if c in ("Name", "Number") and r.random() < 0.7 else s.text
                tds.append(
                    f'<td style="padding:{pad}px 10px;color:{color};{cell_line.rstrip(";")}">{esc(v)}</td>'
                )
            bg = f'style="background:{stripe_bg}"' if stripe and i % 2 else ""
            body.append(f"<tr {bg}>{''.join(tds)}</tr>")
        fs = f"font-size:{s.size - 1}px;" if self.dense else ""
        return (
            f'<table data-el="TABLE" style="border-collapse:collapse;background:{s.surface};{outer}{fs}'
            f'width:{r.choice(["100%", "auto"])}"><thead><tr>{th}</tr></thead><tbody>{"".join(body)}</tbody></table>'
        )

    def choices_block(self) -> str:
        s, r = self.s, self.rng
        out = [
            f'<div style="font-weight:bold;margin-bottom:8px">{esc(r.choice(["Notifications", "Preferences", "Options", "Access", "Filters"]))}</div>'
        ]
        kind = r.choice(["checkbox", "toggle", "mixed"])
        for o in r.sample(OPTIONS, r.randint(2, 5)):
            k = kind if kind != "mixed" else r.choice(["checkbox", "toggle"])
            ctl = (
                self.checkbox(r.random() < 0.5, native=r.random() < 0.25)
                if k == "checkbox"
                else self.toggle(r.random() < 0.5)
            )
            if k == "toggle" and r.random() < 0.4:
                row = f'<div style="display:flex;align-items:center;justify-content:space-between;gap:40px;width:360px">{self.label(o)}{ctl}</div>'
            else:
                row = f'<div style="display:flex;align-items:center;gap:8px">{ctl}{self.label(o)}</div>'
            out.append(f'<div style="margin:{4 + s.row_pad // 2}px 0">{row}</div>')
        out.append(
            f'<div style="font-weight:bold;margin:14px 0 8px">{esc(r.choice(["Priority", "Visibility", "Delivery", "Frequency"]))}</div>'
        )
        horiz = r.random() < 0.5
        opts = r.sample(
            [
                "Low",
                "Medium",
                "High",
                "Daily",
                "Weekly",
                "Monthly",
                "Public",
                "Private",
                "Team only",
                "Standard",
                "Express",
                "Overnight",
            ],
            r.randint(2, 4),
        )
        native = r.random() < 0.25
        radios = "".join(
            f'<div style="display:flex;align-items:center;gap:8px">{self.radio(i == 0, native)}{self.label(o)}</div>'
            for i, o in enumerate(opts)
        )
        out.append(
            f'<div style="display:flex;flex-direction:{"row" if horiz else "column"};gap:{r.randint(10, 24)}px">{radios}</div>'
        )
        return self.card("".join(out))

    def card_radio_block(self) -> str:
        s, r = self.s, self.rng
        plans = r.sample(
            [
                ("Standard", "Ships in 5-7 business days"),
                ("Express", "Ships in 2 business days"),
                ("Basic", "Up to 5 users"),
                ("Team", "Up to 50 users and shared views"),
                ("Enterprise", "Unlimited users with SSO"),
                ("Monthly", "Billed every month"),
                ("Annual", "Billed once a year, save 20%"),
            ],
            r.randint(2, 4),
        )
        # training pages only, and after the plain cards' names are drawn: the held-out pages
        # and the training pages made before plan cards existed stay as they were
        if self.varied and r.random() < 0.4:
            return self.plan_cards_block()
        out = []
        for i, (t, d) in enumerate(plans):
            sel = i == r.randint(0, len(plans) - 1)
            bd = f"2px solid {s.primary}" if sel else f"1px solid {s.border}"
            dot = self.radio(sel).replace(' data-el="RADIO"', "") if r.random() < 0.6 else ""
            out.append(
                f'<div data-el="RADIO" style="border:{bd};border-radius:{min(s.radius, 10)}px;padding:12px 14px;'
                f"background:{_mix(s.primary, s.surface, 0.93) if sel else s.surface};width:{r.randint(170, 230)}px;"
                f'display:flex;gap:10px;align-items:flex-start">{dot}<div><div style="font-weight:bold">{esc(t)}</div>'
                f'<div style="color:{s.muted};font-size:{s.size - 1}px;margin-top:4px">{esc(d)}</div></div></div>'
            )
        return _card_row(r.choice(["Choose a plan", "Shipping method", "Billing cycle"]), out)

    def plan_cards_block(self) -> str:
        """Tall plan cards (a price, its period, a rule and detail rows under the title): card
        radios whose text is most of a card, with the dot at either top corner or none."""
        s, r = self.s, self.rng
        names = r.sample(PLAN_NAMES, r.randint(2, 4))
        sel_i = r.randrange(len(names))
        dot_side = r.choice(["left", "right", "none"])
        width = r.randint(170, 260)
        rows = r.randint(1, 4)
        out = []
        for i, name in enumerate(names):
            sel = i == sel_i
            bd = f"2px solid {s.primary}" if sel else f"1px solid {s.border}"
            dot = self.radio(sel).replace(' data-el="RADIO"', "") if dot_side != "none" else ""
            title = f'<div style="font-weight:bold;font-size:{s.size + r.choice([0, 2, 4])}px;flex:1">{esc(name)}</div>'
            head = f"{dot}{title}" if dot_side == "left" else f"{title}{dot}"
            tag = (
                f'<div style="display:inline-block;margin-top:6px;background:{_mix(s.primary, s.surface, 0.8)};'
                f'border-radius:{r.choice([3, 10])}px;padding:1px 8px;font-size:{s.size - 2}px">'
                f"{esc(r.choice(['Most popular', 'Best value', 'Recommended']))}</div>"
                if sel and r.random() < 0.5
                else ""
            )
            price = f"${r.randint(0, 240)}.{r.choice(['00', '40', '90', '99'])}"
            period = r.choice(
                ["per month", "per paycheck (you pay)", "per person", "a year, billed annually"]
            )
            body = "".join(
                f'<div style="display:flex;justify-content:space-between;gap:8px;margin-top:6px;font-size:{s.size - 1}px">'
                f'<span style="color:{s.muted}">{esc(d)}</span><span>{esc(v)}</span></div>'
                for d, v in zip(
                    r.sample(PLAN_DETAILS, rows), r.sample(PLAN_VALUES, rows), strict=False
                )
            )
            out.append(
                f'<div data-el="RADIO" style="border:{bd};border-radius:{min(s.radius, 12)}px;padding:14px 16px;'
                f'background:{_mix(s.primary, s.surface, 0.93) if sel and r.random() < 0.5 else s.surface};width:{width}px">'
                f'<div style="display:flex;gap:10px;align-items:flex-start">{head}</div>{tag}'
                f'<div style="font-size:{s.size + r.choice([8, 12, 16])}px;font-weight:bold;margin-top:10px">{price}</div>'
                f'<div style="color:{s.muted};font-size:{s.size - 1}px">{esc(period)}</div>'
                f'<div style="border-top:1px solid {s.border};margin:10px 0 4px"></div>{body}</div>'
            )
        title = r.choice(
            ["Choose a plan", "Plans available to you", "Select a fare", "Pick your tariff"]
        )
        return _card_row(title, out)

    def board_block(self) -> str:
        """Columns of cards (a kanban board): painted boxes full of labels, chips and avatars."""
        s, r = self.s, self.rng
        cols = []
        one_line = r.random() < 0.4  # cards that hold a title only
        col_bg = r.choice([_mix(s.bg, s.text, 0.04), _mix(s.bg, s.text, 0.1), s.surface])
        for title in r.sample(STATUSES, r.randint(3, 4)):
            cards = []
            for _ in range(r.randint(1, 4)):
                if one_line:
                    tick = self.checkbox(r.random() < 0.5) + " " if r.random() < 0.25 else ""
                    cards.append(
                        f'<div style="background:{s.surface};border-radius:{min(s.radius, 8)}px;padding:{r.choice([6, 8, 10])}px 10px;'
                        f'margin-bottom:8px;display:flex;gap:8px;align-items:center;{"box-shadow:0 1px 1px rgba(0,0,0,.25);" if r.random() < 0.6 else f"border:1px solid {s.border};"}">'
                        f"{tick}<span>{esc(r.choice(WORDS).capitalize())} {esc(r.choice(WORDS))}</span></div>"
                    )
                    continue
                chip_bg = _mix(
                    r.choice([s.primary, "#2e844a", "#c23934", "#dd7a01"]), s.surface, 0.8
                )
                chip = (
                    f'<span style="background:{chip_bg};border-radius:{r.choice([3, 10])}px;padding:1px 8px;'
                    f'font-size:{s.size - 2}px">{esc(r.choice(["Bug", "Task", "Urgent", "Q3", "Billing", "Design"]))}</span>'
                    if r.random() < 0.6
                    else ""
                )
                initials = "".join(p[0] for p in _name(r).split()[:2])
                avatar = (
                    f'<span style="width:22px;height:22px;border-radius:50%;background:{_mix(s.primary, s.surface, 0.5)};'
                    f"color:{s.on_primary};font-size:{s.size - 3}px;display:inline-flex;align-items:center;"
                    f'justify-content:center">{esc(initials)}</span>'
                )
                cards.append(
                    f'<div style="background:{s.surface};border:1px solid {s.border};border-radius:{min(s.radius, 8)}px;'
                    f'padding:10px 12px;margin-bottom:10px;{"box-shadow:0 1px 2px rgba(0,0,0,.15);" if r.random() < 0.5 else ""}">'
                    f"<div>{esc(r.choice(WORDS).capitalize())} {esc(r.choice(WORDS))} for {esc(r.choice(COMPANIES))}</div>"
                    f'<div style="display:flex;gap:8px;align-items:center;margin-top:8px;color:{s.muted};font-size:{s.size - 1}px">'
                    f'{chip}<span>{r.choice(["INC", "REQ", "CS"])}-{r.randint(100, 9999)}</span><span style="flex:1"></span>{avatar}</div></div>'
                )
            add = self.button(r.choice(["Add card", "New item", "Add"]), "text", icon="plus")
            cols.append(
                f'<div style="width:{r.randint(220, 280)}px;background:{col_bg};border-radius:{min(s.radius, 8)}px;padding:10px">'
                f'<div style="display:flex;justify-content:space-between;margin-bottom:10px;font-weight:bold">'
                f'<span>{esc(title)}</span><span style="color:{s.muted}">{r.randint(1, 30)}</span></div>{"".join(cards)}{add}</div>'
            )
        return f'<div style="display:flex;gap:14px;align-items:flex-start">{"".join(cols)}</div>'

    def text_dropdown(self, value: str) -> str:
        """A borderless select: its value and an arrow, as in list headers ("Sort by: Date")."""
        s, r = self.s, self.rng
        return (
            f'<span data-el="DROPDOWN" style="display:inline-flex;align-items:center;gap:4px;'
            f'color:{r.choice([s.muted, s.text, s.link or s.primary])}">{esc(value)}'
            f'<span style="display:flex">{r.choice(ARROWS)}</span></span>'
        )

    def pager(self) -> str:
        """Previous / page numbers / Next under a list."""
        s, r = self.s, self.rng
        cur = r.randint(1, 3)
        nums = "".join(
            f'<a data-el="LINK" href="#" style="text-decoration:none;padding:4px 9px;border-radius:{min(s.radius, 6)}px;'
            + (
                f"background:{s.primary};color:{s.on_primary}"
                if i == cur
                else f"color:{s.link or s.primary}"
            )
            + f'">{i}</a>'
            for i in range(1, r.randint(3, 6))
        )
        return (
            f'<div style="display:flex;gap:8px;align-items:center;justify-content:center">'
            f"{self.button('Previous', 'outline')}{nums}{self.button('Next', 'outline')}</div>"
        )

    def record_list(self) -> str:
        """Records as rows of a list, not a table: a bold title link, chips, a line of details,
        a rule between rows, sort and filter menus in the list header."""
        s, r = self.s, self.rng
        head = "".join(
            self.text_dropdown(t)
            for t in r.sample(
                ["Author", "Label", "Assignee", "Sort", "Owner", "Type"], r.randint(2, 4)
            )
        )
        select_all = self.checkbox(False) if r.random() < 0.6 else ""
        rows = [
            f'<div style="display:flex;align-items:center;gap:12px;padding:10px 14px;background:{_mix(s.surface, s.text, 0.03)};'
            f'border-bottom:1px solid {s.border}">{select_all}<span style="font-weight:bold">{r.randint(2, 90)} Open</span>'
            f'<span style="color:{s.muted}">{r.randint(10, 400)} Closed</span><span style="flex:1"></span>'
            f'<div style="display:flex;gap:16px">{head}</div></div>'
        ]
        ticks = bool(select_all) or r.random() < 0.3
        for _ in range(r.randint(3, 7)):
            chip_bg = r.choice([s.primary, "#2e844a", "#c23934", "#dd7a01", "#6f42c1"])
            chips = "".join(
                f'<span style="background:{chip_bg};color:#ffffff;border-radius:10px;padding:0 7px;font-size:{s.size - 2}px">{esc(r.choice(["bug", "urgent", "docs", "billing", "ui", "api"]))}</span>'
                for _ in range(r.randint(0, 2))
            )
            title = f"{r.choice(WORDS).capitalize()} {r.choice(WORDS)} for {r.choice(COMPANIES)}"
            meta = f"#{r.randint(100, 9999)} opened {r.randint(2, 28)} days ago by {_name(r).split()[0].lower()}"
            rows.append(
                f'<div style="display:flex;gap:12px;align-items:flex-start;padding:8px 14px;border-bottom:1px solid {s.border}">'
                + (self.checkbox(r.random() < 0.2) if ticks else "")
                + f'<div><div style="display:flex;gap:8px;align-items:center">'
                f'<a data-el="LINK" href="#" style="color:{r.choice([s.text, s.link or s.primary])};font-weight:bold;text-decoration:none">{esc(title)}</a>{chips}</div>'
                f'<div style="color:{s.muted};font-size:{s.size - 1}px;margin-top:3px">{esc(meta)}</div></div></div>'
            )
        box = (
            f"border:1px solid {s.border};border-radius:{min(s.radius, 8)}px;"
            if r.random() < 0.6
            else ""
        )
        return f'<div style="background:{s.surface};{box}overflow:hidden">{"".join(rows)}</div>{self.pager() if r.random() < 0.6 else ""}'

    def kpi_block(self) -> str:
        s, r = self.s, self.rng
        cards = []
        for _ in range(r.randint(2, 4)):
            cards.append(
                self.card(
                    f'<div style="color:{s.muted}">{esc(r.choice(["Open Cases", "Revenue", "Pipeline", "Overdue", "Win Rate", "New Leads"]))}</div>'
                    f'<div style="font-size:{s.size + (r.choice([10, 10, 16, 22]) if self.varied else 10)}px;font-weight:bold;margin-top:6px'
                    + (
                        f";color:{r.choice([s.text, '#2e844a', '#dd7a01', '#c23934', '#73bf69'])}"
                        if self.varied
                        else ""
                    )
                    + f'">{r.randint(1, 999)}{r.choice(["", "%", "K"])}</div>'
                    + (
                        f'<div style="margin-top:6px">{self.link("View report")}</div>'
                        if r.random() < 0.4
                        else ""
                    ),
                    f"min-width:{r.randint(150, 220)}px",
                )
            )
        return f'<div style="display:flex;gap:16px">{"".join(cards)}</div>'

    def activity_block(self) -> str:
        s, r = self.s, self.rng
        rows = []
        for _ in range(r.randint(2, 5)):
            rows.append(
                f'<div style="display:flex;gap:10px;align-items:baseline;margin:6px 0">{self.link(_name(r))}'
                f'<span style="color:{s.muted}">{esc(r.choice(["updated", "closed", "created", "commented on"]))} '
                f"{esc(r.choice(WORDS))} {r.randint(10, 999)}</span></div>"
            )
        return self.card(
            f'<div style="font-weight:bold;margin-bottom:6px">Recent Activity</div>{"".join(rows)}'
        )

    def alert_block(self) -> str:
        s, r = self.s, self.rng
        c = (
            r.choice(["#fff4ce", "#e6f4ea", "#fde7e9", "#e8f1fb"])
            if _lum(s.bg) > 0.5
            else "#3a3320"
        )
        return (
            f'<div style="background:{c};border-radius:{s.radius}px;padding:10px 14px;display:flex;gap:12px;align-items:center">'
            f"<span>{esc(r.choice(['This record is locked for approval.', 'Your changes were saved.', 'Two fields need attention.', 'Sync completed with warnings.']))}</span>"
            f"{self.link(r.choice(['Details', 'Undo', 'Review', 'Dismiss']), underline=True)}</div>"
        )

    def filter_bar(self) -> str:
        r = self.rng
        parts = [self.input_("Search records...", True, r.randint(200, 280))]
        for _ in range(r.randint(1, 3)):
            parts.append(
                self.dropdown(
                    r.choice(
                        ["All statuses", "My items", "Any owner", "This quarter", "All regions"]
                    ),
                    r.randint(140, 190),
                )
            )
        parts.append(
            self.button(r.choice(["Apply", "Filter", "Search"]), r.choice(["primary", "outline"]))
        )
        return f'<div style="display:flex;gap:10px;align-items:center">{"".join(parts)}</div>'

    def menu_popup(self) -> str:
        s, r = self.s, self.rng
        items = r.sample(ACTIONS + NAV, r.randint(3, 7))
        its = "".join(
            f'<div style="padding:{max(4, s.row_pad - 2)}px 16px;{"background:" + _mix(s.primary, s.surface, 0.9) + ";" if i == 1 else ""}">'
            f'<a data-el="LINK" href="#" style="color:{s.text};text-decoration:none">{esc(t)}</a></div>'
            for i, t in enumerate(items)
        )
        return (
            f'<div data-el="MENU" data-overlay="1" style="position:absolute;left:0;top:calc(100% + 4px);z-index:10;'
            f"background:{s.surface};border:1px solid {s.border};box-shadow:0 4px 14px rgba(0,0,0,.25);"
            f'border-radius:{min(s.radius, 6)}px;padding:4px 0;min-width:{r.randint(160, 220)}px">{its}</div>'
        )

    def dialog(self) -> str:
        s, r = self.s, self.rng
        title = r.choice(
            [
                "Delete record?",
                "New Contact",
                "Assign Owner",
                "Confirm Submission",
                "Edit Filters",
                "Export Data",
                "Share Report",
            ]
        )
        body = []
        if r.random() < 0.5:
            body.append(
                f'<div style="margin-bottom:12px">{esc(r.choice(["This action cannot be undone.", "Choose who should receive the report.", "Fields marked with a star are required."]))}</div>'
            )
        for f in r.sample(FIELDS, r.randint(0, 3)):
            ctl = (
                self.input_(_value(f, r), False, 300)
                if r.random() < 0.6
                else self.dropdown(r.choice(STATUSES), 300)
            )
            body.append(
                f'<div style="margin:8px 0"><div style="margin-bottom:4px;color:{s.muted}">{esc(f)}</div>{ctl}</div>'
            )
        if r.random() < 0.4:
            body.append(
                f'<div style="display:flex;gap:8px;align-items:center;margin-top:10px">{self.checkbox(r.random() < 0.5)}{self.label(r.choice(OPTIONS))}</div>'
            )
        close = f'<button data-el="BUTTON" style="background:none;border:none;color:{s.muted};display:flex;padding:4px">{ICONS["close"]}</button>'
        head_css, foot_css, pad = "justify-content:space-between;", "", "20px 22px"
        if self.varied:  # desktop-style: centred title without a close button, a footer band
            if r.random() < 0.35:
                head_css, close = "justify-content:center;", ""
            if r.random() < 0.4:
                band = _mix(s.surface, s.text, 0.05)
                foot_css = f"background:{band};border-top:1px solid {s.border};margin:18px -22px -20px;padding:12px 22px;"
                foot_css += f"border-radius:0 0 {min(s.radius, 12)}px {min(s.radius, 12)}px;"
            if r.random() < 0.3:
                body.insert(0, f'<div style="margin-bottom:12px">{self.tabs_block()}</div>')
        return (
            f'<div style="position:fixed;inset:0;background:rgba(0,0,0,{r.choice([0.3, 0.4, 0.5, 0.6])});z-index:20"></div>'
            f'<div data-el="DIALOG" data-overlay="1" data-title="{esc(title)}" style="position:fixed;z-index:21;left:50%;top:{r.randint(12, 25)}%;'
            f"transform:translateX(-50%);width:{r.randint(380, 560)}px;background:{s.surface};border-radius:{min(s.radius, 12)}px;"
            f'box-shadow:0 10px 40px rgba(0,0,0,.4);padding:{pad}">'
            f'<div style="display:flex;align-items:center;{head_css}margin-bottom:14px">'
            f'<div style="font-size:{s.size + 4}px;font-weight:bold">{esc(title)}</div>{close}</div>{"".join(body)}'
            f'<div style="display:flex;justify-content:flex-end;gap:10px;margin-top:18px{";" + foot_css if foot_css else ""}">'
            f"{self.button('Cancel', r.choice(['outline', 'text']))}{self.button(r.choice(['Confirm', 'Save', 'Delete', 'Export', 'Assign']))}</div></div>"
        )


def _mix(a: str, b: str, t: float) -> str:
    """Colour ``t`` of the way from ``a`` to ``b``."""
    ra, rb = _rgb(a), _rgb(b)
    return _hex(tuple(x + (y - x) * t for x, y in zip(ra, rb, strict=False)))  # type: ignore[arg-type]


def _lum(c: str) -> float:
    r, g, b = _rgb(c)
    return 0.299 * r + 0.587 * g + 0.114 * b


# --------------------------------------------------------------------------- pages

LAYOUTS = [
    "form",
    "list",
    "dashboard",
    "settings",
    "wizard",
    "record",
    "dense_table",
    "menu_open",
    "modal",
]
TRAIN_ONLY_LAYOUTS = ["board", "records"]


def build_page(
    style_name: str, layout: str, seed: int, small_font: bool = False, jitter: bool = False
) -> str:
    """One page as an HTML string, fully determined by its arguments."""
    rng = random.Random(seed * 7919 + hash_str(style_name + layout))
    style = STYLES[style_name]
    if jitter:
        style = jitter_style(style, rng)
    if small_font:
        style = replace(style, size=11, row_pad=4)
    p = Page(style, rng, dense=layout == "dense_table", varied=jitter)
    blocks: list[str] = [p.title_block()]
    menu_at_toolbar = False
    if layout == "form":
        if rng.random() < 0.5:
            blocks.append(p.tabs_block())
        blocks += [p.form_block(), p.form_block(n=rng.randint(2, 4))]
    elif layout == "list":
        blocks += [p.filter_bar(), p.table_block()]
    elif layout == "dashboard":
        blocks += [
            p.kpi_block(),
            f'<div style="display:flex;gap:16px;align-items:flex-start"><div style="flex:2">{p.table_block(rows=rng.randint(3, 6))}</div><div style="flex:1">{p.activity_block()}</div></div>',
        ]
    elif layout == "settings":
        blocks += [
            p.tabs_block(),
            f'<div style="display:flex;gap:24px;align-items:flex-start">{p.choices_block()}{p.choices_block()}</div>',
        ]
    elif layout == "wizard":
        blocks += [p.card_radio_block(), p.form_block(n=rng.randint(2, 4)), p.choices_block()]
    elif layout == "record":
        blocks += [
            p.tabs_block(),
            p.alert_block(),
            f'<div style="display:flex;gap:20px;align-items:flex-start">{p.form_block(cols=1, n=4)}<div style="flex:1">{p.activity_block()}</div></div>',
        ]
    elif layout == "dense_table":
        blocks += [p.filter_bar(), p.table_block()]
    elif layout == "menu_open":
        menu_at_toolbar = True
        blocks += [p.filter_bar(), p.table_block(rows=rng.randint(3, 8))]
    elif layout == "modal":
        blocks += [p.form_block(), p.table_block(rows=rng.randint(2, 5))]
    elif layout == "board":
        blocks += [p.filter_bar(), p.board_block()]
    elif layout == "records":
        blocks += [p.filter_bar(), p.record_list()]
    if menu_at_toolbar:
        trigger = (
            p.dropdown(rng.choice(["Actions", "More", "Bulk actions", "Export as"]), 170)
            if rng.random() < 0.5
            else p.button(rng.choice(["Actions", "More"]), "outline")
        )
        blocks.insert(
            1,
            f'<div style="display:flex;gap:10px"><div style="position:relative">{trigger}{p.menu_popup()}</div>{p.button(rng.choice(ACTIONS), "outline")}</div>',
        )
    sidebar = p.sidebar() if rng.random() < 0.55 else ""
    gap = rng.randint(14, 24) if not small_font else 10
    main = f'<div style="flex:1;padding:{rng.randint(14, 28)}px;display:flex;flex-direction:column;gap:{gap}px;min-width:0">{"".join(blocks)}</div>'
    overlay = p.dialog() if layout == "modal" else ""
    s = style
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{esc(style_name)} {esc(layout)} {seed}</title>
<style>
html,body{{margin:0;height:100%;overflow:hidden}}
body{{font-family:{s.font};font-size:{s.size}px;color:{s.text};background:{s.bg};display:flex;flex-direction:column;line-height:1.35}}
button{{font:inherit}}
</style></head>
<body>{p.header(nav_as_tabs=rng.random() < 0.5)}<div style="display:flex;flex:1;min-height:0">{sidebar}{main}</div>{overlay}</body></html>
"""


def hash_str(s: str) -> int:
    """A hash stable across processes (``hash()`` is salted)."""
    h = 0
    for ch in s:
        h = (h * 131 + ord(ch)) % 1_000_003
    return h


# (file stem, style, layout, seed, small_font)
HELDOUT_PAGES: list[tuple[str, str, str, int, bool]] = [
    ("01_salesforce_record", "salesforce", "record", 1, False),
    ("02_salesforce_list_menu", "salesforce", "menu_open", 2, False),
    ("03_fiori_form", "fiori", "form", 3, False),
    ("04_fiori_list", "fiori", "list", 4, False),
    ("05_servicenow_modal", "servicenow", "modal", 5, False),
    ("06_servicenow_dense", "servicenow", "dense_table", 6, False),
    ("07_dynamics_form", "dynamics", "form", 7, False),
    ("08_dynamics_dashboard", "dynamics", "dashboard", 8, False),
    ("09_hubspot_wizard", "hubspot", "wizard", 9, False),
    ("10_hubspot_settings", "hubspot", "settings", 10, False),
    ("11_workday_form", "workday", "form", 11, False),
    ("12_workday_wizard", "workday", "wizard", 12, False),
    ("13_jira_list", "jira", "list", 13, False),
    ("14_jira_menu", "jira", "menu_open", 14, False),
    ("15_bootstrap_dashboard", "bootstrap", "dashboard", 15, False),
    ("16_bootstrap_modal", "bootstrap", "modal", 16, False),
    ("17_material_settings", "material", "settings", 17, False),
    ("18_material_form", "material", "form", 18, False),
    ("19_zendesk_record", "zendesk", "record", 19, False),
    ("20_oracle_dense_small", "oracle", "dense_table", 20, True),
    ("21_oracle_form_small", "oracle", "form", 21, True),
    ("22_dark_settings", "dark", "settings", 22, False),
    ("23_dark_slate_modal", "dark_slate", "modal", 23, False),
    ("24_dark_slate_menu", "dark_slate", "menu_open", 24, False),
    ("25_zendesk_wizard_small", "zendesk", "wizard", 25, True),
    ("26_dark_list", "dark", "list", 26, False),
]

TRAIN_SEED_BASE = 10_000


def training_pages(n: int) -> list[tuple[str, str, str, int, bool]]:
    """``n`` training page specs: random style/layout, seeds disjoint from the held-out ones."""
    out = []
    for i in range(n):
        seed = TRAIN_SEED_BASE + i
        r = random.Random(seed)
        st, lay = r.choice(STYLE_NAMES), r.choice(LAYOUTS + TRAIN_ONLY_LAYOUTS)
        out.append((f"t{seed}_{st}_{lay}", st, lay, seed, r.random() < 0.15))
    return out


EXTRA_SEED_BASE = 30_000


def extra_training_pages(n: int) -> list[tuple[str, str, str, int, bool]]:
    """``n`` more training pages of the train-only layouts (boards, record lists)."""
    out = []
    for i in range(n):
        seed = EXTRA_SEED_BASE + i
        r = random.Random(seed)
        st, lay = r.choice(STYLE_NAMES), r.choice(TRAIN_ONLY_LAYOUTS)
        out.append((f"x{seed}_{st}_{lay}", st, lay, seed, r.random() < 0.15))
    return out


def write_pages(
    specs: list[tuple[str, str, str, int, bool]], out_dir: Path, jitter: bool
) -> list[Path]:
    """Write the pages of ``specs`` to ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, st, lay, seed, small in specs:
        path = out_dir / f"{stem}.html"
        path.write_text(build_page(st, lay, seed, small, jitter=jitter), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--heldout", action="store_true", help="write the held-out pages")
    ap.add_argument("--train", type=int, default=0, help="write N training pages")
    ap.add_argument(
        "--extra", type=int, default=0, help="write N more training pages of boards and lists"
    )
    a = ap.parse_args()
    if a.heldout:
        print(
            len(write_pages(HELDOUT_PAGES, HERE / "pages" / "heldout", jitter=False)),
            "held-out pages",
        )
    if a.train:
        print(
            len(write_pages(training_pages(a.train), HERE / "pages" / "train", jitter=True)),
            "training pages",
        )
    if a.extra:
        pages = extra_training_pages(a.extra)
        print(len(write_pages(pages, HERE / "pages" / "train_extra", jitter=True)), "extra pages")
