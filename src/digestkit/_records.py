"""``@record``: the package's dataclasses as ``dataclasses`` makes them, without its ``exec``.

``@dataclass`` writes the methods of each class as source text and compiles them with ``exec``
every time the module is imported: for the AST's 33 node classes and the ~35 records a weekly
re-run imports (options, the book, the cache …) that was ~45 ms of CPU, a third of a warm
30-digest re-run after one digest changed (issue 26). Here each class's ``__init__`` — the one
method on a hot path, and the one whose code depends on more than the field names — is an
ordinary function in :mod:`digestkit._record_methods`, written once from the classes (``python
-m tests.test_records`` regenerates it; the test fails when it is stale) and so compiled once
into its ``.pyc``; ``__repr__``, ``__eq__``, ``__hash__`` and the frozen classes'
``__setattr__``/``__delattr__`` are closures over the field names that do what the generated
ones do. :func:`record` builds the class ``dataclasses`` would — the same fields (as
:class:`dataclasses.Field` objects when asked for, see below, so ``dataclasses.fields``,
``replace``, ``asdict`` and ``is_dataclass`` work), parameters, slots and ``__match_args__`` —
and hands anything it was not written for to ``dataclasses.dataclass`` itself: a class whose
``__init__`` no longer matches the generated one (a stale file), a field option beyond a
default, ``repr`` or ``compare``, a method of its own among the generated ones, a base not built
here, or a Python other than 3.11 (whose private markers it reuses). For mypy, ``record`` *is*
``dataclasses.dataclass``. (Readers keep ``@dataclass``: they import no private module, and
none of theirs is on a re-run's path but the Markdown reader's, which has no dataclass.)

Nor does it import ``dataclasses`` (5.5 ms: it imports ``inspect``, with ``ast``, ``dis``):
:func:`field`, :func:`fields`, :func:`replace` and :func:`asdict` stand in for theirs (for mypy
they are theirs), the fields live as :class:`Field` records, and ``__dataclass_fields__`` and
``__dataclass_params__`` are made of ``dataclasses``' own objects the first time anything asks
for them (``dataclasses.fields``, ``replace``, ``is_dataclass`` …), importing it then.

Nor ``typing`` (~2 ms of a weekly re-run's start-up, issue 26), and nor do the modules a re-run
imports: each says ``TYPE_CHECKING = False`` and imports its annotations' names under
``if TYPE_CHECKING:`` (mypy takes any name ``TYPE_CHECKING`` as true; with ``from __future__
import annotations`` no annotation is evaluated at run time). A class generic for mypy is
generic here only if ``typing`` is already imported (:func:`_generic`).
"""

from __future__ import annotations

import abc
import operator
import sys
import types
from collections.abc import Callable, Mapping
from reprlib import recursive_repr

from . import _record_methods

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see above)
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _C = TypeVar("_C", bound=type)

__all__ = [
    "BUILT",
    "asdict",
    "field",
    "fields",
    "function_name",
    "methods_source",
    "record",
    "replace",
]

#: one field as the generated ``__init__`` sees it: name, default (``""`` none, ``"value"``,
#: ``"factory"``) and whether it is keyword-only
FieldSpec = tuple[str, str, bool]
#: a class: frozen, calls ``__post_init__``, its fields (bases' first)
ClassSpec = tuple[bool, bool, tuple[FieldSpec, ...]]

_FAST = sys.version_info[:2] == (3, 11)
#: methods ``dataclasses`` would not overwrite: a class defining one is left to it
_WRITTEN = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")

#: every class built here, by ``module:qualname``, with its spec (what the generator writes from)
BUILT: dict[str, tuple[type, ClassSpec]] = {}


