"""bptutor.records.dataclass behaves as the standard library's dataclass."""

from __future__ import annotations

import abc
import dataclasses
import inspect
import pickle
import typing
from typing import Any, ClassVar

import pytest

from bptutor import records


def _pair(frozen: bool) -> tuple[type, type]:
    """The same class made by the standard library and by records."""

    def make(decorator: Any) -> type:
        class Sample:
            """A sample."""

            label: str
            weights: tuple[float, ...] = ()
            hidden: int = dataclasses.field(default=7, repr=False, compare=False)
            items: list[int] = dataclasses.field(default_factory=list, hash=False)
            computed: int = dataclasses.field(init=False, default=3)
            shared: ClassVar[int] = 5

        return decorator(frozen=frozen)(Sample)

    return make(dataclasses.dataclass), make(records.dataclass)


@pytest.mark.parametrize("frozen", [True, False])
def test_the_same_behaviour_as_the_standard_library(frozen: bool) -> None:
    standard, fast = _pair(frozen)
    for cls in (standard, fast):
        assert dataclasses.is_dataclass(cls)
    a, b = standard("x", (0.5,), 1), fast("x", (0.5,), 1)
    assert repr(a) == repr(b)
    assert [field.name for field in dataclasses.fields(a)] == [field.name for field in dataclasses.fields(b)]
    assert dataclasses.asdict(a) == dataclasses.asdict(b)
    assert fast("x", (0.5,), 1) == b and fast("x", (0.5,), 2) == b  # `hidden` is not compared
    assert fast("y") != b and b != "x"
    assert b.items == [] and b.items is not fast("x").items
    assert b.computed == 3 and fast.shared == 5
    assert dataclasses.replace(b, label="z") == fast("z", (0.5,), 1)
    assert fast.__match_args__ == standard.__match_args__
    assert (a.__hash__ is None) == (b.__hash__ is None)
    if frozen:
        assert hash(b) == hash(a)
        with pytest.raises(dataclasses.FrozenInstanceError):
            b.label = "q"
        with pytest.raises(dataclasses.FrozenInstanceError):
            del b.label
        assert dataclasses.fields(fast)[0].name == "label" and fast.__dataclass_params__.frozen


