"""The network of introductions, as a graph to draw: who is connected to whom, and who introduced them.

Nodes are the people in live connections (an erased or deleted person is left out, with their connections);
edges are the connections themselves and, for an introduction, a line from the introducer to each of the two
people. Each person carries the hub they came from and the first of their groups (A–Z), so a drawing can colour
by either.

Who is named: inside this hub (the window) everyone is shown by name, as in every other list of the hub. A drawing
that leaves the window (a PNG or PDF file, `network export`) names only people who agreed to appear in printed
lists (`include_in_directory`); everyone else is "a member of <hub>", as in lessons.

The layout is computed by networkx, one connected component at a time (a spring layout for each, components
packed on a grid, largest first), so 10,000 connections among 100,000 people, mostly small clusters, lay out in
seconds; it runs in a worker, never on the GUI thread.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx
from sqlalchemy import text
from sqlmodel import Session

from oursociety_desktop.i18n import _
from oursociety_desktop.models.choices import COLOUR_BY as COLOUR_BY
from oursociety_desktop.models.errors import Cancelled
from oursociety_desktop.models.lessons import hub_names, member_of
from oursociety_desktop.models.names import name_to_show

Progress = Callable[[int, str], bool | None]  # False asks to stop
Position = tuple[float, float]

EDGE_CONNECTION = "connection"
EDGE_INTRODUCER = "introducer"
# Components larger than this get fewer spring iterations: the layout stays seconds, not minutes.
LARGE_COMPONENT = 400
SMALL_COMPONENT = 8
ASPECT = 4 / 3
GAP = 0.6  # space between packed components, in units of a small component's width


@dataclass(frozen=True)
class NetworkPerson:
    """One person drawn: `label` is what the drawing may show (a name, or "a member of <hub>")."""

    id: str
    label: str
    hub_id: str
    hub: str
    group: str
    named: bool


@dataclass(frozen=True)
class NetworkEdge:
    """A line between two people: a connection (`kind` is its kind) or an introducer's line to one of the two
    people they introduced (`kind` "introducer")."""

    a: str
    b: str
    kind: str
    role: str = EDGE_CONNECTION


@dataclass
class NetworkGraph:
    """The people and lines of the network, ready to lay out."""

    people: dict[str, NetworkPerson] = field(default_factory=dict)
    edges: list[NetworkEdge] = field(default_factory=list)
    this_hub: str = ""

    @property
    def connection_count(self) -> int:
        """How many connections (not introducer lines) are drawn."""
        return sum(1 for e in self.edges if e.role == EDGE_CONNECTION)

    def find(self, words: str) -> list[str]:
        """Ids of the people whose label, group or hub contains every word typed (case and accents ignored)."""
        from oursociety_desktop.models.text import fold

        wanted = fold(words).split()
        if not wanted:
            return []
        return [p.id for p in self.people.values()
                if all(w in fold(f"{p.label} {p.group} {p.hub}") for w in wanted)]


def read_network(session: Session, this_hub: str, *, outside: bool = False) -> NetworkGraph:
    """The live connections and introductions as a graph. `outside`: the drawing leaves the window (a file), so
    people without consent to appear in printed lists are shown as "a member of <hub>"."""
    conn = session.connection()
    # Connections alone, then the people by id (CROSS JOIN keeps SQLite from scanning every contact first).
    rows = conn.execute(text(
        "SELECT k.contact_a, k.contact_b, k.kind, k.introduced_by FROM connection k "
        "WHERE k.deleted = 0 ORDER BY k.date, k.id")).all()
    ids: set[str] = set()
    for a, b, _kind, by in rows:
        ids.update((a, b))
        if by:
            ids.add(by)
    names = hub_names(session)
    people: dict[str, NetworkPerson] = {}
    if ids:
        conn.execute(text("CREATE TEMP TABLE IF NOT EXISTS network_ids (id TEXT PRIMARY KEY)"))
        conn.execute(text("DELETE FROM temp.network_ids"))
        conn.execute(text("INSERT OR IGNORE INTO temp.network_ids (id) VALUES (:id)"), [{"id": i} for i in ids])
        group_names: dict[str, str] = {str(r[0]): str(r[1]) for r in conn.execute(text(
            "SELECT id, name FROM contact_group WHERE deleted = 0"))}
        groups: dict[str, str] = {}
        for cid, gid in conn.execute(text(
                "SELECT m.contact_id, m.group_id FROM temp.network_ids n CROSS JOIN membership m "
                "ON m.contact_id = n.id WHERE m.deleted = 0")):
            name = group_names.get(gid)
            if name and (cid not in groups or name < groups[cid]):
                groups[cid] = name
        for cid, display, given, family, org, origin, directory in conn.execute(text(
                "SELECT c.id, c.display_name, c.given_name, c.family_name, c.organisation, c.origin_hub, "
                "c.include_in_directory FROM temp.network_ids n CROSS JOIN contact c ON c.id = n.id "
                "WHERE c.deleted = 0 AND c.erased = 0")):
            hub = names.get(origin, "")
            named = not outside or bool(directory)
            label = name_to_show(display, given, family, org) if named else member_of(hub)
            people[cid] = NetworkPerson(cid, label, origin, hub, groups.get(cid, ""), named)
        conn.execute(text("DELETE FROM temp.network_ids"))
    edges: list[NetworkEdge] = []
    for a, b, kind, by in rows:
        if a not in people or b not in people:
            continue  # a deleted or erased person takes their connections with them
        edges.append(NetworkEdge(a, b, kind))
        if by and by in people:
            edges.extend((NetworkEdge(by, a, kind, EDGE_INTRODUCER), NetworkEdge(by, b, kind, EDGE_INTRODUCER)))
    linked = {e.a for e in edges} | {e.b for e in edges}
    return NetworkGraph({k: v for k, v in people.items() if k in linked}, edges, this_hub)


# Colours that stay apart for most kinds of colour blindness (Okabe-Ito, then Tol's muted), grey for the rest.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288", "#882255",
           "#44AA99", "#999933", "#9A9A9A")
PALETTE_SIZE = len(PALETTE)
OTHER = "(other)"


def colour_keys(graph: NetworkGraph, by: str) -> dict[str, int]:
    """The palette index of each group (or hub) a drawing colours by: the most common first, up to
    PALETTE_SIZE; people in any other (or in none) share the last colour, keyed OTHER."""
    if by not in COLOUR_BY:
        raise ValueError(by)
    counts: dict[str, int] = {}
    for person in graph.people.values():
        key = person.group if by == "group" else person.hub
        if key:
            counts[key] = counts.get(key, 0) + 1
    top = sorted(counts, key=lambda k: (-counts[k], k))[:PALETTE_SIZE - 1]
    keys = {key: index for index, key in enumerate(top)}
    keys[OTHER] = PALETTE_SIZE - 1
    return keys


def colour_of(person: NetworkPerson, by: str, keys: dict[str, int]) -> int:
    """The palette index of one person."""
    key = person.group if by == "group" else person.hub
    return keys.get(key, keys[OTHER])


def _component_layout(nodes: list[str], graph: nx.Graph, seed: int) -> dict[str, Position]:
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        # Upright, like the threes: pairs side by side on a row must not read as one long chain.
        return {nodes[0]: (0.0, -0.4), nodes[1]: (0.0, 0.4)}
    sub = graph.subgraph(nodes)
    if len(nodes) <= SMALL_COMPONENT:
        return _small_layout(nodes, sub)
    iterations = 50 if len(nodes) <= LARGE_COMPONENT else 25
    # k: the ideal distance between neighbours; scale: the component's size grows with the square root of its
    # number of people, so a big cluster is drawn as dense as a small one.
    placed = nx.spring_layout(sub, k=1.0 / math.sqrt(len(nodes)), iterations=iterations, seed=seed,
                              scale=0.5 * math.sqrt(len(nodes)))
    return {node: (float(x), float(y)) for node, (x, y) in placed.items()}


def _small_layout(nodes: list[str], sub: nx.Graph) -> dict[str, Position]:
    """A few people, most of them the circles and stars an introducer makes: the best-connected person in the
    middle when everyone is linked to them, else everyone on a circle in the order a walk from them meets them
    (neighbours stay side by side). A spring layout per tiny cluster cost 2 ms each, 15 s for 10,000."""
    centre = max(nodes, key=lambda n: (sub.degree(n), n))
    if sub.degree(centre) == len(nodes) - 1:
        around = [n for n in nodes if n != centre]
        placed = {centre: (0.0, 0.0)}
        radius = 0.7
        # Nobody straight left of the middle (names run to the right, over the middle one's), except in a line.
        start = math.pi / 2 + (math.pi / len(around) if len(around) > 2 else 0.0)
    else:
        around = list(nx.bfs_tree(sub, centre))
        placed = {}
        radius = 0.3 + 0.08 * len(nodes)
        start = math.pi / 2
    for i, node in enumerate(around):
        angle = 2 * math.pi * i / len(around) + start
        placed[node] = (radius * math.cos(angle), radius * math.sin(angle))
    return placed


def layout_network(graph: NetworkGraph, progress: Progress | None = None, seed: int = 18) -> dict[str, Position]:
    """A position for every person: each connected component laid out on its own, then packed row by row,
    largest first. The same graph and seed give the same positions. Raises Cancelled if `progress` says so."""
    g = nx.Graph()
    g.add_nodes_from(sorted(graph.people))
    g.add_edges_from((e.a, e.b) for e in graph.edges if e.a in graph.people and e.b in graph.people)
    components = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    total = max(1, sum(len(c) for c in components))
    positions: dict[str, Position] = {}
    # Pack on rows so the whole drawing comes out about 4:3, like a screen or a landscape page.
    area = sum((_extent(len(c)) + GAP) ** 2 for c in components)
    row_width = max(4.0, math.sqrt(area * ASPECT) * 1.05)
    x = y = row_height = 0.0
    done = 0
    for index, nodes in enumerate(components):
        if progress is not None and index % 200 == 0 and progress(int(90 * done / total), _("Laying out")) is False:
            raise Cancelled(_("Cancelled; nothing was changed."))
        placed = _component_layout(nodes, g, seed + index)
        extent = _extent(len(nodes))
        if x > 0 and x + extent > row_width:
            x, y, row_height = 0.0, y + row_height + GAP, 0.0
        xs = [p[0] for p in placed.values()]
        ys = [p[1] for p in placed.values()]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        for node, (px, py) in placed.items():
            positions[node] = (x + extent / 2 + px - cx, y + extent / 2 + py - cy)
        x += extent + GAP
        row_height = max(row_height, extent)
        done += len(nodes)
    if progress is not None:
        progress(100, _("Laid out"))
    return positions


def _extent(size: int) -> float:
    """The width a component of `size` people takes (a spring layout's scale plus a margin)."""
    return 1.0 if size <= 2 else math.sqrt(size) + 0.5
