"""What a web process would otherwise do on its first requests, done once before it serves.

A fresh process spent 0.3 s on its first Discover (templates compiled, translations read), 0.5 s
on its first Nearby (the gazetteer read) and 0.7 s on its first search (jieba's dictionary):
after every start and after gunicorn replaces a worker (max_requests). The URL configuration
(which imports every view) took another 0.1 s. gunicorn.conf.py loads
the application in its master and calls warm() there, before any worker is forked, so every
worker starts with all of it (and shares its memory until it writes to it).

Nothing here opens a connection (database, Redis): a socket made before a fork would be
shared by every worker.

Then the master freezes what it holds (gc.freeze): a full collection in a worker walked every
object of the dictionary and the gazetteer, 0.24 s a time, at random requests; frozen, they are
never walked (11 ms), and the pages they sit on stay shared with the master.
"""

import gc
import logging
from pathlib import Path

import jieba
from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

from core import places

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt")


def _template_dirs() -> list[Path]:
    """The folders our templates are found in (the project's and our apps'), not those of the
    libraries' (the admin's, DRF's), which staff pages compile when first asked for."""
    base = Path(settings.BASE_DIR).resolve()
    dirs: list[Path] = []
    for engine in engines.all():
        for loader in engine.engine.template_loaders:
            for inner in getattr(loader, "loaders", [loader]):
                for folder in inner.get_dirs():
                    path = Path(folder).resolve()
                    if path.is_relative_to(base) and ".venv" not in path.parts and path.is_dir():
                        dirs.append(path)
    return list(dict.fromkeys(dirs))


def templates_compile() -> int:
    """Compile every template of ours into the engine's cached loader; returns how many."""
    compiled = 0
    for folder in _template_dirs():
        for path in sorted(folder.rglob("*")):
            if path.suffix not in TEMPLATE_SUFFIXES:
                continue
            name = path.relative_to(folder).as_posix()
            for engine in engines.all():
                try:
                    engine.get_template(name)
                except TemplateSyntaxError:
                    logger.exception("The template %s does not compile", name)
                else:
                    compiled += 1
    return compiled


def languages_load() -> None:
    """Per shipped language, its catalogue (gettext reads one on first use) and the URL
    patterns' reverse lookup (built per language on the first reverse()); the URL
    configuration imports every view module on the way."""
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Discover")
            resolver.reverse_dict  # noqa: B018 - built on first access


def warm() -> None:
    """Everything above, the gazetteer and the word cutter's dictionary: about a second."""
    places.cities_biggest(country_codes=None, limit=1)
    jieba.initialize()
    languages_load()
    compiled = templates_compile()
    logger.info("Warmed up: places, words, languages, URLs and %d templates", compiled)


def before_fork() -> None:
    """What a server's master does once, before it forks its workers (gunicorn.conf.py; the
    bench measures its in-process pages in the same state): warm(), then gc.freeze(). A
    failed warm-up is logged, and the site served anyway: cold workers are slow at first,
    not broken."""
    try:
        warm()
    except Exception:
        logger.exception("The warm-up failed; workers warm up on their first requests")
    gc.freeze()
