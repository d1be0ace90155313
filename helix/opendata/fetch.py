"""Guarded HTTP(S) fetching for harvests and link checks.

Only http and https; every address a host name resolves to must be public (no loopback,
private, link-local, reserved, multicast or unspecified address), checked before connecting
and again for every redirect; the connection goes to the checked address (no second DNS
lookup to rebind). Loopback is allowed only when HELIX_HARVEST_ALLOW_LOOPBACK is true (tests,
benchmarks). The size limit is checked against Content-Length before reading and again while
reading, the time limit while reading; no compressed transfer is asked for.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "Helix-harvester/1.0 (+DCAT-AP)"
MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class FetchError(Exception):
    """A fetch that was refused or failed; the message is readable for the run report."""


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def max_bytes() -> int:
    return int(setting("HELIX_HARVEST_MAX_BYTES", 50 * 1024 * 1024))


def timeout_seconds() -> float:
    return float(setting("HELIX_HARVEST_TIMEOUT", 60))


def address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return bool(setting("HELIX_HARVEST_ALLOW_LOOPBACK", False))
    return not (ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified) and ip.is_global


def resolve(host: str, port: int) -> str:
    """The first address of host after checking that every address it resolves to is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(_("The host name %(host)s cannot be resolved.") % {"host": host}) from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(_("The host name %(host)s cannot be resolved.") % {"host": host})
    for address in addresses:
        if not address_allowed(str(address)):
            raise FetchError(
                _("Refused: %(host)s points to a non-public address (%(address)s).") % {"host": host, "address": address}
            )
    return str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass
class Response:
    url: str
    status: int
    content_type: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def _open(url: str, method: str, accept: str, timeout: float) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(_("Refused: only http and https addresses can be harvested (%(url)s).") % {"url": url})
    host = parts.hostname
    if not host:
        raise FetchError(_("The address %(url)s has no host.") % {"url": url})
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(host, port)
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    conn = cls(host, port, address, timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "identity"}
    try:
        conn.request(method, path, headers=headers)
        return conn, conn.getresponse()
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        raise FetchError(_("Could not connect to %(url)s: %(error)s") % {"url": url, "error": exc}) from exc


def fetch(
    url: str,
    *,
    accept: str = "*/*",
    method: str = "GET",
    limit: int | None = None,
    timeout: float | None = None,
    read_body: bool = True,
) -> Response:
    """Fetch url following at most MAX_REDIRECTS redirects, each one through the address guard.

    Raises FetchError when refused, too large, too slow or unreachable; HTTP error statuses
    are returned (the caller decides)."""
    limit = max_bytes() if limit is None else limit
    timeout = timeout_seconds() if timeout is None else timeout
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        conn, resp = _open(url, method, accept, max(0.1, deadline - time.monotonic()))
        try:
            if resp.status in (301, 302, 303, 307, 308) and resp.getheader("Location"):
                url = urljoin(url, resp.getheader("Location", ""))
                if resp.status == 303:
                    method = "GET"
                continue
            headers = {k.lower(): v for k, v in resp.getheaders()}
            result = Response(url=url, status=resp.status, content_type=headers.get("content-type", ""), headers=headers)
            if not read_body or method == "HEAD":
                return result
            length = headers.get("content-length", "")
            if length.isdigit() and int(length) > limit:
                raise FetchError(
                    _("Refused: %(url)s announces %(size)s bytes, more than the limit of %(limit)s bytes.")
                    % {"url": url, "size": length, "limit": limit}
                )
            chunks: list[bytes] = []
            total = 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(
                        _("Stopped: %(url)s took longer than %(seconds)s seconds.") % {"url": url, "seconds": timeout}
                    )
                try:
                    chunk = resp.read(min(CHUNK, limit + 1 - total))
                except (OSError, http.client.HTTPException) as exc:
                    raise FetchError(_("Reading %(url)s failed: %(error)s") % {"url": url, "error": exc}) from exc
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise FetchError(
                        _("Stopped: %(url)s is larger than the limit of %(limit)s bytes.") % {"url": url, "limit": limit}
                    )
                chunks.append(chunk)
            result.body = b"".join(chunks)
            return result
        finally:
            conn.close()
    raise FetchError(_("Too many redirects from %(url)s.") % {"url": url})
