"""`dataclass`, as the standard library's, created about five times faster at import.

Python 3.11 and 3.12 compile each generated method of a dataclass (`__init__`,
`__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`) from its own
source text: about half a millisecond per frozen class, most of bptutor's
start-up. Here the standard library collects the fields (so `fields`,
`replace`, `asdict` and `is_dataclass` work as ever), `__init__` is compiled
once for all the classes of one shape (the number and kinds of their fields)
and renamed for each, and the other methods are shared functions that read
the class's fields. The instances behave as the standard library's do: the same equality,
hash, repr, and `FrozenInstanceError` on assignment.

Anything beyond the plain forms `@dataclass` and `@dataclass(frozen=True)`
(ordering, slots, keyword-only fields, inheritance between dataclasses, a
class that writes its own dunder methods) goes to the standard library, as
does every class on Python 3.13 and later, which compiles one text per class.

Type checkers see the standard library's `dataclass` (imported under
`TYPE_CHECKING`), so they check these classes as the dataclasses they are.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from operator import attrgetter
from types import CodeType, FunctionType
from typing import TYPE_CHECKING, Any

__all__ = ["dataclass"]

_STDLIB: Any = dataclasses  # its private markers (_FIELD, _FIELD_CLASSVAR, …), which typeshed does not declare
_OWN_METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
_PLAIN_OPTIONS = {"init": True, "repr": True, "eq": True, "order": False, "unsafe_hash": False}

if TYPE_CHECKING:
    from dataclasses import dataclass
else:

    def dataclass(cls: type | None = None, /, **options: Any) -> Any:
        """The standard `dataclasses.dataclass`, quicker to apply to the plain forms bptutor uses."""

        def wrap(target: type) -> type:
            if _plain(target, options):
                return _record(target, bool(options.get("frozen", False)))
            return dataclasses.dataclass(target, **options)

        return wrap if cls is None else wrap(cls)


def _plain(cls: type, options: dict[str, Any]) -> bool:
    """Whether the class and its options are ones `_record` makes exactly as the standard library would."""
    if sys.version_info >= (3, 13):
        return False
    if any(key not in _PLAIN_OPTIONS and key != "frozen" for key in options):
        return False
    if any(options.get(key, default) != default for key, default in _PLAIN_OPTIONS.items()):
        return False
    if any(name in cls.__dict__ for name in _OWN_METHODS):
        return False
    bases: list[Any] = list(cls.__mro__[1:])
    if any(base.__setattr__ is not object.__setattr__ or base.__delattr__ is not object.__delattr__ for base in bases):
        return False  # the frozen methods below assign through object, as super() would with such bases only
    return not any(dataclasses.is_dataclass(base) for base in cls.__mro__[1:])


def _record(cls: type, frozen: bool) -> type:
    """The dataclass: fields collected by the standard library, the methods added here."""
    target: Any = cls  # methods and dataclass attributes are set on the class, which the type of `type` does not know
    documented = bool(cls.__dict__.get("__doc__"))
    if not documented:
        cls.__doc__ = "-"  # the signature is written once `__init__` is there
    dataclasses.dataclass(cls, init=False, repr=False, eq=False)
    everything: list[dataclasses.Field[Any]] = list(target.__dataclass_fields__.values())
    fields = [field for field in everything if _kind(field) is _STDLIB._FIELD]
    target.__init__ = _init(cls, everything, frozen)
    target.__repr__ = _repr([field.name for field in fields if field.repr])
    compared = _key([field.name for field in fields if field.compare])
    target.__eq__ = _eq(compared)
    if frozen:
        hashed = _key([field.name for field in fields if (field.compare if field.hash is None else field.hash)])
        target.__hash__ = _hash(hashed)
        names = frozenset(field.name for field in fields)
        target.__setattr__ = _frozen_setattr(cls, names)
        target.__delattr__ = _frozen_delattr(cls, names)
    else:
        target.__hash__ = None
    params = target.__dataclass_params__
    params.init = params.repr = params.eq = True
    params.frozen = frozen
    if not documented:
        import inspect

        cls.__doc__ = cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
    return cls


def _kind(field: Any) -> object:
    """Which sort of field (a field, a ClassVar, an InitVar): the standard library's private marker."""
    kind: object = field._field_type
    return kind


