"""The demo has lessons, stories, offers, needs and hours in every culture its people come from."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from oursociety_desktop.models import demo_names as N
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.models.health import check_database


def test_the_demo_has_the_learning_network_in_every_culture(db: Database) -> None:
    made = generate_demo(db, 400, seed=5, today=date(2026, 6, 1))
    assert made["lesson"] >= 2 * len(N.CULTURES) and made["offer"] and made["need"] and made["hours"]
    with db.read() as session:
        conn = session.connection()
        themes = {r[0] for r in conn.execute(text("SELECT t.value FROM lesson l, json_each(l.themes) t"))}
        kinds = {r[0] for r in conn.execute(text("SELECT kind FROM lesson"))}
        assert {culture for culture, *_ in N.CULTURES} <= themes
        assert "story" in kinds and len(kinds) >= 3
        scripts = [r[0] for r in conn.execute(text("SELECT title FROM lesson"))]
        assert any("ł" in t or "ż" in t for t in scripts) and any("\u0600" <= ch <= "\u06ff" for t in scripts
                                                                  for ch in t)
        assert conn.execute(text("SELECT COUNT(*) FROM lesson_search")).scalar_one() == made["lesson"]
        assert conn.execute(text("SELECT COUNT(*) FROM hours_total")).scalar_one() > 0
        assert check_database(conn).sound
