"""The rows behind the case list: every loaded id, and the full rows of recently used blocks.

A list scrolled through a million cases keeps a million ids (8 bytes each) but only the last
``max_blocks`` blocks of full rows; a block that was dropped is fetched again by its ids when
it comes back into view. So memory stays flat however far the user scrolls.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Sequence

from hotline.case_queries import CaseRow

BLOCK = 200
MAX_BLOCKS = 60


class CaseRowStore:
    def __init__(self, block: int = BLOCK, max_blocks: int = MAX_BLOCKS) -> None:
        self.block = block
        self.max_blocks = max_blocks
        self.ids = array("q")
        self._blocks: OrderedDict[int, list[CaseRow | None]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.ids)

    def clear(self) -> None:
        self.ids = array("q")
        self._blocks.clear()

    def replace(self, rows: Sequence[CaseRow]) -> None:
        self.clear()
        self.append(rows)

    def append(self, rows: Sequence[CaseRow]) -> None:
        """Add rows at the end (a new page); their full data goes into the block cache."""
        first = len(self.ids)
        self.ids.extend(row.id for row in rows)
        done = 0
        while done < len(rows):
            position = first + done
            number, offset = divmod(position, self.block)
            take = min(self.block - offset, len(rows) - done)
            chunk: list[CaseRow | None] = list(rows[done : done + take])
            cached = self._blocks.get(number)
            if offset == 0:
                self._blocks[number] = chunk
            elif cached is not None and len(cached) == offset:
                cached.extend(chunk)
            # else: the block's start was dropped meanwhile; it is fetched again when needed
            if number in self._blocks:
                self._blocks.move_to_end(number)
            done += take
        self._evict()

    def get(self, position: int) -> CaseRow | None:
        """The row at ``position`` when its block is cached (else None: fetch the block)."""
        number, offset = divmod(position, self.block)
        cached = self._blocks.get(number)
        if cached is None or offset >= len(cached):
            return None
        self._blocks.move_to_end(number)
        return cached[offset]

    def has(self, position: int) -> bool:
        cached = self._blocks.get(position // self.block)
        return cached is not None and position % self.block < len(cached)

    def block_of(self, position: int) -> int:
        return position // self.block

    def block_range(self, number: int) -> tuple[int, int]:
        """First and last position of block ``number`` (within the loaded rows)."""
        first = number * self.block
        return first, min(first + self.block, len(self.ids)) - 1

    def block_ids(self, number: int) -> list[int]:
        first, last = self.block_range(number)
        return list(self.ids[first : last + 1])

    def put_block(self, number: int, rows: Sequence[CaseRow]) -> None:
        """Cache a block fetched again by its ids (rows in any order; missing ones stay None)."""
        by_id = {row.id: row for row in rows}
        self._blocks[number] = [by_id.get(case_id) for case_id in self.block_ids(number)]
        self._evict()

    def position_of(self, case_id: int) -> int | None:
        try:
            return self.ids.index(case_id)
        except ValueError:
            return None

    def set_row(self, position: int, row: CaseRow) -> bool:
        """Replace a cached row (an update of one case); False when its block is not cached."""
        number, offset = divmod(position, self.block)
        cached = self._blocks.get(number)
        if cached is None or offset >= len(cached):
            return False
        cached[offset] = row
        return True

    def cached_blocks(self) -> int:
        return len(self._blocks)

    def _evict(self) -> None:
        while len(self._blocks) > self.max_blocks:
            self._blocks.popitem(last=False)