def _init(cls: type, everything: list[dataclasses.Field[Any]], frozen: bool) -> Callable[..., None]:
    """`__init__`, from code compiled once for every class of its shape.

    The source is written with a placeholder for each field's name (`_field_0_`, …) and without the
    defaults; classes with the same number and kinds of fields share its compiled code, each taking a
    copy with the placeholders renamed to its fields and its defaults attached: the function compiling
    the class's own source would make, for a fraction of a compile (about 0.1 ms each).
    """
    namespace: dict[str, Any] = {"__object_setattr": object.__setattr__, "__FACTORY": _STDLIB._HAS_DEFAULT_FACTORY}
    parameters: list[str] = []
    defaults: list[object] = []
    body: list[str] = []
    names: dict[str, str] = {}  # placeholder → the field's name
    for index, field in enumerate(everything):
        if _kind(field) is _STDLIB._FIELD_CLASSVAR:
            continue
        placeholder = f"_field_{index}_"
        names[placeholder] = field.name
        value = _parameter(field, index, placeholder, namespace, parameters, defaults)
        if value is not None and _kind(field) is _STDLIB._FIELD:
            store = f"__object_setattr(self, {placeholder!r}, {value})" if frozen else f"self.{placeholder} = {value}"
            body.append(store)
    if hasattr(cls, "__post_init__"):
        initvars = [f"_field_{i}_" for i, field in enumerate(everything) if _kind(field) is _STDLIB._FIELD_INITVAR]
        body.append(f"self.__post_init__({', '.join(initvars)})")
    source = f"def __init__(self, {', '.join(parameters)}):\n    " + "\n    ".join(body or ["pass"])
    template = _COMPILED.get(source)
    if template is None:
        module = compile(source, "<dataclass>", "exec")
        template = next(constant for constant in module.co_consts if isinstance(constant, CodeType))
        _COMPILED[source] = template
    code = template.replace(
        co_varnames=tuple(names.get(name, name) for name in template.co_varnames),
        co_names=tuple(names.get(name, name) for name in template.co_names),
        co_consts=tuple(names.get(c, c) if isinstance(c, str) else c for c in template.co_consts),
        co_qualname=f"{cls.__qualname__}.__init__",
        co_filename=f"<dataclass {cls.__qualname__}>",
    )
    function: Callable[..., None] = FunctionType(code, namespace, "__init__", tuple(defaults) or None)
    function.__qualname__ = f"{cls.__qualname__}.__init__"
    function.__annotations__ = {field.name: field.type for field in everything if field.init} | {"return": None}
    return function


_COMPILED: dict[str, CodeType] = {}  # the code of `__init__` by its source with placeholder names


def _parameter(
    field: dataclasses.Field[Any],
    index: int,
    placeholder: str,
    namespace: dict[str, Any],
    parameters: list[str],
    defaults: list[object],
) -> str | None:
    """The field's parameter of `__init__` (appended to `parameters`, its default to `defaults`) and the
    expression its value is stored from."""
    has_default = field.default is not dataclasses.MISSING
    has_factory = field.default_factory is not dataclasses.MISSING
    if has_default:
        namespace[f"__default_{index}"] = field.default
    if has_factory:
        namespace[f"__factory_{index}"] = field.default_factory
    if not field.init:
        return f"__factory_{index}()" if has_factory else (f"__default_{index}" if has_default else None)
    if defaults and not (has_default or has_factory):
        raise TypeError(f"non-default argument {field.name!r} follows default argument")
    parameters.append(placeholder)
    if has_factory:
        defaults.append(_STDLIB._HAS_DEFAULT_FACTORY)
        return f"__factory_{index}() if {placeholder} is __FACTORY else {placeholder}"
    if has_default:
        defaults.append(field.default)
    return placeholder


def _key(names: list[str]) -> Callable[[object], tuple[Any, ...]]:
    """The tuple of the named attributes, as the standard library compares and hashes them."""
    if not names:
        return lambda instance: ()
    if len(names) == 1:
        getter = attrgetter(names[0])
        return lambda instance: (getter(instance),)
    return attrgetter(*names)


def _eq(key: Callable[[object], tuple[Any, ...]]) -> Callable[[object, object], Any]:
    def __eq__(self: object, other: object) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _hash(key: Callable[[object], tuple[Any, ...]]) -> Callable[[object], int]:
    def __hash__(self: object) -> int:
        return hash(key(self))

    return __hash__


def _repr(names: list[str]) -> Callable[[object], str]:
    def __repr__(self: object) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _frozen_setattr(cls: type, names: frozenset[str]) -> Callable[[Any, str, object], None]:
    def __setattr__(self: Any, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)  # what super() would call: these records have no other base

    return __setattr__


def _frozen_delattr(cls: type, names: frozenset[str]) -> Callable[[Any, str], None]:
    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)  # likewise

    return __delattr__
