"""Every .docx and .xlsx the tool writes opens clean in Word and Excel.

Checked with openxml-audit (pinned in the test extra): the ECMA-376 schemas as the Open XML SDK
holds them, its semantic rules, and its Word/Excel app-compat rules (what makes Word ask "repair
unreadable content?" or Excel silently rewrite a file). A file passes with no finding at all and
the prediction "opens-clean", for Office 2016 and for Microsoft 365. No rule of the tool is
filtered: none of its findings on our outputs was judged wrong.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from openxml_audit import AppPrediction, FileFormat, OpenXmlValidator, predict

from renstra_gen.workflows.build import DEFAULT_TEMPLATES, build, build_renja
from renstra_gen.workflows.init import init
from renstra_gen.render.package import read_parts, zip_parts
from tests.conftest import DEFAULT_CONTENT, FIXTURES, ROOT

FORMATS = [FileFormat.OFFICE_2016, FileFormat.MICROSOFT_365]


def findings(path: Path, fmt: FileFormat) -> list[str]:
    """Every finding of openxml-audit (errors and warnings), and its prediction unless "opens-clean"."""
    result = OpenXmlValidator(file_format=fmt, max_errors=0).validate(path)
    out = [f"{e.severity.value}: {e.part_uri} {e.path} {e.node or ''}: {e.description}" for e in result.errors]
    verdict = predict(result)
    if verdict.prediction is not AppPrediction.OPENS_CLEAN:
        out.append(verdict.headline)
    return out


# case: how it is built; each case writes a .docx and an .xlsx
BUILDS = {
    "renstra": lambda out: build(DEFAULT_CONTENT, out),
    "renja-2024": lambda out: build_renja(DEFAULT_CONTENT, out, 2024),
    "minimal": lambda out: build(FIXTURES / "minimal", out),
    "minimal-renja-2027": lambda out: build_renja(FIXTURES / "minimal", out, 2027),
    "minimal-draft": lambda out: build(FIXTURES / "minimal", out, draft=True),
    # the cascade merges, count tables, and formulas with scripts, limits, radicals and delimiters
    "dp3a": lambda out: build(FIXTURES / "dp3a", out),
    "dp3a-renja-2026": lambda out: build_renja(FIXTURES / "dp3a", out, 2026),
    "init": lambda out: _init_then_build(out),  # a new office, as `renstra init` starts it
}


def _init_then_build(out: Path):
    """A new office's content set as `renstra init` starts it, built as it is."""
    init(out / "content", ["1.06"], "Dinas Sosial", "Kabupaten Contoh", "2025-2029")
    return build(out / "content", out / "build")


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """{case/file suffix: path} of every output above, the committed templates and the templates
    the tools in tools/ write now."""
    root = tmp_path_factory.mktemp("ooxml")
    files = {}
    for case, run in BUILDS.items():
        for path in run(root / case).written:
            files[f"{case}{path.suffix}"] = path
    for path in sorted(DEFAULT_TEMPLATES.glob("*.*x")):
        files[f"templates/{path.name}"] = path
    made = root / "made"
    _tool("make_template").build(made / "renstra.docx", "renstra")
    _tool("make_template").build(made / "renja.docx", "renja")
    _tool("make_xlsx_template").build(made / "tabel.xlsx")
    for path in sorted(made.iterdir()):
        files[f"tools/{path.name}"] = path
    return files


CASES = ([f"{case}{suffix}" for case in BUILDS for suffix in (".docx", ".xlsx")]
         + [f"{where}/{name}" for where in ("templates", "tools") for name in ("renstra.docx", "renja.docx", "tabel.xlsx")])


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.value)
@pytest.mark.parametrize("case", CASES)
def test_every_output_opens_clean(outputs, case, fmt):
    assert findings(outputs[case], fmt) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by tools/install.sh --test")
def test_update_fields_ships_our_document_valid(tmp_path):
    result = build(FIXTURES / "minimal", tmp_path, update_fields=True, draft=True)
    docx = next(p for p in result.written if p.suffix == ".docx")
    for fmt in FORMATS:
        assert findings(docx, fmt) == []


UPDATE_FIELDS = b'<w:updateFields w:val="true"/>'


def _replace(part: str, old: bytes, new: bytes):
    def change(parts: dict[str, bytes]) -> None:
        assert old in parts[part]
        parts[part] = parts[part].replace(old, new, 1)
    return change


def _update_fields_at_the_end(parts: dict[str, bytes]) -> None:
    _replace("word/settings.xml", UPDATE_FIELDS, b"")(parts)
    _replace("word/settings.xml", b"</w:settings>", UPDATE_FIELDS + b"</w:settings>")(parts)


def _stale_styles_with_effects(parts: dict[str, bytes]) -> None:
    """A stylesWithEffects.xml (Word 2010's copy of styles.xml) that holds none of the styles."""
    parts["word/stylesWithEffects.xml"] = (b'<w:styles xmlns:w="http://schemas.openxmlformats.org/'
                                           b'wordprocessingml/2006/main"/>')
    _replace("word/_rels/document.xml.rels", b"</Relationships>",
             b'<Relationship Id="rIdPlanted" Type="http://schemas.microsoft.com/office/2007/relationships/'
             b'stylesWithEffects" Target="stylesWithEffects.xml"/></Relationships>')(parts)
    _replace("[Content_Types].xml", b"</Types>", b'<Override PartName="/word/stylesWithEffects.xml" '
             b'ContentType="application/vnd.ms-word.stylesWithEffects+xml"/></Types>')(parts)


@pytest.mark.parametrize("case, change, expected", [
    # w:updateFields at the end of w:settings, where it stood before issue 18 (out of sequence)
    ("minimal.docx", _update_fields_at_the_end, "Unexpected element 'updateFields'"),
    # m:sty beside m:nor in a formula run (CT_RPR allows one or the other)
    ("minimal.docx", _replace("word/document.xml", b"<m:nor/>", b'<m:nor/><m:sty m:val="p"/>'),
     "Unexpected element 'sty'"),
    # a font's b after its name (Excel's order: b, i, ..., sz, color, name)
    ("minimal.xlsx", _replace("xl/styles.xml", b'<b val="1"/><sz val="12"/><name val="Arial"/>',
                              b'<sz val="12"/><name val="Arial"/><b val="1"/>'),
     "Unexpected element 'b'"),
    # a Word app-compat rule: styles.xml and a stale stylesWithEffects.xml disagree
    ("minimal.docx", _stale_styles_with_effects, "expected to repair or rewrite"),
], ids=["settings-order", "math-run-properties", "font-order", "stale-styles-with-effects"])
def test_a_planted_fault_fails_the_check(outputs, tmp_path, case, change, expected):
    src = outputs[case]
    parts = read_parts(src.read_bytes())
    change(parts)
    target = tmp_path / src.name
    target.write_bytes(zip_parts(parts.items()))
    for fmt in FORMATS:
        found = findings(target, fmt)
        assert any(expected in f for f in found), found
