"""Reloading every worker: the admin endpoint asks ``chatbot serve``'s supervisor for a rolling restart.

With several workers, a reload in one worker leaves the others on the old base. ``chatbot serve``
records its supervisor's pid in ``CHATBOT_SUPERVISOR_PID``; a worker whose parent is that process
sends it SIGHUP, and uvicorn's supervisor replaces the workers one by one (each new worker loads
the files; one that cannot keeps its predecessor).
"""

import os
import signal

ENV_SUPERVISOR = "CHATBOT_SUPERVISOR_PID"


def reload_all_workers() -> bool:
    """Ask the supervisor for a rolling restart; False when this process has none (one worker)."""
    raw = os.environ.get(ENV_SUPERVISOR, "")
    if not raw.isdigit() or int(raw) != os.getppid() or not hasattr(signal, "SIGHUP"):
        return False
    try:
        os.kill(int(raw), signal.SIGHUP)
    except OSError:
        return False
    return True
