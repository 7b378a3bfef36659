"""Live crawls fetch only public addresses: a review site's link (or DNS) pointing at loopback, a private
network or a link-local address would make the crawler a way into the machine's own network."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from twisted.internet.error import DNSLookupError


class PrivateAddressRefused(IgnoreRequest):
    """The request's host is, or resolves to, an address that is not public."""


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv4 addresses reached through a NAT64 gateway


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6:
        # An IPv4 address written as IPv6 (::ffff:127.0.0.1, 6to4 2002:7f00:1::, NAT64 64:ff9b::7f00:1) is as
        # public as the IPv4 address it carries.
        embedded = ip.ipv4_mapped or ip.sixtofour or (
            ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in NAT64 else None)
        if embedded is not None:
            return is_public(str(embedded))
    return ip.is_global and not ip.is_multicast


async def check_public(url: str, resolved: dict[str, bool]) -> None:
    """Raise PrivateAddressRefused unless every address of the URL's host is public (cached per host)."""
    host = urlsplit(url).hostname or ""
    if host not in resolved:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            # Refused here, not left to the download: its own lookup a moment later could answer (DNS
            # rebinding) with an address this check never saw. Not cached: the failure may be passing.
            raise DNSLookupError(f"{host}: {error}") from None
        resolved[host] = all(is_public(info[4][0]) for info in infos)
    if not resolved[host]:
        raise PrivateAddressRefused(f"refusing {url}: {host} is not a public address")
