"""Model cards for the models course_utils builds or converts."""
import json
from pathlib import Path


def write_model_card(
    target: Path,
    *,
    name: str,
    summary: str,
    trained_on: str,
    real_model: str,
    licence: str,
    measured: dict[str, float] | None = None,
) -> None:
    """Write ``README.md`` (a model card a learner can read) and ``course_provider.json`` into ``target``.

    ``summary`` says what the model is, ``trained_on`` what data shaped it, ``real_model`` the Hub id
    to use online instead, ``measured`` the numbers the build measured.
    """
    lines = [
        f"# {name}",
        "",
        summary,
        "",
        "## Training data",
        "",
        trained_on,
        "",
        "## The real model",
        "",
        f"With internet access, use [`{real_model}`](https://huggingface.co/{real_model}) instead; "
        "`course_utils` does so automatically when the Hub is reachable.",
        "",
        "## Licence",
        "",
        licence,
    ]
    if measured:
        lines += ["", "## Measured when built", "", "| metric | value |", "|---|---|"]
        lines += [f"| {key} | {value:.4g} |" for key, value in measured.items()]
    (target / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    provenance = {"name": name, "real_model": real_model, "measured": measured or {}}
    (target / "course_provider.json").write_text(json.dumps(provenance, indent=2), encoding="utf-8")
