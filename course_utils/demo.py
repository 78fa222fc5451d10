"""A Gradio demo of the tweet classifier (notebook 14): a textbox in, the three label probabilities out.

Launch it locally with ``build_demo(folder).launch(server_name="127.0.0.1")``; on a Hugging Face Space
the same code goes into ``app.py`` with ``demo.launch()`` at the end.
"""
from pathlib import Path

import gradio as gr

from .serving import MAX_TEXT_CHARS  # the same limit as the FastAPI service

EXAMPLES = [
    "Thanks for the upgrade, best flight I have had in years!",
    "My bag is lost. Again.",
    "The flight leaves at 9.",
]


def build_demo(classifier_dir: str | Path, max_tokens: int = 64) -> gr.Interface:
    """A ``gradio.Interface`` around a ``text-classification`` pipeline loaded from ``classifier_dir``."""
    from transformers import pipeline

    classifier = pipeline("text-classification", model=str(classifier_dir), device="cpu")

    def classify(text: str) -> dict[str, float]:
        """Every label's probability for one text (gr.Label shows the top one and bars for the rest)."""
        text = (text or "").strip()
        if not text:
            raise gr.Error("Type a tweet first.")  # shown in the page as an error toast, not a crash
        if len(text) > MAX_TEXT_CHARS:
            raise gr.Error(f"At most {MAX_TEXT_CHARS} characters, please (got {len(text)}).")
        scores = classifier(text, top_k=None, truncation=True, max_length=max_tokens)
        return {item["label"]: item["score"] for item in scores}

    return gr.Interface(
        fn=classify,
        inputs=gr.Textbox(label="Tweet", lines=2, placeholder="Type a tweet and press Submit"),
        outputs=gr.Label(label="Sentiment", num_top_classes=3),
        examples=EXAMPLES,
        title="Tweet sentiment",
        description="The MiniLM tweet classifier of the Hugging Face transformers course (notebooks 07 and 14).",
        flagging_mode="never",
        api_name="classify",
    )
