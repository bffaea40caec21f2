"""The Qt GUI: the only part of KIM Desk that imports PySide6.

The Qt-free modules behind the first window are imported here, before PySide6: once PySide6 is imported,
its import hook reads the whole source of every module imported after it (it looks for the word "PySide6"
for its `__feature__` switch), which cost about 40 ms of every start from source and kept the texts in
memory. The frozen app has no sources to read.
"""

import kim_desk.desk
import kim_desk.settings
import kim_desk.views.format
import kim_desk.views.jobs
import kim_desk.views.lists
import kim_desk.views.referrals  # noqa: F401 - for all of the lines above
