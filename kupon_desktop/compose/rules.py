"""What each message type needs and uses, derived from the platform vocabulary
(:mod:`kupon_desktop.vocabulary`): which contact address it goes to, which draft fields
it sends (the Message page enables exactly these), what content it cannot go without.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kupon_desktop.vocabulary import Address, MessageType


class DraftField(enum.StrEnum):
    """The draft's fields, by their attribute names on :class:`Draft`."""

    SENDER = "sender"
    TEXT = "text"
    HTML_TEXT = "html_text"
    BUTTON = "button"
    ACTION = "action"
    IMAGE = "image"
    TTL = "ttl"
    SEND_AT = "send_at"
    CHARSET = "charset"
    FIND_TOKEN = "find_token"
    KANNEL_STATUS = "kannel_status"


F = DraftField

#: the messengers where a picture alone is a message
_IMAGE_IS_CONTENT = frozenset(
    {
        MessageType.VIBER,
        MessageType.WHATSAPP,
        MessageType.TELEGRAM,
        MessageType.VK,
        MessageType.OK,
        MessageType.MMS,
    }
)


@dataclass(frozen=True, slots=True)
class TypeRules:
    type: MessageType
    #: the contact address it is sent to (see :meth:`address_for` for find_token)
    address: Address
    #: the draft fields this type sends; the others are ignored (and disabled in the UI)
    uses: frozenset[DraftField]
    #: at least one of these must be filled; empty for a type without content (hlr)
    content_any_of: tuple[DraftField, ...]
    #: ``bulk``: the sender field is the scenario mailing's numeric code
    sender_is_cascade_code: bool
    #: ``bot``: the button action may be a bot command instead of a URL
    action_may_be_command: bool
    #: ``bulk``: fields the scenario mailing's own settings override when it sets them
    scenario_may_override: frozenset[DraftField]

    def enabled(self, field: DraftField | str) -> bool:
        return DraftField(field) in self.uses

    def address_for(self, find_token: bool) -> Address:
        """With find_token, push and bot are addressed by phone or e-mail, and the
        platform looks the token up."""
        if find_token and F.FIND_TOKEN in self.uses:
            return Address.PHONE_OR_EMAIL
        return self.address


def _build(t: MessageType) -> TypeRules:
    if t is MessageType.HLR:
        # a number lookup: nothing is shown to anyone, so no text, sender or charset
        uses = {F.TTL, F.SEND_AT, F.KANNEL_STATUS}
        content: tuple[DraftField, ...] = ()
    else:
        uses = {F.SENDER, F.TEXT, F.TTL, F.SEND_AT, F.CHARSET, F.KANNEL_STATUS}
        content = (F.TEXT,)
        if t.uses_html:
            uses.add(F.HTML_TEXT)
        if t.uses_button:
            uses |= {F.BUTTON, F.ACTION, F.IMAGE}
        if t in (MessageType.PUSH, MessageType.BOT):
            uses.add(F.FIND_TOKEN)
        if t is MessageType.EMAIL:
            content = (F.TEXT, F.HTML_TEXT)
        elif t in _IMAGE_IS_CONTENT:
            content = (F.TEXT, F.IMAGE)
    bulk = t is MessageType.BULK
    return TypeRules(
        type=t,
        address=t.address,
        uses=frozenset(uses),
        content_any_of=content,
        sender_is_cascade_code=bulk,
        action_may_be_command=t is MessageType.BOT,
        scenario_may_override=frozenset({F.BUTTON, F.ACTION, F.IMAGE}) if bulk else frozenset(),
    )


RULES: dict[MessageType, TypeRules] = {t: _build(t) for t in MessageType}


def rules_for(message_type: MessageType | str) -> TypeRules:
    return RULES[MessageType(message_type)]


def is_cascade_code(code: str) -> bool:
    """Digits only (ASCII: ``isdigit`` alone would let through ``²`` and ``٣``)."""
    return bool(code) and code.isascii() and code.isdigit()
