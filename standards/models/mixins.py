"""Behaviour shared by pages that carry minimum standards."""

from __future__ import annotations

from standards.commitments import Commitment


class CommitmentsMixin:
    """For pages with a ``standards`` StreamField of CommitmentBlocks."""

    def commitments(self) -> list[Commitment]:
        return [Commitment.from_block_value(block.value) for block in self.standards]

    def commitment_for(self, metric: str) -> Commitment | None:
        """The commitment for ``metric`` (the first one with a target), or None."""
        for commitment in self.commitments():
            if commitment.metric == metric and commitment.has_target:
                return commitment
        return None

    def targeted_commitments(self) -> list[Commitment]:
        return [commitment for commitment in self.commitments() if commitment.has_target]

    def other_commitments(self) -> list[Commitment]:
        return [commitment for commitment in self.commitments() if not commitment.has_target]
