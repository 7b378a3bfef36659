"""The migration set. Each migration is a module of this package, registered in order by `__init__`."""

from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("animecritic")
