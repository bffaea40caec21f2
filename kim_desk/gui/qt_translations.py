"""Qt's own texts (standard buttons, file and print dialogs) in the UI language, where Qt ships them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from kim_desk import i18n

_INSTALLED = "_kim_desk_qt_translators"  # kept on the application object, which owns them


def install_qt_translations(app: QCoreApplication, lang: str) -> bool:
    """Replace the Qt translations of the previous language; True when Qt has one for `lang`."""
    for old in getattr(app, _INSTALLED, []):
        app.removeTranslator(old)
    QLocale.setDefault(QLocale(i18n.babel_locale(lang).language))
    translator = QTranslator(app)
    found = translator.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    installed = [translator] if found and app.installTranslator(translator) else []
    setattr(app, _INSTALLED, installed)
    return bool(installed)
