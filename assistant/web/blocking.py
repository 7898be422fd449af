"""Run a call that waits on a database or a disk in a thread, not in the web server's event loop."""

import asyncio
from typing import Any, Callable


async def blocking(function: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)
