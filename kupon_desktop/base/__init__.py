"""The contact base: one set of contacts kept in the local log, keyed by normalized phone
and e-mail, with lists, tags, saved segments and a consent ledger. No Qt.

* :mod:`.importing`: a file merged into a named list (added / updated / unchanged /
  rejected), each change kept with its date and file;
* :mod:`.segments`: saved conditions (fields, lists, tags, consent, campaign outcomes);
* :mod:`.audience`: a list or segment as the frames a campaign is planned from, with the
  ledger's consent as a column the audience rules read;
* :mod:`.retarget`: a campaign's group (clicked, read, undelivered...) saved as a list or
  a segment in one call;
* :mod:`.consent`: the ledger (given, withdrawn) and the proof a lawyer reads (XLSX);
* :mod:`.hygiene`: contacts whose last messages all failed, suggested for the stop list;
* :mod:`.results`: the funnel across campaigns, per channel, list/segment and period;
* :mod:`.command`: ``kupon-desktop base …``.

Everything reads and writes through :class:`~kupon_desktop.base.ports.BaseLog` (the
log implements it in ``kupon_desktop/store/base.py``, on SQLite or PostgreSQL; the team
server's base, reached over its API, in ``kupon_desktop/team/base.py``).
"""
