"""Exercises and questionnaire answers of notebook 11."""
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_int, expect_json_object, expect_number, expect_set, expect_text

# Held-out questions for 11.hybrid_scores, with the title of the passage that answers each: the first 20 reuse a
# rare word of their passage, the last 20 are reworded. Neither method alone gets them all.
_HELD_OUT = {
    "Which ocean did the Amazon's waters flow into according to the text?": "Amazon River",
    "In which city did Linus Torvalds study?": "Linux",
    "What country is Lake Tana in?": "Nile",
    "Where is the Challenger Deep?": "Pacific Ocean",
    "Which mission took Armstrong to the Moon?": "The Moon",
    "Who worked with Babbage?": "Ada Lovelace",
    "What is the name of Watt's addition to the engine?": "Steam engine",
    "Which museum shows the Mona Lisa?": "Leonardo da Vinci",
    "Who designed the tower completed in 1889?": "Paris",
    "What did Fleming notice on his culture plates?": "Penicillin",
    "Where is Menlo Park?": "Light bulb",
    "Which theatre staged Hamlet?": "William Shakespeare",
    "What are Phobos and Deimos?": "Mars",
    "Who founded the modern games held in Athens?": "Olympic Games",
    "Who took the X-ray images of the double helix?": "DNA",
    "Which format lets Datasets memory-map data from disk?": "Datasets library",
    "Which computer beat Kasparov?": "Chess",
    "What is Reykjavík the capital of?": "Iceland",
    "Who built the Enigma-breaking work at Bletchley Park?": "Alan Turing",
    "Which company governs PyTorch's foundation?": "PyTorch",
    "Which long waterway passes four national capitals on its way to a sea?": "Danube",
    "Which gas do green plants give off in daylight?": "Photosynthesis",
    "How many times a minute does a resting person's pulse go?": "Human heart",
    "Who showed that species change by survival of the fittest?": "Charles Darwin",
    "Which animal is the biggest creature that ever existed?": "Blue whale",
    "Which insects dance to tell each other where flowers are?": "Honey bee",
    "Who made the first phone call?": "Telephone",
    "Which model turns spoken audio into written text?": "Whisper",
    "Who first put a man-made machine on the path to being programmed?": "Ada Lovelace",
    "Which drink keeps people awake in the morning?": "Coffee",
    "Which wonder was put up to keep out nomads from the north?": "Great Wall of China",
    "Which scientist won prizes in both physics and chemistry?": "Marie Curie",
    "Who wrote down the rules of how things move and fall?": "Isaac Newton",
    "Which unit of power honours a Scottish inventor?": "Steam engine",
    "Which city had the first trains under the ground?": "London",
    "Which nation is made of Honshu and other islands?": "Japan",
    "Which uprising stormed a prison-fortress?": "French Revolution",
    "What makes books cheap since the fifteenth century?": "Printing press",
    "Which tool slices pictures into squares to classify them?": "Vision Transformer",
    "Which reading-comprehension benchmark was built from encyclopedia articles?": "SQuAD",
}