class _Missing:
    """No default (``dataclasses.MISSING`` once ``dataclasses`` is asked)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
_EMPTY: Mapping[Any, Any] = types.MappingProxyType({})


class Field:
    """What ``dataclasses.field`` records, until ``dataclasses`` itself is asked for it."""

    __slots__ = ("compare", "default", "default_factory", "hash", "init", "kw_only", "metadata",
                 "name", "repr", "type")  # fmt: skip

    def __init__(
        self,
        default: Any,
        default_factory: Any,
        init: bool,
        repr: bool,
        hash: bool | None,
        compare: bool,
        metadata: Mapping[Any, Any] | None,
        kw_only: Any,
    ) -> None:
        self.name: str = ""
        self.type: Any = None
        self.default, self.default_factory = default, default_factory
        self.init, self.repr, self.hash, self.compare = init, repr, hash, compare
        self.metadata = _EMPTY if not metadata else types.MappingProxyType(metadata)
        self.kw_only = kw_only


#: the classes built here: their fields (bases' first) and whether they are frozen
_INFO: dict[type, tuple[dict[str, Field], bool]] = {}
#: each :class:`Field` made into ``dataclasses``' (inherited fields share theirs, as there)
_REAL: dict[Field, Any] = {}


def _generic() -> object:
    """``typing.Generic`` if ``typing`` is imported: a class can have it among its bases only
    then (and this module does not import ``typing`` to ask)."""
    return getattr(sys.modules.get("typing"), "Generic", None)


def _owner(cls: type) -> type | None:
    """The class built here that ``cls`` is or inherits its fields from."""
    for c in cls.__mro__:
        if c in _INFO:
            return c
        if "__dataclass_fields__" in c.__dict__:
            return None  # a dataclasses' class on the way
    return None


if TYPE_CHECKING:
    from dataclasses import asdict as asdict
    from dataclasses import dataclass as record
    from dataclasses import field as field
    from dataclasses import fields as fields
    from dataclasses import replace as replace
else:

    def field(
        *,
        default: Any = MISSING,
        default_factory: Any = MISSING,
        init: bool = True,
        repr: bool = True,
        hash: bool | None = None,
        compare: bool = True,
        metadata: Mapping[Any, Any] | None = None,
        kw_only: Any = MISSING,
    ) -> Any:
        """``dataclasses.field``: a field's options in a class body."""
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)

    def fields(class_or_instance: Any) -> tuple[Any, ...]:
        """``dataclasses.fields``: this module's :class:`Field` records for its classes."""
        cls = class_or_instance if isinstance(class_or_instance, type) else type(class_or_instance)
        owner = _owner(cls)
        if owner is None:
            import dataclasses

            return dataclasses.fields(class_or_instance)
        return tuple(_INFO[owner][0].values())

    def replace(obj: Any, /, **changes: Any) -> Any:
        """``dataclasses.replace``: a copy with ``changes`` (every field here is an ``__init__``
        argument, so the copy is the class called with the rest of the fields as they are)."""
        owner = _owner(type(obj))
        if owner is None:
            import dataclasses

            return dataclasses.replace(obj, **changes)
        for name in _INFO[owner][0]:
            if name not in changes:
                changes[name] = getattr(obj, name)
        return obj.__class__(**changes)

    def asdict(obj: Any, *, dict_factory: Callable[..., Any] = dict) -> Any:
        """``dataclasses.asdict`` itself (recursive, deep-copying: nothing on a hot path)."""
        import dataclasses

        return dataclasses.asdict(obj, dict_factory=dict_factory)

    def record(
        cls: type | None = None,
        /,
        *,
        frozen: bool = False,
        slots: bool = False,
        kw_only: bool = False,
        **other: Any,
    ) -> Any:
        """``dataclasses.dataclass`` (bare or with arguments), pre-written where it can be."""

        def build(c: type) -> type:
            spec = None if other else _spec(c, frozen=frozen, kw_only=kw_only)
            key = f"{c.__module__}:{c.__qualname__}"
            make = getattr(_record_methods, function_name(key), None)
            if (
                not _FAST
                or spec is None
                or make is None
                or _record_methods.SPECS.get(key) != spec
                or any(b not in _INFO for b in c.__mro__[1:-1] if b is not _generic())
            ):
                import dataclasses

                for name, value in list(c.__dict__.items()):  # this module's fields, as theirs
                    if isinstance(value, Field):
                        setattr(c, name, _as_dataclasses_field(value, None))
                made: type = dataclasses.dataclass(
                    frozen=frozen, slots=slots, kw_only=kw_only, **other
                )(c)
                if spec is not None:
                    BUILT[key] = (made, spec)
                return made
            made = _build(c, spec, make, slots=slots, kw_only=kw_only)
            BUILT[key] = (made, spec)
            return made

        return build if cls is None else build(cls)


