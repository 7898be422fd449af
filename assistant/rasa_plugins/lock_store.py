"""The Rasa server's conversation locks (endpoints.yml): in memory for one Rasa server, in Redis
when several share the conversations (`./wegwijzer start --replicas N`, Kubernetes).

Rasa takes a conversation's lock for each turn, so that two messages of one conversation are
handled one after the other. Its in-memory store only sees the turns of its own process: with
replicas, the lock must live where all of them see it, in Redis (WEGWIJZER_REDIS_URL). Rasa's
Redis lock store can still let two replicas take the same conversation at the same moment
(Rasa issue 9213; the fix went to Rasa Pro only): the load balancer therefore also keeps each
conversation on one replica (assistant/runtime/load_balancer.py).

Redis that cannot be reached raises redis' ConnectionError in the turn; the input channel
(assistant/rasa_plugins/channels.py) then sends the kind fault message.
"""

from typing import AsyncContextManager, Optional, Text
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

REDIS_TIMEOUT = 2.0  # seconds for a Redis command; Rasa's 10 s would keep a resident waiting
# How long a turn holds its conversation's lock at most. Rasa's 60 s meant that after a replica
# stopped in the middle of a turn, the conversation waited a minute for the dead turn's lock, and
# its next turns ran into the turn timeout (20 s, assistant/rasa_plugins/channels.py): with 10 s the
# next turn is answered, late. A live turn takes well under a second, seconds when overloaded.
LOCK_SECONDS = 10.0
WAIT_STEP = 0.1  # seconds between two looks at a lock another turn holds (Rasa: 1 s)


def redis_lock_store(url: str, key_prefix: Optional[str]) -> RedisLockStore:
    """Rasa's Redis lock store for a URL such as redis://:password@host:6379/0."""
    parts = urlsplit(url)
    return RedisLockStore(
        host=parts.hostname or "localhost",
        port=parts.port or 6379,
        db=int(parts.path.strip("/") or 0),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_ssl=parts.scheme == "rediss",
        key_prefix=key_prefix,
        socket_timeout=REDIS_TIMEOUT,
    )


class ConversationLockStore(LockStore):
    """Rasa's Redis lock store when the endpoint has a URL, else its in-memory one: one
    endpoints.yml for every way Wegwijzer runs."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        url = (endpoint_config.url or "").strip()
        prefix = endpoint_config.kwargs.get("key_prefix")
        self.store: LockStore = redis_lock_store(url, prefix) if url else InMemoryLockStore()
        super().__init__()

    def lock(
        self, conversation_id: Text, lock_lifetime: float = LOCK_SECONDS, wait_time_in_seconds: float = WAIT_STEP
    ) -> AsyncContextManager[TicketLock]:
        return super().lock(conversation_id, lock_lifetime, wait_time_in_seconds)

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        return self.store.get_lock(conversation_id)

    def delete_lock(self, conversation_id: Text) -> None:
        self.store.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.store.save_lock(lock)
