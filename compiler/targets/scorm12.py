"""SCORM 1.2: imsmanifest.xml per spec-sheet §1.1 (IMS CP 1.1.2 + ADL CP 1.2)."""
from __future__ import annotations

from lxml import etree

from ..model import Course
from .base import PackageOptions, register
from .manifest import ScormTarget, launch_data

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"


@register
class Scorm12Target(ScormTarget):
    name = "scorm12"
    edition = "scorm12"
    schema_version = "1.2"
    namespaces = {None: IMSCP, "adlcp": ADLCP, "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
    schema_locations = (
        f"{IMSCP} imscp_rootv1p1p2.xsd "
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
        f"{ADLCP} adlcp_rootv1p2.xsd"
    )
    scormtype_attr = f"{{{ADLCP}}}scormtype"

    def item_extensions(self, item, course: Course, options: PackageOptions) -> None:
        data = launch_data(options)
        if data:
            etree.SubElement(item, f"{{{ADLCP}}}datafromlms").text = data
        if course.mastery_score is not None:
            etree.SubElement(item, f"{{{ADLCP}}}masteryscore").text = str(mastery_percent(course.mastery_score))


def mastery_percent(mastery_score: float) -> int:
    """The 0..1 mastery score as SCORM 1.2's integer 0..100."""
    return int(round(mastery_score * 100))
