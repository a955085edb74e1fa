"""A campaign's contacts from the base (a list or a segment) instead of a file: the
same :class:`~kupon_desktop.campaign.session.ContactList` the session plans and sends
to, with the base's consent column (see ``kupon_desktop.base.audience``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kupon_desktop.base.audience import CONSENT_COLUMN, audience_for
from kupon_desktop.campaign.session import ContactList
from kupon_desktop.vocabulary import Address, MessageType

if TYPE_CHECKING:
    from kupon_desktop.base.ports import BaseLog

__all__ = ["CONSENT_COLUMN", "consent_channel", "contact_list_from_base", "hlr_check"]


def consent_channel(message_type: MessageType | str) -> str:
    """The ledger's channel for a message type: e-mail for e-mail, the number for the
    rest."""
    return "email" if MessageType(message_type).address is Address.EMAIL else "phone"


def contact_list_from_base(
    log: BaseLog,
    message_type: MessageType | str,
    *,
    list_name: str | None = None,
    segment: str | None = None,
) -> ContactList:
    """The contacts of ``list_name`` or ``segment`` now, frozen into a ContactList:
    each recipient's row is its contact id, the source names the list or segment and
    how many it held."""
    found = audience_for(
        log, list_name=list_name, segment=segment, channel=consent_channel(message_type)
    )
    return ContactList(
        contacts=found.contacts,
        fields=found.fields,
        name_column=found.name_column,
        source=found.source,
        name=found.name,
    )


def hlr_check(
    session: Any,
    log: BaseLog,
    *,
    list_name: str | None = None,
    segment: str | None = None,
    name: str = "",
) -> str:
    """Create (not run) an HLR campaign to every number of a list or segment: the
    network says which numbers it does not know (their statuses come back like any
    campaign's; ``--outcome undelivered@<its id>`` then finds them). Returns the
    campaign id; ``session.run(id)`` sends it. HLR is a service request: no consent.
    """
    from kupon_desktop.audience import AudienceRules
    from kupon_desktop.compose import Draft
    from kupon_desktop.vocabulary import MessageType

    contacts = contact_list_from_base(log, MessageType.HLR, list_name=list_name, segment=segment)
    plan = session.plan(Draft(type=MessageType.HLR), contacts, AudienceRules(advertising=False))
    return str(session.create(plan, name=name or f"HLR {contacts.name}"))
