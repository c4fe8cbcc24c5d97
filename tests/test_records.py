"""The package's dataclasses are the classes ``dataclasses`` makes, built without ``exec``.

:func:`digestkit._records.record` builds each class from a pre-written ``__init__``
(:mod:`digestkit._record_methods`, generated from the classes) and closures, so that importing
them compiles nothing (issue 26: ~45 ms of every re-run that parses or renders a digest). These
tests hold it to what ``dataclasses`` would have made — the same fields, parameters, slots,
signatures and methods, built both ways in two interpreters and compared, and the AST's nodes
compared in behaviour — and the generated file to being up to date. Regenerate it with
``python -m tests.test_records``.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import pickle
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import digestkit
from digestkit import _records, ast

GENERATED = Path(_records.__file__).with_name("_record_methods.py")
NODES = [c for c in vars(ast).values() if isinstance(c, type) and c.__module__ == ast.__name__]


def _import_all() -> None:
    """Every module of the package (each ``record`` class registers itself as it is built)."""
    for info in pkgutil.walk_packages(digestkit.__path__, "digestkit."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)


def _describe(fast: bool) -> dict[str, Any]:
    """What a class built here or by ``dataclasses`` looks like from outside, every class."""
    code = f"""
import inspect, json, re, sys, types
sys.path[:0] = {sys.path!r}
if not {fast}:  # no pre-written methods at all: every class is dataclasses' own
    stub = types.ModuleType("digestkit._record_methods")
    stub.SPECS, stub.FACTORIES, stub._FACTORY = {{}}, {{}}, object()
    sys.modules[stub.__name__] = stub
import digestkit._records as r
from tests.test_records import _import_all
_import_all()
out = {{}}
for key, (cls, _spec) in r.BUILT.items():
    methods = {{n: getattr(cls.__dict__.get(n), "__qualname__", repr(cls.__dict__.get(n)))
               for n in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__",
                         "__delattr__", "__getstate__", "__setstate__")}}
    out[key] = {{
        "params": repr(cls.__dataclass_params__),
        "fields": [[repr(f), repr(f._field_type)] for f in cls.__dataclass_fields__.values()],
        "slots": repr(cls.__dict__.get("__slots__")),
        "match_args": repr(cls.__match_args__),
        "dict": sorted(cls.__dict__),
        "methods": methods,
        "signature": str(inspect.signature(cls)),
        "init_annotations": repr(cls.__init__.__annotations__),
        "defaults": {{n: repr(cls.__dict__.get(n)) for n in cls.__dataclass_fields__
                     if not isinstance(cls.__dict__.get(n), type(cls.__dict__.get("__init__")))
                     and "__slots__" not in cls.__dict__}},
        "mro": [c.__qualname__ for c in cls.__mro__],
        "fast": cls.__init__.__code__.co_filename.endswith("_record_methods.py"),
    }}
print(re.sub(r" at 0x[0-9a-f]+", "", json.dumps(out)))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    described: dict[str, Any] = json.loads(done.stdout)
    return described


def test_the_generated_methods_are_up_to_date() -> None:
    _import_all()
    assert GENERATED.read_text(encoding="utf-8") == _records.methods_source()


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the fast path is for 3.11")
def test_every_class_as_dataclasses_makes_it() -> None:
    ours, theirs = _describe(True), _describe(False)
    assert set(ours) == set(theirs) and len(ours) > 60
    for key in ours:
        assert ours[key].pop("fast") is True, key
        assert theirs[key].pop("fast") is False, key
        assert ours[key] == theirs[key], key


def _reference(cls: type) -> type:
    """The AST node class ``dataclasses`` makes from the same body."""
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


@pytest.mark.parametrize("cls", NODES, ids=lambda c: c.__name__)
def test_nodes_behave_as_dataclasses(cls: type) -> None:
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


def test_importing_the_package_compiles_no_dataclass_source() -> None:
    """``dataclasses`` compiles its methods from source (``_create_fn``): never now, for the
    AST and for what a weekly re-run imports (the command line, the job, the EPUB and HTML
    writers, the Markdown reader). Fails on the classes ``@dataclass`` made."""
    code = (
        "import sys\n"
        "seen = []\n"
        "def hook(event, args):\n"
        "    if event == 'compile':\n"
        "        f = sys._getframe(1)\n"
        "        while f is not None and f.f_code.co_name != '_create_fn':\n"
        "            f = f.f_back\n"
        "        if f is not None:\n"
        "            seen.append(f.f_back.f_code.co_name)\n"
        "sys.addaudithook(hook)\n"
        "import digestkit.ast, digestkit.cli, digestkit.archive, digestkit.writers.epub\n"
        "import digestkit.writers.html, digestkit.readers.markdown\n"
        "print(len(seen))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "0"


if __name__ == "__main__":
    _import_all()
    GENERATED.write_text(_records.methods_source(), encoding="utf-8")
    print(f"wrote {GENERATED}")
