"""A throw-away Spark Connect server for tests: the ``SparkConnectServer`` class of the jar pyspark ships
(``jars/spark-connect_2.13-<version>.jar``), started with pyspark's own ``spark-submit`` on a free port,
``local[N]``; stopped (the whole process group) when the context ends."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def connect_server(cores: int = 2, memory: str = "1g", timeout: float = 300) -> Iterator[str]:
    """Start a server; yield its URL ``sc://localhost:<port>``."""
    import pyspark

    home = Path(pyspark.__file__).parent
    if not any((home / "jars").glob("spark-connect_*.jar")):
        raise RuntimeError(f"pyspark at {home} ships no spark-connect jar")
    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="storeops-connect-", suffix=".log", delete=False)
    env = {**os.environ, "SPARK_HOME": str(home), "PYSPARK_PYTHON": os.environ.get("PYSPARK_PYTHON", "python3")}
    cmd = [
        str(home / "bin" / "spark-submit"),
        "--class",
        SERVER_CLASS,
        "--name",
        "storeops test Connect server",
        "--master",
        f"local[{cores}]",
        "--driver-memory",
        memory,
        "--conf",
        f"spark.connect.grpc.binding.port={port}",
        "--conf",
        "spark.connect.grpc.binding.address=127.0.0.1",
        "--conf",
        "spark.ui.enabled=false",
        "--conf",
        "spark.sql.session.timeZone=UTC",
        "--conf",
        "spark.sql.shuffle.partitions=4",
        "--conf",
        f"spark.sql.warehouse.dir={tempfile.gettempdir()}/storeops-connect-warehouse-{port}",
    ]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not _accepts(port):
            if proc.poll() is not None:
                raise RuntimeError(f"the Spark Connect server exited: {Path(log.name).read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Spark Connect server did not listen in {timeout:.0f} s")
            time.sleep(0.5)
        yield f"sc://localhost:{port}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
        os.unlink(log.name)
