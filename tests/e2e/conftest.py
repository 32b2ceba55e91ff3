"""A real server and a real browser (Debian's Chromium driven by Playwright) for end-to-end journeys.

The server is a threaded WSGI server in this process on committed data (see `committed_db`); Chromium
resolves every *.localhost name to 127.0.0.1, so tenant sites are reached by their own host names.
"""

import threading

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def live_site(committed_db):
    """The platform served on 127.0.0.1 at a free port; yields a function building a site's base URL."""
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    # The finders' StaticFilesHandler (as StaticLiveServerTestCase): the stylesheet and scripts are served from
    # static/ without collectstatic, so the browser sees the pages as styled and scripted as in production.
    server.set_app(StaticFilesHandler(WSGIHandler()))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    yield lambda host: f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
