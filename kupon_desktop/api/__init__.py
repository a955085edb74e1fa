"""Kupon.mobi wire format and the async client: the only place that knows field names,
endpoints and response JSON.

Modules (import them directly; this package imports nothing, so that reading the
vocabulary in ``models`` does not load httpx):

``models``    message types, statuses with labels and ranks, charsets
``outgoing``  ``Envelope`` (campaign-level fields) and ``OutgoingMessage`` (one message)
``results``   ``ResultKind`` (SUCCESS, ERROR, NOT_SENT, UNKNOWN) and ``SendResult``
``errors``    ``KuponApiError``, ``ValidationError``, ``ClientClosed``
``wire``      field names, request bodies, reading answers; the undocumented guesses
``client``    ``KuponClient``: ``send_message`` and ``send_list_messages``
"""
