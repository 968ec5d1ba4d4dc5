"""Superset's own labels in the reader's language from the first page on.

Superset 6.0 fetches its language pack (/superset/language_pack/<lang>/) while the page already
renders, and only for a logged-in user: the login page never gets it, and on about half of the
first pages after it the labels the frontend translates (the menu's «Настройки») stay English.
Superset 6.1 waits for the pack (apache/superset#36893), but its ClickHouse SQL needs a newer
ClickHouse than 18.16. Until then `vitrina superset up` puts this hook in the config:

- the pack, public translations, is served to everyone with a day's browser cache, and
- every page preloads it from its <head>, so it is on its way (or already cached) before the
  page's scripts load and ask for it.
"""

import os
import re

import superset
from flask import Flask, request, send_file
from flask_babel import get_locale

_TRANSLATIONS = os.path.join(os.path.dirname(superset.__file__), "translations")
_PACK_URL = re.compile(r"^/superset/language_pack/([a-z]{2,3}(?:_[A-Z]{2})?)/$")
_DAY = 24 * 60 * 60


def _pack_file(lang: str) -> str | None:
    path = os.path.join(_TRANSLATIONS, lang, "LC_MESSAGES", "messages.json")
    return path if os.path.isfile(path) else None


def FLASK_APP_MUTATOR(app: Flask) -> None:  # noqa: N802 (Superset's setting name)
    @app.before_request
    def public_language_pack():
        match = _PACK_URL.match(request.path)
        path = _pack_file(match[1]) if match else None
        if path is None:
            return None
        response = send_file(path, mimetype="application/json", max_age=_DAY, conditional=True)
        response.cache_control.public = True
        return response

    @app.after_request
    def preload_language_pack(response):
        if response.mimetype != "text/html" or response.direct_passthrough or response.status_code != 200:
            return response
        lang = str(get_locale() or "en")
        if lang == "en" or _pack_file(lang) is None:
            return response
        link = f'<link rel="preload" href="/superset/language_pack/{lang}/" as="fetch" crossorigin="anonymous">'
        html = response.get_data(as_text=True)
        if "<head>" in html:
            response.set_data(html.replace("<head>", f"<head>\n    {link}", 1))
        return response
