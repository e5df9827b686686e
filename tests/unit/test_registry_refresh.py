"""ModelRegistry.refresh: who is asked, and which problems are kept."""

from __future__ import annotations

from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import ErrorClass, ProviderError
from dexter_ls.models.registry import ModelRegistry
from tests.fakes.scripted import ScriptedProvider


class Counting(ScriptedProvider):
    def __init__(self, name: str, fail: bool = False) -> None:
        super().__init__(name)
        self.asked = 0
        self.fail = fail

    async def discover(self) -> list[ModelInfo]:
        self.asked += 1
        if self.fail:
            raise ProviderError(ErrorClass.CONNECTION, "connection refused")
        return [ModelInfo(f"{self.name}/m", self.name, "m", "m")]


async def test_a_probe_skips_a_provider_just_asked_but_not_one_replaced_since() -> None:
    registry = ModelRegistry()
    fresh, down = Counting("fresh"), Counting("down", fail=True)
    registry.register_provider(fresh)
    registry.register_provider(down)
    await registry.refresh(["fresh", "down"])  # installing them asked them
    assert registry.provider_problems == {"down": "connection: connection refused"}
    await registry.refresh(skip_recent=60)  # the start-up probe right after
    assert (fresh.asked, down.asked) == (1, 1)
    assert "down" in registry.provider_problems  # a problem of a skipped one stays known
    replaced = Counting("fresh")
    registry.register_provider(replaced)  # new settings: a new object under the same name
    await registry.refresh(skip_recent=60)
    assert (replaced.asked, down.asked) == (1, 1)
    await registry.refresh()  # an explicit refresh asks everyone
    assert (replaced.asked, down.asked) == (2, 2)
