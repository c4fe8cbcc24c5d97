"""The AST's node classes as ``dataclasses`` would make them, without its ``exec`` at import.

``@dataclass(frozen=True, slots=True, kw_only=True)`` writes six methods per class as source
text and compiles each with ``exec`` every time the module is imported: for the 33 node
classes of :mod:`digestkit.ast` that was ~20 ms of CPU, an eighth of a warm weekly re-run
after one digest changed (issue 26). Here the same methods are ordinary functions in
:mod:`digestkit._node_methods`, written once from the classes (``python -m
tests.test_node_methods`` regenerates it; the test fails when it is stale) and so compiled
once into its ``.pyc``. :func:`node_class` builds the class ``dataclasses`` would — the same
slots, fields (real :class:`dataclasses.Field` objects, so ``fields``, ``replace``,
``is_dataclass`` and ``asdict`` work), parameters and ``__match_args__`` — and falls back to
``dataclasses.dataclass`` itself for anything it was not written for: a class whose fields
differ from the generated record (a stale file), a field option other than a default or
``compare``, a base class, or a Python other than 3.11 (whose private markers it reuses).
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from reprlib import recursive_repr
from typing import Any, TypeVar, cast

from . import _node_methods

_C = TypeVar("_C", bound=type)

#: one field: name, annotation (as written), default (``repr`` of the value, ``factory:NAME``
#: for a default factory, None for none) and whether ``==`` compares it.
FieldSpec = tuple[str, str, str | None, bool]
#: a class: its fields and whether it has a ``__post_init__``.
ClassSpec = tuple[tuple[FieldSpec, ...], bool]

_FAST = sys.version_info[:2] == (3, 11)


def class_spec(cls: type) -> ClassSpec | None:
    """What the generated methods depend on, read from the class body as written; None when a
    field uses an option the generator does not write (then ``dataclasses`` does the work)."""
    fields: list[FieldSpec] = []
    for name, annotation in cls.__annotations__.items():
        if not isinstance(annotation, str) or annotation.startswith(("ClassVar", "InitVar")):
            return None
        value = cls.__dict__.get(name, dataclasses.MISSING)
        compare = True
        if isinstance(value, dataclasses.Field):
            if (
                not value.init
                or not value.repr
                or value.hash is not None
                or value.metadata
                or value.kw_only is not dataclasses.MISSING
            ):
                return None
            compare = value.compare
            factory: Any = value.default_factory
            value = value.default
            if factory is not dataclasses.MISSING:
                fields.append((name, annotation, f"factory:{factory.__name__}", compare))
                continue
        default = None if value is dataclasses.MISSING else repr(value)
        fields.append((name, annotation, default, compare))
    return tuple(fields), "__post_init__" in cls.__dict__


def node_class(*, frozen: bool, slots: bool, kw_only: bool) -> Callable[[_C], _C]:
    """``dataclass(frozen=True, slots=True, kw_only=True)`` with pre-written methods."""

    def build(cls: _C) -> _C:
        spec = class_spec(cls)
        make = getattr(_node_methods, cls.__name__, None)
        if (
            not (_FAST and frozen and slots and kw_only)
            or spec is None
            or make is None
            or _node_methods.SPECS.get(cls.__name__) != spec
            or cls.__bases__ != (object,)
            or "__slots__" in cls.__dict__
        ):
            made: Any = dataclasses.dataclass(frozen=frozen, slots=slots, kw_only=kw_only)(cls)
            return cast(_C, made)
        return _build(cls, spec, make)

    return build


def _build(cls: _C, spec: ClassSpec, make: Callable[..., dict[str, Any]]) -> _C:
    """The class ``dataclasses`` would return (see ``_process_class`` and ``_add_slots``)."""
    body = dict(cls.__dict__)
    fields: dict[str, dataclasses.Field[Any]] = {}
    for name, annotation, _default, _compare in spec[0]:
        value = body.pop(name, dataclasses.MISSING)
        f: Any = value if isinstance(value, dataclasses.Field) else dataclasses.field(default=value)
        f.name, f.type, f.kw_only, f._field_type = name, annotation, True, _FIELD_MARK
        fields[name] = f
    body.pop("__dict__", None)
    body.pop("__weakref__", None)
    body["__slots__"] = tuple(fields)
    body["__dataclass_params__"] = _PARAMS
    body["__dataclass_fields__"] = fields
    body["__match_args__"] = ()  # keyword-only fields are not positional in patterns
    new: _C = type(cls)(cls.__name__, cls.__bases__, body)
    new.__qualname__ = cls.__qualname__
    factories = {
        f.name: f.default_factory
        for f in fields.values()
        if f.default_factory is not dataclasses.MISSING
    }
    methods = make(new, factories)
    # dataclasses annotates __init__ with the fields' types as written (for inspect.signature)
    methods["__init__"].__annotations__ = {f.name: f.type for f in fields.values()} | {
        "return": None
    }
    methods.update(_shared_methods(cls, tuple(fields)))
    for attr, fn in methods.items():
        if not attr.endswith("state__"):  # dataclasses leaves those two their own names
            fn.__qualname__ = f"{new.__qualname__}.{fn.__name__}"
        setattr(new, attr, fn)
    return new


def _shared_methods(cls: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """``__repr__``, ``__setattr__``, ``__delattr__``, ``__getstate__`` and ``__setstate__`` as
    ``dataclasses`` writes them, made from the field names without compiling anything (none is
    on a hot path). ``cls`` is the class as written, not the slotted one, as in ``dataclasses``
    (so a name that is not a field fails the same way there and here)."""

    @recursive_repr("...")
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    def _dataclass_getstate(self: Any) -> list[Any]:
        return [getattr(self, n) for n in names]

    def _dataclass_setstate(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=False):
            object.__setattr__(self, name, value)

    made = {"__repr__": __repr__, "__setattr__": __setattr__, "__delattr__": __delattr__}
    if "__getstate__" not in cls.__dict__:  # for pickling frozen slotted classes
        made["__getstate__"] = _dataclass_getstate
    if "__setstate__" not in cls.__dict__:
        made["__setstate__"] = _dataclass_setstate
    return made


#: what ``dataclasses`` marks an ordinary field with (``_FIELD``) and the parameters it records
#: for ``frozen=True`` (3.11's ``_DataclassParams``): private, hence the fast path for 3.11 only.
_FIELD_MARK: Any = dataclasses._FIELD if _FAST else None  # type: ignore[attr-defined]
_PARAMS: Any = (
    dataclasses._DataclassParams(True, True, True, False, False, True)  # type: ignore[attr-defined]
    if _FAST
    else None
)


def methods_source(classes: list[type]) -> str:
    """The text of :mod:`digestkit._node_methods` for ``classes``: per class, a function that
    returns the methods ``dataclasses`` 3.11 writes from the field names, in the same words
    (``_init_fn``, ``_cmp_fn``, ``_hash_fn``): ``__init__`` (every node is made through it),
    ``__eq__`` and ``__hash__``; the rest are :func:`_shared_methods`."""
    specs: dict[str, ClassSpec] = {}
    parts: list[str] = []
    for cls in classes:
        spec = _built_spec(cls)
        if spec is None:
            continue
        specs[cls.__name__] = spec
        parts.append(_class_source(cls.__name__, spec))
    head = [
        '"""GENERATED from the classes of :mod:`digestkit.ast` by ``python -m',
        "tests.test_node_methods`` — do not edit. The methods ``dataclasses`` writes for a frozen,",
        "slotted, keyword-only dataclass that depend on its fields, as plain source compiled once",
        'into this module\'s ``.pyc`` instead of with ``exec`` at every import (see ``_nodes``)."""',
        "",
        "# fmt: off",
        "from __future__ import annotations",
        "",
        "from collections.abc import Callable",
        "from typing import Any",
        "",
        "_set = object.__setattr__",
        "",
        "",
        "class _Factory:",
        '    """The default of a field made by a factory (``dataclasses``\' ``<factory>``)."""',
        "",
        "    def __repr__(self) -> str:",
        '        return "<factory>"',
        "",
        "",
        "_FACTORY: Any = _Factory()",
        "",
        "SPECS: dict[str, Any] = {",
        *(f"    {name!r}: {spec!r}," for name, spec in specs.items()),
        "}",
    ]
    return "\n".join(head) + "\n" + "".join(parts)


