"""WSGI entry point.

Once the application is loaded, every object it made (modules, settings, URL patterns,
templates compiled at start …) is moved out of the garbage collector's reach
(``gc.freeze()``): they live as long as the process, and a full collection that walks them
all costs a request several hundred milliseconds on a page that builds a few thousand rows
(measured on a province's list pages). With ``--preload`` (``manage.py serve``) this
happens once in gunicorn's master, before the workers fork, which also keeps the frozen
pages shared between the workers.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings.prod")
application = get_wsgi_application()
gc.collect()
gc.freeze()
