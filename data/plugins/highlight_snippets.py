"""Render full-text search snippets with their matches highlighted, and nothing else as HTML.

The search query marks matches with ⟦ and ⟧ (FTS5 snippet()). The review text around them is scraped
text: it is escaped first, so a "<script>" in a review stays text, and only our markers become <mark>.
"""

from datasette import hookimpl
from markupsafe import Markup, escape

START, END = "⟦", "⟧"


@hookimpl
def render_cell(value, column):
    if column == "snippet" and isinstance(value, str) and START in value:
        return Markup(str(escape(value)).replace(START, "<mark>").replace(END, "</mark>"))
    return None
