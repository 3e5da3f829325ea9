"""Why an action did not happen. Each carries the HTTP status views answer with, a message
for people, and per-field messages when the arguments were wrong. Nothing changed."""


class TransitionError(Exception):
    status = 400

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class Conflict(TransitionError):
    """The caller saw an older version of the complaint."""

    status = 409


class NotPermitted(TransitionError):
    status = 403


class IllegalTransition(TransitionError):
    """The action is not possible in the complaint's state."""

    status = 409


class InvalidArguments(TransitionError):
    status = 400
