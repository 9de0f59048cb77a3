"""Billing: the organization's plan, the plans on offer, Checkout and the Billing Portal."""

from __future__ import annotations

import reflex as rx

from techledger.components.feedback import empty_state
from techledger.components.layout import page_header
from techledger.state.billing import BillingState

_STATUS_COLORS = rx.match(
    BillingState.overview.get("status", "").to(str),
    ("ACTIVE", "green"),
    ("TRIAL", "blue"),
    ("PAST_DUE", "amber"),
    ("CANCELED", "red"),
    ("EXPIRED", "red"),
    "gray",
)

_STATUS_HELP = rx.match(
    BillingState.overview.get("status", "").to(str),
    (
        "TRIAL",
        "During the trial the limits of the "
        + BillingState.overview.get("trial_plan", "").to(str)
        + " plan apply; choose a plan to keep working after it ends.",
    ),
    ("ACTIVE", "Your subscription is active."),
    (
        "PAST_DUE",
        "The last payment failed. Update the payment method in Manage billing; everything "
        "keeps working while Stripe retries.",
    ),
    (
        "CANCELED",
        "The subscription was canceled. Everything can still be read and exported; choose a "
        "plan to upload and train again.",
    ),
    (
        "EXPIRED",
        "The trial has ended. Everything can still be read and exported; choose a plan to "
        "upload and train again.",
    ),
    "",
)


def _current_plan() -> rx.Component:
    o = BillingState.overview
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.text("Current plan", size="2", color_scheme="gray"),
                rx.hstack(
                    rx.heading(o.get("plan", "").to(str), size="6", id="billing-plan"),
                    rx.badge(
                        o.get("status", "").to(str).replace("_", " "),
                        color_scheme=_STATUS_COLORS,
                        size="2",
                        id="billing-status",
                    ),
                    align="center",
                    spacing="3",
                ),
                rx.text(_STATUS_HELP, size="2", color_scheme="gray"),
                rx.cond(
                    (o.get("status", "").to(str) == "TRIAL")
                    & (o.get("trial_ends_at", "").to(str) != ""),
                    rx.text(
                        "Trial ends on ",
                        rx.text.strong(o.get("trial_ends_at", "").to(str)),
                        size="2",
                        id="billing-trial-end",
                    ),
                ),
                spacing="2",
                align="start",
            ),
            rx.spacer(),
            rx.cond(
                o.get("configured", False).to(bool) & o.get("has_customer", False).to(bool),
                rx.button(
                    rx.icon("external-link", size=14),
                    "Manage billing",
                    variant="soft",
                    on_click=BillingState.manage_billing,
                    id="manage-billing",
                ),
            ),
            align="start",
            width="100%",
        ),
        width="100%",
        size="3",
    )


def _not_configured() -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text("Billing is not configured", weight="bold"),
            rx.text(
                "This installation has no Stripe keys, so plans cannot be bought here. "
                "Organizations keep their trial; when it ends they can still read and export "
                "everything, and an administrator can set a plan with "
                "'techledger billing set-plan'.",
            ),
            spacing="1",
        ),
        icon="info",
        color_scheme="gray",
        width="100%",
        id="billing-not-configured",
    )


def _limit_line(icon: str, value: rx.Var, label: str) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=15, color=rx.color("accent", 10)),
        rx.text(rx.text.strong(value), " ", label, size="2"),
        spacing="2",
        align="center",
    )


def _plan_card(plan: dict) -> rx.Component:
    tier = plan["tier"].to(str)
    current = plan["current"].to(bool)
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(plan["name"].to(str), size="4"),
                rx.spacer(),
                rx.cond(current, rx.badge("Current", color_scheme="green", variant="soft")),
                width="100%",
                align="center",
            ),
            rx.hstack(
                rx.heading(plan["price"].to(str), size="7"),
                rx.text(plan["per"].to(str), size="2", color_scheme="gray"),
                align="baseline",
                spacing="2",
            ),
            rx.divider(),
            _limit_line("users", plan["members"].to(str), "members"),
            _limit_line("workflow", plan["workflows"].to(str), "active workflows"),
            _limit_line("image", plan["screenshots"].to(str), "screenshots a month"),
            rx.spacer(),
            rx.cond(
                current,
                rx.button("Your plan", disabled=True, variant="outline", width="100%"),
                rx.cond(
                    plan["purchasable"].to(bool),
                    rx.button(
                        "Upgrade to ",
                        plan["name"].to(str),
                        on_click=BillingState.upgrade(tier),
                        loading=BillingState.busy_tier == tier,
                        width="100%",
                        id="upgrade-" + tier,
                    ),
                    rx.cond(
                        tier != "FREE",
                        rx.button(
                            "Not available here",
                            disabled=True,
                            variant="soft",
                            color_scheme="gray",
                            width="100%",
                        ),
                    ),
                ),
            ),
            spacing="3",
            align="start",
            height="100%",
        ),
        border=rx.cond(current, f"2px solid {rx.color('accent', 8)}", None),
        id="plan-" + tier,
    )


def _billing() -> rx.Component:
    return rx.vstack(
        rx.cond(
            BillingState.checkout_notice != "",
            rx.callout(
                BillingState.checkout_notice,
                icon="circle-check",
                color_scheme="green",
                width="100%",
                id="checkout-notice",
            ),
        ),
        rx.cond(~BillingState.overview.get("configured", False).to(bool), _not_configured()),
        _current_plan(),
        rx.heading("Plans", size="5", padding_top="8px"),
        rx.grid(
            rx.foreach(BillingState.plans, _plan_card),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
            id="plan-table",
        ),
        rx.text(
            "Prices in US dollars, billed monthly through Stripe. Limits apply per "
            "organization; screenshots count from the first of each month.",
            size="1",
            color_scheme="gray",
        ),
        spacing="4",
        width="100%",
    )


def billing_content() -> rx.Component:
    return rx.vstack(
        page_header("Billing", "Your plan, its limits, and payment."),
        rx.cond(
            BillingState.refusal != "",
            empty_state(
                "lock",
                "Only Owners manage billing",
                BillingState.refusal,
                rx.link(rx.button("Back to home", variant="soft"), href="/"),
                id="billing-refused",
            ),
            rx.cond(
                BillingState.plans.length() > 0,
                _billing(),
                rx.center(rx.spinner(size="3"), height="30vh"),
            ),
        ),
        spacing="5",
        width="100%",
    )
