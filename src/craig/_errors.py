"""Exception and warning classes of craig."""


class CraigError(Exception):
    """Base class of the errors craig raises on purpose."""


class InsufficientMemoryError(CraigError, MemoryError):
    """A part of the data needs more memory than is available or allowed."""


class DataFileError(CraigError, ValueError):
    """A data file cannot be read: missing, unreadable, truncated or malformed."""


class DatasetNotFoundError(CraigError, FileNotFoundError):
    """A named dataset is not in the data folder and cannot be downloaded."""


class CoresetWarning(UserWarning):
    """A coreset was produced, but the user should look at how."""


class DivergenceWarning(UserWarning):
    """Training diverged (a loss became NaN or infinite) and was stopped."""


class DivergenceError(CraigError, ArithmeticError):
    """Training diverged: a loss or the model's outputs became NaN or infinite."""
