"""CRAIG coresets: weighted subsets whose gradient tracks the full data's."""

__version__ = "0.1.0"
