"""bptutor.core.records.dataclass behaves as the standard library's dataclass."""

from __future__ import annotations

import dataclasses
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

