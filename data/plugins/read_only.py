"""The published database is read-only: any request but GET, HEAD or OPTIONS answers 405 Method Not Allowed.

Nothing here is written through Datasette (no writable canned queries, no logins), yet a POST to a canned query
reached Datasette's write path and failed there with a 500 (`'tuple' object has no attribute 'asgi_send'`).
Refusing other methods at the door gives the answer HTTP asks for, with the `Allow` header.
"""

from datasette import hookimpl

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def refuse_writes(app):
    async def read_only_app(scope, receive, send):
        if scope["type"] == "http" and scope["method"].upper() not in READ_METHODS:
            body = b"405 Method Not Allowed: this site is read-only (GET and HEAD only)\n"
            await send({"type": "http.response.start", "status": 405, "headers": [
                (b"allow", ", ".join(READ_METHODS).encode()), (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    return read_only_app


@hookimpl
def asgi_wrapper(datasette):
    return refuse_writes
