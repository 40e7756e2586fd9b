"""The xAPI (TinCan) package: tincan.xml per spec-sheet §4.

One course activity that carries the launch (``index.html``; the LMS appends endpoint,
auth, actor and registration) and one activity per module, listed flat.
"""
from __future__ import annotations

from lxml import etree

from ..model import Course
from ..vocabulary import ActivityType
from .base import LAUNCH_PAGE, PackageOptions, Target, register, require_launch_page
from .manifest import serialize

TINCAN_NS = "http://projecttincan.com/tincan.xsd"
TINCAN_FILE = "tincan.xml"


@register
class XapiTarget(Target):
    name = "xapi"
    control_file = TINCAN_FILE

    def package(self, course: Course, site: dict[str, bytes], options: PackageOptions) -> dict[str, bytes]:
        require_launch_page(site)
        return {**site, TINCAN_FILE: tincan_xml(course)}


def tincan_xml(course: Course) -> bytes:
    root = etree.Element(f"{{{TINCAN_NS}}}tincan", nsmap={None: TINCAN_NS})
    activities = etree.SubElement(root, f"{{{TINCAN_NS}}}activities")
    top = _activity(activities, course.id, ActivityType.COURSE, course.title, course.description, course.language)
    launch = etree.SubElement(top, f"{{{TINCAN_NS}}}launch", lang="und")
    launch.text = LAUNCH_PAGE
    for module in course.modules:
        _activity(activities, course.module_iri(module), ActivityType.MODULE, module.title, "", course.language)
    return serialize(root)


def _activity(parent, iri: str, kind: str, name: str, description: str, lang: str):
    activity = etree.SubElement(parent, f"{{{TINCAN_NS}}}activity", id=iri, type=kind)
    etree.SubElement(activity, f"{{{TINCAN_NS}}}name", lang=lang).text = name
    etree.SubElement(activity, f"{{{TINCAN_NS}}}description", lang=lang).text = description or name
    return activity
