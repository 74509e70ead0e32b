"""Errors the CLI and the app turn into one clear line, never a traceback."""


class KGError(Exception):
    """Base for errors with a message meant for the user."""


class GraphUnavailable(KGError):
    """The graph server cannot be reached or refuses our credentials."""


class ServerError(KGError):
    """The local graph server could not be started or stopped."""


class QueryRefused(KGError):
    """A researcher's query tries to write or administer the database."""
