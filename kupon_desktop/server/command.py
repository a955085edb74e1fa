"""``kupon-desktop server``: run the team server, and manage its users, policy and audit.

::

    kupon-desktop server --database URL_OR_PATH --port P [--host H] [--cert F --key F]
    kupon-desktop server users add NAME --role sender|approver|viewer [--key-fd N]
    kupon-desktop server users revoke NAME
    kupon-desktop server users list
    kupon-desktop server policy [--approve-over N | --no-limit] [--approve-advertising |
                                 --no-approve-advertising]
    kupon-desktop server audit [--json]

``--database`` (or the environment variable ``KUPON_DATABASE``, which keeps a password
off the command line) is a store: a SQLite file path or a ``postgresql://`` URL.
A new user's key is shown once (standard output, or the file descriptor ``--key-fd``)
and only its hash is stored.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

HELP = "run the team server (shared stop list, campaigns, approval, statuses); users, audit"

DEFAULT_PORT = 8443
ROLES = ("sender", "approver", "viewer")
ENV_DATABASE = "KUPON_DATABASE"


def _database(parser: argparse.ArgumentParser, *, top: bool) -> None:
    parser.add_argument(
        "--database",
        metavar="URL_OR_PATH",
        # on the subcommands it must not overwrite one given before them
        default=None if top else argparse.SUPPRESS,
        help=f"the team's store: a SQLite file or postgresql://… (default: ${ENV_DATABASE})",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = (
        "HTTPS: give --cert and --key (PEM files). Without them the server speaks plain "
        "HTTP: only behind a reverse proxy that terminates HTTPS (nginx, Caddy), listening "
        "on 127.0.0.1 — the user keys and callbacks must never cross a network in clear."
    )
    _database(parser, top=True)
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address the platform and the desks reach the server by, behind a reverse "
        "proxy (e.g. https://team.example.ru); the callbacks the desks ask for start with it",
    )
    parser.add_argument("--cert", metavar="FILE", help="TLS certificate chain (PEM)")
    parser.add_argument("--key", metavar="FILE", help="TLS private key (PEM)")
    sub = parser.add_subparsers(dest="server_command", metavar="COMMAND")

    users = sub.add_parser("users", help="add, revoke and list the team's users")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser("add", help="add a user and print its key once")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument(
        "--key-fd",
        type=int,
        metavar="N",
        help="write the key to this open file descriptor instead of standard output",
    )
    _database(add, top=False)
    revoke = users_sub.add_parser("revoke", help="revoke a user's key at once")
    revoke.add_argument("name")
    _database(revoke, top=False)
    listing = users_sub.add_parser("list", help="list the users and their roles")
    _database(listing, top=False)

    policy = sub.add_parser("policy", help="show or set which campaigns need approval")
    over = policy.add_mutually_exclusive_group()
    over.add_argument(
        "--approve-over",
        type=int,
        metavar="N",
        help="a campaign of more than N recipients needs an approver's approval",
    )
    over.add_argument("--no-limit", action="store_true", help="no approval for size")
    adv = policy.add_mutually_exclusive_group()
    adv.add_argument(
        "--approve-advertising",
        action="store_true",
        default=None,
        help="an advertising campaign needs an approver's approval",
    )
    adv.add_argument("--no-approve-advertising", dest="approve_advertising", action="store_false")
    _database(policy, top=False)

    audit = sub.add_parser("audit", help="print the audit log: who did what, when")
    audit.add_argument("--json", action="store_true", help="one JSON object per line")
    _database(audit, top=False)


def _fail(text: str, code: int = 1) -> int:
    print(f"kupon-desktop server: {text}", file=sys.stderr)
    return code


def shown_database(database: str) -> str:
    """The store's name without a password (for messages)."""
    from urllib.parse import urlsplit, urlunsplit

    if "://" not in database:
        return database
    parts = urlsplit(database)
    if parts.password is None:
        return database
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _admin() -> str:
    """Who did it, for the audit log, when done on the server's own command line."""
    import getpass

    try:
        return f"admin:{getpass.getuser()}"
    except Exception:  # no user name in this environment
        return "admin"


