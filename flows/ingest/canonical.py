"""Canonical article URLs and the ids derived from them.

One article reached through tracking parameters, fragments, AMP or mobile variants, trailing slashes or a
different letter case in the host must get one URL, hence one article id (sha256(canonical url)[:16]).
"""
from __future__ import annotations

import hashlib
import logging
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from warehouse.load import short_hash

logger = logging.getLogger(__name__)

# Query parameters that only say where a click came from.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
    "_ga", "_gl", "_hsenc", "_hsmi", "ocid", "cmpid", "icid", "ncid", "sr_share", "xtor", "at_medium",
    "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4", "ref", "ref_src", "referrer",
    "via", "s_cid", "spm", "amp", "outputtype", "ito", "int_source",
    "int_medium", "int_campaign",
})
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "hsa_", "ga_", "at_")
_VARIANT_SUBDOMAINS = ("amp.", "m.", "mobile.")
_AMP_PATH = re.compile(r"(?:/amp/?$|\.amp(?=\.html?$)|/amp(?=/?$))", re.IGNORECASE)


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def canonicalize(url: str, base: str | None = None) -> str | None:
    """The canonical form of an http(s) URL, or None when `url` is not one (mailto:, javascript:, empty)."""
    if not url or not url.strip():
        return None
    url = url.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    for prefix in _VARIANT_SUBDOMAINS:
        # m.example.com -> example.com, but never strip a label that would leave a bare TLD.
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path or "/"
    path = re.sub(r"/{2,}", "/", path)
    path = _AMP_PATH.sub("", path) or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query.sort()
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


def _site(host: str) -> str:
    host = host.lower()
    for prefix in ("www.",) + _VARIANT_SUBDOMAINS:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix):]
    return host


def choose_canonical(link: str, rel_canonical: str | None, page_url: str | None = None) -> str:
    """The page's rel=canonical when it is sane (http(s), same site, not the home page unless the link is),
    else the canonicalised link. `link` must already be canonical."""
    if rel_canonical:
        candidate = canonicalize(rel_canonical, base=page_url or link)
        if candidate:
            cand, own = urlsplit(candidate), urlsplit(link)
            same_site = _site(cand.hostname or "") == _site(own.hostname or "")
            homepage = cand.path in ("", "/") and own.path not in ("", "/")
            if same_site and not homepage:
                return candidate
            logger.debug("ignoring rel=canonical %s for %s (other site or home page)", rel_canonical, link)
    return link


def article_id(canonical_url: str) -> str:
    """sha256(canonical url)[:16], the natural key of an article."""
    return short_hash(canonical_url)


def feed_id(url: str) -> str:
    """sha256(feed url)[:16]; feed URLs are used as given (a feed URL is an address, not an article)."""
    return short_hash(url.strip())


def content_hash(text: str) -> str:
    """Hash of the text with case and whitespace normalised: identical content under two URLs collides."""
    norm = " ".join(text.lower().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]
