"""The team server (``kupon-desktop server``): the team's callback receiver plus the
shared stop list, the team's campaigns and their statuses, per-user keys, roles,
approval before sending and an audit log, all in one store (a SQLite file or, for a
real team, PostgreSQL).

It is the receiver (:class:`kupon_desktop.receiver.server.Receiver`) with the team's
JSON API added to the same app (:mod:`.app`); :class:`.service.TeamServer` runs both on
the caller's loop, :mod:`.command` is the command line. Every API request carries
``Authorization: Bearer KEY``; see :mod:`.app` for the routes.
"""
