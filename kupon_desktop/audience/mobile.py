"""Which phone numbers are not mobiles, for the channels that need one.

An SMS (and a Viber, WhatsApp, Telegram, VK or OK message, an MMS, an HLR request, a
cascade that starts with one of them) cannot reach a landline (``8 (495) 123-45-67``) or
a toll-free number (``8-800-…``): the platform may still bill it. The number type comes
from libphonenumber's metadata (``phonenumbers.number_type``), once per distinct number;
Russian mobiles, the bulk of any list, are told by the metadata's mobile pattern in one
vectorized pass first, so a million recipients cost one regex pass, not a million parses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kupon_desktop.vocabulary import MessageType

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
    from numpy.typing import NDArray

#: the channels whose message reaches only a mobile number
NEEDS_MOBILE = frozenset(
    {
        MessageType.SMS,
        MessageType.MMS,
        MessageType.VIBER,
        MessageType.WHATSAPP,
        MessageType.TELEGRAM,
        MessageType.VK,
        MessageType.OK,
        MessageType.HLR,
        MessageType.BULK,
    }
)

#: line kinds (``line_kinds``): 0 a mobile or a number that may be one (or no number)
MOBILE, FIXED_LINE, TOLL_FREE, OTHER = 0, 1, 2, 3
#: how each kind is named in a problem's parameters
KIND_NAMES = {FIXED_LINE: "fixed_line", TOLL_FREE: "toll_free", OTHER: "other"}


def _kind_of(digits: str) -> int:
    import phonenumbers
    from phonenumbers import PhoneNumberType as T

    try:
        number = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        return MOBILE  # not a number this check can judge: no warning
    kind = phonenumbers.number_type(number)
    if kind == T.FIXED_LINE:
        return FIXED_LINE
    if kind == T.TOLL_FREE:
        return TOLL_FREE
    if kind in (T.PREMIUM_RATE, T.SHARED_COST, T.UAN, T.VOICEMAIL, T.PAGER):
        return OTHER
    return MOBILE  # mobile, fixed line or mobile, personal, VoIP, unknown


def line_kinds(addresses: pa.Array) -> NDArray[np.int8]:
    """Per address (international digits, or anything else such as an e-mail), its
    line kind: :data:`MOBILE` unless the number is known to be something else."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(addresses)
    kinds = np.zeros(n, dtype=np.int8)
    if n == 0:
        return kinds
    digits_only = pc.fill_null(pc.match_substring_regex(addresses, r"^\d{7,15}$"), False)
    undecided = digits_only
    from kupon_desktop.contacts.phones import mobile_pattern

    pattern = mobile_pattern("RU")
    if pattern is not None:
        mobile = pc.fill_null(pc.match_substring_regex(addresses, pattern), False)
        undecided = pc.and_(digits_only, pc.invert(mobile))
    at = np.flatnonzero(undecided.to_numpy(zero_copy_only=False))
    if not len(at):
        return kinds
    encoded = pc.dictionary_encode(addresses.take(pa.array(at)))
    per_value = np.asarray([_kind_of(v) for v in encoded.dictionary.to_pylist()], dtype=np.int8)
    kinds[at] = per_value[encoded.indices.to_numpy(zero_copy_only=False)]
    return kinds
