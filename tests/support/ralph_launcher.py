"""Start Ralph 5.1.0 (fs backend) under uvicorn, with two gaps of that backend worked around.

Test code only, run with Ralph's own interpreter (.venv-ralph): ``python ralph_launcher.py PORT``.
- The fs backend writes with the CREATE operation, so only the first POST into an empty store
  succeeds: the default operation becomes APPEND.
- The ``activity`` filter compares a parsed IRI object with plain strings and never matches:
  the IRI is turned back into a string first.
Everything else (voiding ignored, since/until on ``timestamp``, oldest first) is left as it is:
coursec's client must stay correct against such an LRS.
"""
import os
import sys

# This folder holds tests/support/ralph.py, which would shadow the ``ralph`` package.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import uvicorn  # noqa: E402
from ralph.backends.data.base import BaseOperationType  # noqa: E402
from ralph.backends.data.fs import FSDataBackend  # noqa: E402
from ralph.backends.lrs.fs import FSLRSBackend  # noqa: E402

FSDataBackend.default_operation_type = BaseOperationType.APPEND
_filter_by_activity = FSLRSBackend._add_filter_by_activity


def _filter_by_activity_text(filters, object_id, related):
    return _filter_by_activity(filters, str(object_id) if object_id else object_id, related)


FSLRSBackend._add_filter_by_activity = staticmethod(_filter_by_activity_text)

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
