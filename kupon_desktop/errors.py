"""The root of every failure the program expects: something a user can cause or fix.

::

    KuponError                      message(lang) in Russian or English
    ├── contacts.errors.ContactsError   a file that cannot be imported
    ├── compose.errors.ComposeError     a draft that cannot be rendered
    ├── audience.errors.AudienceError   a rule that cannot be applied
    ├── store.errors.LogError           the local log cannot be used
    ├── receiver.errors.ReceiverError   the status receiver cannot start
    ├── api.errors.KuponApiError        a request the client refuses to send
    └── campaign.errors.CampaignError   a campaign that cannot go on (and why it paused)

Anything else that escapes is a bug: the window sends it to the crash dialog, the
command line prints a traceback. The faces decide by the class (``isinstance(exc,
KuponError)``), never by a module's name, and show ``exc.message(lang)`` in their
interface language, never both languages at once.

A subclass either passes both texts to ``__init__`` or overrides ``message_en`` /
``message_ru``; a subclass that gives only one language shows it in both.
"""

from __future__ import annotations

__all__ = ["KuponError", "pick"]


def pick(lang: str, ru: str, en: str) -> str:
    """The text for the interface language ``lang`` ("ru", "en", or a locale name)."""
    return ru if lang.lower().startswith("ru") else en


class KuponError(Exception):
    """An expected failure, with its text in both interface languages."""

    def __init__(self, message_en: str = "", message_ru: str | None = None) -> None:
        super().__init__(message_en)
        self._en = message_en
        self._ru = message_ru

    @property
    def message_en(self) -> str:
        return self._en if getattr(self, "_en", "") else str(self)

    @property
    def message_ru(self) -> str:
        ru = getattr(self, "_ru", None)
        return ru if ru else self.message_en

    def message(self, lang: str) -> str:
        return pick(lang, self.message_ru, self.message_en)

    def __str__(self) -> str:
        en = getattr(self, "_en", "")
        return en if en else super().__str__()
