"""Is the Hugging Face Hub reachable? Decided once per process, quickly, never by hanging."""
import functools
import os
import urllib.error
import urllib.request

HUB_URL = "https://huggingface.co/api/models/sentence-transformers/all-MiniLM-L6-v2"
PROBE_TIMEOUT_S = 3.0
_TRUE = {"1", "true", "yes", "on"}


@functools.cache
def hub_status() -> tuple[bool, str]:
    """Return ``(online, reason)``.

    ``HF_HUB_OFFLINE=1`` means offline without asking the network; otherwise one HTTPS request to
    the Hub with a short timeout decides (``HF_ENDPOINT`` is honoured, for mirrors).
    """
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in _TRUE:
        return False, "HF_HUB_OFFLINE is set"
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
    url = HUB_URL.replace("https://huggingface.co", endpoint)
    try:
        with urllib.request.urlopen(url, timeout=PROBE_TIMEOUT_S) as response:
            return response.status == 200, f"{endpoint} answered {response.status}"
    except (urllib.error.URLError, OSError, ValueError):
        return False, f"{endpoint} unreachable"


def is_online() -> bool:
    """True when the Hub can be reached (see :func:`hub_status`)."""
    return hub_status()[0]