def test_post_init_and_unsupported_options_go_to_the_standard_library() -> None:
    seen: list[int] = []

    @records.dataclass(frozen=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            seen.append(self.value)

    Checked(4)
    assert seen == [4]

    @records.dataclass(frozen=True, order=True)
    class Ordered:
        value: int

    assert Ordered(1) < Ordered(2)
    with pytest.raises(TypeError):
        Checked()  # type: ignore[call-arg]


def test_every_record_of_the_package_pickles_and_compares() -> None:
    from bptutor.core.scenario import Notation, Optimizer

    optimizer = Optimizer()
    assert pickle.loads(pickle.dumps(optimizer)) == optimizer
    assert hash(optimizer) == hash(Optimizer())
    assert Notation.__doc__ and "{n}" in Notation.__doc__



def test_classes_of_one_shape_share_compiled_code_and_keep_their_own_names_and_defaults() -> None:
    """Two classes with the same kinds of fields compile one `__init__` between them (`records._COMPILED`);
    each still takes its own field names, as keywords too, and its own defaults, as the standard library's."""

    def shapes(decorate: Any) -> tuple[Any, Any]:
        @decorate(frozen=True)
        class Point:
            x: float
            y: float = 0.0

        @decorate(frozen=True)
        class Span:
            start: int
            stop: int = 10

        return Point, Span

    before = dict(records._COMPILED)
    point, span = shapes(records.dataclass)
    assert len(records._COMPILED) - len(before) <= 1  # one source for both shapes (none if already known)
    standard_point, standard_span = shapes(dataclasses.dataclass)
    for fast, standard in ((point, standard_point), (span, standard_span)):
        assert inspect.signature(fast) == inspect.signature(standard)
    assert point(1.5) == point(x=1.5, y=0.0) and point(y=2.0, x=1.0).y == 2.0
    assert span(3).stop == 10 and span(start=3, stop=4) == span(3, 4)
    assert repr(span(3)).endswith("Span(start=3, stop=10)") and repr(point(1.5)).endswith("Point(x=1.5, y=0.0)")
    assert point.__init__.__code__.co_varnames[:3] == ("self", "x", "y")
    with pytest.raises(TypeError, match="'start'"):
        span()


def test_a_field_without_a_default_after_one_with_is_refused_as_the_standard_library_refuses_it() -> None:
    for decorate in (dataclasses.dataclass, records.dataclass):
        with pytest.raises(TypeError, match="non-default argument 'second' follows default argument"):

            @decorate(frozen=True)
            class Wrong:
                first: int = 1
                second: int  # type: ignore[misc]


# ── the fields collected without the standard library, compared with it form by form ──

ClassVariable = ClassVar  # a ClassVar under another name: the standard library still sees one


def _one_x() -> list[str]:
    return ["x"]


class _Base:
    """Not a dataclass: its class attributes are defaults of the fields annotated below it."""

    inherited = 4
    unit = "m"

    def twice(self) -> int:
        return 2 * self.inherited


def _plain_forms(decorate: Any, frozen: bool) -> dict[str, type]:
    """Classes whose fields `records` collects itself, each made afresh by `decorate`."""

    class Fields:
        """Every option of `field()`."""

        label: str
        weights: tuple[float, ...] = ()
        hidden: int = dataclasses.field(default=7, repr=False, compare=False)
        items: list[int] = dataclasses.field(default_factory=list, hash=False)
        computed: int = dataclasses.field(init=False, default=3)
        made: list[str] = dataclasses.field(init=False, default_factory=_one_x, hash=False)
        hashed: float = dataclasses.field(default=0.5, hash=True, compare=False)
        measured: float = dataclasses.field(default=1.0, metadata={"unit": "m"})
        plain: int | None = None

    class Undocumented:
        first: int
        second: str = "b"

    class UndocumentedFields:
        label: "str"  # noqa: UP037 - quoted twice: the docstring shows "'str'"
        items: list[int] = dataclasses.field(default_factory=list)
        computed: int = dataclasses.field(init=False, default=3)
        quote: str = "it's \"quoted\""
        flag: bool = dataclasses.field(default=False, repr=False)

    class UndocumentedWithNew:
        value: int = 1

        def __new__(cls, *args: object, **kwargs: object) -> Any:
            return super().__new__(cls)

    class Empty:
        """No fields."""

    class Inherited(_Base):
        """Defaults inherited from a base that is not a dataclass."""

        inherited: int
        unit: str
        own: bool = True

    class OwnMatchArgs:
        """Its own __match_args__, which the standard library leaves."""

        __match_args__ = ("second",)
        first: int
        second: int = 2

    class Prefixed:
        """Annotations the standard library reads a module name in, but no marker."""

        optional: typing.Optional[int]  # noqa: UP045 - the prefix is the point
        field: dataclasses.Field[int] | None = None
        quoted: "int" = 0  # noqa: UP037 - a string the standard library's pattern does not match
        shared: ClassVarLike = 1

    made = [Fields, Undocumented, UndocumentedFields, UndocumentedWithNew, Empty, Inherited, OwnMatchArgs, Prefixed]
    return {cls.__name__: decorate(frozen=frozen)(cls) for cls in made}


ClassVarLike = int  # a name that only starts like ClassVar


def _other_forms(decorate: Any, frozen: bool) -> dict[str, Any]:
    """Classes whose fields the standard library collects (or that it makes whole), each made afresh,
    or the error decorating it raises."""

    def attempt(make: Any) -> Any:
        try:
            return make()
        except (TypeError, ValueError) as error:
            return error

    def aliased() -> type:
        class Aliased:
            """A ClassVar under another name."""

            value: int
            shared: ClassVariable[int] = 5

        return decorate(frozen=frozen)(Aliased)

    def prefixed() -> type:
        class Prefixed:
            """typing.ClassVar."""

            value: int
            shared: typing.ClassVar[int] = 5

        return decorate(frozen=frozen)(Prefixed)

    def init_variable() -> type:
        class WithInitVar:
            """An InitVar passed to __post_init__."""

            value: int
            scale: dataclasses.InitVar[int] = 1

            def __post_init__(self, scale: int) -> None:
                object.__setattr__(self, "scaled", self.value * scale)

        return decorate(frozen=frozen)(WithInitVar)

    def keyword_only() -> type:
        class KeywordOnly:
            """Fields after KW_ONLY are keyword-only."""

            first: int
            _: dataclasses.KW_ONLY
            second: int = 2
            third: int

        return decorate(frozen=frozen)(KeywordOnly)

    def keyword_field() -> type:
        class KeywordField:
            """One keyword-only field."""

            first: int = dataclasses.field(kw_only=True)
            second: int = 2

        return decorate(frozen=frozen)(KeywordField)

    def mutable() -> type:
        class Mutable:
            """A mutable default."""

            items: list[int] = []  # noqa: RUF012 - refused, which is the point

        return decorate(frozen=frozen)(Mutable)

    def unannotated() -> type:
        class Unannotated:
            """A field() without an annotation."""

            value: int
            extra = dataclasses.field(default=1)

        return decorate(frozen=frozen)(Unannotated)

    def slotted() -> type:
        class Slots:
            __slots__ = ("slot",)

        class FromSlots(Slots):
            """A field that is a slot of the base: no default."""

            slot: int
            after: int = 1

        return decorate(frozen=frozen)(FromSlots)

    def abstract() -> type:
        class Abstract(abc.ABC):
            @abc.abstractmethod
            def size(self) -> int: ...

        class Concrete(Abstract):
            """Its base is abstract."""

            value: int

            def size(self) -> int:
                return self.value

        return decorate(frozen=frozen)(Concrete)

    def mutable_field() -> type:
        class MutableField:
            """A mutable default given to field()."""

            items: list[int] = dataclasses.field(default=[])

        return decorate(frozen=frozen)(MutableField)

    def inherited_field() -> type:
        class FieldBase:
            shared = dataclasses.field(default=3, repr=False)

        class FromFieldBase(FieldBase):
            """A field() inherited from a base that is not a dataclass."""

            value: int
            shared: int

        return decorate(frozen=frozen)(FromFieldBase)

    def not_strings() -> type:
        class NotStrings:  # undocumented: its docstring is the signature, with the types as inspect shows them
            __annotations__ = {"value": int, "scale": float}
            scale = 1.0

        return decorate(frozen=frozen)(NotStrings)

    makers = [
        aliased, prefixed, init_variable, keyword_only, keyword_field, mutable, mutable_field, unannotated,
        inherited_field, slotted, abstract, not_strings,
    ]
    return {maker.__name__: attempt(maker) for maker in makers}


_METHODS = {"__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"}


def _description(cls: type) -> dict[str, object]:
    """What the standard library makes a dataclass, as values that compare across two makings of the class."""
    attributes = {
        name: type(value) if isinstance(value, staticmethod | classmethod) else value
        for name, value in vars(cls).items()
        if name not in _METHODS | {"__dataclass_fields__", "__dataclass_params__", "__dict__", "__weakref__"}
        and not inspect.isfunction(value)
        and name != "_abc_impl"  # each class's own
    }
    fields = getattr(cls, "__dataclass_fields__", {})
    return {
        "fields": [repr(field) for field in fields.values()],
        "public fields": [repr(field) for field in dataclasses.fields(cls)],
        "parameters": repr(getattr(cls, "__dataclass_params__", None)),
        "signature": str(inspect.signature(cls)),
        "doc": cls.__doc__,
        "attributes": attributes,
        "methods": sorted(name for name in _METHODS if name in vars(cls)),
        "hash is None": cls.__hash__ is None,
    }


def _standard_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """records as before it collected fields itself: always by the standard library."""
    collection = records._collection
    monkeypatch.setattr(
        records, "_collection", lambda cls: None if collection(cls) is None else records._standard_fields
    )


@pytest.mark.parametrize("frozen", [True, False])
def test_plain_forms_are_collected_without_the_standard_library(frozen: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    standard = _plain_forms(dataclasses.dataclass, frozen)

    def refuse(cls: type, frozen: bool) -> None:
        raise AssertionError(f"{cls.__name__}'s fields went to the standard library")

    monkeypatch.setattr(records, "_standard_fields", refuse)
    fast = _plain_forms(records.dataclass, frozen)
    monkeypatch.undo()
    _standard_only(monkeypatch)
    before = _plain_forms(records.dataclass, frozen)
    for name, cls in fast.items():
        assert _description(cls) == _description(standard[name]), name
        # the class's attributes in the same order as when the standard library collected its fields
        assert list(vars(cls)) == list(vars(before[name])), name
        assert _description(cls) == _description(before[name]), name


def test_the_fields_behave_as_the_standard_librarys() -> None:
    standard = _plain_forms(dataclasses.dataclass, True)
    fast = _plain_forms(records.dataclass, True)
    a, b = standard["Fields"]("x"), fast["Fields"]("x")
    assert repr(a) == repr(b)
    assert repr(b).endswith("Fields(label='x', weights=(), items=[], computed=3, made=['x'], hashed=0.5, measured=1.0, plain=None)")
    assert dataclasses.asdict(a) == dataclasses.asdict(b)
    assert hash(a) == hash(b) and b.made is not fast["Fields"]("x").made
    assert dataclasses.fields(b)[7].metadata == {"unit": "m"}
    assert dataclasses.replace(b, label="y").label == "y"
    assert fast["Fields"]("x", hashed=0.25) == b and hash(fast["Fields"]("x", hashed=0.25)) != hash(b)
    inherited = fast["Inherited"]()
    assert (inherited.inherited, inherited.unit, inherited.own, inherited.twice()) == (4, "m", True, 8)
    assert fast["OwnMatchArgs"].__match_args__ == ("second",)
    assert fast["Fields"].__match_args__ == ("label", "weights", "hidden", "items", "hashed", "measured", "plain")
    assert not hasattr(fast["Fields"], "items") and fast["Fields"].hidden == 7 and fast["Fields"].computed == 3
    match b:
        case fast_fields if type(fast_fields) is fast["Fields"]:
            pass
        case _:
            raise AssertionError("no match")
    for name in ("Fields", "Empty", "Undocumented"):
        assert dataclasses.is_dataclass(fast[name])


@pytest.mark.parametrize("frozen", [True, False])
def test_other_forms_go_to_the_standard_library_and_come_out_the_same(
    frozen: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    standard = _other_forms(dataclasses.dataclass, frozen)
    fast = _other_forms(records.dataclass, frozen)
    for name, made in fast.items():
        expected = standard[name]
        if isinstance(expected, Exception):
            assert type(made) is type(expected) and str(made) == str(expected), name
        else:
            assert _description(made) == _description(expected), name
    assert str(fast["mutable"]).startswith("mutable default <class 'list'> for field items is not allowed")
    assert str(fast["unannotated"]) == "'extra' is a field but has no type annotation"
    assert str(inspect.signature(fast["keyword_only"])) == "(first: 'int', *, second: 'int' = 2, third: 'int') -> None"
    assert fast["init_variable"](2, 3).scaled == 6 and fast["slotted"](5).slot == 5
    assert fast["aliased"].shared == 5 and "shared" not in [field.name for field in dataclasses.fields(fast["aliased"])]
    counted: list[str] = []
    standard_fields = records._standard_fields

    def count(cls: type, frozen: bool) -> None:
        counted.append(cls.__name__)
        standard_fields(cls, frozen)

    monkeypatch.setattr(records, "_standard_fields", count)
    _other_forms(records.dataclass, frozen)
    # every form that records still makes went to the standard library for its fields; the others it made whole
    assert counted == [
        "Aliased", "Prefixed", "WithInitVar", "Mutable", "MutableField", "Unannotated", "FromFieldBase", "FromSlots",
        "Concrete", "NotStrings",
    ]


def test_every_record_of_the_package_without_a_docstring_has_the_standard_librarys() -> None:
    """A record without a docstring gets its signature as one, written by records as `inspect` writes it."""
    import importlib
    import pkgutil

    import bptutor

    seen = 0
    for module in pkgutil.walk_packages(bptutor.__path__, "bptutor."):
        if module.name == "bptutor.__main__":
            continue  # it runs the command line
        for value in vars(importlib.import_module(module.name)).values():
            if not (isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.name):
                continue
            if (value.__doc__ or "").startswith(value.__name__ + "("):
                assert value.__doc__ == value.__name__ + str(inspect.signature(value)).replace(" -> None", "")
                seen += 1
    assert seen > 10
