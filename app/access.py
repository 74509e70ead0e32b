"""Who may write from the app: curation and ingest need a curator.

On loopback (the default, `kg app` binds 127.0.0.1) whoever reaches the app sits at this machine, and a curator
name is enough. Bound to anything else (or to every interface, Streamlit's default when no address is given) a
visitor must also give the curator token of the settings (KG_CURATOR_TOKEN); with no token configured, the
Curate and Ingest pages are read-only.
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass

import streamlit as st

from kg.settings import get_settings

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def is_loopback(address: str | None) -> bool:
    """Whether the app's server address reaches only this machine; an empty address is every interface."""
    if not address:
        return False
    if address.strip().lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Access:
    can_write: bool
    needs_token: bool
    reason: str = ""


def write_access(token_given: str | None = None) -> Access:
    """What this session may do: on loopback, write; beyond it, write only with the configured token."""
    if is_loopback(st.get_option("server.address")):
        return Access(can_write=True, needs_token=False)
    expected = get_settings().curator_token
    if expected is None or not expected.get_secret_value():
        return Access(False, False, "This app listens beyond this machine and no curator token is configured "
                                    "(KG_CURATOR_TOKEN), so this page is read-only.")
    if not token_given:
        return Access(False, True, "Give the curator token to write from this page.")
    if not hmac.compare_digest(token_given.encode("utf-8"), expected.get_secret_value().encode("utf-8")):
        return Access(False, True, "That curator token is not the one configured: this page stays read-only.")
    return Access(can_write=True, needs_token=True)


def curator_form(key_prefix: str) -> tuple[Access, str]:
    """The curator's name (and token, when one is needed) in the sidebar; the access they give."""
    with st.sidebar:
        name = st.text_input("Curator", key="curator_name", value=get_settings().curator,
                             help="Your name: every decision and upload is recorded under it.")
        first = write_access(None)
        token = None
        if first.needs_token:
            token = st.text_input("Curator token", type="password", key="curator_token")
    access = write_access(token) if first.needs_token else first
    if not access.can_write:
        st.info(access.reason)
    elif not name.strip():
        st.info("Give your curator name (in the sidebar) to write from this page.")
        access = Access(False, access.needs_token, "no curator name")
    return access, name.strip()
