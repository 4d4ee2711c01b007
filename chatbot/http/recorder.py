"""What the server does with each reply besides returning it.

The routes hand every reply to one ``Recorder``, which passes it on to whatever the server was
started with: the ``--log-unanswered`` file today. Nothing here may slow a reply down noticeably
or fail it: a recorder that cannot write warns once and carries on.
"""

from __future__ import annotations

from typing import Any

from ..authoring.unanswered import UnansweredLog
from ..engine.reply import Reply


class Recorder:
    """Hands each reply to the unanswered-question log, when there is one."""

    def __init__(self, *, unanswered: UnansweredLog | None = None):
        self.unanswered = unanswered

    def replied(self, text: str, reply: Reply, bot: Any) -> None:
        if self.unanswered is not None:
            self.unanswered.record(text, reply, bot)