def _built_spec(cls: type) -> ClassSpec | None:
    """:func:`class_spec` of a class already made (its body's defaults are now in its fields)."""
    if not dataclasses.is_dataclass(cls):
        return None
    fields: list[FieldSpec] = []
    for f in dataclasses.fields(cls):
        factory: Any = f.default_factory
        if factory is not dataclasses.MISSING:
            default: str | None = f"factory:{factory.__name__}"
        else:
            default = None if f.default is dataclasses.MISSING else repr(f.default)
        fields.append((f.name, str(f.type), default, f.compare))
    return tuple(fields), "__post_init__" in cls.__dict__


def _class_source(name: str, spec: ClassSpec) -> str:
    fields, post_init = spec
    compared = [f[0] for f in fields if f[3]]

    def tup(side: str, which: list[str]) -> str:
        return "(" + "".join(f"{side}.{n}," for n in which) + ")" if which else "()"

    params = []
    body = []
    for fname, _ann, default, _cmp in fields:
        if default is None:
            params.append(f"{fname}: Any")
            body.append(f"        _set(self, {fname!r}, {fname})")
        elif default.startswith("factory:"):
            params.append(f"{fname}: Any = _FACTORY")
            body.append(
                f"        _set(self, {fname!r}, factories[{fname!r}]() "
                f"if {fname} is _FACTORY else {fname})"
            )
        else:
            params.append(f"{fname}: Any = {default}")
            body.append(f"        _set(self, {fname!r}, {fname})")
    if post_init:
        body.append("        self.__post_init__()")
    if not body:
        body.append("        pass")
    sig = ", *, " + ", ".join(params) if params else ""
    lines = [
        "",
        "",
        f"def {name}(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:",
        f"    def __init__(self: Any{sig}) -> None:",
        *body,
        "",
        "    def __eq__(self: Any, other: Any) -> Any:",
        "        if other.__class__ is self.__class__:",
        f"            return {tup('self', compared)} == {tup('other', compared)}",
        "        return NotImplemented",
        "",
        "    def __hash__(self: Any) -> int:",
        f"        return hash({tup('self', compared)})",
        "",
        '    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}',
    ]
    return "\n".join(lines) + "\n"
