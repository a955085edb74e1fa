"""The message draft: type, sender or cascade code, text with ``{column}`` placeholders,
HTML, button/action/image, ttl, send date, charset; per-type checks; SMS length.

No Qt here: the Message page and ``kupon-desktop send --dry-run`` both call this.

- :class:`Draft` — what the user composed (``to_dict``/``from_dict`` for JSON).
- :func:`check` — every :class:`Problem` with a draft for a contact list.
- :func:`render` — one :class:`Rendered` message per recipient; :func:`summarize`.
- :func:`sms_length` — characters, encoding and segments of one text.
- :func:`rules_for` — what a message type needs and sends.
- :class:`DraftStore` (drafts and templates), :class:`CascadeCodeBook` (named codes).

Contacts are passed as two frames in the same row order, as
``kupon_desktop.contacts`` makes them: ``contacts`` (``row``, ``phone``, ``email``,
``push_token``) and ``fields`` (the file's other columns by header).
"""

from kupon_desktop.compose.cascade import CascadeCode, CascadeCodeBook, validate_cascade_code
from kupon_desktop.compose.check import check, is_bot_command, is_web_url
from kupon_desktop.compose.draft import Draft, normalize_charset
from kupon_desktop.compose.errors import (
    ComposeError,
    DraftFormatError,
    DraftNotFound,
    InvalidCascadeCode,
    TemplateSyntaxError,
    UnknownPlaceholder,
)
from kupon_desktop.compose.placeholders import (
    CompiledTemplate,
    Placeholder,
    compile_template,
    escape_literal,
    placeholder_text,
)
from kupon_desktop.compose.problems import Problem, Severity, has_blocking
from kupon_desktop.compose.render import Rendered, RenderSummary, render, render_one, summarize
from kupon_desktop.compose.rules import DraftField, TypeRules, is_cascade_code, rules_for
from kupon_desktop.compose.sms import GSM7, UCS2, SmsLength, sms_length
from kupon_desktop.compose.store import AUTOSAVE, DraftStore, SavedDraft, drafts, templates

__all__ = [
    "AUTOSAVE",
    "GSM7",
    "UCS2",
    "CascadeCode",
    "CascadeCodeBook",
    "CompiledTemplate",
    "ComposeError",
    "Draft",
    "DraftField",
    "DraftFormatError",
    "DraftNotFound",
    "DraftStore",
    "InvalidCascadeCode",
    "Placeholder",
    "Problem",
    "RenderSummary",
    "Rendered",
    "SavedDraft",
    "Severity",
    "SmsLength",
    "TemplateSyntaxError",
    "TypeRules",
    "UnknownPlaceholder",
    "check",
    "compile_template",
    "drafts",
    "escape_literal",
    "has_blocking",
    "is_bot_command",
    "is_cascade_code",
    "is_web_url",
    "normalize_charset",
    "placeholder_text",
    "render",
    "render_one",
    "rules_for",
    "sms_length",
    "summarize",
    "templates",
    "validate_cascade_code",
]
