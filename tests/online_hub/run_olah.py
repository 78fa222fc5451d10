"""Start olah (0.5.4) with two changes to its mirror: ``pipeline_tag`` as the Hub has it, and larger chunks.

The Hub derives ``pipeline_tag`` and ``library_name`` from the model card's front matter and reports them
in ``/api/models/{id}``; ``pipeline(model=...)`` without a task reads ``pipeline_tag``. Olah's mirror
builds a repo's info from git and the card but drops those two fields, so this launcher copies them
from the card, as the Hub does. Olah streams a mirrored file in 4 KiB chunks (about 27 MB/s here), and
the course's real models are 0.1-0.5 GB fetched into an empty cache by every notebook of the online leg:
the launcher makes those reads 1 MiB. Then it runs olah's own command line. Run by the olah environment's
Python.
"""
import io
import sys
import types

import olah.mirror.repos
from olah.mirror.meta import RepoMeta
from olah.server import cli

CHUNK_BYTES = 1 << 20

_olah_to_dict = RepoMeta.to_dict


def to_dict_with_card_fields(self: RepoMeta) -> dict:
    """Olah's repo info plus ``pipeline_tag`` and ``library_name`` from the card's front matter."""
    info = _olah_to_dict(self)
    card = self.cardData if isinstance(self.cardData, dict) else {}
    info.update({field: card[field] for field in ("pipeline_tag", "library_name") if field in card})
    return info


class BytesInLargeChunks(io.BytesIO):
    """``io.BytesIO`` whose ``read(n)`` returns at least ``CHUNK_BYTES``: olah's mirror reads ``read(4096)``."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(size if size is None or size < 0 else max(size, CHUNK_BYTES))


RepoMeta.to_dict = to_dict_with_card_fields
olah.mirror.repos.io = types.SimpleNamespace(BytesIO=BytesInLargeChunks)  # the module's only use of io

if __name__ == "__main__":
    sys.exit(cli())
