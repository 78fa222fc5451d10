"""A small web service for the course's models (notebook 14): FastAPI, pydantic validation, micro-batching.

Run it with uvicorn (the model folders come from environment variables, see ``app_from_env``)::

    COURSE_CLASSIFIER_DIR=build/07_trainer/minilm-tweet-sentiment \\
        uvicorn course_utils.serving:app_from_env --factory --host 127.0.0.1 --port 8000

Endpoints: ``POST /classify`` ``{"text": "..."}`` → label and score; ``POST /chat`` ``{"message": "..."}``
→ the chat model's reply; ``GET /health`` → what is loaded. Bad input gets a 4xx answer that says
what is wrong (422 from pydantic's validation, 503 when the chat model is not loaded), never a 500.
"""
import asyncio
import os
import socket
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, AsyncIterator, Callable

import torch
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_TEXT_CHARS = 1000  # longer requests get a 422: a tweet is at most 280 characters
MAX_TOKENS = 64  # the classifier reads at most this many tokens (notebook 07 trained it at 64)
MAX_MESSAGE_CHARS = 500
MAX_NEW_TOKENS = 40  # the most a client may ask /chat for: generation is the expensive part

# ``strip_whitespace`` first, then the length checks: "   " counts as empty.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS)]
Message = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MESSAGE_CHARS)]


class ClassifyRequest(BaseModel):
    """The body of ``POST /classify``: one non-empty text of at most ``MAX_TEXT_CHARS`` characters."""

    model_config = ConfigDict(strict=True, extra="forbid")  # no silent conversions, no unknown fields
    text: Text


class ClassifyResponse(BaseModel):
    """The answer of ``POST /classify``: the label, its probability, and how many requests shared the forward pass."""

    label: str
    score: float
    batch_size: int


class ChatRequest(BaseModel):
    """The body of ``POST /chat``: a user message and a small generation budget."""

    model_config = ConfigDict(strict=True, extra="forbid")
    message: Message
    max_new_tokens: int = Field(default=20, ge=1, le=MAX_NEW_TOKENS)


class ChatResponse(BaseModel):
    """The answer of ``POST /chat``: the reply, the tokens generated and the seconds it took."""

    reply: str
    new_tokens: int
    seconds: float


class Classifier:
    """A sequence classifier and its tokenizer: ``predict(texts)`` runs one forward pass on a batch."""

    def __init__(self, model_dir: str | Path, max_tokens: int = MAX_TOKENS) -> None:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self.model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
        self.max_tokens = max_tokens
        self.name = Path(str(model_dir)).name

    @torch.inference_mode()
    def predict(self, texts: list[str]) -> list[tuple[str, float]]:
        """(label, probability) for each text; texts longer than ``max_tokens`` tokens are truncated."""
        batch = self.tokenizer(texts, padding=True, truncation=True, max_length=self.max_tokens, return_tensors="pt")
        probabilities = self.model(**batch).logits.softmax(dim=-1)
        scores, ids = probabilities.max(dim=-1)
        return [(self.model.config.id2label[int(i)], float(s)) for i, s in zip(ids, scores)]


class ChatModel:
    """A chat LLM: ``reply(message, max_new_tokens)`` applies its chat template and decodes greedily."""

    def __init__(self, model_dir: str | Path) -> None:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self.model = AutoModelForCausalLM.from_pretrained(model_dir).eval()

    @torch.inference_mode()
    def reply(self, message: str, max_new_tokens: int) -> tuple[str, int]:
        """The greedy reply to one user message and the number of tokens it took."""
        inputs = self.tokenizer.apply_chat_template(
            [{"role": "user", "content": message}], add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        output = self.model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
        new = output[0, inputs["input_ids"].shape[1]:]
        return self.tokenizer.decode(new, skip_special_tokens=True).strip(), len(new)


@dataclass
class MicroBatcher:
    """Groups concurrent requests into one forward pass.

    Each request puts ``(text, future)`` on a queue and waits for its future. One background task takes
    the first waiting request, then keeps taking more until it holds ``batch_size`` of them or
    ``max_wait_ms`` have passed, runs ``predict`` once on the whole batch (in a worker thread, so the
    server keeps accepting requests), and hands each request its own result. ``batch_size=1`` turns
    batching off: one forward pass per request, in arrival order.
    """

    predict: Callable[[list[str]], list[Any]]
    batch_size: int = 16
    max_wait_ms: float = 10.0
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)
    batches: list[int] = field(default_factory=list)  # the size of every batch run, for /health

    async def submit(self, text: str) -> tuple[Any, int]:
        """Queue one text; return its result and the size of the batch it was part of."""
        future = asyncio.get_running_loop().create_future()
        await self.queue.put((text, future))
        return await future

    async def run(self) -> None:
        """The batching loop; runs until cancelled."""
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self.queue.get()]
            deadline = loop.time() + self.max_wait_ms / 1000
            while len(batch) < self.batch_size and (left := deadline - loop.time()) > 0:
                try:
                    batch.append(await asyncio.wait_for(self.queue.get(), timeout=left))
                except asyncio.TimeoutError:
                    break
            self.batches.append(len(batch))
            try:
                results = await asyncio.to_thread(self.predict, [text for text, _ in batch])
            except Exception as error:  # a model failure: every waiting request gets the error
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_, future), result in zip(batch, results):
                if not future.done():  # the client may have gone away
                    future.set_result((result, len(batch)))


