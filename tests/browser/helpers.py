"""Small steps the browser tests share: keyboard navigation, signing in, reading a page."""

from __future__ import annotations

import re
from typing import Any

PASSWORD = "correct horse battery staple"  # the factories' password (tests/factories.py)


def tab_until(page: Any, selector: str, *, limit: int = 80, key: str = "Tab") -> None:
    """Press Tab (only the keyboard) until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    focused = page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{selector!r} never got the focus after {limit} presses of {key}; focus is on {focused}")


def focus_indicator(page: Any) -> dict[str, str]:
    """The computed outline and box-shadow of the focused element (what makes focus visible)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const s = getComputedStyle(el);
            return {tag: el.tagName, outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, boxShadow: s.boxShadow};
        }"""
    )


def assert_focus_visible(page: Any) -> None:
    style = focus_indicator(page)
    has_outline = style["outlineStyle"] != "none" and style["outlineWidth"] not in ("0px", "")
    has_shadow = style["boxShadow"] not in ("none", "")
    assert has_outline or has_shadow, f"the focused {style['tag']} shows no focus indicator: {style}"


def sign_in_with_keyboard(page: Any, username: str, password: str = PASSWORD) -> None:
    """On the sign-in page: the username field has the focus; type, Tab, type, Enter."""
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    sign_in_with_keyboard(page, username, password)
    page.wait_for_selector(".nav-account button")  # "Afmelden (name)": signed in


def result_total(page: Any) -> int:
    """The number in the list's live result count ("37 resultaten")."""
    text = page.locator("#result-count").inner_text()
    match = re.search(r"\d+", text.replace(".", "").replace(",", ""))
    assert match, f"no number in the result count {text!r}"
    return int(match.group())


def row_names(page: Any) -> list[str]:
    """The first cell (the record's name) of every row of the results table."""
    return page.locator("#results table tbody th[scope=row]").all_inner_texts()


def row_slugs(page: Any) -> list[str]:
    """The slug of every record in the results table (the last part of its link)."""
    hrefs = page.locator("#results table tbody th[scope=row] a").evaluate_all("links => links.map(a => a.pathname)")
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def wait_for_path(page: Any, path: str, *, query: str | None = None) -> None:
    """Wait until the page's address is exactly `path` (a glob would also match "?next=path")."""
    tail = r"(\?.*)?" if query is None else re.escape(query)
    page.wait_for_url(re.compile(rf"^https?://[^/]+{re.escape(path)}{tail}$"))
