"""The plain web folder: the rendered site as is (progress in localStorage, no control file)."""
from __future__ import annotations

from ..model import Course
from .base import LAUNCH_PAGE, PackageOptions, Target, register


@register
class WebTarget(Target):
    name = "web"
    control_file = None
    is_folder = True

    def package(self, course: Course, site: dict[str, bytes], options: PackageOptions) -> dict[str, bytes]:
        if LAUNCH_PAGE not in site:
            raise ValueError(f"the rendered site has no {LAUNCH_PAGE}")
        return dict(site)
