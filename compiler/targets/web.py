"""The plain web folder: the rendered site as is (progress in localStorage, no control file)."""
from __future__ import annotations

from ..model import Course
from .base import PackageOptions, Target, register, require_launch_page


@register
class WebTarget(Target):
    name = "web"
    control_file = None
    is_folder = True

    def package(self, course: Course, site: dict[str, bytes], options: PackageOptions) -> dict[str, bytes]:
        require_launch_page(site)
        return dict(site)
