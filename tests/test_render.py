"""render_site: the files of a site from a course model, deterministic and escaped."""
from __future__ import annotations

import json
import re

import pytest

from compiler.diagnostics import CourseError
from compiler.render import LrsSettings, RenderOptions, render_site
from compiler.render.config import runtime_config
from compiler.render.theme import ThemeStack
from compiler.state_budget import text_cap
from tests.support import course_models as cm


def config_of(files: dict[str, bytes]) -> dict:
    script = files["assets/coursec.js"].decode("utf-8")
    match = re.search(r"^window\.COURSEC_CONFIG = (.*);$", script, re.M)
    return json.loads(match.group(1))


def test_site_has_launch_page_runtime_and_theme_and_is_deterministic(tmp_path):
    course = cm.tiny_course(tmp_path)
    first = render_site(course, RenderOptions(target="scorm12"))
    second = render_site(cm.tiny_course(tmp_path), RenderOptions(target="scorm12"))
    assert first == second
    assert {"index.html", "assets/coursec.js", "assets/theme.css"} <= set(first)
    html = first["index.html"].decode("utf-8")
    assert '<html lang="en">' in html and "<title>Tiny empathy course</title>" in html


def test_no_request_leaves_the_package(tmp_path):
    files = render_site(cm.tiny_course(tmp_path), RenderOptions(target="web"))
    html = files["index.html"].decode("utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "@import" not in files["assets/theme.css"].decode() and "url(http" not in files["assets/theme.css"].decode()


def test_author_html_is_escaped_and_headings_shift(tmp_path):
    lesson = cm.lesson("evil", "Title <b>bold</b>", "## Inside\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    course = cm.tiny_course(tmp_path, modules=(cm.module("m", "Module & co", [lesson]),))
    html = render_site(course, RenderOptions(target="web"))["index.html"].decode("utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Title &lt;b&gt;bold&lt;/b&gt;" in html and "Module &amp; co" in html
    assert "<h3>Inside</h3>" in html and '<h2 id="h-m-evil">' in html
    assert "<table>" in html


def test_text_fields_are_capped_to_the_state_budget(tmp_path):
    html = render_site(cm.tiny_course(tmp_path), RenderOptions(target="scorm12"))["index.html"].decode()
    assert f'maxlength="{text_cap(60)}"' in html  # the reflection (max 60 words)
    assert f'maxlength="{text_cap(80)}"' in html  # the artifact (max 80 words)
    assert "Hello, I can see you asked three times.</textarea>" in html  # artifact template prefilled


def test_french_course_gets_french_ui_strings(tmp_path):
    html = render_site(cm.tiny_course(tmp_path, language="fr"), RenderOptions(target="web"))["index.html"].decode()
    assert '<html lang="fr">' in html and ">Commencer<" in html and "Aller au contenu" in html


def test_unknown_language_falls_back_to_english(tmp_path):
    strings = ThemeStack().strings("de-CH")
    assert strings["begin"] == "Begin"
    assert set(ThemeStack().strings("fr")) == set(strings), "fr.yml and en.yml define the same keys"


def test_user_theme_overrides_templates_static_files_and_strings(tmp_path):
    theme = tmp_path / "brand"
    (theme / "templates" / "blocks").mkdir(parents=True)
    (theme / "static").mkdir()
    (theme / "i18n").mkdir()
    (theme / "templates" / "blocks" / "lesson.html").write_text('<section class="brand-lesson">{{ b.title }}</section>\n')
    (theme / "static" / "theme.css").write_text("body { color: #000; }\n")
    (theme / "static" / "brand.css").write_text(".brand-lesson { font-weight: bold; }\n")
    (theme / "i18n" / "en.yml").write_text("begin: Let's go\n")
    files = render_site(cm.tiny_course(tmp_path), RenderOptions(target="web", themes=(theme,)))
    html = files["index.html"].decode()
    assert '<section class="brand-lesson">Why the hand-off matters</section>' in html
    assert files["assets/theme.css"] == b"body { color: #000; }\n"
    assert 'href="assets/brand.css"' in html and ">Let&#39;s go<" in html
    assert "cs-quiz" in html, "templates the user theme does not override come from the default"


def test_images_are_copied_and_a_missing_one_is_an_error(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "handoff.png").write_bytes(b"\x89PNG fake")
    ok = cm.lesson("img", "Image", "![A hand-off screen](media/handoff.png)")
    files = render_site(cm.tiny_course(tmp_path, modules=(cm.module("m", "M", [ok]),)), RenderOptions(target="web"))
    assert files["media/handoff.png"] == b"\x89PNG fake"
    assert 'src="media/handoff.png" alt="A hand-off screen"' in files["index.html"].decode()
    missing = cm.lesson("img", "Image", "![Gone](media/gone.png)")
    with pytest.raises(CourseError) as err:
        render_site(cm.tiny_course(tmp_path, modules=(cm.module("m", "M", [missing]),)), RenderOptions(target="web"))
    assert [d.code for d in err.value.diagnostics] == ["missing-image"]


def test_config_carries_rules_cohort_and_lrs(tmp_path):
    lrs = LrsSettings(endpoint="https://lrs.example.org/xapi/", token_url="https://lms.example.org/token")
    config = config_of(render_site(cm.tiny_course(tmp_path), RenderOptions(target="scorm2004", cohort="chat-agents", lrs=lrs)))
    assert config["course"]["masteryScore"] == 0.8 and config["course"]["version"] == "1.0.0"
    assert config["cohort"] == "chat-agents" and config["target"] == "scorm2004"
    assert config["lrs"]["endpoint"] == lrs.endpoint and config["lrs"]["auth"] is None
    assert config["stateLimit"] == 64000


def test_state_keys_survive_a_new_version_unless_the_structure_changed(tmp_path):
    v1 = cm.tiny_course(tmp_path)
    strings = ThemeStack().strings("en")
    before = runtime_config(v1, RenderOptions(target="web"), strings)["modules"]
    changed = cm.module("post", "Post", [cm.quiz("post-check", "post", (cm.single("q1", 1), cm.single("q2", 0, n=4)))])
    v2 = cm.tiny_course(tmp_path, version="2.0.0", modules=(v1.modules[1], changed))
    after = runtime_config(v2, RenderOptions(target="web"), strings)["modules"]
    keys = lambda mods: {b["id"]: b["key"] for m in mods for b in m["blocks"]}  # noqa: E731
    assert keys(after)["third-time"] == keys(before)["third-time"]
    assert keys(after)["last-escalation"] == keys(before)["last-escalation"]
    q_before = {q["id"]: q["key"] for q in before[3]["blocks"][0]["questions"]}
    q_after = {q["id"]: q["key"] for q in after[1]["blocks"][0]["questions"]}
    assert q_after["q1"] == q_before["q1"]
    assert q_after["q2"] != q_before["q2"], "a question whose options changed must not get the old answers"
    all_keys = [b["key"] for m in before for b in m["blocks"]] + [m["key"] for m in before]
    assert len(all_keys) == len(set(all_keys)) and all(len(k) == 3 for k in all_keys)


def test_unknown_target_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown target"):
        render_site(cm.tiny_course(tmp_path), RenderOptions(target="aicc"))


def test_module_introduction_is_rendered_before_the_blocks(tmp_path):
    from dataclasses import replace

    course = cm.tiny_course(tmp_path)
    intro = replace(course.modules[1], intro=cm.md("Welcome to *listening*."))
    course = replace(course, modules=(course.modules[0], intro) + course.modules[2:])
    html = render_site(course, RenderOptions(target="web"))["index.html"].decode()
    assert html.index("Welcome to <em>listening</em>.") < html.index('id="b-listening-why"')


def test_lesson_markdown_takes_tables_and_definition_lists_but_no_raw_html():
    from compiler.render.markdown import MarkdownRenderer

    html = MarkdownRenderer().block(
        "## Terms\n\nHand-off\n: the moment a bot passes a customer to a person\n\n"
        "| cue | meaning |\n|---|---|\n| caps | frustration |\n\n<script>alert(1)</script>\n")
    assert "<h3>Terms</h3>" in html
    assert "<dl>\n<dt>Hand-off</dt>\n<dd>the moment a bot passes a customer to a person</dd>\n</dl>" in html
    assert "<table>" in html and "<td>frustration</td>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
