"""What the program asks the platform to send, in the program's own names.

An :class:`Envelope` holds what is common to a campaign (type, sender, charset and the
two flags); an :class:`OutgoingMessage` holds one recipient's message. The wire names
(``sent_to``, ``sent_date``, ...) and the encoding live in :mod:`kupon_desktop.api.wire`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kupon_desktop.vocabulary import DEFAULT_CHARSET, MessageType


@dataclass(frozen=True, slots=True)
class Envelope:
    """The campaign-level part of a request.

    ``sender`` is the name shown in "from", or for ``MessageType.BULK`` the numeric code
    of the scenario mailing. ``charset`` is one of ``models.CHARSETS`` (wire spelling);
    the texts are encoded in it. ``find_token`` asks the platform to look push/bot tokens
    up by phone or e-mail; ``kannel_status`` makes callbacks use Kannel codes (the
    receiver must know which campaigns were sent so).
    """

    type: MessageType
    sender: str | int = ""
    charset: str = DEFAULT_CHARSET
    find_token: bool = False
    kannel_status: bool = False


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One message to one recipient (or, for ``send_message``, to several at once).

    ``address`` is a phone number (international format; a leading ``+`` is removed on
    the wire), an e-mail address, or push tokens; several addresses may be given as a
    sequence and go out comma-separated. ``send_at``: deferred sending by the platform;
    an aware datetime is converted to the platform's time zone (a client setting), a
    naive one is sent as it is. ``ttl``: lifetime in whole minutes. ``callback``: the
    URL the platform calls with the status; ``{id}`` and ``{status}`` stay literal.
    """

    address: str | Sequence[str]
    text: str = ""
    html_text: str | None = None
    send_at: datetime | None = None
    ttl: int | None = None
    button: str | None = None
    action: str | None = None
    image: str | None = None
    callback: str | None = None


__all__ = ["Envelope", "OutgoingMessage"]