def _as_dataclasses_field(f: Field, mark: Any) -> Any:
    """``f`` as a ``dataclasses.Field`` (named, typed and marked when ``mark`` is given)."""
    import dataclasses

    def real(value: Any) -> Any:
        return dataclasses.MISSING if value is MISSING else value

    made: Any = dataclasses.field(
        default=real(f.default), default_factory=real(f.default_factory), init=f.init,
        repr=f.repr, hash=f.hash, compare=f.compare, metadata=dict(f.metadata) or None,
        kw_only=real(f.kw_only),
    )  # fmt: skip
    if mark is not None:
        made.name, made.type, made._field_type = f.name, f.type, mark
    return made


def _is_theirs(value: Any) -> bool:
    """A ``dataclasses.Field`` (told without importing ``dataclasses``)."""
    return type(value).__name__ == "Field" and type(value).__module__ == "dataclasses"


def _spec(cls: type, *, frozen: bool, kw_only: bool) -> ClassSpec | None:
    """What the generated ``__init__`` depends on, from the class as written; None for what
    this module leaves to ``dataclasses``."""
    if (
        cls.__doc__ is None  # dataclasses would write a signature docstring (with inspect)
        or isinstance(cls, abc.ABCMeta)
        or "__slots__" in cls.__dict__
        or any(name in cls.__dict__ for name in _WRITTEN)
        or "__match_args__" in cls.__dict__
    ):
        return None
    specs: dict[str, FieldSpec] = {}
    generic = _generic()
    for base in cls.__mro__[-1:0:-1]:
        if base is object or base is generic:
            continue
        if base in _INFO:
            if _INFO[base][1] != frozen:
                return None  # the frozen/unfrozen mix dataclasses refuses
            for f in _INFO[base][0].values():
                specs[f.name] = (f.name, _kind(f), bool(f.kw_only))
        elif "__dataclass_fields__" in base.__dict__:  # made by dataclasses (a fallback)
            theirs = sys.modules["dataclasses"]
            if base.__dict__["__dataclass_params__"].frozen != frozen:
                return None
            for f in base.__dict__["__dataclass_fields__"].values():
                kind = "factory" if f.default_factory is not theirs.MISSING else (
                    "" if f.default is theirs.MISSING else "value"
                )  # fmt: skip
                specs[f.name] = (f.name, kind, bool(f.kw_only))
        else:
            return None  # a plain base
    for name, annotation in cls.__annotations__.items():
        if not isinstance(annotation, str) or any(
            word in annotation for word in ("ClassVar", "InitVar", "KW_ONLY")
        ):
            return None
        value = cls.__dict__.get(name, MISSING)
        if _is_theirs(value):
            return None
        field_kw_only = kw_only
        if isinstance(value, Field):
            if not value.init or value.hash is not None:
                return None
            if value.kw_only is not MISSING:
                field_kw_only = bool(value.kw_only)
            specs[name] = (name, _kind(value), field_kw_only)
            continue
        if value is not MISSING and value.__class__.__hash__ is None:
            return None  # a mutable default: dataclasses raises
        specs[name] = (name, "" if value is MISSING else "value", field_kw_only)
    return frozen, hasattr(cls, "__post_init__"), tuple(specs.values())


def _kind(f: Field) -> str:
    if f.default_factory is not MISSING:
        return "factory"
    return "" if f.default is MISSING else "value"


class _Lazy:
    """``__dataclass_fields__`` or ``__dataclass_params__`` of a class built here: made of
    ``dataclasses``' objects the first time something asks (importing it then), then stored on
    the class in its place."""

    def __init__(self, attr: str) -> None:
        self.attr = attr

    def __get__(self, obj: object, cls: type) -> Any:
        owner = _owner(cls)
        assert owner is not None
        _materialize(owner)
        return owner.__dict__[self.attr]


_LAZY_FIELDS = _Lazy("__dataclass_fields__")
_LAZY_PARAMS = _Lazy("__dataclass_params__")


