"""Kupon.mobi wire format and the async client: the only place that knows field names,
endpoints and response JSON."""
