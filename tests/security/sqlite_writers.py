"""Run as a program: many threads write to one SQLite file configured as the embedded default.

tests/security/test_sqlite_concurrency.py starts it in a fresh process with DATABASE_URL naming a
temporary SQLite file, so the database is built by community/settings.py exactly as the default
one is (a file: the in-memory test database cannot use WAL). Prints what happened as JSON.
"""

import json
import os
import sys
import threading

WRITERS = 8
COMMENTS_EACH = 5


class NoMigrations(dict):
    def __contains__(self, app_label: object) -> bool:
        return True

    def __getitem__(self, app_label: object) -> None:
        return None


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from notes import services
    from notes.models import Note
    from tests.factories import NoteFactory, UserFactory

    # As in the test suite: tables straight from the models, fast password hashing.
    settings.MIGRATION_MODULES = NoMigrations()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", run_syncdb=True, verbosity=0)
    note = NoteFactory(images=0)
    readers = [UserFactory() for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    errors: list[str] = []

    def write(reader: object) -> None:
        try:
            start.wait()
            services.note_like(actor=reader, note_id=note.pk)
            for index in range(COMMENTS_EACH):
                services.comment_create(author=reader, note_id=note.pk, body=f"Comment {index}")
        except Exception as error:  # every failure is the finding
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(reader,)) for reader in readers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    note = Note.objects.get(pk=note.pk)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    outcome = {
        "errors": errors,
        "likes_count": note.likes_count,
        "comments_count": note.comments_count,
        "journal_mode": journal_mode,
        "vendor": connection.vendor,
    }
    sys.stdout.write(json.dumps(outcome) + "\n")


if __name__ == "__main__":
    main()
