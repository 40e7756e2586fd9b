"""SCORM 2004 4th Edition: imsmanifest.xml per spec-sheet §2.1–2.2, single SCO.

The item's sequencing says the content sets completion and satisfaction; with a mastery
score, a primary objective satisfied by measure carries it as ``minNormalizedMeasure``
(which the LMS passes on as ``cmi.scaled_passing_score``).
"""
from __future__ import annotations

from lxml import etree

from ..model import Course
from .base import PackageOptions, register
from .manifest import ScormTarget, launch_data

IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
PRIMARY_OBJECTIVE = "course_mastery"


@register
class Scorm2004Target(ScormTarget):
    name = "scorm2004"
    edition = "scorm2004"
    schema_version = "2004 4th Edition"
    namespaces = {None: IMSCP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS,
                  "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
    schema_locations = (
        f"{IMSCP} imscp_v1p1.xsd {ADLCP} adlcp_v1p3.xsd {ADLSEQ} adlseq_v1p3.xsd "
        f"{ADLNAV} adlnav_v1p3.xsd {IMSSS} imsss_v1p0.xsd"
    )
    scormtype_attr = f"{{{ADLCP}}}scormType"

    def item_extensions(self, item, course: Course, options: PackageOptions) -> None:
        data = launch_data(options)
        if data:
            etree.SubElement(item, f"{{{ADLCP}}}dataFromLMS").text = data
        sequencing = etree.SubElement(item, f"{{{IMSSS}}}sequencing")
        if course.mastery_score is not None:
            objectives = etree.SubElement(sequencing, f"{{{IMSSS}}}objectives")
            primary = etree.SubElement(objectives, f"{{{IMSSS}}}primaryObjective")
            primary.set("objectiveID", PRIMARY_OBJECTIVE)
            primary.set("satisfiedByMeasure", "true")
            measure = etree.SubElement(primary, f"{{{IMSSS}}}minNormalizedMeasure")
            measure.text = format_measure(course.mastery_score)
        delivery = etree.SubElement(sequencing, f"{{{IMSSS}}}deliveryControls")
        delivery.set("completionSetByContent", "true")
        delivery.set("objectiveSetByContent", "true")


def format_measure(value: float) -> str:
    """A decimal without float noise (0.8 -> "0.8", 1 -> "1.0")."""
    return repr(round(float(value), 4))
