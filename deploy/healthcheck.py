"""Container health check without curl: GET http://127.0.0.1:$PORT<path>, exit 0 on 200."""

import os
import sys
import urllib.request

path = sys.argv[1] if len(sys.argv) > 1 else "/healthz"
url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}{path}"
try:
    with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - a fixed local URL
        sys.exit(0 if response.status == 200 else 1)
except OSError:
    sys.exit(1)
