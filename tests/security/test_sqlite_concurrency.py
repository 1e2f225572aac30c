"""The embedded SQLite database takes concurrent writers: they queue, none gets "locked"."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.security.sqlite_writers import COMMENTS_EACH, WRITERS

PROJECT = Path(__file__).resolve().parents[2]


def test_concurrent_likes_and_comments_on_the_default_sqlite_database_all_succeed(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }

    finished = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.security.sqlite_writers"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )

    outcome = json.loads(finished.stdout.strip().splitlines()[-1])
    assert outcome == {
        "errors": [],
        "likes_count": WRITERS,
        "comments_count": WRITERS * COMMENTS_EACH,
        "journal_mode": "wal",
        "vendor": "sqlite",
    }
