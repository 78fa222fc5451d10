"""Exercises and questionnaire answers of notebook 03."""
from typing import Any

from ..exercises import AnswerProblem, Exercise, Question, call_learner
from ..graders import expect_int, expect_json_object, expect_number, expect_set, expect_text

# Hidden sentences for 03.align_labels: words, their labels (0 O, 1 B-PER, 2 I-PER, 3 B-ORG, 5 B-LOC, 7 B-MISC)
# and the tokenizer arguments; padding and truncation make word_ids the learner has not seen.
_NER_SENTENCES = [
    (["Deflategate", "hit", "JetBlue", "in", "Boston", "."], [7, 0, 3, 0, 5, 0], {}),
    (["Linus", "Torvalds", "studied", "in", "Reykjavík", "?"], [1, 2, 0, 0, 5, 0], {}),
    (["@united", "lost", "my", "bag", "at", "O'Hare", "!!"], [3, 0, 0, 0, 0, 5, 0], {}),
    (["Ada", "Lovelace", "met", "Babbage"], [1, 2, 0, 1], {"padding": "max_length", "max_length": 12}),
    (["Ada", "Lovelace", "worked", "with", "Charles", "Babbage", "in", "London"], [1, 2, 0, 0, 1, 2, 0, 5],
     {"truncation": True, "max_length": 8}),
]
# Hidden (text, span) pairs for 03.char_span_to_tokens: the span is the first occurrence of the string in the text.
_SPANS = [
    ("Deflategate is back, says JetBlue.", "Deflategate"),
    ("Deflategate is back, says JetBlue.", "JetBlue"),
    ("I flew JetBlue to Reykjavík, via O'Hare.", "Reykjavík"),
    ("I flew JetBlue to Reykjavík, via O'Hare.", "O'Hare"),
    ("My flight was delayed again by two hours", "two hours"),
]


def _reference_labels(word_labels: list[int], word_ids: list[int | None]) -> list[int]:
    """The word's label on its first token, -100 everywhere else."""
    labels, previous = [], None
    for word_id in word_ids:
        labels.append(-100 if word_id is None or word_id == previous else word_labels[word_id])
        previous = word_id
    return labels


def _grade_align_labels(answer: Any, tokenizer: Any = None, **_: Any) -> str:
    """Run the learner's align_labels on the word_ids of the hidden sentences and compare token by token."""
    if tokenizer is None:
        raise AnswerProblem('pass the notebook\'s tokenizer: check("03.align_labels", align_labels, tokenizer=wordpiece_tok)')
    for words, word_labels, kwargs in _NER_SENTENCES:
        encoding = tokenizer(words, is_split_into_words=True, **kwargs)
        word_ids, tokens = encoding.word_ids(), encoding.tokens()
        returned = call_learner(answer, list(word_labels), list(word_ids))
        try:
            given = [int(label) for label in returned]
        except (TypeError, ValueError):
            return f"expected a list of whole-number labels, got {returned!r}. Hint: build a list and return it"
        if len(given) != len(word_ids):
            return (f"you returned {len(given)} labels for {len(word_ids)} tokens. "
                    "Hint: return one label per entry of word_ids")
        expected = _reference_labels(word_labels, word_ids)
        for position, (got, wanted) in enumerate(zip(given, expected)):
            if got != wanted:
                word_id = word_ids[position]
                if word_id is None:
                    hint = "special tokens and padding have word id None and get -100"
                elif wanted == -100:
                    hint = "only the first token of a word keeps its label; the word's later tokens get -100"
                else:
                    hint = "the first token of a word gets word_labels[word_id]"
                return (f"words {words} with labels {word_labels}: token {position} ({tokens[position]!r}, word id "
                        f"{word_id}) should get {wanted}, you gave {got!r}. Hint: {hint}")
    return ""


def _reference_span(offsets: list[tuple[int, int]], start_char: int, end_char: int) -> tuple[int, int]:
    """First and last index of the non-special tokens whose characters overlap [start_char, end_char)."""
    inside = [index for index, (start, end) in enumerate(offsets)
              if end > start and start < end_char and end > start_char]
    return inside[0], inside[-1]


def _grade_char_span_to_tokens(answer: Any, tokenizer: Any = None, **_: Any) -> str:
    """Run the learner's char_span_to_tokens on the offsets of the hidden texts and compare the pairs."""
    if tokenizer is None:
        raise AnswerProblem(
            'pass the notebook\'s tokenizer: check("03.char_span_to_tokens", char_span_to_tokens, tokenizer=wordpiece_tok)'
        )
    for text, span in _SPANS:
        encoding = tokenizer(text, return_offsets_mapping=True)
        offsets, tokens = [tuple(pair) for pair in encoding["offset_mapping"]], encoding.tokens()
        start_char = text.index(span)
        end_char = start_char + len(span)
        given = call_learner(answer, list(offsets), start_char, end_char)
        expected = _reference_span(offsets, start_char, end_char)
        try:
            first, last = (int(index) for index in given)
        except (TypeError, ValueError):
            return f"expected a pair of token indices (first, last), got {given!r}. Hint: return first, last"
        if (first, last) == expected:
            continue
        special = [index for index in (first, last) if 0 <= index < len(offsets) and offsets[index] == (0, 0)]
        hint = (f"token {special[0]} is the special token {tokens[special[0]]!r}, offsets (0, 0): skip special tokens"
                if special else "a token is in the span when its characters overlap it: start < end_char and end > "
                "start_char; the last index is included")
        return (f"span {span!r} (characters {start_char}-{end_char}) of {text!r}: expected tokens {expected} "
                f"{tokens[expected[0]:expected[1] + 1]}, you gave ({first}, {last}). Hint: {hint}")
    return ""


