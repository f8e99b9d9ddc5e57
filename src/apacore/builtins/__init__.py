"""apacore's own behaviour, written as plugins and registered like external ones."""
