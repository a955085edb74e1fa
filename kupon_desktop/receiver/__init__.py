"""The callback receiver: the HTTP endpoint the platform calls with each message's status.

It stores every valid callback in the log's ``status_events`` (answering 200 only after
the commit) and serves the stored events as a feed for windows that cannot be called
directly. It never applies them to recipients: whoever shows or acts on statuses does
(``Log.apply_status_events``), so the receiver stays small and fast, and runs the same
on a desk or on a server.

Three ways to run it, one implementation (``server.Receiver`` on an asyncio loop):

* ``ReceiverThread(db_path, host=..., port=..., secret=None, feed_key=None,
  busy_timeout=10, max_connections=None, header_timeout=10)`` in ``runner``: its own
  loop in a daemon thread; ``start() -> callback base URL``, ``stop()``,
  ``callback_base``, ``feed_url``, ``port``, ``secret``, ``feed_key``;
* ``kupon-desktop receiver --port P --db PATH [--host H] [--secret S] [--feed-key K]``
  (also ``python -m kupon_desktop receiver …``): its own process, first line of output
  the callback base URL, until Ctrl+C or SIGTERM;
* ``Receiver`` itself inside an existing loop: ``await start()`` / ``await stop()``.

The callback URL a message carries: ``<callback base>/<campaign id>/<recipient key>?id=
{id}&status={status}`` (the engine builds it); see ``app`` for the routes and answers,
and ``gate`` for the connection limits (a cap on open connections, a deadline for a new
connection's request headers) that keep slow or idle clients from exhausting it.
"""
