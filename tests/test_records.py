"""bptutor.core.records.dataclass behaves as the standard library's dataclass."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from typing import Any, ClassVar

import pytest

from bptutor.core import records


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
