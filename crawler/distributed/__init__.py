"""Distributed crawling on scrapy-redis: any number of workers share one crawl, one writer fills the database.

    scrapy seed [spider ...]      push every spider's start requests to Redis and open a run
    scrapy worker [spider ...]    crawl from the shared queues (as many as you like, on any machine)
    scrapy writer                 the one process that drains the items into data/reviews.db

Only `REDIS_URL` (setting or environment variable) is needed; without it nothing here is used and every
other command runs as before.

What lives in Redis (prefix `DISTRIBUTED_PREFIX`, default `animecritic`; `<run>` is the run id):

    <prefix>:run                    the current run: id, spiders, spider arguments, state (running/finished)
    <prefix>:<run>:<spider>:requests    scrapy-redis priority queue (sorted set of pickled requests)
    <prefix>:<run>:<spider>:dupefilter  scrapy-redis duplicate filter (set of request fingerprints)
    <prefix>:<run>:<spider>:processing  requests popped by a worker and not finished yet: token -> request
    <prefix>:<run>:<spider>:items       the items the workers scraped, JSON, for the writer
    <prefix>:<run>:<spider>:writing     items the writer took and has not stored yet
    <prefix>:<run>:<spider>:stats       the workers' figures (pages, 304s, errors…), summed
    <prefix>:<run>:<spider>:workers / :closed / :done   who crawled the spider, who finished, crawl over
    <prefix>:worker:<id>            a worker's heartbeat (expires after DISTRIBUTED_LEASE_SECONDS)
    <prefix>:<run>:writer           the writer holding the run (one at a time)

In-flight safety. Stock scrapy-redis pops a request from the queue and forgets it: a worker killed while it
downloads or parses loses every request it had popped (with 16 concurrent requests, up to 16 pages and all
the links they would have led to). Here a pop moves the request, in one Lua script, into the spider's
`processing` hash under a lease token naming the worker; the lease lasts as long as the worker's heartbeat.
The request leaves `processing` only when it is completely handled, again atomically:
- with its callback's (or errback's) output: the requests it yielded were pushed to the queue as they
  came (duplicate filter and queue updated in one script, so a crash can never mark a URL seen without
  queueing it), and its items, kept aside meanwhile (a worker has no item pipelines), are pushed to the
  items list in the same script that ends the lease, so a request's items are delivered exactly once;
- or handed over to the request that replaces it (a redirect, a retry), in the script that queues that one;
- or dropped (download error, robots.txt, an HTTP error) with no output.
A worker whose heartbeat expired is dead: any live worker (and every idle one, each poll) puts its leased
requests back on the queue. If it was only slow, its late commit finds its lease gone and is discarded,
so the request's items still arrive once. A spider's crawl is over when its queue and `processing` hash
are both empty (checked in one script): nothing can add a request after that. A worker leases at most as
many requests per spider as twice what it can download at once (CONCURRENT_REQUESTS_PER_DOMAIN per site of
the spider): the rest wait in Redis for whichever worker is free, and a dying worker holds few.

Run tracking. `seed` writes the run marker and the start requests in one transaction. The writer runs one
crawler per spider of the run, named like the spider, whose `start()` drains that spider's item list
through the project's ITEM_PIPELINES (validate, chrome, headline, score, series, store), so
`crawl_runs` gets one row per spider per run exactly as with `crawlall`. A spider's run is finished for
the writer when its crawl is over, its items are all stored, and every worker that crawled it has either
closed it (after pushing its final figures) or died; the workers' figures are then added to the writer's
stats before the run's `crawl_runs` row and health checks are written.

Modules (the scrapy-redis subclasses are loaded only by name, through the settings `worker_settings()` gives,
so no other scrapy command pays for importing redis-py):

    keys.py       settings and their defaults, the Redis connection, key names, worker ids
    run.py        the run marker: seeding a run, waiting for one, finishing it, `runstatus`
    leases.py     the Lua scripts that move a request between queue, lease and items atomically
    engine.py     the only code touching Scrapy's private engine attributes (checked per Scrapy version)
    scheduler.py  scrapy-redis' scheduler, queue and duplicate filter, leased (SCHEDULER and friends)
    worker.py     what makes a crawl a worker: its settings, spider middleware, item encoding, figures
    writer.py     the writer's spiders, draining the items through the item pipelines
    command.py    what the seed, worker, writer and runstatus commands share (waiting for a run, --forever)
"""
