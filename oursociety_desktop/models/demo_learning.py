"""Demo data for the mutual learning network: lessons and stories, offers, needs and hours, in every culture the
demo's people come from (some written in the community's own language and script), attached to people of that
culture. Deterministic for a seed; written in bulk with SQLAlchemy Core inside the demo's transaction."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.models import demo_names as N
from oursociety_desktop.models.bulk import insert_rows
from oursociety_desktop.models.demo_rows import uuid4_text
from oursociety_desktop.models.lessons import refresh_lesson_index
from oursociety_desktop.models.tables import Hours, HoursTotal, Lesson, LessonPerson, Need, Offer

# culture -> (lesson: title, challenge, worked, advice, theme), (story title), (offer, theme), (need, theme)
CONTENT: dict[str, dict[str, tuple[str, ...]]] = {
    "english": {"lesson": ("Tea first, agenda second", "Meetings felt cold and few came back",
                           "Ten minutes of tea and names before the agenda", "Learn everyone's name", "meetings"),
                "story": ("How the bus shelter became a library",),
                "offer": ("Bike repair on Saturday mornings: punctures, brakes, gears", "cycling"),
                "need": ("My bike brakes need repair, I cycle to work", "cycling")},
    "irish": {"lesson": ("Ceol agus caint: music brings the older men out", "Older men would not come to talks",
                         "A trad session with a short talk in the break", "Start with what people love", "elders"),
              "story": ("Seán's fiddle and the first Friday session",),
              "offer": ("Fiddle and tin whistle lessons for beginners", "music"),
              "need": ("Someone to teach tin whistle to the youth club", "music")},
    "polish": {"lesson": ("Dyżur w sobotę działa lepiej niż w tygodniu", "Mało osób przychodziło w tygodniu",
                          "Sobotni dyżur z kawą i pomocą w pismach", "Pytaj ludzi, kiedy mają czas", "advice"),
               "story": ("Jak Małgorzata założyła bibliotekę sąsiedzką",),
               "offer": ("Pomoc w tłumaczeniu pism z urzędu, polski i angielski", "translation"),
               "need": ("Potrzebuję pomocy z pismem z urzędu, tłumaczenie", "translation")},
    "urdu": {"lesson": ("خواتین کے لیے الگ وقت رکھیں", "Women did not come to mixed sessions",
                        "A women-only hour with childcare", "Ask the women's circle first", "women"),
             "story": ("سلائی کلب کی کہانی",),
             "offer": ("سلائی سکھا سکتی ہوں، sewing lessons and a sewing machine to lend", "making"),
             "need": ("School uniform repair and sewing help", "making")},
    "arabic": {"lesson": ("الطبخ معًا يبني الثقة", "New families felt alone and did not speak up",
                          "Cooking together once a month, each family brings a dish", "Food opens doors", "food"),
               "story": ("مطبخ الحي: من خمس عائلات إلى خمسين",),
               "offer": ("طبخ للمناسبات، halal cooking for big community events", "food"),
               "need": ("Cooks for the Eid community meal, halal food", "food")},
    "somali": {"lesson": ("Homework club needs parents in the room", "Children came but parents stayed away",
                          "Inviting mothers to sit in, with tea and Somali translation",
                          "Make parents part of it", "youth"),
               "story": ("Caawinta casharrada: the homework club story",),
               "offer": ("Maths tutoring for secondary school, Somali or English", "education"),
               "need": ("Maths tutoring for my son, GCSE", "education")},
    "greek": {"lesson": ("Ο κήπος χρειάζεται πρόγραμμα ποτίσματος", "The shared garden dried out every August",
                         "A watering rota with a paper sheet on the shed door", "Write the rota down", "growing"),
              "story": ("Η ιστορία του κοινοτικού κήπου",),
              "offer": ("Βοήθεια στον κήπο, vegetable gardening and allotment digging", "growing"),
              "need": ("Help to dig our allotment and start vegetable beds", "growing")},
    "chinese": {"lesson": ("先问需要什么，再开始活动", "Our events were not what elders wanted",
                           "A listening tea where elders told us what they needed", "Listen before you plan",
                           "elders"),
                "story": ("太极班的故事",),
                "offer": ("教太极拳 Tai chi in the park for older people", "health"),
                "need": ("Gentle exercise class for elders, tai chi", "health")},
    "bengali": {"lesson": ("কাগজপত্রের সাহায্য সপ্তাহে একদিন", "Benefits letters piled up unopened",
                           "A weekly drop-in with a volunteer who reads letters with people",
                           "Go through letters together", "money"),
                "story": ("রুকসানার গল্প: the advice drop-in",),
                "offer": ("Help filling in benefits forms, Bengali and Sylheti", "money"),
                "need": ("Help with benefits forms and a letter from the council", "money")},
    "romanian": {"lesson": ("Atelierul de reparații aduce oamenii împreună", "People threw away broken things",
                            "A monthly repair café with tools and tea", "Fix things together", "repair"),
                 "story": ("Povestea atelierului de reparații",),
                 "offer": ("Reparații de laptopuri, fixing old laptops and installing Linux", "digital"),
                 "need": ("Old laptop is very slow, can someone fix it", "digital")},
    "caribbean": {"lesson": ("Dominoes night keeps the elders connected", "Elders were isolated in winter",
                             "A weekly dominoes and soup night", "Keep it regular, same night each week",
                             "elders"),
                  "story": ("Marcia's Windrush stories evening",),
                  "offer": ("Lifts to hospital appointments, I have a car on weekdays", "transport"),
                  "need": ("A lift to the hospital for a weekday appointment", "transport")},
    "nigerian": {"lesson": ("Job clubs work when employers come in", "CV workshops led to few jobs",
                            "Inviting local employers to mock interviews", "Bring the employers to you", "work"),
                 "story": ("Ngozi's first job through the hub",),
                 "offer": ("Help writing a CV and practising for job interviews", "work"),
                 "need": ("Practice for a job interview and a CV check", "work")},
}
KINDS = ("lesson learned", "how-to", "warning")


def live_people(conn: Connection) -> list[tuple[str, str, str]]:
    """(id, family name, locality) of the hub's live contacts: read before the demo adds its own, which it knows."""
    return [(cid, family, locality) for cid, family, locality in conn.exec_driver_sql(
        "SELECT id, family_name, locality FROM contact WHERE deleted = 0")]


