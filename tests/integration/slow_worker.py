"""An RQ worker whose vision engine takes a minute: the test kills it mid-job.

Run as a script by ``test_screenshot_pipeline``; heartbeats are fast so the test is short.
"""

from __future__ import annotations

import sys
import time


class SlowEngine:
    name = "slow"

    def analyze(self, image):  # noqa: ANN001, ANN201
        time.sleep(60)
        raise RuntimeError("should have been killed by now")


def main() -> int:
    from techledger.services import analysis

    analysis.engine = lambda _name: SlowEngine()
    analysis.HEARTBEAT_S = 0.3
    original = analysis.Heartbeat.__init__

    def fast(self, ticket, every=0.3):  # noqa: ANN001, ANN202
        original(self, ticket, every=0.3)

    analysis.Heartbeat.__init__ = fast
    from workers.__main__ import main as worker_main

    return worker_main(["--burst"])


if __name__ == "__main__":
    sys.exit(main())
