"""scrapy-redis's priority queue with acknowledged pops: nothing is lost with a dead worker.

scrapy-redis removes a request from Redis the moment a worker pops it; if that worker dies
before the page is stored, the request is gone. Here a pop moves the request, atomically, into
the worker's *processing* hash under a ticket; the ticket is acknowledged (the entry deleted)
only when everything the page led to is done (see ``tracker``). Entries of a worker whose
heartbeat stopped are pushed back into the queue by the others (``liveness``).
"""

from __future__ import annotations

import logging
import uuid

from scrapy_redis.queue import PriorityQueue

log = logging.getLogger(__name__)
TICKET = "dv_ticket"  # request meta key: the processing-hash field of a popped request

# Pop the best request into the processing hash. Field "<ticket>|<score>" keeps the priority
# for a re-queue. KEYS: queue, processing hash; ARGV: ticket. Returns the request or nil.
_POP_SCRIPT = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #found == 0 then return nil end
redis.call('ZREM', KEYS[1], found[1])
redis.call('HSET', KEYS[2], ARGV[1] .. '|' .. found[2], found[1])
return {found[1], found[2]}
"""

# Put every entry of a processing hash back into the queue, then drop the hash.
# KEYS: processing hash, queue. Returns how many requests were re-queued.
REQUEUE_SCRIPT = """
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local score = string.match(entries[i], '|(.*)$')
  redis.call('ZADD', KEYS[2], tonumber(score) or 0, entries[i + 1])
end
redis.call('DEL', KEYS[1])
return #entries / 2
"""


class ReliablePriorityQueue(PriorityQueue):
    """PriorityQueue whose ``pop`` keeps the request in ``processing_key`` until ``ack``."""

    processing_key: str | None = None  # set by the scheduler before the first pop

    def pop(self, timeout: int = 0):
        if self.processing_key is None:
            raise RuntimeError("ReliablePriorityQueue needs processing_key before pop()")
        ticket = uuid.uuid4().hex
        found = self.server.eval(_POP_SCRIPT, 2, self.key, self.processing_key, ticket)
        if not found:
            return None
        data, score = found
        field = f"{ticket}|{score.decode() if isinstance(score, bytes) else score}"
        try:
            request = self._decode_request(data)
        except Exception:  # noqa: BLE001 (any unpickling error): drop it, or it comes back forever
            log.exception("dropped an undecodable request from %s: %r", self.key, data[:200])
            self.server.hdel(self.processing_key, field)
            return None
        request.meta[TICKET] = field
        return request

    def ack(self, ticket: str) -> None:
        """The popped request is fully handled: forget it."""
        self.server.hdel(self.processing_key, ticket)

    def in_flight(self) -> int:
        return self.server.hlen(self.processing_key) if self.processing_key else 0
