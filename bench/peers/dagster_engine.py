"""Dagster's side of `pnpm bench engine`: the same synthetic graph, materialised by Dagster.

bench/engine.ts writes the graph (keys, deps, partition days) to a JSON file and runs this script
once per storage, each in its own process so that its peak memory is that storage's alone:

    python dagster_engine.py run GRAPH.json memory|sqlite|postgres|postgres-pooled PARTITIONS [ASSETS]
    python dagster_engine.py graph10k GRAPH.json

It prints one JSON object on stdout, as its last line; Dagster's own logs go to stderr.
"""

import json
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from importlib.metadata import version

import dagster as dg


def asset_key(key: str) -> dg.AssetKey:
    return dg.AssetKey(key.split("."))


def no_op_asset(spec: dict, partitions_def) -> dg.AssetsDefinition:
    @dg.asset(
        key=asset_key(spec["key"]),
        deps=[asset_key(dep) for dep in spec["deps"]],
        group_name=spec["group"],
        partitions_def=partitions_def,
        code_version="v1",
    )
    def _no_op() -> None:
        return None

    return _no_op


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux; children count where Dagster spawned any.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def postgres_database():
    """A temporary database on the bench's PostgreSQL, created here and dropped by the caller."""
    import psycopg2

    name = f"vitrina_bench_dagster_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        # A run killed at its timeout leaves its database: drop those whose process is gone.
        cursor.execute("select datname from pg_database where datname like 'vitrina_bench_dagster_%'")
        for (leftover,) in cursor.fetchall():
            if not os.path.exists(f"/proc/{leftover.split('_')[3]}"):
                cursor.execute(f"drop database if exists {leftover} with (force)")
        cursor.execute(f"create database {name}")

    def drop() -> None:
        with admin.cursor() as cursor:
            cursor.execute(f"drop database if exists {name} with (force)")
        admin.close()

    return name, drop


def open_instance(storage: str, home: str):
    if storage == "memory":
        return dg.DagsterInstance.ephemeral(tempdir=home), lambda: None
    if storage == "sqlite":
        # An empty dagster.yaml in DAGSTER_HOME: Dagster's default persistent (SQLite) storage.
        open(os.path.join(home, "dagster.yaml"), "w").close()
        return dg.DagsterInstance.from_config(home), lambda: None
    name, drop = postgres_database()
    with open(os.path.join(home, "dagster.yaml"), "w") as config:
        config.write(
            "storage:\n  postgres:\n    postgres_db:\n      username: postgres\n"
            f"      password: ''\n      hostname: 127.0.0.1\n      db_name: {name}\n      port: 5432\n"
            # SQLAlchemy 2.1 reads plain postgresql:// as psycopg 3; dagster-postgres brings psycopg2.
            "      scheme: postgresql+psycopg2\n"
        )
    try:
        instance = dg.DagsterInstance.from_config(home)
        if storage == "postgres-pooled":
            # dagster-postgres opens a connection per statement (NullPool) unless told to keep one.
            instance.optimize_for_webserver(statement_timeout=0, pool_recycle=3600, max_overflow=20)
    except BaseException:
        drop()
        raise
    return instance, drop


def run(graph: dict, storage: str, partitions: int, count: int) -> dict:
    days = graph["days"]
    end = date.fromisoformat(days[-1]) + timedelta(days=1)
    partitions_def = dg.DailyPartitionsDefinition(
        start_date=days[0], end_date=end.isoformat(), timezone=graph["timezone"]
    )
    keys = partitions_def.get_partition_keys()
    if keys != days:
        raise SystemExit(f"Dagster's partitions {keys} are not the graph's days {days}")
    started = time.perf_counter()
    # The assets are in layer order and read only the layer before: a prefix is a whole graph.
    assets = [no_op_asset(spec, partitions_def) for spec in graph["assets"][:count]]
    job_def = dg.define_asset_job("bench", selection=dg.AssetSelection.all())
    job = dg.Definitions(assets=assets, jobs=[job_def]).resolve_job_def("bench")
    build_ms = (time.perf_counter() - started) * 1000

    home = tempfile.mkdtemp(prefix="vitrina-bench-dagster-")
    os.environ["DAGSTER_HOME"] = home
    instance, drop = open_instance(storage, home)
    try:
        steps = 0
        runs_ms = []
        # The latest days, one run each (Dagster runs one partition per run of these assets).
        for day in days[-partitions:]:
            started = time.perf_counter()
            result = job.execute_in_process(partition_key=day, instance=instance)
            runs_ms.append(round((time.perf_counter() - started) * 1000, 2))
            if not result.success:
                raise SystemExit(f"Dagster's run of {day} failed")
            steps += len(result.get_step_success_events())
        run_ms = sum(runs_ms)
    finally:
        instance.dispose()
        drop()
        shutil.rmtree(home, ignore_errors=True)
    return {
        "storage": storage,
        "assets": len(assets),
        "partitions": partitions,
        "steps": steps,
        "build_ms": round(build_ms, 2),
        "run_ms": round(run_ms, 2),
        "runs_ms": runs_ms,
        "overhead_ms_per_step": round(run_ms / steps, 3),
        "peak_rss_mb": peak_rss_mb(),
    }


def graph10k(graph: dict) -> dict:
    started = time.perf_counter()
    assets = [no_op_asset(spec, None) for spec in graph["assets_10k"]]
    asset_graph = dg.Definitions(assets=assets).resolve_asset_graph()
    ms = (time.perf_counter() - started) * 1000
    if len(asset_graph.get_all_asset_keys()) != len(graph["assets_10k"]):
        raise SystemExit("Dagster's asset graph lost assets")
    return {"assets": len(assets), "graph_10k_ms": round(ms, 2), "peak_rss_mb": peak_rss_mb()}


def main() -> None:
    command, graph_file = sys.argv[1], sys.argv[2]
    with open(graph_file) as file:
        graph = json.load(file)
    if command == "run":
        count = int(sys.argv[5]) if len(sys.argv) > 5 else len(graph["assets"])
        result = run(graph, sys.argv[3], int(sys.argv[4]), count)
    elif command == "graph10k":
        result = graph10k(graph)
    else:
        raise SystemExit(f"unknown command {command}")
    result["version"] = version("dagster")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