def create_app(
    classifier_dir: str | Path,
    chat_dir: str | Path | None = None,
    batch_size: int = 16,
    max_wait_ms: float = 10.0,
) -> FastAPI:
    """The FastAPI app: loads the models at start-up, batches ``/classify``, validates every body.

    ``chat_dir=None`` serves no chat model (``/chat`` answers 503). ``batch_size=1`` switches batching off.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        classifier = Classifier(classifier_dir)
        app.state.classifier = classifier
        app.state.chat = ChatModel(chat_dir) if chat_dir else None
        app.state.chat_lock = asyncio.Lock()  # one generation at a time: they would only slow each other down
        app.state.batcher = MicroBatcher(classifier.predict, batch_size=batch_size, max_wait_ms=max_wait_ms)
        task = asyncio.create_task(app.state.batcher.run())
        yield
        task.cancel()

    app = FastAPI(title="Course model server", lifespan=lifespan)

    @app.exception_handler(RequestValidationError)
    async def invalid_body(request: Request, error: RequestValidationError) -> JSONResponse:
        """422 with where and what is wrong, without echoing the (possibly huge) input back."""
        problems = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()]
        return JSONResponse(status_code=422, content={"detail": problems})

    @app.get("/health")
    async def health(request: Request) -> dict[str, Any]:
        """What is loaded and how requests are batched."""
        state = request.app.state
        batches = state.batcher.batches
        return {
            "status": "ok",
            "classifier": state.classifier.name,
            "chat": state.chat is not None,
            "batch_size": state.batcher.batch_size,
            "max_wait_ms": state.batcher.max_wait_ms,
            "batches_run": len(batches),
            "mean_batch": sum(batches) / len(batches) if batches else 0.0,
        }

    @app.post("/classify")
    async def classify(body: ClassifyRequest, request: Request) -> ClassifyResponse:
        """Sentiment of one text; concurrent requests share a forward pass."""
        (label, score), size = await request.app.state.batcher.submit(body.text)
        return ClassifyResponse(label=label, score=round(score, 4), batch_size=size)

    @app.post("/chat")
    async def chat(body: ChatRequest, request: Request) -> ChatResponse:
        """The chat model's greedy reply to one message."""
        state = request.app.state
        if state.chat is None:
            raise HTTPException(status_code=503, detail="this server was started without a chat model")
        start = time.perf_counter()
        async with state.chat_lock:
            reply, new_tokens = await asyncio.to_thread(state.chat.reply, body.message, body.max_new_tokens)
        return ChatResponse(reply=reply, new_tokens=new_tokens, seconds=round(time.perf_counter() - start, 2))

    return app


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on now (the system picks it)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def app_from_env() -> FastAPI:
    """``create_app`` configured by environment variables, for ``uvicorn ... --factory``.

    ``COURSE_CLASSIFIER_DIR`` (required), ``COURSE_CHAT_DIR`` (optional), ``COURSE_BATCH_SIZE`` (default 16),
    ``COURSE_MAX_WAIT_MS`` (default 10).
    """
    return create_app(
        classifier_dir=os.environ["COURSE_CLASSIFIER_DIR"],
        chat_dir=os.environ.get("COURSE_CHAT_DIR") or None,
        batch_size=int(os.environ.get("COURSE_BATCH_SIZE", "16")),
        max_wait_ms=float(os.environ.get("COURSE_MAX_WAIT_MS", "10")),
    )
