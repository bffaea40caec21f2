"""Load Qt Designer files from ui/ at runtime and translate their texts.

The .ui files hold plain German source text. After loading, every text is passed
through `_()`; the German source is kept in a dynamic property so that a live
language switch can translate again (`retranslate`).
"""

from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
    QWizardPage,
)

from kim_desk.gui.accessibility import plain
from kim_desk.i18n import _
from kim_desk.resources import resource_path

_LOADER: list[QUiLoader] = []  # one loader for the process, made on first use
# Qt's form builder makes a page of these without a parent and adds it to the container afterwards
_ADDS_PAGES = (QtWidgets.QTabWidget, QtWidgets.QStackedWidget, QtWidgets.QToolBox)
_PREFIX = "kd_src_"
_PLAIN = "kd_plain_name"  # the accessible name was made here from the text


def load_ui(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree of ui/<name>.ui, translated into the current UI language."""
    path = resource_path("ui", f"{name}.ui")
    if not path.is_file():
        raise FileNotFoundError(str(path))
    widget = _loader().load(str(path), parent)  # by name: no QFile in Python (its Python type, 6 enum classes)
    if widget is None:
        raise RuntimeError(f"cannot load {path}")
    retranslate(widget, remember=True)
    for view in widget.findChildren(QAbstractItemView):
        # Tab leaves a list or table (arrows move inside): with Tab moving from cell to cell a
        # keyboard user is trapped in a table of 100 rows (WCAG 2.1.2)
        view.setTabKeyNavigation(False)
    for text in widget.findChildren(QPlainTextEdit):
        text.setTabChangesFocus(True)  # the same for notes: Tab moves on instead of typing a tab
    return widget


class _Loader(QUiLoader):
    """Makes Qt's own widgets from Python, as Qt's form builder makes them (`new W(parent)`).

    A widget the builder makes in C++ reaches Python as a plain QWidget pointer, and to find its class PySide6
    sets up the Python type of every QWidget subclass it knows, dialogs and graphics views included: ~85 enum
    classes, 10-20 ms at the first load. Dialogs (which the builder reparents), Designer's "Line" and anything
    not in QtWidgets go the builder's own way.
    """

    def createWidget(self, class_name: str, parent: QWidget | None = None, name: str = "") -> QWidget:
        cls = getattr(QtWidgets, class_name, None) if class_name.startswith("Q") else None
        if not (isinstance(cls, type) and issubclass(cls, QWidget)) or issubclass(cls, QDialog):
            return super().createWidget(class_name, parent, name)
        widget: QWidget = cls(None if isinstance(parent, _ADDS_PAGES) else parent)
        widget.setObjectName(name)
        return widget


def _loader() -> QUiLoader:
    """A loader without Qt Designer's plugins: our .ui files use only Qt's own widgets, and the plugins
    shipped with PySide6 pull in Qt Quick and QML (15-35 ms and 9 MiB at the first load)."""
    if not _LOADER:
        paths = QCoreApplication.libraryPaths()
        QCoreApplication.setLibraryPaths([])  # the loader looks for plugins only while it is made
        try:
            _LOADER.append(_Loader())
        finally:
            QCoreApplication.setLibraryPaths(paths)
    return _LOADER[0]


def child(root: QWidget, cls: type, name: str):  # type: ignore[no-untyped-def]
    """The child named `name`; a missing one is a bug in the .ui file, so fail loudly."""
    found: object | None = root.findChild(cls, name)
    if found is None:
        raise LookupError(f"{name} ({cls.__name__}) missing in {root.objectName()}")
    return found


class _Texts:
    """Translates the German source of one property; only texts that came from a .ui file."""

    def __init__(self, remember: bool) -> None:
        self.remember = remember

    def __call__(self, obj: object, prop: str, current: str) -> str:
        key = _PREFIX + prop
        source = obj.property(key)  # type: ignore[attr-defined]
        if source is None:
            if not self.remember:
                return current  # set by code, which translates it itself
            source = current
            obj.setProperty(key, source)  # type: ignore[attr-defined]
        return _(source) if source else ""


def _plain_name(widget: QLabel | QAbstractButton) -> None:
    """A translated text with direction marks gets the same text without them as its accessible name."""
    if plain(widget.text()) != widget.text():
        widget.setAccessibleName(plain(widget.text()))
        widget.setProperty(_PLAIN, True)
    elif widget.property(_PLAIN):
        widget.setAccessibleName("")
        widget.setProperty(_PLAIN, None)


def retranslate(root: QWidget, *, remember: bool = False) -> None:
    """Translate the .ui texts of root and its children from their German source."""
    _translate = _Texts(remember)
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.windowTitle():
            widget.setWindowTitle(_translate(widget, "windowTitle", widget.windowTitle()))
        if widget.toolTip():
            widget.setToolTip(_translate(widget, "toolTip", widget.toolTip()))
        if widget.accessibleName():
            widget.setAccessibleName(_translate(widget, "accessibleName", widget.accessibleName()))
        if isinstance(widget, (QLabel, QAbstractButton)) and widget.text():
            widget.setText(_translate(widget, "text", widget.text()))
            _plain_name(widget)
        if isinstance(widget, (QLineEdit, QPlainTextEdit)) and widget.placeholderText():
            widget.setPlaceholderText(_translate(widget, "placeholderText", widget.placeholderText()))
        if isinstance(widget, QGroupBox) and widget.title():
            widget.setTitle(_translate(widget, "title", widget.title()))
        if isinstance(widget, QWizardPage):
            widget.setTitle(_translate(widget, "title", widget.title()))
            widget.setSubTitle(_translate(widget, "subTitle", widget.subTitle()))
        if isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                page = widget.widget(index)
                widget.setTabText(index, _translate(page, "tabText", widget.tabText(index)))
        if isinstance(widget, QListWidget):
            for row in range(widget.count()):
                item = widget.item(row)
                key = f"{_PREFIX}item{row}"
                source = widget.property(key)
                if source is None and remember:
                    source = item.text()
                    widget.setProperty(key, source)
                if source is not None:
                    item.setText(_(source))
    for action in root.findChildren(QAction):
        if action.text():
            action.setText(_translate(action, "text", action.text()))
