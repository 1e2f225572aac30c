"""The warm-up gunicorn's master runs before it forks its workers (community.warmup)."""

import gc
import runpy
from pathlib import Path

import jieba
import pytest
from django.conf import settings
from django.template import engines

from community import warmup
from core import places


@pytest.fixture
def cold(monkeypatch):
    """A process that has compiled no template and read no gazetteer yet."""
    places._gazetteer.cache_clear()
    places._by_population.cache_clear()
    for engine in engines.all():
        for loader in engine.engine.template_loaders:
            loader.reset()
    monkeypatch.setattr(jieba.dt, "initialized", False)


def _cached_template_names() -> set[str]:
    names = set()
    for engine in engines.all():
        for loader in engine.engine.template_loaders:
            names |= set(getattr(loader, "get_template_cache", {}))  # keyed by name
    return names


def test_warm_up_reads_the_gazetteer_and_the_word_dictionary(cold):
    # when
    warmup.warm()
    # then
    assert places._gazetteer.cache_info().currsize == 1
    assert places._by_population.cache_info().currsize == 1
    assert jieba.dt.initialized


def test_warm_up_compiles_every_template_of_ours_and_none_of_the_admins(cold):
    # given
    ours = {
        path.relative_to(settings.BASE_DIR / "templates").as_posix()
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
    }
    # when
    compiled = warmup.templates_compile()
    # then
    cached = _cached_template_names()
    assert ours <= cached
    assert compiled >= len(ours)
    assert "admin/base.html" not in cached


def test_the_production_server_loads_the_site_once_and_prepares_it_before_forking(monkeypatch):
    # given
    calls = []
    monkeypatch.setattr(warmup, "before_fork", lambda: calls.append("before_fork"))
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    # when
    config["when_ready"](server=None)
    # then
    assert config["preload_app"] is True
    assert calls == ["before_fork"]


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_before_fork_warms_and_freezes_what_the_master_holds(monkeypatch, unfrozen):
    # given
    calls = []
    monkeypatch.setattr(warmup, "warm", lambda: calls.append("warm"))
    # when
    warmup.before_fork()
    # then
    assert calls == ["warm"]
    assert gc.get_freeze_count() > 0


def test_a_failed_warm_up_still_lets_the_server_start(monkeypatch, unfrozen, caplog):
    # given
    def broken() -> None:
        raise OSError("no room for the places file")

    monkeypatch.setattr(warmup, "warm", broken)
    # when
    warmup.before_fork()
    # then
    assert "The warm-up failed" in caplog.text
    assert gc.get_freeze_count() > 0
