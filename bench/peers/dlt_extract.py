"""One table through dlt's `sql_database` source into PostgreSQL, timed; prints one JSON line.

Run by bench/extract.ts from .venv-bench-dlt: the same source table the bench loads with the stage
asset, the same columns, into a dataset (schema) of the same PostgreSQL server. The time runs from
building the source (table reflection included) to `pipeline.run` returning, when the load package
is committed in the destination; importing dlt is timed apart.
"""

import argparse
import json
import os
import resource
import sys
import time

# dlt's telemetry would try to reach the internet; its progress bars would write to our stdout.
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")

started_import = time.perf_counter()
import dlt  # noqa: E402
from dlt.sources.sql_database import sql_database  # noqa: E402

import_s = time.perf_counter() - started_import


def sqlalchemy_url(url: str) -> str:
    """The bench's URLs (postgres://, mysql://) with the SQLAlchemy driver dlt reflects through."""
    scheme, rest = url.split("://", 1)
    driver = {"postgres": "postgresql+psycopg2", "postgresql": "postgresql+psycopg2", "mysql": "mysql+pymysql"}
    if scheme not in driver:
        raise SystemExit(f"unsupported source URL scheme {scheme!r}")
    return f"{driver[scheme]}://{rest}"


def with_password(url: str) -> str:
    """dlt's PostgreSQL credentials insist on a password; the bench's server trusts loopback and ignores it."""
    scheme, rest = url.split("://", 1)
    userinfo, at, host = rest.rpartition("@")
    if at and ":" not in userinfo:
        return f"{scheme}://{userinfo}:unused@{host}"
    return url


def cpu_seconds() -> float:
    """CPU time of this process (ConnectorX's threads included) and of any worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> int:
    """Peak resident memory of this process and of any worker processes dlt started (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) * 1024 / 1e6)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-url", required=True)
    parser.add_argument("--schema", default=None, help="the source table's schema (PostgreSQL)")
    parser.add_argument("--table", required=True)
    parser.add_argument("--columns", required=True, help="comma-separated, as the stage asset reads them")
    parser.add_argument("--destination-url", required=True)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--pipelines-dir", required=True)
    parser.add_argument("--backend", default="connectorx", choices=["connectorx", "pyarrow", "sqlalchemy"])
    parser.add_argument("--loader-file-format", default="parquet", choices=["parquet", "csv", "insert_values"])
    parser.add_argument("--chunk-size", type=int, default=100_000)
    args = parser.parse_args()
    columns = [name.strip() for name in args.columns.split(",") if name.strip()]

    def keep_columns(table):  # the stage asset reads these columns, not the whole table
        for column in list(table.columns):
            if column.name.lower() not in {name.lower() for name in columns}:
                table._columns.remove(column)
        return table

    # ConnectorX streams Arrow record batches of chunk_size instead of one table of every row.
    backend_kwargs = {"return_type": "arrow_stream", "batch_size": args.chunk_size} if args.backend == "connectorx" else None

    started = time.perf_counter()
    cpu_started = cpu_seconds()
    source = sql_database(
        sqlalchemy_url(args.source_url),
        schema=args.schema,
        table_names=[args.table],
        backend=args.backend,
        backend_kwargs=backend_kwargs,
        chunk_size=args.chunk_size,
        reflection_level="full_with_precision",
        table_adapter_callback=keep_columns,
    )
    pipeline = dlt.pipeline(
        pipeline_name=f"vitrina_bench_{args.dataset}",
        pipelines_dir=args.pipelines_dir,
        destination=dlt.destinations.postgres(credentials=with_password(args.destination_url)),
        dataset_name=args.dataset,
        progress=None,
    )
    info = pipeline.run(source, write_disposition="replace", loader_file_format=args.loader_file_format)
    info.raise_on_failed_jobs()
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started

    rows = pipeline.last_trace.last_normalize_info.row_counts.get(args.table, 0)
    json.dump(
        {
            "rows": rows,
            "seconds": seconds,
            "import_seconds": import_s,
            "cpu_seconds": cpu,
            "peak_rss_mb": peak_rss_mb(),
            "backend": args.backend,
            "loader_file_format": args.loader_file_format,
            "dlt_version": dlt.__version__,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
