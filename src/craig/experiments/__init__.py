"""The paper's experiments: each one a function and a ``craig experiment`` command."""