EXERCISES = [
    Exercise(
        name='03.special_tokens',
        kind='compute',
        question=(
            "The special tokens that all-MiniLM-L6-v2's tokenizer adds around a single sentence."
        ),
        grade=expect_set(
            {"[CLS]", "[SEP]"},
            "encode a sentence, convert the ids back to tokens and keep those in tokenizer.all_special_tokens",
        ),
        solution="""\
ids = wordpiece_tok("Where is my bag?")["input_ids"]
answer = {token for token in wordpiece_tok.convert_ids_to_tokens(ids) if token in wordpiece_tok.all_special_tokens}
check("03.special_tokens", answer)
""",
        explanation=(
            "`[CLS]` in front (its hidden state is what BERT-style classifiers read) and `[SEP]` at the "
            "end (it also separates the two texts of a pair). `[PAD]`, `[MASK]` and `[UNK]` are special "
            "too, but only appear when padding, masking or an unknown piece calls for them."
        ),
    ),
    Exercise(
        name='03.unk_count',
        kind='compute',
        question=(
            "The number of [UNK] tokens all-MiniLM-L6-v2's tokenizer produces for 我喜欢这家航空公司的服务。"
        ),
        grade=expect_int(6, "tokenize the sentence and count tokenizer.unk_token in the list"),
        solution="""\
answer = wordpiece_tok.tokenize("我喜欢这家航空公司的服务。").count(wordpiece_tok.unk_token)
check("03.unk_count", answer)
""",
        explanation=(
            "6 of its 13 tokens: the normalizer makes every CJK character a word of its own, and the "
            "English vocabulary holds only a few hundred of them (我, 家, 空, 公, 司, 的 and 。 are known). A "
            "model cannot tell the six `[UNK]` apart: use a tokenizer that covers Chinese."
        ),
    ),
    Exercise(
        name='03.max_length_95',
        kind='compute',
        question=(
            "The smallest max_length that truncates at most 5% of the training tweets (MiniLM tokens)."
        ),
        grade=expect_int(
            54, "find the first n for which (lengths > n).mean() <= 0.05; it is the 95th percentile, rounded up"
        ),
        solution="""\
answer = next(n for n in range(lengths.max() + 1) if (lengths > n).mean() <= 0.05)
check("03.max_length_95", answer)
""",
        explanation=(
            "54 tokens: about 4.4% of the 29,757 training tweets are longer. "
            "`int(np.ceil(np.percentile(lengths, 95)))` gives the same number here; counting directly "
            "avoids any doubt about how the percentile interpolates."
        ),
    ),
    Exercise(
        name='03.embedding_rows',
        kind='compute',
        question=(
            "Rows the MiniLM embedding matrix needs after adding '@jetblue', 'flight' and '#fail' to a "
            "fresh copy of its tokenizer."
        ),
        grade=expect_int(
            30524,
            "'flight' already has an id, so only two new ids exist whatever add_tokens returns: use len(tokenizer)",
        ),
        solution="""\
exercise_tok = AutoTokenizer.from_pretrained(encoder_path)
returned = exercise_tok.add_tokens(["@jetblue", "flight", "#fail"])
print("add_tokens returned", returned, "| 'flight' has id", exercise_tok.convert_tokens_to_ids("flight"))
answer = len(exercise_tok)
check("03.embedding_rows", answer)
""",
        explanation=(
            "'flight' is already in the vocabulary (id 3462): it becomes an added token that keeps its "
            "old id, so only '@jetblue' and '#fail' get new ids (30522 and 30523). `vocab_size + "
            "returned` would give an embedding row that no id uses; `len(tokenizer)` always counts the "
            "ids that exist."
        ),
    ),
    Exercise(
        name='03.align_labels',
        kind='build',
        question=(
            "Write align_labels(word_labels, word_ids): each token gets its word's label; special tokens, "
            "padding and every token of a word after its first get -100."
        ),
        grade=_grade_align_labels,
        solution="""\
def align_labels(word_labels: list[int], word_ids: list[int | None]) -> list[int]:
    \"\"\"Give each token its word's label; -100 for special tokens and for every sub-token after a word's first.\"\"\"
    labels, previous = [], None
    for word_id in word_ids:
        if word_id is None or word_id == previous:
            labels.append(-100)
        else:
            labels.append(word_labels[word_id])
        previous = word_id
    return labels


example = wordpiece_tok(["Deflategate", "hit", "JetBlue"], is_split_into_words=True)
print(example.tokens(), align_labels([7, 0, 3], example.word_ids()))
check("03.align_labels", align_labels, tokenizer=wordpiece_tok)
""",
        explanation=(
            "`word_ids()` repeats a word's id on each of its tokens and gives `None` to special tokens and "
            "padding, so a token starts a word exactly when its id is not `None` and differs from the previous "
            "token's. -100 is the index that PyTorch's cross-entropy ignores, so only one token per word counts "
            "in the loss. Test the id, not a `##` prefix: '@united' is two tokens, '@' and 'united', of one word."
        ),
    ),
    Exercise(
        name='03.char_span_to_tokens',
        kind='build',
        question=(
            "Write char_span_to_tokens(offsets, start_char, end_char): the first and last index of the tokens "
            "whose characters overlap text[start_char:end_char], special tokens excluded."
        ),
        grade=_grade_char_span_to_tokens,
        solution="""\
def char_span_to_tokens(offsets: list[tuple[int, int]], start_char: int, end_char: int) -> tuple[int, int]:
    \"\"\"First and last index of the tokens covering text[start_char:end_char]; special tokens, (0, 0), never count.\"\"\"
    inside = [index for index, (start, end) in enumerate(offsets)
              if end > start and start < end_char and end > start_char]
    return inside[0], inside[-1]


example_text = "Deflategate is back"
example = wordpiece_tok(example_text, return_offsets_mapping=True)
first, last = char_span_to_tokens(example["offset_mapping"], 0, len("Deflategate"))
print(first, last, example.tokens()[first:last + 1])
check("03.char_span_to_tokens", char_span_to_tokens, tokenizer=wordpiece_tok)
""",
        explanation=(
            "A token belongs to the span when its characters overlap it (`start < end_char` and `end > "
            "start_char`). Special tokens have the empty span (0, 0), which a plain `start >= start_char` test "
            "lets in for a span at character 0: `end > start` keeps them out. Question answering "
            "preprocessing does this to turn `answer_start` into the start and end positions the model learns; "
            "`encoding.char_to_token(start_char)` and `char_to_token(end_char - 1)` give the same two indices."
        ),
    ),
]

