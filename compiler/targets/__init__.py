"""Package targets: one module per format behind ``base.Target``, the deterministic zip
writer and ``validate``.  Importing this package registers every format."""
from __future__ import annotations

from . import cmi5, scorm12, scorm2004, web, xapi  # noqa: F401  (registration)
from .base import LAUNCH_PAGE, PackageOptions, Target, get_target, target_names

__all__ = ["LAUNCH_PAGE", "PackageOptions", "Target", "get_target", "target_names"]
