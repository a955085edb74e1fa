"""A stand-in Kupon.mobi platform on loopback: the demo mode and the ground truth of the
tests. It follows the documented behaviour and misbehaves on purpose when told to.

``config``      ``SimulatorConfig``, ``FaultRates``, ``Outcome``, ``DEMO_TOKEN``
``runner``      ``start``/``serve`` in a running loop, ``SimulatorThread`` for the window
``server``      the aiohttp application and its routes
``validation``  reading a request and the platform's Russian refusals
``lifecycle``   accepted messages, their statuses, the balance
``callbacks``   calling the callback URL with the documented retries
``scheduler``   one timer heap for every pending step
``command``     ``kupon-desktop simulator``
"""
