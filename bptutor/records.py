"""`dataclass`, as the standard library's, created about five times faster at import.

Python 3.11 and 3.12 compile each generated method of a dataclass (`__init__`,
`__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`) from its own
source text: about half a millisecond per frozen class, most of bptutor's
start-up. Here the fields are collected into the standard library's own `Field`
objects, as it collects them (so `fields`, `replace`, `asdict` and
`is_dataclass` work as ever; a class with anything more than plain string
annotations and defaults has them collected by the standard library itself),
`__init__` is compiled once for all the classes of one shape (the number and
kinds of their fields) and renamed for each, the other methods are shared
functions that read the class's fields, and a class without a docstring gets
its signature, written as `inspect` writes it, without asking `inspect`. The
instances behave as the standard library's do: the same equality, hash, repr,
and `FrozenInstanceError` on assignment.

Anything beyond the plain forms `@dataclass` and `@dataclass(frozen=True)`
(ordering, slots, keyword-only fields, inheritance between dataclasses, a
class that writes its own dunder methods) goes whole to the standard library, as
does every class on Python 3.13 and later, which compiles one text per class.

Type checkers see the standard library's `dataclass` (imported under
`TYPE_CHECKING`), so they check these classes as the dataclasses they are.
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections.abc import Callable
from operator import attrgetter
from types import CodeType, FunctionType, MemberDescriptorType
from typing import TYPE_CHECKING, Any, ClassVar

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
                collect = _collection(target)
                if collect is not None:
                    return _record(target, bool(options.get("frozen", False)), collect)
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


def _record(cls: type, frozen: bool, collect: Callable[[type, bool], None]) -> type:
    """The dataclass: its fields collected by `collect`, the methods added here."""
    target: Any = cls  # methods and dataclass attributes are set on the class, which the type of `type` does not know
    documented = bool(cls.__dict__.get("__doc__"))
    if not documented:
        cls.__doc__ = "-"  # the signature is written once `__init__` is there
    collect(cls, frozen)
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
        cls.__doc__ = cls.__name__ + _signature_text(cls, target.__init__).replace(" -> None", "")
    return cls


def _signature_text(cls: type, init: Callable[..., None]) -> str:
    """`str(inspect.signature(cls))`, the standard library's docstring of a class without one: written here
    from the `__init__` made by `_init` when that is what `inspect` reads (no metaclass, `__new__` or
    `__signature__` of the class's own, every annotation a string), else asked of `inspect`."""
    annotations: dict[str, Any] = init.__annotations__
    new: object = cls.__new__
    plain = type(cls) is type and new is object.__new__ and not hasattr(cls, "__signature__")
    if not plain or any(type(value) is not str for key, value in annotations.items() if key != "return"):
        import inspect

        return str(inspect.signature(cls))
    code = init.__code__
    names = code.co_varnames[1 : code.co_argcount]
    defaults = init.__defaults__ or ()
    first_default = len(names) - len(defaults)
    parameters = []
    for index, name in enumerate(names):
        text = f"{name}: {annotations[name]!r}" if name in annotations else name
        if index >= first_default:
            text += f"{' = ' if name in annotations else '='}{defaults[index - first_default]!r}"
        parameters.append(text)
    return f"({', '.join(parameters)}) -> None"


_IDENTIFIER = _STDLIB._MODULE_IDENTIFIER_RE  # how the standard library reads a string annotation's first name
_CLASS_OR_INIT_VARIABLES = (ClassVar, dataclasses.InitVar)
_MARKER_TYPES = (type(ClassVar[int]), dataclasses.InitVar)  # ClassVar[int] or InitVar[int] kept under a name
_MORE_PARAMS: dict[str, bool] = (
    {"match_args": True, "kw_only": False, "slots": False, "weakref_slot": False} if sys.version_info >= (3, 12) else {}
)


def _collection(cls: type) -> Callable[[type, bool], None] | None:
    """How the fields of a plain class are collected: by `_collect`, by the standard library
    (`_standard_fields`), or None when the whole class goes to the standard library (keyword-only fields,
    which `_init` does not write; annotations that are not a dict; a module that is not loaded).

    `_collect` takes the plain case: every annotation a string whose first name (`_first_name`) is no
    ClassVar, InitVar or KW_ONLY, nor a ClassVar[…] or InitVar[…] kept under a name; no default that is a
    slot, a mutable value or a `field()` inherited from a base; no `field()` without an annotation; nothing
    abstract. The standard library reads the first name with the same pattern and checks it against the
    markers three times over; here it is read once.
    """
    own = vars(cls)
    annotations = own.get("__annotations__", {})  # its own, as the standard library reads them
    module = sys.modules.get(cls.__module__)
    if type(annotations) is not dict or module is None:
        return None
    namespace = module.__dict__
    fast = not hasattr(cls, "__abstractmethods__")
    for name, annotation in annotations.items():
        fast = fast and type(annotation) is str
        named = _first_name(annotation, namespace) if isinstance(annotation, str) else annotation
        if named is dataclasses.KW_ONLY:
            return None
        if any(named is marker for marker in _CLASS_OR_INIT_VARIABLES) or type(named) in _MARKER_TYPES:
            fast = False
        default: Any = getattr(cls, name, dataclasses.MISSING)
        if isinstance(default, dataclasses.Field):
            if default.kw_only is True:
                return None
            fast = fast and default.default.__class__.__hash__ is not None and own.get(name) is default
        else:
            fast = fast and not isinstance(default, MemberDescriptorType) and default.__class__.__hash__ is not None
    if fast and any(isinstance(value, dataclasses.Field) and key not in annotations for key, value in own.items()):
        fast = False  # a `field()` without an annotation, which the standard library refuses
    return _collect if fast else _standard_fields


def _first_name(annotation: str, namespace: dict[str, Any]) -> object:
    """What the annotation's first name is where the standard library looks for a marker: in the class's
    module, or after `typing.` or `dataclasses.` in that module (None where it does not look)."""
    found = _IDENTIFIER.match(annotation)
    if found is None:
        return None
    prefix, first = found.groups()
    if prefix is not None:
        held = namespace.get(prefix)
        if held is not typing and held is not dataclasses:
            return None
        return vars(held).get(first)
    return namespace.get(first)


def _standard_fields(cls: type, frozen: bool) -> None:
    """The fields collected by the standard library (`_record` sets the parameters it ends with)."""
    dataclasses.dataclass(cls, init=False, repr=False, eq=False)


def _collect(cls: type, frozen: bool) -> None:
    """The fields and the dataclass parameters of a class `_collection` finds plain, set as
    `dataclasses.dataclass(cls, init=False, repr=False, eq=False)` and then `_record` set them."""
    annotations: dict[str, str] = vars(cls).get("__annotations__", {})
    target: Any = cls
    target.__dataclass_params__ = _STDLIB._DataclassParams(True, True, True, False, False, frozen, **_MORE_PARAMS)
    collected: list[Any] = []  # the fields, whose private kind is set as the standard library sets it
    for name, annotation in annotations.items():
        made: Any = getattr(cls, name, dataclasses.MISSING)
        if not isinstance(made, dataclasses.Field):  # as `field(default=…)`
            made = _STDLIB.Field(made, dataclasses.MISSING, True, True, None, True, None, dataclasses.MISSING)
        made.name = name
        made.type = annotation
        made._field_type = _STDLIB._FIELD
        if made.kw_only is dataclasses.MISSING:
            made.kw_only = False
        collected.append(made)
    fields: dict[str, Any] = {}
    for made in collected:  # as the standard library: a default given by `field()` becomes the class attribute
        fields[made.name] = made
        if isinstance(getattr(cls, made.name, None), dataclasses.Field):
            if made.default is dataclasses.MISSING:
                delattr(cls, made.name)
            else:
                setattr(cls, made.name, made.default)
    target.__dataclass_fields__ = fields
    if "__match_args__" not in cls.__dict__:
        match_args = tuple(made.name for made in fields.values() if made.init)
        setattr(cls, "__match_args__", match_args)  # noqa: B010 (mypy refuses the attribute)


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
