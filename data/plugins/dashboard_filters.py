"""The show dashboard's show picker has no empty choice.

datasette-dashboards always writes an empty first <option> in a select filter; for the show dashboard it meant
"every show at once", one chart with lines joining different shows. The picker's own template is the plugin's, so
the empty option is taken out when the page loads (the dashboard opens on a show: its filter has a default).
"""

from datasette import hookimpl

SCRIPT = """document.querySelectorAll('.dashboard-filters select#series option[value=""]')
  .forEach((option) => option.remove());"""


@hookimpl
def extra_body_script(template):
    if template == "dashboard_view.html":
        return SCRIPT
    return None
