"""The FastAPI service of notebook 14: bad input gets a clear 4xx answer, good input a label."""
import pytest
from fastapi.testclient import TestClient

from course_utils import course_model_path, saved_tweet_classifier
from course_utils.serving import MAX_TEXT_CHARS, create_app

LABELS = {"negative", "neutral", "positive"}


@pytest.fixture(scope="module")
def client():
    app = create_app(saved_tweet_classifier() or course_model_path("sentiment"), chat_dir=None, batch_size=8)
    with TestClient(app) as test_client:  # the with block runs the lifespan: models load, the batcher starts
        yield test_client


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": ""}, "at least 1 character"),
        ({"text": "   "}, "at least 1 character"),
        ({"text": "x" * (MAX_TEXT_CHARS + 1)}, f"at most {MAX_TEXT_CHARS} characters"),
        ({"text": 42}, "valid string"),
        ({"text": ["a tweet"]}, "valid string"),
        ({"tweet": "wrong field"}, "Field required"),
    ],
    ids=["empty", "blank", "too-long", "number", "list", "missing"],
)
def test_bad_bodies_get_a_422_that_says_why(client, body, message):
    response = client.post("/classify", json=body)
    assert response.status_code == 422
    assert any(message in problem["msg"] for problem in response.json()["detail"])
    assert all("input" not in problem for problem in response.json()["detail"])  # no echo of a huge input


def test_invalid_json_is_a_422_not_a_crash(client):
    response = client.post("/classify", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_classify_answers_with_a_known_label(client):
    response = client.post("/classify", json={"text": "Thanks for the upgrade, best flight I have had in years!"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["label"] in LABELS and 0 < answer["score"] <= 1 and answer["batch_size"] >= 1


def test_chat_without_a_chat_model_is_a_503_and_bad_budgets_a_422(client):
    assert client.post("/chat", json={"message": "Hello"}).status_code == 503
    assert client.post("/chat", json={"message": "Hello", "max_new_tokens": 10_000}).status_code == 422


def test_health_reports_what_is_loaded(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["chat"] is False and health["batch_size"] == 8
