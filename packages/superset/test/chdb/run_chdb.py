"""Runs ClickHouse statements on chdb (a current ClickHouse engine, in-process) for the tests.

JSON in on stdin:
  {"statements": [{"sql": "...", "data_base64": "...", "database": "db", "settings": {"k": "v"},
                   "format": "TabSeparated"}, ...]}
  - sql: the statement as ClickHouse's HTTP interface takes it (the `query` parameter or the body);
  - data_base64 (optional): the request body sent after a `query` parameter, e.g. the TabSeparated
    rows of an `INSERT … FORMAT TabSeparated`; ClickHouse's HTTP server reads `query + "\n" + body`,
    so the statement run here is exactly that;
  - database (optional): the `database` parameter: `USE` it first;
  - settings (optional): settings sent as URL parameters: `SET` for this statement, then back to default;
  - format (optional): the output format when the statement names none (HTTP's default is TabSeparated).

JSON lines out on stdout, so no single document outgrows what the reader can hold as one string:
  {"chdb": "4.4.0", "chdb_core": "26.9.0", "clickhouse": "<select version()>"}
  then one line per statement, in order: {"ok": true, "output": "...", "ms": 1.2} | {"ok": false, "error": "..."}

Every statement runs in one session in a temporary folder, removed at the end. Whatever the engine
prints goes to stderr: stdout carries the JSON alone.
"""

import base64
import json
import os
import re
import shutil
import sys
import tempfile
import time
from importlib import metadata


def main() -> int:
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # the engine's own prints go to stderr
    request = json.load(sys.stdin)
    from chdb import session as chdb_session  # noqa: PLC0415 (after the redirect)

    folder = tempfile.mkdtemp(prefix="vitrina-chdb-")
    try:
        session = chdb_session.Session(folder)
        try:
            header = {
                "chdb": metadata.version("chdb"),
                "chdb_core": metadata.version("chdb-core"),
                "clickhouse": session.query("SELECT version()", "TabSeparated").bytes().decode().strip(),
            }
            out.write(json.dumps(header) + "\n")
            for result in run(session, request.get("statements", [])):
                out.write(json.dumps(result) + "\n")
            out.flush()
        finally:
            session.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def literal(value: str) -> str:
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def run(session, statements):
    """Yields each statement's result as it runs."""
    current = "default"
    for statement in statements:
        started = time.perf_counter()
        sql = statement["sql"]
        if "data_base64" in statement:
            sql = sql + "\n" + base64.b64decode(statement["data_base64"]).decode("utf-8")
        settings = statement.get("settings") or {}
        try:
            database = statement.get("database") or "default"
            if database != current:
                session.query(f"USE {database}")
                current = database
            for name, value in settings.items():
                session.query(f"SET {name} = {literal(value)}")
            try:
                output = session.query(sql, statement.get("format") or "TabSeparated").bytes()
            finally:
                for name in settings:
                    session.query(f"SET {name} = DEFAULT")
            yield {
                "ok": True,
                "output": output.decode("utf-8", errors="replace"),
                "ms": round((time.perf_counter() - started) * 1000, 2),
            }
        except Exception as error:  # noqa: BLE001 (the error is the answer)
            yield {"ok": False, "error": str(error).strip()[:4000]}


if __name__ == "__main__":
    sys.exit(main())
