"""A desk's side of the team server (``kupon-desktop server``): an async client of its
JSON API (:mod:`.client`) and what a desk does with it on its local log (:mod:`.desk`):
pull the team's stop list into the local one (remembering the version and when), push
its own additions, register campaigns and ask their approval, report the platform ids
it was given, and pull its campaigns' statuses into the local log. :mod:`.base` is the
team's contact base behind the base's own interface (``base/ports.py``).

The campaign workflow (``campaign/session.py``) calls it before and while sending; the
window and the command line never call it directly for sending.
"""
