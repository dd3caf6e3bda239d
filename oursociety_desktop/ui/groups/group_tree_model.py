"""The group tree as a Qt item model: name, kind and member count of every live group, nested by parent."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from oursociety_desktop.models.groups import GroupRow
from oursociety_desktop.ui.groups.labels import kind_labels

COL_NAME, COL_MEMBERS, COL_KIND = range(3)
GROUP_ID_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_ROW_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class RowHeightDelegate(QStyledItemDelegate):
    """Gives tree rows the same height as table rows, so the two panes line up."""

    def __init__(self, height: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.height = height

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), self.height))


class _Node:
    __slots__ = ("row", "parent", "children")

    def __init__(self, row: GroupRow | None, parent: _Node | None) -> None:
        self.row = row
        self.parent = parent
        self.children: list[_Node] = []


class GroupTreeModel(QAbstractItemModel):
    """Live groups nested by parent. A group whose parent is gone, or that sits in a loop (two hubs moved groups
    into each other at the same time), is shown at the top level so it is never lost from view."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Node(None, None)
        self._by_id: dict[str, _Node] = {}
        self._headers = (self.tr("Group"), self.tr("Members"), self.tr("Kind"))
        self._kinds = kind_labels()

    def load(self, rows: list[GroupRow]) -> None:
        """Replace the tree with these groups (as read by `models.groups.group_rows`, sorted by name)."""
        self.beginResetModel()
        self._root = _Node(None, None)
        self._by_id = {row.id: _Node(row, None) for row in rows}
        for node in self._by_id.values():
            assert node.row is not None
            parent = self._by_id.get(node.row.parent_id, self._root)
            if parent is not self._root and self._in_loop(node.row.id):
                parent = self._root
            node.parent = parent
            parent.children.append(node)
        self.endResetModel()

    def _in_loop(self, group_id: str) -> bool:
        seen = {group_id}
        node = self._by_id[group_id]
        while node.row is not None and node.row.parent_id in self._by_id:
            node = self._by_id[node.row.parent_id]
            assert node.row is not None
            if node.row.id in seen:
                return True
            seen.add(node.row.id)
        return False

    # ---- Qt model API ----

    def _node(self, index: _Index) -> _Node:
        if not index.isValid():
            return self._root
        node = index.internalPointer()
        assert isinstance(node, _Node)
        return node

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if not 0 <= row < len(node.children) or not 0 <= column < len(self._headers):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self._node(index).parent
        if node is None or node is self._root:
            return QModelIndex()
        assert node.parent is not None
        return self.createIndex(node.parent.children.index(node), 0, node)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._node(index).row
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.name, row.members, self._kinds.get(row.kind, row.kind))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.description or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_MEMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == GROUP_ID_ROLE:
            return row.id
        if role == GROUP_ROW_ROLE:
            return row
        return None

    # ---- lookups ----

    def index_of(self, group_id: str) -> QModelIndex:
        """The name-column index of a group (invalid when it is not shown)."""
        node = self._by_id.get(group_id)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.children.index(node), 0, node)

    def group(self, group_id: str) -> GroupRow | None:
        """The row of a shown group."""
        node = self._by_id.get(group_id)
        return node.row if node is not None else None

    def subtree_ids(self, group_id: str) -> set[str]:
        """A group and every group below it (what it cannot be moved into)."""
        out: set[str] = set()
        stack = [self._by_id[group_id]] if group_id in self._by_id else []
        while stack:
            node = stack.pop()
            assert node.row is not None
            out.add(node.row.id)
            stack.extend(node.children)
        return out

    def ordered(self) -> list[tuple[int, GroupRow]]:
        """Every group depth-first with its depth, as a parent chooser lists them."""
        out: list[tuple[int, GroupRow]] = []

        def walk(node: _Node, depth: int) -> None:
            for child in node.children:
                assert child.row is not None
                out.append((depth, child.row))
                walk(child, depth + 1)

        walk(self._root, 0)
        return out

    def all_ids(self) -> list[str]:
        """Every shown group's id."""
        return list(self._by_id)