def run(args: argparse.Namespace) -> int:
    from kupon_desktop.errors import KuponError

    database = args.database or os.environ.get(ENV_DATABASE)
    if not database:
        return _fail(f"give --database (a SQLite file or postgresql://…) or set {ENV_DATABASE}", 2)
    try:
        if args.server_command is None:
            return _serve(args, database)
        from kupon_desktop.store.log import open_log

        with open_log(database) as team:
            if args.server_command == "users":
                return _users(args, team)
            if args.server_command == "policy":
                return _policy(args, team)
            return _audit(args, team)
    except KuponError as exc:
        return _fail(str(exc))


def _users(args: argparse.Namespace, team: Any) -> int:
    import secrets

    if args.users_command == "add":
        key = "kt_" + secrets.token_urlsafe(32)
        try:
            team.team_add_user(args.name, args.role, key, by=_admin())
        except ValueError as exc:
            return _fail(str(exc))
        if args.key_fd is not None:
            try:
                with os.fdopen(args.key_fd, "w", closefd=False) as out:
                    out.write(key + "\n")
            except OSError as exc:
                return _fail(f"could not write the key to descriptor {args.key_fd}: {exc}")
        else:
            print(key, flush=True)
        print(
            f"user {args.name} ({args.role}) added; the key above is shown only now: give it "
            "to the user (Settings → Team server); only its hash is kept",
            file=sys.stderr,
        )
        return 0
    if args.users_command == "revoke":
        if not team.team_revoke_user(args.name, by=_admin()):
            return _fail(f"no active user {args.name!r}")
        print(f"user {args.name} revoked: its key is refused from now on", file=sys.stderr)
        return 0
    for user in team.team_users():
        state = "active" if user.revoked_at is None else "revoked"
        print(f"{user.name}\t{user.role}\t{state}")
    return 0


def _policy(args: argparse.Namespace, team: Any) -> int:
    from kupon_desktop.store.team import Policy

    now = team.team_policy()
    if args.approve_over is not None and args.approve_over < 0:
        return _fail("--approve-over must be 0 or more", 2)
    if args.approve_over is not None or args.no_limit or args.approve_advertising is not None:
        over = (
            None
            if args.no_limit
            else (args.approve_over if args.approve_over is not None else now.approve_over)
        )
        adv = (
            now.approve_advertising
            if args.approve_advertising is None
            else (args.approve_advertising)
        )
        now = Policy(over, adv)
        team.team_set_policy(now, by=_admin())
    over_text = "no limit" if now.approve_over is None else f"over {now.approve_over} recipients"
    print(
        f"approval needed: {over_text}; advertising: {'yes' if now.approve_advertising else 'no'}"
    )
    return 0


def _audit(args: argparse.Namespace, team: Any) -> int:
    import json

    for entry in team.team_audit():
        if args.json:
            print(json.dumps(entry.as_json(), ensure_ascii=False))
        else:
            row = entry.as_json()
            print(f"{row['at']}\t{row['user']}\t{row['action']}\t{row['object']}\t{row['detail']}")
    return 0


def _serve(args: argparse.Namespace, database: str) -> int:
    import asyncio
    import ssl

    if not 0 <= args.port <= 65535:
        return _fail(f"port {args.port} is not a port (0 to 65535)", 2)
    if (args.cert is None) != (args.key is None):
        return _fail("give both --cert and --key for HTTPS, or neither", 2)
    context = None
    if args.cert is not None:
        from kupon_desktop.server.service import ssl_context

        try:
            context = ssl_context(args.cert, args.key)
        except (OSError, ssl.SSLError) as exc:
            return _fail(f"cannot use the certificate {args.cert} and key {args.key}: {exc}")
    return asyncio.run(_serve_async(args, database, context))


async def _serve_async(args: argparse.Namespace, database: str, context: Any) -> int:
    import asyncio
    import contextlib
    import signal

    from kupon_desktop.server.service import TeamServer

    server = TeamServer(
        database, host=args.host, port=args.port, ssl=context, public_url=args.public_url
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
    base = await server.start()
    try:
        print(base, flush=True)
        if context is None:
            print(
                "note: plain HTTP: run it behind a reverse proxy that serves HTTPS",
                file=sys.stderr,
            )
        print(
            f"team server on {base}, store {shown_database(database)}\n"
            f"callbacks: {args.public_url or base}/callback/<secret>/… (the desks learn the "
            "secret from the server)\npress Ctrl+C to stop",
            file=sys.stderr,
            flush=True,
        )
        await stop.wait()
    finally:
        await server.stop()
    return 0