QUESTIONS = [
    Question(
        question='How do BPE and Unigram differ in how they learn their vocabulary and in how they encode a word?',
        answer=(
            'BPE starts from characters (or the 256 bytes) and repeatedly merges the most frequent adjacent pair '
            'into a new token; it encodes a word by applying its learned merges in order. Unigram starts from a '
            'large set of candidate pieces, each with a probability, and prunes the pieces whose removal costs '
            'the corpus likelihood least; it encodes a word with the most probable segmentation (Viterbi), as the'
            ' log-probabilities of section 7 show.'
        ),
    ),
    Question(
        question='Why does MiniLM turn much of a Chinese sentence into `[UNK]`, while SmolLM2 never produces an unknown token but needs more tokens than characters?',
        answer=(
            "MiniLM's WordPiece was trained on English: its normalizer makes every CJK character a word of its "
            'own, and its vocabulary holds only 244 CJK characters, so the rest become `[UNK]` (64% of the tokens'
            " of the held-out reviews). SmolLM2's byte-level BPE works on UTF-8 bytes (3 for a Chinese "
            'character), all of which are in its vocabulary, so nothing is unknown, but its merges, learned '
            'mostly on English, join only the commonest characters: about 174 tokens per 100 characters of '
            'Chinese reviews.'
        ),
    ),
    Question(
        question="What does the attention mask do, and what happens to the padded text's hidden states without it?",
        answer=(
            'The attention mask is 1 for real tokens and 0 for padding, and it keeps every token from attending '
            'to the padding positions, so a padded text gets the same hidden states as alone (equal within 1e-4 '
            "in section 3). Without it the real tokens attend to the pads too, and the short text's hidden states"
            ' changed by up to 1.22.'
        ),
    ),
    Question(
        question='You fork `DataLoader` workers after tokenizing a batch. What does `tokenizers` do in the workers, and how do you make the choice explicit?',
        answer=(
            "If the parent already used the tokenizer's threads and `TOKENIZERS_PARALLELISM` is not set, "
            '`tokenizers` switches threads off in each forked worker to avoid a deadlock (silently since '
            "tokenizers 0.22.2; older versions printed the 'current process just got forked' warning). Set "
            '`TOKENIZERS_PARALLELISM` to "false" (or "true") in the environment before tokenizing anything, as '
            "this notebook's parameters cell does."
        ),
    ),
    Question(
        question='Why is retraining the tokenizer of a pretrained model not enough to make the model work better on your language?',
        answer=(
            "A new tokenizer gives new ids, and the model's embedding rows were learned for the old ones: feeding"
            ' it the new ids is the tokenizer/model mismatch of section 8 (an `IndexError` or, worse, silent '
            "nonsense). Retraining SmolLM2's BPE cut Chinese reviews from 174 to 70 tokens per 100 characters, "
            'but the model has to learn the new tokens by pretraining or at least a long fine-tune before that '
            'helps.'
        ),
    ),
]
