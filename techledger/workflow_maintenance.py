"""Background upkeep of the analysis pipeline while the app runs: stuck analyses are recovered."""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)

RECOVERY_EVERY_S = 60.0


async def recover_stuck_analyses_periodically() -> None:
    """Every minute (and once at start), queue again or fail analyses whose worker stopped."""
    from techledger.services.analysis import recover_now

    while True:
        try:
            result = await asyncio.to_thread(recover_now)
            if result["requeued"] or result["failed"]:
                log.warning("recovered stuck analyses: %s", result)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001  (upkeep must outlive a database hiccup)
            log.exception("recovering stuck analyses failed")
        await asyncio.sleep(RECOVERY_EVERY_S)
