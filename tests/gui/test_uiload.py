"""The .ui loader makes Qt's widgets from Python (issue 19): the same widget tree as Qt's own form builder."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QFile, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QApplication, QWidget

from kim_desk.gui import uiload
from kim_desk.resources import resource_path


def _tree(root: QWidget) -> list[tuple[str, ...]]:
    """Every object under root: class, name, parent's name, window or not, its texts and geometry hints."""
    rows = []
    for obj in [root, *root.findChildren(QObject)]:
        parent = obj.parent()
        row = [type(obj).__name__, obj.objectName(), parent.objectName() if parent is not None else "-"]
        if isinstance(obj, QWidget):
            row += [str(obj.isWindow()), str(obj.isHidden()), str(obj.windowFlags()), str(obj.minimumSize())]
            row += [
                str(obj.property(name)) for name in ("text", "title", "placeholderText", "toolTip", "accessibleName")
            ]
        rows.append(tuple(row))
    return rows


def _load(loader: QUiLoader, name: str, parent: QWidget | None) -> QWidget:
    file = QFile(str(resource_path("ui", f"{name}.ui")))
    assert file.open(QIODevice.OpenModeFlag.ReadOnly)
    try:
        widget = loader.load(file, parent)
    finally:
        file.close()
    assert widget is not None
    return widget


def test_every_ui_file_builds_the_same_tree_as_qts_own_loader(qapp: QApplication) -> None:
    paths = QCoreApplication.libraryPaths()
    QCoreApplication.setLibraryPaths([])  # as uiload does: no Designer plug-ins
    try:
        ours, qts = uiload._Loader(), QUiLoader()
    finally:
        QCoreApplication.setLibraryPaths(paths)
    names = sorted(p.stem for p in resource_path("ui").glob("*.ui"))
    assert len(names) >= 19
    for name in names:
        for parent in (None, QWidget()):
            a, b = _load(ours, name, parent), _load(qts, name, parent)
            assert _tree(a) == _tree(b), name
            assert len(_tree(a)) > 3, name