def _people_by_culture(people: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, str]]]:
    """(id, locality) of live contacts per culture, known by family name (the demo's name pools), in id order."""
    culture_of: dict[str, str] = {}
    for culture, _givens, families, _languages in N.CULTURES:
        for family in families:
            culture_of.setdefault(family, culture)
    found: dict[str, list[tuple[str, str]]] = {c: [] for c in CONTENT}
    for cid, family, locality in sorted(people):
        known = culture_of.get(family, "")
        if known in found:
            found[known].append((cid, locality))
    return found


def generate_learning_demo(conn: Connection, hub_id: str, stamp: Callable[[], str], contacts: int, seed: int,
                           group_ids: list[str], today: date, live: list[tuple[str, str, str]]) -> dict[str, int]:
    """Add lessons, stories, offers, needs and hours for a demo of `contacts` people, attached to `live` people
    ((id, family name, locality) of every live contact). Returns counts per type."""
    rng = random.Random(seed * 7919 + 18)  # its own stream: the people's generation may change independently
    people = _people_by_culture(live)
    everyone = [p for pool in people.values() for p in pool]
    made = {"lesson": 0, "lesson_person": 0, "offer": 0, "need": 0, "hours": 0}
    if not everyone:
        return made
    rounds = max(1, contacts // 400)
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in made}

    def envelope() -> dict[str, Any]:
        s = stamp()
        return {"id": uuid4_text(rng.getrandbits(128)), "base_stamp": s, "stamps": {}, "deleted": False}

    for round_index in range(rounds):
        for culture, content in CONTENT.items():
            pool = people[culture] or everyone
            title, challenge, worked, advice, theme = content["lesson"]
            for kind_index, (kind, lesson_title) in enumerate((
                    (rng.choice(KINDS), title), ("story", content["story"][0]))):
                numbered = lesson_title if round_index == 0 else f"{lesson_title} ({round_index + 1})"
                lesson = {**envelope(), "title": numbered,
                          "kind": kind, "challenge": challenge if kind_index == 0 else "",
                          "tried": "", "worked": worked if kind_index == 0 else "", "not_worked": "",
                          "advice": advice if kind_index == 0 else "", "themes": [theme, culture],
                          "place": pool[0][1], "date": (today - timedelta(days=rng.randrange(900))).isoformat(),
                          "group_id": rng.choice(group_ids) if group_ids and rng.random() < 0.5 else "",
                          "action_id": "", "share_with_hubs": rng.random() < 0.7}
                rows["lesson"].append(lesson)
                for cid, _locality in rng.sample(pool, min(len(pool), rng.randrange(1, 3))):
                    rows["lesson_person"].append({**envelope(), "lesson_id": lesson["id"], "contact_id": cid,
                                                  "named": rng.random() < 0.6, "hub_name": ""})
            for table, (body, theme_of) in (("offer", content["offer"]), ("need", content["need"])):
                for _ in range(max(1, contacts // (20 * len(CONTENT) * rounds))):
                    cid, locality = rng.choice(pool)
                    rows[table].append({
                        **envelope(), "contact_id": cid, "kind": "skill" if table == "offer" else "help",
                        "text": body, "themes": [theme_of], "locality": locality,
                        "availability": rng.choice(("weekends", "evenings", "mornings", "saturdays", "")),
                        "until": "" if rng.random() < 0.8 else (today + timedelta(days=rng.randrange(30, 365))
                                                                ).isoformat()})
            for _ in range(max(2, contacts // (10 * len(CONTENT) * rounds))):
                cid, _locality = rng.choice(pool)
                rows["hours"].append({
                    **envelope(), "contact_id": cid, "kind": "given" if rng.random() < 0.85 else "pledged",
                    "hours": float(rng.choice((1, 1.5, 2, 2.5, 3, 4, 6))), "action_id": "",
                    "group_id": rng.choice(group_ids) if group_ids else "",
                    "date": (today - timedelta(days=rng.randrange(365))).isoformat(), "note": ""})
    for table, cls in (("lesson", Lesson), ("lesson_person", LessonPerson), ("offer", Offer), ("need", Need),
                       ("hours", Hours)):
        if rows[table]:
            insert_rows(conn, cls, rows[table])
        made[table] = len(rows[table])
    conn.execute(text("UPDATE lesson_person SET hub_name = (SELECT name FROM hub LIMIT 1) WHERE hub_name = ''"))
    _monthly_totals(conn, hub_id, stamp)
    refresh_lesson_index(conn)
    return made


def _monthly_totals(conn: Connection, hub_id: str, stamp: Callable[[], str]) -> None:
    from oursociety_desktop.models.hours import total_id

    totals = conn.execute(text(
        "SELECT substr(date, 1, 7), SUM(CASE WHEN kind = 'given' THEN hours ELSE 0 END), "
        "SUM(CASE WHEN kind = 'pledged' THEN hours ELSE 0 END), "
        "COUNT(DISTINCT CASE WHEN kind = 'given' THEN contact_id END) FROM hours "
        "WHERE deleted = 0 AND origin_hub = :hub GROUP BY 1"), {"hub": hub_id}).all()
    conn.execute(text("DELETE FROM hours_total WHERE hub_id = :hub"), {"hub": hub_id})
    rows = []
    for month, given, pledged, count in totals:
        s = stamp()
        rows.append({"id": total_id(hub_id, month), "base_stamp": s, "stamps": {},
                     "deleted": False, "hub_id": hub_id, "month": month, "given": round(float(given), 2),
                     "pledged": round(float(pledged), 2), "people": int(count)})
    if rows:
        insert_rows(conn, HoursTotal, rows)



