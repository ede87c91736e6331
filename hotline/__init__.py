"""The hotline desk's core: models, rules, services, search, reports and the command line.

Nothing in this package imports Qt; the desktop app in ``ui/`` calls into it.
"""

from hotline.lazy_drivers import import_peewee

__version__ = "0.1.0"

import_peewee()
