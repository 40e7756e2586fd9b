"""The cmi5 package: cmi5.xml per spec-sheet §5.1.

By default one AU per module, launching ``index.html?au=<module-id>`` with the module IRI as
its publisher id; ``--cmi5-au course`` gives one AU for the whole course.  The AU(s) holding
the deciding assessment (the post quizzes, or every scored quiz when there is no post) get
moveOn ``CompletedAndPassed`` and the mastery score; the others ``Completed``.  A cohort
build passes ``cohort=NAME`` as launchParameters.
"""
from __future__ import annotations

from urllib.parse import quote

from lxml import etree

from ..model import Course, Module, Quiz
from .base import LAUNCH_PAGE, PackageOptions, Target, register, require_launch_page
from .manifest import serialize
from .schemas import edition_files
from .scorm2004 import format_measure

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
CMI5_FILE = "cmi5.xml"
COURSE_AU_SUFFIX = "/course-au"  # publisher id of the single AU: {course id}/course-au


@register
class Cmi5Target(Target):
    name = "cmi5"
    control_file = CMI5_FILE

    def package(self, course: Course, site: dict[str, bytes], options: PackageOptions) -> dict[str, bytes]:
        require_launch_page(site)
        schema_files = edition_files(options.schemas, "cmi5") if options.schemas else {}
        return {**site, **schema_files, CMI5_FILE: cmi5_xml(course, options)}


def deciding_modules(course: Course) -> set[str]:
    """Ids of the modules whose quizzes decide passed/failed."""
    quizzes = [(m.id, b) for m in course.modules for b in m.blocks if isinstance(b, Quiz)]
    post = {m for m, quiz in quizzes if quiz.assessment == "post"}
    return post or {m for m, quiz in quizzes if quiz.assessment != "pre"}


def cmi5_xml(course: Course, options: PackageOptions) -> bytes:
    root = etree.Element(f"{{{CMI5_NS}}}courseStructure", nsmap={None: CMI5_NS})
    top = _sub(root, "course", id=course.id)
    _texts(top, course.title, course.description, course.language)
    deciding = deciding_modules(course) if course.mastery_score is not None else set()
    if options.cmi5_au == "course":
        _au(root, course, f"{course.id}{COURSE_AU_SUFFIX}", course.title, LAUNCH_PAGE, bool(deciding), options)
    else:
        for module in course.modules:
            _au(root, course, course.module_iri(module), module.title, module_url(module),
                module.id in deciding, options)
    return serialize(root)


def module_url(module: Module) -> str:
    return f"{LAUNCH_PAGE}?au={quote(module.id, safe='')}"


def _au(root, course: Course, iri: str, title: str, url: str, decides: bool, options: PackageOptions) -> None:
    au = _sub(root, "au", id=iri, moveOn="CompletedAndPassed" if decides else "Completed")
    if decides:
        au.set("masteryScore", format_measure(course.mastery_score))
    au.set("launchMethod", "AnyWindow")
    _texts(au, title, "", course.language)
    _sub(au, "url").text = url
    if options.cohort:
        _sub(au, "launchParameters").text = f"cohort={options.cohort}"


def _texts(parent, title: str, description: str, lang: str) -> None:
    for tag, text in (("title", title), ("description", description or title)):
        _sub(_sub(parent, tag), "langstring", lang=lang).text = text


def _sub(parent, tag: str, **attrs):
    return etree.SubElement(parent, f"{{{CMI5_NS}}}{tag}", **attrs)
