"""The AST's node classes are the classes ``dataclasses`` makes, built without ``exec``.

:mod:`digestkit._nodes` builds each node class from pre-written methods
(:mod:`digestkit._node_methods`, generated from the classes) so that importing the AST compiles
nothing (issue 26: ~20 ms of every re-run that parses or renders a digest). These tests hold it
to what ``dataclasses`` would have made: the same fields, parameters, slots and behaviour, and
the generated file up to date. Regenerate it with ``python -m tests.test_node_methods``.
"""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from digestkit import _nodes, ast

GENERATED = Path(_nodes.__file__).with_name("_node_methods.py")
CLASSES = [
    cls for cls in vars(ast).values() if isinstance(cls, type) and cls.__module__ == ast.__name__
]


def _reference(cls: type) -> type:
    """The class ``dataclasses`` makes from the same body."""
    body = {
        k: v
        for k, v in cls.__dict__.items()
        if k not in ("__dict__", "__weakref__", "__slots__", "__dataclass_fields__")
        and k not in ("__dataclass_params__", "__match_args__", "__getstate__", "__setstate__")
        and k not in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
    }
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING or not f.compare:
            body[f.name] = dataclasses.field(
                default=f.default, default_factory=f.default_factory, compare=f.compare
            )
        elif f.default is not dataclasses.MISSING:
            body[f.name] = f.default
    plain = type(cls.__name__, (), body)
    plain.__qualname__ = cls.__qualname__
    made: type = dataclasses.dataclass(frozen=True, slots=True, kw_only=True)(plain)
    return made


def test_the_generated_methods_are_up_to_date() -> None:
    assert GENERATED.read_text(encoding="utf-8") == _nodes.methods_source(CLASSES)


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the fast path is for 3.11")
def test_every_node_class_uses_the_generated_methods() -> None:
    for cls in CLASSES:
        assert cls.__init__.__code__.co_filename == str(GENERATED), cls  # type: ignore[misc]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_same_class_as_dataclasses_makes(cls: type) -> None:
    ref = _reference(cls)
    assert repr(cls.__dataclass_params__) == repr(ref.__dataclass_params__)  # type: ignore[attr-defined]
    assert cls.__slots__ == ref.__slots__  # type: ignore[attr-defined]
    assert cls.__match_args__ == ref.__match_args__  # type: ignore[attr-defined]
    ours, theirs = dataclasses.fields(cls), dataclasses.fields(ref)
    assert [repr(f) for f in ours] == [repr(f) for f in theirs]
    assert [f._field_type for f in ours] == [f._field_type for f in theirs]  # type: ignore[attr-defined]
    assert set(cls.__dict__) == set(ref.__dict__)
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        assert getattr(cls, name).__qualname__ == getattr(ref, name).__qualname__
    import inspect

    assert str(inspect.signature(cls)) == str(inspect.signature(ref))


def _sample(cls: type) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            values[f.name] = (
                ast.ArticleMeta()
                if f.name == "meta"
                else (1 if f.name == "level" else "x" if f.type == "str" else ())
            )
    return values


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_same_behaviour_as_dataclasses(cls: type) -> None:
    ref = _reference(cls)
    values = _sample(cls)
    a, b, r = cls(**values), cls(**values), ref(**values)
    assert a == b and (a != b) is False and a != r and (a == 1) is False
    assert repr(a) == repr(r)
    if cls not in (ast.Meta, ast.Document):  # Meta's mappings are not hashable, as before
        assert hash(a) == hash(r)
    for name in (*cls.__slots__, "not_a_field"):  # type: ignore[attr-defined]
        for act in ("set", "delete"):
            errors = []
            for obj in (a, r):
                with pytest.raises(Exception) as caught:
                    setattr(obj, name, 1) if act == "set" else delattr(obj, name)
                errors.append((type(caught.value), str(caught.value)))
            assert errors[0] == errors[1]
    with pytest.raises(TypeError):
        cls(*values.values(), **values) if values else cls(1)
    assert pickle.loads(pickle.dumps(a)) == a
    assert dataclasses.replace(a) == a
    assert list(a.__getstate__()) == list(r.__getstate__())  # type: ignore[attr-defined]
    if cls not in (ast.Meta, ast.Document):  # asdict deep-copies: mapping proxies cannot be
        assert dataclasses.asdict(a) == dataclasses.asdict(r)


def test_importing_the_ast_compiles_no_source() -> None:
    """``dataclasses`` compiles its methods from ``<string>`` sources: none for the AST now (the
    package itself, imported first, is not this test's business)."""
    code = (
        "import sys\n"
        "import digestkit\n"
        "seen = []\n"
        "sys.addaudithook(lambda e, a: seen.append(a[1]) if e == 'compile' else None)\n"
        "import digestkit.ast\n"
        "print(sum(1 for f in seen if f == '<string>'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "0"


if __name__ == "__main__":
    GENERATED.write_text(_nodes.methods_source(CLASSES), encoding="utf-8")
    print(f"wrote {GENERATED}")
