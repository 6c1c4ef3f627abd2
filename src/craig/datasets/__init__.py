"""Named datasets in their upstream formats, and readers of data files."""
