"""The REPL in a real pseudo-terminal (pexpect), and its pieces without one."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from chatbot import Bot
from chatbot.terminal.repl import make_completer, make_session, run_repl
from tests import support

MINI = str(support.MINI)
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r")


class Terminal:
    """A chatbot in a pseudo-terminal; `screen` is everything printed so far, without ANSI codes."""

    def __init__(self, tmp_path: Path, *args: str):
        env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "100", "LINES": "40", "TERM": "xterm",
               "XDG_DATA_HOME": str(tmp_path / "data")}
        env.pop("NO_COLOR", None)
        self.child = pexpect.spawn(sys.executable, ["-m", "chatbot", *args], env=env, dimensions=(40, 100),
                                   encoding="utf-8", timeout=15)
        self.log: list[str] = []

    def expect(self, text: str) -> None:
        try:
            self.child.expect(re.escape(text))
        except pexpect.TIMEOUT:  # pragma: no cover - print what the user would have seen
            raise AssertionError(f"timed out waiting for {text!r}; screen:\n{self.screen}") from None
        self.log.append(self.child.before + self.child.after)

    @property
    def screen(self) -> str:
        return ANSI.sub("", "".join(self.log) + str(self.child.before))

    def send(self, line: str) -> None:
        self.child.sendline(line)


def test_real_terminal_session(tmp_path):
    term = Terminal(tmp_path, "--kb", MINI)
    term.expect("Garden FAQ: general tips, not professional advice.")
    term.expect("Ctrl-D to leave")
    term.send("what pests attack roses")
    term.expect("Aphids and black spot")
    term.expect("related:")
    term.expect("Tomato pests")
    term.send("2")
    term.expect("Hornworms and whiteflies")
    term.send("/topics")
    term.expect("When to mulch")
    term.expect("›")  # the prompt is up, so the terminal is in raw mode and ^D reaches the app
    term.child.sendcontrol("d")
    term.expect("Take care.")
    term.child.expect(pexpect.EOF)
    term.child.close()
    assert term.child.exitstatus == 0
    history = tmp_path / "data" / "faq-chatbot" / "history"
    assert "what pests attack roses" in history.read_text()


def test_an_urgent_reply_shows_the_guidance_then_what_was_asked_about(tmp_path):
    term = Terminal(tmp_path)  # the shipped knowledge base
    term.expect("Ctrl-D to leave")
    term.send("my mum has lung mets and she is coughing a lot, is that normal")
    term.expect("medical emergency")
    term.expect("you asked about:")
    term.expect("Symptoms of lung metastasis")
    term.send("1")
    term.expect("Lung metastases can cause coughing")
    term.expect("›")  # the prompt is up again: ^D reaches the app
    term.child.sendcontrol("d")
    term.child.expect(pexpect.EOF)


def test_ctrl_c_clears_the_line_and_keeps_running(tmp_path):
    term = Terminal(tmp_path, "--kb", MINI)
    term.expect("Ctrl-D to leave")
    term.expect("›")
    term.child.send("something half typed")
    term.child.sendcontrol("c")
    term.send("how do i make compost")
    term.expect("Mix green and brown waste")
    term.send("/quit")
    term.expect("Take care.")
    term.child.expect(pexpect.EOF)


def test_completer_offers_questions_and_commands(mini_bot: Bot):
    completer = make_completer(mini_bot)
    found = [c.text for c in completer.get_completions(Document("water ros"), None)]
    assert "How often should I water roses?" in found
    assert "/topics" in [c.text for c in completer.get_completions(Document("/top"), None)]


@pytest.mark.parametrize("keys", ["what is mulch\r\x04", "hello\rwhat is mulch\r/quit\r"])
def test_loop_with_pipe_input(mini_bot: Bot, keys: str):
    said: list[str] = []
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        session = make_session(mini_bot, input=inp, output=DummyOutput())
        assert run_repl(mini_bot, session, say=said.append) == 0
    assert said[0].startswith("Garden FAQ")
    assert any("layer of material" in block for block in said)
    assert said[-1] == "Take care."


def test_new_starts_a_conversation_that_does_not_follow_on(mini_bot: Bot):
    """After /new, "2" picks nothing the earlier answer offered, and the session's context is gone."""
    said: list[str] = []
    keys = "what pests attack roses\r2\r/new\r2\r/quit\r"
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        session = make_session(mini_bot, input=inp, output=DummyOutput())
        assert run_repl(mini_bot, session, say=said.append) == 0
    picked_before, new, picked_after = said[2], said[3], said[4]
    assert "Hornworms and whiteflies" in picked_before
    assert new.startswith("New conversation")
    assert "Hornworms and whiteflies" not in picked_after
