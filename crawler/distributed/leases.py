"""The Lua scripts of the leases: every move of a request between queue, lease and items is one atomic
step in Redis (see the package's docstring for the rules)."""

# The meta key under which a leased request carries its lease token (worker|seq|score).
LEASE_META = "_distributed_lease"

# KEYS: queue, processing. ARGV: token prefix (worker|seq). The request with the best priority moves to
# `processing` under the token worker|seq|score (the score, to put it back where it was).
POP_LUA = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
local token = ARGV[1] .. '|' .. found[2]
redis.call('HSET', KEYS[2], token, found[1])
return {token, found[1]}
"""

# KEYS: queue, dupefilter, processing, sequence. ARGV: fingerprint ('' = dont_filter), priority, request,
# parent token ('' = none). Seen-check and push in one step. Within a priority the newest request comes out
# first, as in Scrapy's own (LIFO) queues, so a listing's next page is fetched before the reviews it lists
# (stock scrapy-redis orders equal priorities by the pickled bytes). A parent token hands the lease over (a
# redirect or retry replaces the leased request); if that lease is gone (the worker was taken for dead and
# the request re-queued) the replacement is dropped: the re-queued original will make it again.
ENQUEUE_LUA = """
if ARGV[4] ~= '' and redis.call('HEXISTS', KEYS[3], ARGV[4]) == 0 then return -1 end
local added = 1
if ARGV[1] ~= '' then added = redis.call('SADD', KEYS[2], ARGV[1]) end
if added == 1 then
  local score = -tonumber(ARGV[2]) * 1e12 - redis.call('INCR', KEYS[4])
  redis.call('ZADD', KEYS[1], score, ARGV[3])
end
if ARGV[4] ~= '' then redis.call('HDEL', KEYS[3], ARGV[4]) end
return added
"""
PRIORITY_STEP = 1e12  # a score is -priority * 1e12 - sequence (exact in a double while |priority| < 9000)

# KEYS: processing, items. ARGV: token, items... The request is done: its items go out with the lease's
# end, or not at all when the lease is no longer ours.
COMMIT_LUA = """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
for i = 2, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
return 1
"""

# KEYS: processing, queue. ARGV: heartbeat key prefix, a worker to treat as dead ('' = none). Requests
# leased by workers without a heartbeat go back on the queue with their priority.
REAP_LUA = """
local entries = redis.call('HGETALL', KEYS[1])
local alive = {}
local requeued = 0
for i = 1, #entries, 2 do
  local token = entries[i]
  local worker, score = string.match(token, '^(.*)|[^|]*|([^|]*)$')
  if worker then
    if alive[worker] == nil then
      if worker == ARGV[2] then alive[worker] = 0 else alive[worker] = redis.call('EXISTS', ARGV[1] .. worker) end
    end
    if alive[worker] == 0 then
      redis.call('ZADD', KEYS[2], tonumber(score), entries[i + 1])
      redis.call('HDEL', KEYS[1], token)
      requeued = requeued + 1
    end
  end
end
return requeued
"""

# KEYS: queue, processing, done. The crawl is over when nothing is queued and nothing is leased.
DONE_LUA = """
if redis.call('EXISTS', KEYS[3]) == 1 then return 1 end
if redis.call('ZCARD', KEYS[1]) > 0 or redis.call('HLEN', KEYS[2]) > 0 then return 0 end
redis.call('SET', KEYS[3], '1')
return 1
"""

# KEYS: stats hash. ARGV: field, value. Keep the maximum (request_depth_max).
HMAX_LUA = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if (not old) or tonumber(old) < tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1
"""
