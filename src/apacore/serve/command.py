"""``apacore serve``: the service under uvicorn (docs/serve.md)."""

from __future__ import annotations

import os
import sys

from apacore.errors import ApacoreError
from apacore.serve import DEFAULT_MAX_BODY, DEFAULT_TIME_LIMIT

TYPE_CHECKING = False  # not imported from typing: the parser is built at every start
if TYPE_CHECKING:
    import argparse

__all__ = ["add_arguments", "run"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """``apacore serve``'s options."""
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--workers", type=int, default=1, help="processes (default: 1)")
    p.add_argument(
        "--token-file", help="a file holding the bearer token every /v1 request must carry"
    )
    p.add_argument(
        "--cors",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="let pages from ORIGIN call the service (repeat for more; default: none)",
    )
    p.add_argument("--decision-log", metavar="FILE", help="append one JSON line per decision")
    p.add_argument(
        "--max-body",
        type=int,
        default=DEFAULT_MAX_BODY,
        metavar="BYTES",
        help=f"largest request body (default: {DEFAULT_MAX_BODY}, 4 MiB)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        metavar="SECONDS",
        help=f"answer 503 after this long (default: {DEFAULT_TIME_LIMIT:g})",
    )


def _loopback(host: str) -> bool:
    """Whether ``host`` is an address only this machine reaches."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    """Run the service until it is stopped (Ctrl-C)."""
    import json

    from apacore.serve.config import ENV_CONFIG, read_token

    try:
        import litestar  # noqa: F401
        import uvicorn
    except ImportError as exc:
        raise ApacoreError(
            f"needs the serve extra: pip install 'apacore[serve]' ({exc.name} is missing)",
            where="serve",
        ) from None
    if args.workers < 1:
        raise ApacoreError(
            f"a number of processes, 1 or more; got {args.workers}", where="--workers"
        )
    if not 0 < args.port < 65536:
        raise ApacoreError(f"a port is 1 to 65535, got {args.port}", where="--port")
    if args.max_body < 1:
        raise ApacoreError(f"a number of bytes, 1 or more; got {args.max_body}", where="--max-body")
    if not args.time_limit > 0:
        raise ApacoreError(f"seconds, more than 0; got {args.time_limit}", where="--time-limit")
    read_token(args.token_file)  # read now, to fail before the server starts
    decision_log = os.path.abspath(args.decision_log) if args.decision_log else None
    if decision_log is not None:
        try:
            with open(decision_log, "a", encoding="utf-8"):
                pass
        except OSError as exc:
            raise ApacoreError(
                f"cannot write: {exc.strerror or exc}", where="--decision-log"
            ) from None
    if args.token_file is None and not _loopback(args.host):
        print(
            f"apacore serve: warning: listening on {args.host} without --token-file: anyone"
            " who can reach this machine can use the service",
            file=sys.stderr,
        )
    os.environ[ENV_CONFIG] = json.dumps(
        {
            "token_file": os.path.abspath(args.token_file) if args.token_file else None,
            "cors": list(args.cors),
            "decision_log": decision_log,
            "max_body": args.max_body,
            "time_limit": args.time_limit,
        }
    )
    print(
        f"apacore serve: http://{args.host}:{args.port}/ ({args.workers} worker"
        f"{'s' if args.workers > 1 else ''}; API at /v1, documents at /docs and /openapi.json)",
        file=sys.stderr,
    )
    uvicorn.run(
        "apacore.serve.app:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        server_header=False,
    )
    return 0