def _reference_embeddings(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over the real tokens, then L2 normalisation (the notebook's recipe)."""
    weights = mask.unsqueeze(-1).float()
    return F.normalize((hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9), dim=-1)


def _learner_embeddings(answer: Any, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    returned = call_learner(answer, hidden.clone(), mask.clone())
    try:
        given = torch.as_tensor(returned, dtype=torch.float32)
    except (TypeError, ValueError, RuntimeError):
        raise AnswerProblem(f"expected a tensor, got {type(returned).__name__}. Hint: return a torch.Tensor") from None
    wanted = (hidden.shape[0], hidden.shape[2])
    if tuple(given.shape) != wanted:
        raise AnswerProblem(f"for hidden states of shape {tuple(hidden.shape)} you returned shape {tuple(given.shape)}, "
                            f"not {wanted}. Hint: average over dim=1, the token dimension")
    return given


def _grade_sentence_embeddings(answer: Any, states: Any = None, embeddings: Any = None, **_: Any) -> str:
    """Compare the learner's pooling with the recipe on hidden padded batches, then with the notebook's embeddings."""
    if states is None or embeddings is None:
        raise AnswerProblem('pass the notebook\'s objects: check("11.sentence_embeddings", sentence_embeddings, '
                            "states=document_states, embeddings=doc_embeddings)")
    generator = torch.Generator().manual_seed(0)
    hidden = torch.randn(4, 6, 8, generator=generator) + 2.0
    mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [0, 0, 1, 1, 1, 1], [1, 1, 0, 0, 0, 0]])
    given = _learner_embeddings(answer, hidden, mask)
    norms = given.norm(dim=-1)
    if not torch.allclose(norms, torch.ones_like(norms), atol=1e-4):
        return (f"your vectors have norms {[round(float(norm), 3) for norm in norms]}, not 1. "
                "Hint: F.normalize(pooled, p=2, dim=-1)")
    expected = _reference_embeddings(hidden, mask)
    for row in range(len(mask)):
        if not torch.allclose(given[row], expected[row], atol=1e-4):
            padding = "a row without padding" if mask[row].all() else "a padded row"
            return (f"on a test batch, row {row} ({padding}, mask {mask[row].tolist()}) differs from the mean over its "
                    "real tokens. Hint: multiply by the mask, sum over the tokens, divide by the mask's sum "
                    "(padding may be on the left too)")
    mine = torch.cat([_learner_embeddings(answer, batch_hidden, batch_mask) for batch_hidden, batch_mask in states])
    difference = float((mine - torch.as_tensor(np.asarray(embeddings))).abs().max())
    if difference > 1e-4:
        return (f"on the notebook's document_states your vectors differ from doc_embeddings by up to {difference:.2e}. "
                "Hint: mean over the real tokens, then L2-normalise")
    return ""


def _hit_rate_at_1(scores: np.ndarray, gold: np.ndarray) -> float:
    return float((scores.argmax(axis=1) == gold).mean())


def _grade_hybrid_scores(answer: Any, embed: Any = None, tfidf: Any = None, doc_embeddings: Any = None,
                         doc_tfidf: Any = None, titles: Any = None, **_: Any) -> str:
    """The learner's hybrid must beat both the embeddings and TF-IDF at hit rate 1 on the held-out questions."""
    if any(item is None for item in (embed, tfidf, doc_embeddings, doc_tfidf, titles)):
        raise AnswerProblem('pass the notebook\'s objects: check("11.hybrid_scores", hybrid_scores, embed=embed, '
                            "tfidf=tfidf, doc_embeddings=doc_embeddings, doc_tfidf=doc_tfidf, titles=titles)")
    questions = list(_HELD_OUT)
    gold = np.array([list(titles).index(title) for title in _HELD_OUT.values()])
    embedding_scores = np.asarray(embed(questions)) @ np.asarray(doc_embeddings).T
    tfidf_scores = (tfidf.transform(questions) @ doc_tfidf.T).toarray()
    returned = call_learner(answer, embedding_scores.copy(), tfidf_scores.copy())
    try:
        given = np.asarray(returned, dtype=float)
    except (TypeError, ValueError):
        return f"expected an array of scores, got {type(returned).__name__}. Hint: return a NumPy array"
    if given.shape != embedding_scores.shape:
        return (f"for score matrices of shape {embedding_scores.shape} you returned shape {given.shape}. "
                "Hint: one combined score per (question, passage)")
    if not np.isfinite(given).all():
        return "your scores contain NaN or infinity. Hint: avoid dividing by a score that can be 0"
    yours, by_embeddings, by_tfidf = (_hit_rate_at_1(scores, gold) for scores in (given, embedding_scores, tfidf_scores))
    if yours > max(by_embeddings, by_tfidf):
        return ""
    return (f"on {len(gold)} held-out questions your hybrid has hit rate at 1 {yours:.3f}; embeddings alone "
            f"{by_embeddings:.3f}, TF-IDF alone {by_tfidf:.3f}: it must beat both. Hint: a weighted sum of the two "
            "cosines lets a shared rare word break a near tie between topics; tune the weight on similarity, "
            "tfidf_similarity and gold")


EXERCISES = [
    Exercise(
        name='11.top_passage_title',
        kind='compute',
        question=(
            "The title of the passage that the MiniLM embeddings (mean pooling, L2-normalised, cosine) "
            "rank first for the question 'Who wrote the first web browser?'."
        ),
        grade=expect_text(
            "World Wide Web",
            "embed the question, take the dot product with every normalised passage embedding and look up "
            "the title of the largest",
            case=False,
        ),
        solution="""\
top_index, _ = retrieve("Who wrote the first web browser?", k=1)[0]
answer = titles[top_index]
check("11.top_passage_title", answer)
""",
        explanation=(
            "`retrieve(question, k=1)` does the same. The passage says Tim Berners-Lee 'wrote the first "
            "web browser', so it shares both meaning and words with the question; its cosine is far "
            "above the runner-up's."
        ),
    ),
    Exercise(
        name='11.cosine_of_unit_vectors',
        kind='compute',
        question=(
            "The cosine similarity of the vectors (3, 4) and (4, 3)."
        ),
        grade=expect_number(0.96, "divide each vector by its length (5), then take the dot product"),
        solution="""\
a = F.normalize(torch.tensor([3.0, 4.0]), dim=0)
b = F.normalize(torch.tensor([4.0, 3.0]), dim=0)
answer = float(a @ b)
check("11.cosine_of_unit_vectors", answer)
""",
        explanation=(
            "Both vectors have length 5, so the unit vectors are (0.6, 0.8) and (0.8, 0.6), and their "
            "dot product is 0.48 + 0.48 = 0.96.\n\nThat is why the notebook normalises the embeddings "
            "once: afterwards cosine similarity is a plain dot product, and comparing every question "
            "with every passage is one matrix product."
        ),
    ),
    Exercise(
        name='11.hit_rate_at_2_toy',
        kind='compute',
        question=(
            "Hit rate at 2 of a retriever whose rankings (best first) for four questions are [2, 0, 1], "
            "[1, 2, 0], [0, 1, 2] and [2, 1, 0], when the source passages are 0, 2, 1 and 0."
        ),
        grade=expect_number(
            0.75, "a question is a hit when its source passage is among the first 2 of its ranking; take the share"
        ),
        solution="""\
toy_rankings = np.array([[2, 0, 1], [1, 2, 0], [0, 1, 2], [2, 1, 0]])
toy_gold = np.array([0, 2, 1, 0])
answer = float((toy_rankings[:, :2] == toy_gold[:, None]).any(axis=1).mean())
check("11.hit_rate_at_2_toy", answer)
""",
        explanation=(
            "Top 2 of each ranking: {2, 0} holds 0 (hit), {1, 2} holds 2 (hit), {0, 1} holds 1 (hit), "
            "{2, 1} lacks 0 (miss): 3 hits of 4.\n\nThe hit rate at 1 of the same rankings is 0: no "
            "source passage is ranked first. Hit rate at k can only grow with k."
        ),
    ),
    Exercise(
        name='11.sentence_embeddings',
        kind='build',
        question=(
            "Write sentence_embeddings(hidden, mask): from last_hidden_state (batch, tokens, hidden) and "
            "attention_mask (batch, tokens), one L2-normalised mean of the real tokens' vectors per text."
        ),
        grade=_grade_sentence_embeddings,
        solution="""\
def sentence_embeddings(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    \"\"\"Mean of each text's real-token vectors (mask 1), L2-normalised: (batch, tokens, hidden) -> (batch, hidden).\"\"\"
    weights = mask.unsqueeze(-1).to(hidden.dtype)  # (batch, tokens, 1)
    mean = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
    return F.normalize(mean, p=2, dim=-1)


check("11.sentence_embeddings", sentence_embeddings, states=document_states, embeddings=doc_embeddings)
""",
        explanation=(
            "The mask, turned into a (batch, tokens, 1) column of weights, zeroes the padding positions before "
            "the sum, and its sum counts the real tokens, wherever the padding is (right or left). Dividing by "
            "the L2 norm afterwards makes the dot product of two embeddings their cosine. `hidden.mean(dim=1)` "
            "would count the padding, and its result would change with the batch a text is in."
        ),
    ),
    Exercise(
        name='11.hybrid_scores',
        kind='build',
        question=(
            "Write hybrid_scores(embedding_scores, tfidf_scores) that combines the two (questions, passages) "
            "score matrices so that hit rate at 1 on held-out questions beats both methods alone."
        ),
        grade=_grade_hybrid_scores,
        solution="""\
def hybrid_scores(embedding_scores: np.ndarray, tfidf_scores: np.ndarray) -> np.ndarray:
    \"\"\"One score per (question, passage): the embedding cosine plus half the TF-IDF cosine.\"\"\"
    return embedding_scores + 0.5 * tfidf_scores


for name, scores, answers in [("course questions", hybrid_scores(similarity, tfidf_similarity), gold),
                              ("reworded questions", hybrid_scores(reworded_embedding, reworded_tfidf), reworded_gold)]:
    print(f"{name}: hit rate at 1 {hit_rate_at_k(scores, answers, 1):.3f}")
check("11.hybrid_scores", hybrid_scores, embed=embed, tfidf=tfidf, doc_embeddings=doc_embeddings,
      doc_tfidf=doc_tfidf, titles=titles)
""",
        explanation=(
            "Both scores are cosines between 0 and 1, so a weighted sum needs no calibration. The embedding "
            "cosine keeps the topic when the question shares no word with its passage (TF-IDF adds 0 to every "
            "passage then), and the TF-IDF term breaks near ties between related passages when a rare word "
            "('Torvalds', 'Phobos') points to one. Equal-weight reciprocal rank fusion throws the size of "
            "those gaps away and only ties the embeddings here; any weight from about 0.1 to 1.5 beats both."
        ),
    ),
]

QUESTIONS = [
    Question(
        question='Why must the mean pooling use the attention mask, and what would change about an embedding without it?',
        answer=(
            'In a batch, short texts are padded to the longest one and the model still writes a vector at every '
            'padding position; the mask zeroes those positions before the sum and counts only the real tokens in '
            'the division. Without it an embedding depends on the batch it is in: a question alone and batched '
            'with a longer passage had cosine 0.7325 with a mean over every position, and 1.0000 with the masked '
            'mean.'
        ),
    ),
    Question(
        question='Why does L2 normalisation let you replace cosine similarity by a matrix product?',
        answer=(
            "Cosine similarity is the dot product divided by the two vectors' lengths. After L2 normalisation "
            'every length is 1, so the cosine is the plain dot product, and the cosines of all questions with all'
            ' passages are one matrix product, `question_embeddings @ doc_embeddings.T`.'
        ),
    ),
    Question(
        question='What does hit rate at 5 measure, and why is a high hit rate at 5 not enough for a good RAG system?',
        answer=(
            'The share of questions whose source passage is among the 5 passages retrieved. It only says the '
            'passage reached the prompt, not that the answer is right: more passages make the prompt longer and '
            'distract the generator, and in the notebook the source was among the 2 retrieved passages for all 20'
            " questions, yet only half of the 135M model's answers contained the gold answer."
        ),
    ),
    Question(
        question='On which kind of question does TF-IDF beat embeddings, and on which the reverse? How does reciprocal rank fusion combine them without calibrating their scores?',
        answer=(
            "TF-IDF wins on questions that share rare words with their passage ('Torvalds', 'CERN'): on the "
            "course questions it missed 5 at k=1 against the embeddings' 12. Embeddings win on reworded questions"
            ' without shared words, where TF-IDF scores 0 (hit rate at 1 of 0.9 against 0.5). Reciprocal rank '
            'fusion uses only ranks: each passage scores 1/(60 + rank) from each method, so the scales of the two'
            ' scores never meet.'
        ),
    ),
    Question(
        question='Why does batched generation with a decoder-only model need left padding?',
        answer=(
            'A decoder-only model continues the last position of each row. With right padding the shorter prompts'
            ' would end in pad tokens and the model would continue after them; with left padding every prompt '
            'ends where generation starts, and the attention mask keeps the model from reading the pads.'
        ),
    ),
    Question(
        question='The retriever returns the wrong passage. What can the generator do about it, and what can the system around it do?',
        answer=(
            'The generator cannot tell: given the wrong passage it answers just as confidently (the Amazon '
            "'reaches the Pacific Ocean'), and a system message asking it to say it does not know helps only if "
            'the model follows it. The system can measure retrieval on its own (hit rate at k), retrieve k > 1 '
            'passages, improve retrieval with hybrid search or reranking, and show the sources next to the answer'
            ' so a reader can check them.'
        ),
    ),
    Question(
        question='Why does MiniLM retrieve Chinese passages poorly, and what are two ways to do better?',
        answer=(
            "Its WordPiece vocabulary was built for English and holds 244 Chinese characters, so 54% of the tokens"
            " of the Chinese passages come out as `[UNK]`, one shared vector: texts that differ in those characters"
            ' look alike, and it found the source passage of 26 of 72 questions. TF-IDF over characters and '
            'character pairs needs no model and found 68 of 72 (word TF-IDF fails, because without spaces its '
            "'words' are whole clauses). The real fix is an embedding model trained on Chinese or many languages"
            ' (for example BAAI/bge-small-zh-v1.5 or intfloat/multilingual-e5-small), used with the pooling its '
            "card gives; a model whose tokenizer covers Chinese but was not trained for embeddings (Gemma 3's "
            'mean-pooled states: 47 of 72) is not enough.'
        ),
    ),
]
