"""docs/content-format.md describes every key the content model accepts: a key the model takes but
the document never mentions is a test failure (walks the pydantic models' field names and aliases)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Literal, get_args, get_origin

from pydantic import BaseModel

from renstra_gen.content import model as m

DOC = Path(__file__).resolve().parents[2] / "docs" / "content-format.md"
INTERNAL = {"line", "key_lines"}  # the reader's bookkeeping (__line__, __keys__), never written by hand


def _models() -> list[type[BaseModel]]:
    return [c for _, c in inspect.getmembers(m, inspect.isclass)
            if issubclass(c, m.Node) and c.__module__ == m.__name__]


def _keys(cls: type[BaseModel]) -> set[str]:
    return {f.alias or name for name, f in cls.model_fields.items() if name not in INTERNAL}


def _literals(tp) -> set[str]:
    if get_origin(tp) is Literal:
        return {str(a) for a in get_args(tp)}
    return set().union(*(_literals(a) for a in get_args(tp))) if get_args(tp) else set()


def _literal_values() -> set[str]:
    """Every fixed value a key accepts (jenis, posisi, arah, kondisi_akhir ...)."""
    return set().union(*(_literals(f.annotation) for cls in _models() for f in cls.model_fields.values()))


def test_every_key_of_the_model_is_in_the_doc():
    doc = DOC.read_text(encoding="utf-8")
    missing = sorted({f"{cls.__name__}.{k}" for cls in _models() for k in _keys(cls)
                      if not re.search(rf"(^|[\s{{(,`\[-]){re.escape(k)}(:|`)", doc, re.M)})
    assert not missing, f"keys the model accepts but docs/content-format.md does not describe: {missing}"


def test_every_fixed_value_is_in_the_doc():
    doc = DOC.read_text(encoding="utf-8")
    missing = sorted(v for v in _literal_values() if not re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", doc))
    assert not missing, f"values the model accepts but docs/content-format.md does not name: {missing}"


def test_the_walk_sees_the_models_and_their_keys():
    # the test above cannot pass by walking nothing
    names = {c.__name__ for c in _models()}
    assert {"Identity", "ProgramTable", "OrgUnit", "FlowFigure", "RenjaInput", "Indikator"} <= names
    assert {"posisi", "bawahan"} <= _keys(m.OrgUnit) and "penetapan" in _keys(m.RenjaInput)
    assert {"naik", "turun", "kumulatif", "unit-pelaksana", "bagan-alur"} <= _literal_values()