def _materialize(cls: type) -> None:
    import dataclasses

    mark = dataclasses._FIELD  # type: ignore[attr-defined]
    light, frozen = _INFO[cls]
    real: dict[str, Any] = {}
    for name, f in light.items():
        if f not in _REAL:
            _REAL[f] = _as_dataclasses_field(f, mark)
        real[name] = _REAL[f]
    params = dataclasses._DataclassParams(True, True, True, False, False, frozen)  # type: ignore[attr-defined]
    type.__setattr__(cls, "__dataclass_fields__", real)
    type.__setattr__(cls, "__dataclass_params__", params)


def _build(cls: _C, spec: ClassSpec, make: Callable[..., Any], *, slots: bool, kw_only: bool) -> _C:
    """The class ``dataclasses`` would return (its ``_process_class`` and ``_add_slots``)."""
    frozen = spec[0]
    fields_: dict[str, Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        if base in _INFO:
            fields_.update(_INFO[base][0])
    own: list[str] = []
    for name, annotation in cls.__annotations__.items():
        value = cls.__dict__.get(name, MISSING)
        f = value if isinstance(value, Field) else Field(
            value, MISSING, True, True, None, True, None, MISSING
        )  # fmt: skip
        f.name, f.type = name, annotation
        if f.kw_only is MISSING:
            f.kw_only = kw_only
        fields_[name] = f
        own.append(name)
    std = tuple(f.name for f in fields_.values() if not f.kw_only)
    new: Any
    if slots:
        body = dict(cls.__dict__)
        inherited = {s for b in cls.__mro__[1:-1] for s in b.__dict__.get("__slots__", ())}
        body["__slots__"] = tuple(n for n in fields_ if n not in inherited)
        for name in fields_:
            body.pop(name, None)
        body.pop("__dict__", None)
        body.pop("__weakref__", None)
        body.update(__dataclass_params__=_LAZY_PARAMS, __dataclass_fields__=_LAZY_FIELDS)
        body["__match_args__"] = std
        new = type(cls)(cls.__name__, cls.__bases__, body)
        new.__qualname__ = cls.__qualname__
    else:
        new = cls
        for name in own:
            value = cls.__dict__.get(name)
            if isinstance(value, Field):
                if value.default is MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, value.default)
        new.__dataclass_params__ = _LAZY_PARAMS
        new.__dataclass_fields__ = _LAZY_FIELDS
        setattr(new, "__match_args__", std)  # noqa: B010 - mypy refuses the plain assignment
    _INFO[new] = (fields_, frozen)
    init: Any = make
    init.__name__ = "__init__"
    factories: dict[str, Any] = {}
    for f in fields_.values():
        if f.default_factory is not MISSING:
            factories[f.name] = f.default_factory
    values = {f.name: f.default for f in fields_.values() if f.default is not MISSING}
    init.__defaults__ = (
        tuple(values.get(n, _record_methods._FACTORY) for n in std if n in values or n in factories)
        or None
    )
    init.__kwdefaults__ = {
        n: values.get(n, _record_methods._FACTORY)
        for n, f in fields_.items()
        if f.kw_only and (n in values or n in factories)
    } or None
    _record_methods.FACTORIES[f"{cls.__module__}:{cls.__qualname__}"] = factories
    # dataclasses annotates __init__ with the fields' types as written (for inspect.signature)
    init.__annotations__ = {f.name: f.type for f in fields_.values()} | {"return": None}
    methods: dict[str, Any] = {"__init__": init}
    methods.update(_shared_methods(cls, fields_, frozen=frozen, slots=slots))
    for attr, fn in methods.items():
        if fn is not None and not attr.endswith("state__"):  # dataclasses' own names, as there
            fn.__qualname__ = f"{new.__qualname__}.{fn.__name__}"
        setattr(new, attr, fn)
    return new  # type: ignore[no-any-return] # the class made from cls (an _C)


def _frozen_error(message: str) -> Exception:
    from dataclasses import FrozenInstanceError

    return FrozenInstanceError(message)


def _dataclass_getstate(self: Any) -> list[Any]:
    """``dataclasses``' ``__getstate__`` of a frozen slotted class: the fields' values."""
    return [getattr(self, f.name) for f in fields(self)]


def _dataclass_setstate(self: Any, state: list[Any]) -> None:
    """``dataclasses``' ``__setstate__`` of a frozen slotted class."""
    for f, value in zip(fields(self), state, strict=False):
        object.__setattr__(self, f.name, value)


