"""The server's settings beyond the knowledge base: the store, the webhook, the docs pages.

``chatbot serve`` passes them to ``create_app`` directly with one worker, and through the
environment (``to_env``/``from_env``) to the workers it starts, which build the app themselves.
"""

import os
from dataclasses import dataclass

from ..store.retention import DEFAULT_RETAIN_DAYS

ENV_STORE, ENV_STORE_QUESTIONS, ENV_RETAIN = "CHATBOT_STORE", "CHATBOT_STORE_QUESTIONS", "CHATBOT_RETAIN_DAYS"
ENV_WEBHOOK, ENV_WEBHOOK_SECRET = "CHATBOT_HANDOFF_WEBHOOK", "CHATBOT_HANDOFF_SECRET"
ENV_DOCS = "CHATBOT_DOCS"


@dataclass(frozen=True)
class ServerSettings:
    store: str = ""
    store_questions: bool = False
    retain_days: float = DEFAULT_RETAIN_DAYS
    handoff_webhook: str = ""
    handoff_secret: str = ""
    docs: bool = True

    @classmethod
    def from_env(cls) -> "ServerSettings":
        env = os.environ
        return cls(store=env.get(ENV_STORE, ""), store_questions=env.get(ENV_STORE_QUESTIONS, "") == "1",
                   retain_days=float(env.get(ENV_RETAIN) or DEFAULT_RETAIN_DAYS),
                   handoff_webhook=env.get(ENV_WEBHOOK, ""), handoff_secret=env.get(ENV_WEBHOOK_SECRET, ""),
                   docs=env.get(ENV_DOCS, "1") != "0")

    def to_env(self) -> dict[str, str]:
        return {ENV_STORE: self.store, ENV_STORE_QUESTIONS: "1" if self.store_questions else "0",
                ENV_RETAIN: str(self.retain_days), ENV_WEBHOOK: self.handoff_webhook,
                ENV_WEBHOOK_SECRET: self.handoff_secret, ENV_DOCS: "1" if self.docs else "0"}
