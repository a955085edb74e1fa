"""The receiver's expected failures, each with a message an operator understands."""

from __future__ import annotations

from kupon_desktop.errors import KuponError


class ReceiverError(KuponError):
    """The receiver could not start."""


class PortInUse(ReceiverError):
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        super().__init__(
            f"Port {port} on {host} is already in use (another receiver, or another "
            f"program). Stop it, or choose another port with --port."
        )


class CannotListen(ReceiverError):
    def __init__(self, host: str, port: int, reason: str) -> None:
        self.host, self.port = host, port
        super().__init__(f"Cannot listen on {host} port {port}: {reason}.")


class BadSecret(ReceiverError):
    def __init__(self) -> None:
        super().__init__(
            "The receiver's secret must be 1 to 128 letters, digits, '-' or '_' (it goes "
            "into the callback URL); 16 or more make it hard to guess."
        )