def _shared_methods(
    cls: Any, fields_: dict[str, Field], *, frozen: bool, slots: bool
) -> dict[str, Any]:
    """``__repr__``, ``__eq__``, ``__hash__`` and, when frozen, ``__setattr__``,
    ``__delattr__`` (and with slots ``__getstate__``/``__setstate__``) doing what the methods
    ``dataclasses`` writes do, made from the field names without compiling anything. ``cls``
    is the class as written, not the slotted copy, as in ``dataclasses`` (so a name that is not
    a field fails the same way there and here)."""
    names = tuple(fields_)
    shown = tuple(f.name for f in fields_.values() if f.repr)
    compared = tuple(f.name for f in fields_.values() if f.compare)
    key: Callable[[Any], tuple[Any, ...]]
    if len(compared) > 1:
        key = operator.attrgetter(*compared)
    elif compared:
        only = compared[0]

        def key(obj: Any) -> tuple[Any, ...]:
            return (getattr(obj, only),)

    else:

        def key(obj: Any) -> tuple[Any, ...]:
            return ()

    @recursive_repr("...")
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in shown)
        return f"{self.__class__.__qualname__}({inner})"

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(key(self))

    made: dict[str, Any] = {"__repr__": __repr__, "__eq__": __eq__}
    if not frozen:
        made["__hash__"] = None  # eq without frozen: unhashable, as dataclasses makes it
        return made
    made["__hash__"] = __hash__

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise _frozen_error(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise _frozen_error(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    made.update(__setattr__=__setattr__, __delattr__=__delattr__)
    if slots:  # for pickling frozen slotted classes, as dataclasses' own two functions do
        if "__getstate__" not in cls.__dict__:
            made["__getstate__"] = _dataclass_getstate
        if "__setstate__" not in cls.__dict__:
            made["__setstate__"] = _dataclass_setstate
    return made


def function_name(key: str) -> str:
    """The generated ``__init__`` of the class ``module:qualname``."""
    return "_" + key.replace(":", "__").replace(".", "_")


def methods_source() -> str:
    """The text of :mod:`digestkit._record_methods` for every class in :data:`BUILT`: per
    class, the ``__init__`` ``dataclasses`` 3.11 writes (``_init_fn``), its defaults set by
    :func:`_build` (``__defaults__``/``__kwdefaults__``; a factory is called through
    :data:`digestkit._record_methods.FACTORIES`)."""
    specs = dict(sorted((key, spec) for key, (_cls, spec) in BUILT.items()))
    lines = [
        '"""GENERATED from the classes built by :func:`digestkit._records.record` (``python -m',
        "tests.test_records``) — do not edit. The ``__init__`` ``dataclasses`` writes for each,",
        "as plain source compiled once into this module's ``.pyc`` instead of with ``exec`` at",
        'every import (see ``_records``)."""',
        "",
        "# fmt: off",
        "from __future__ import annotations",
        "",
        "from collections.abc import Callable",
        "",
        "TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)",
        "if TYPE_CHECKING:",
        "    from typing import Any",
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
        "#: each class's default factories by field, filled as the classes are built",
        "FACTORIES: dict[str, dict[str, Callable[[], Any]]] = {}",
        "",
        "SPECS: dict[str, Any] = {",
        *(f"    {key!r}: {spec!r}," for key, spec in specs.items()),
        "}",
    ]
    for key, spec in specs.items():
        lines += ["", "", *_init_source(key, spec)]
    return "\n".join(lines) + "\n"


def _init_source(key: str, spec: ClassSpec) -> list[str]:
    frozen, post_init, fields = spec
    params: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for name, kind, kw in fields:
        (keyword if kw else params).append(f"{name}: Any" + (" = _FACTORY" if kind else ""))
        value = (
            f"FACTORIES[{key!r}][{name!r}]() if {name} is _FACTORY else {name}"
            if kind == "factory"
            else name
        )
        body.append(f"_set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    if post_init:
        body.append("self.__post_init__()")
    signature = ", ".join(["self: Any", *params, *(["*", *keyword] if keyword else [])])
    return [
        f"def {function_name(key)}({signature}) -> None:",
        *(f"    {line}" for line in body or ["pass"]),
    ]
