"""The rules every campaign passes between compose and send: the stop list, consent,
the send window with each recipient's time zone, and the cost estimate. No Qt.

The public surface loads on first use (``kupon-desktop --help`` stays light)::

    from kupon_desktop.audience import apply_rules, AudienceRules, StopListChecker

Composing (the Check report, the dry run, ``campaign.build.prepare``)
-----------------------------------------------------------------------
``apply_rules(draft, contacts, fields=None, messages=None, *, rules=None, stop_list=None,
now=None) -> AudiencePlan``
    ``rules`` is an :class:`AudienceRules` (window, default zone, time-zone and consent
    columns, ``advertising``, prices); ``stop_list`` the ``store.Log`` (None: empty).
    The plan holds, per addressed message in render order: ``rows``, ``addresses``,
    ``zones_of()``, ``send_times[zone_codes[i]]``, ``reasons[i]`` (None, "stop list",
    "no consent"); ``exclusions`` (``Exclusion(row, address, reason)``), ``problems``
    (``compose.Problem`` subclasses: add them to the Check report), ``estimate``
    (``Estimate``: ``lines`` per type, ``messages``, ``segments``, ``cost`` (Decimal),
    ``currency``, ``examples``), ``zone_counts()`` ({"column", "number", "default"}),
    and ``rules`` as applied (columns resolved; keep ``rules.to_dict()`` with the
    campaign). Plug it into the build step::

        prepare(draft, contacts, fields, scheduled=plan.scheduled, excluded=plan.excluded)

Sending (the engine)
--------------------
``StopListChecker(log)`` (or ``StopListChecker.open(path)``, its own read-only
connection; close it) is the engine's ``stop_check(addresses) -> {address: "stop list"}``.
``SendTimeGuard(rules, send_at=draft.send_at)`` (or ``plan.guard()``) is
``guard(recipient, now) -> datetime | None``: the send time to put on a request when it
goes out, the window checked again (a campaign resumed at night waits for morning).

The Stop list page
------------------
Rows: ``log.iter_stop_list()`` (``StopEntry``: address, kind, source, note, added_at),
count ``log.stop_list_size()``. Actions: ``add_address(log, text, note=...) ->
(address, is_new)`` (raises ``NotAnAddress``, with ``message_ru``);
``remove_address(log, text) -> (address, was_listed)``; ``import_stop_list(log, path,
sheet=, phone_column=, email_column=, progress=, cancel=) -> StopListImport`` (``added``,
``already_listed``, ``report``: the contacts importer's ``ImportResult`` with its
``rejected`` rows; raises ``contacts.ContactsError``; run it in a worker thread);
``export_stop_list(log, path, lang=) -> count`` (.xlsx or .csv). Sources are stored as
codes: ``SOURCE_TYPED`` ("typed"), ``SOURCE_IMPORT`` ("import"), "status 22",
"status 23"; translate them for display.

The campaign's "add the wrong recipients to the stop list" action
-----------------------------------------------------------------
``stoppable_count(log, campaign_id)`` for the confirmation ("Add N recipients…?"), then
``stop_failed_recipients(log, campaign_id) -> new entries``.

The confirmation dialog before Send
-----------------------------------
``plan.estimate`` (cost per type and total; ``examples`` True means the prices are the
defaults: say so), ``plan.excluded_count("stop list")``, ``plan.excluded_count("no
consent")``, the deferred count from ``plan.deferred``/``plan.zone_codes`` (also a
"deferred_by_window" problem) and ``plan.rules.advertising``.

Settings
--------
``settings.AUDIENCE_SETTINGS`` (window, default zone, one price per type) go into
``config.SETTINGS``; ``settings.rules_from_settings(settings.get, advertising=...,
timezone_column=..., consent_column=...)`` makes the campaign's rules. Parsers for the
fields: ``SendWindow.parse`` ("09:00-22:00", "21:00-08:00", "off"), ``check_zone``
(IANA name, UTC offset, Russian region or city), ``cost.to_price``; each raises
``ValueError`` with a message for the user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kupon_desktop.lazy import package_exports

if TYPE_CHECKING:
    from kupon_desktop.audience.consent import Consent, detect_consent_column, read_consent
    from kupon_desktop.audience.cost import CURRENCY, Estimate, EstimateLine, Prices, estimate
    from kupon_desktop.audience.errors import AudienceError, NotAnAddress, UnknownColumn
    from kupon_desktop.audience.plan import (
        REASON_NO_CONSENT,
        AudiencePlan,
        AudienceRules,
        Exclusion,
        SendTimeGuard,
        apply_rules,
    )
    from kupon_desktop.audience.problems import AudienceProblem
    from kupon_desktop.audience.stoplist import (
        REASON_STOP_LIST,
        SOURCE_IMPORT,
        SOURCE_TYPED,
        StopListChecker,
        StopListImport,
        add_address,
        export_stop_list,
        import_stop_list,
        normalize_address,
        remove_address,
        stop_failed_recipients,
        stoppable_count,
        stopped_among,
    )
    from kupon_desktop.audience.timezones import (
        DEFAULT_ZONE,
        check_zone,
        tzinfo_for,
        zone_key,
        zones_from_phones,
    )
    from kupon_desktop.audience.window import SendWindow

_EXPORTS = {
    "Consent": "consent",
    "detect_consent_column": "consent",
    "read_consent": "consent",
    "CURRENCY": "cost",
    "Estimate": "cost",
    "EstimateLine": "cost",
    "Prices": "cost",
    "estimate": "cost",
    "AudienceError": "errors",
    "NotAnAddress": "errors",
    "UnknownColumn": "errors",
    "REASON_NO_CONSENT": "plan",
    "AudiencePlan": "plan",
    "AudienceRules": "plan",
    "Exclusion": "plan",
    "SendTimeGuard": "plan",
    "apply_rules": "plan",
    "AudienceProblem": "problems",
    "REASON_STOP_LIST": "stoplist",
    "SOURCE_IMPORT": "stoplist",
    "SOURCE_TYPED": "stoplist",
    "StopListChecker": "stoplist",
    "StopListImport": "stoplist",
    "add_address": "stoplist",
    "export_stop_list": "stoplist",
    "import_stop_list": "stoplist",
    "normalize_address": "stoplist",
    "remove_address": "stoplist",
    "stop_failed_recipients": "stoplist",
    "stoppable_count": "stoplist",
    "stopped_among": "stoplist",
    "DEFAULT_ZONE": "timezones",
    "check_zone": "timezones",
    "tzinfo_for": "timezones",
    "zone_key": "timezones",
    "zones_from_phones": "timezones",
    "SendWindow": "window",
}

__all__ = [
    "CURRENCY",
    "DEFAULT_ZONE",
    "REASON_NO_CONSENT",
    "REASON_STOP_LIST",
    "SOURCE_IMPORT",
    "SOURCE_TYPED",
    "AudienceError",
    "AudiencePlan",
    "AudienceProblem",
    "AudienceRules",
    "Consent",
    "Estimate",
    "EstimateLine",
    "Exclusion",
    "NotAnAddress",
    "Prices",
    "SendTimeGuard",
    "SendWindow",
    "StopListChecker",
    "StopListImport",
    "UnknownColumn",
    "add_address",
    "apply_rules",
    "check_zone",
    "detect_consent_column",
    "estimate",
    "export_stop_list",
    "import_stop_list",
    "normalize_address",
    "read_consent",
    "remove_address",
    "stop_failed_recipients",
    "stoppable_count",
    "stopped_among",
    "tzinfo_for",
    "zone_key",
    "zones_from_phones",
]


__getattr__ = package_exports(__name__, _EXPORTS, globals())
