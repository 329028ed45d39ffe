"""The learned coach and crisis models: the corpus, the shipped weights, and their use."""

import json
from pathlib import Path

import numpy as np
import pytest

from attunement.coach import LABELS, CoachInputError, analyze, analyze_batch, run_jsonl
from attunement.safety import crisis
from attunement.textmodel import train
from attunement.textmodel.corpus import CORPUS, SPLITS, Record, by_split, records, split_of
from attunement.textmodel.features import SPARSE, dense_size
from attunement.textmodel.model import Familiar, LinearModel, read_model

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def dev():
    return by_split(splits=("dev",))["dev"]


def test_the_corpus_is_written_by_many_writers_and_split_by_writer():
    rows = list(records())
    coach = [r for r in rows if r.kind == "coach" and r.writer != "team"]
    lines = [r for r in rows if r.kind == "crisis"]
    data = json.loads((CORPUS / "splits.json").read_text())["writers"]
    named = [w for split in SPLITS for w in data[split]]

    assert len(coach) >= 3000
    assert len(lines) >= 1000
    assert len({r.writer for r in coach}) >= 10
    assert len(named) == len(set(named))  # no writer in two splits
    assert {r.writer for r in rows} <= set(split_of())
    assert all(r.labels <= set(LABELS) for r in rows)
    assert all(r.concerns <= set(crisis.CONCERNS) for r in rows)


def test_test_writers_are_not_the_team_and_near_duplicates_are_dropped():
    data = json.loads((CORPUS / "splits.json").read_text())
    test_ids = {r.id for r in records() if split_of()[r.writer] == "test"}

    assert "team" in data["writers"]["train"]
    assert set(data["dropped"]) <= test_ids
    assert not set(data["dropped"]) & {r.id for r in by_split()["test"]}


def test_the_model_finds_protective_messages_the_rules_miss(dev):
    messages = [r for r in dev if r.kind == "coach" and r.labels]
    protective = {"criticism", "contempt", "defensiveness", "withdrawal", "control"}
    rules_only = sum(bool(set(analyze(r.text, model=None).labels) & r.labels) for r in messages)
    combined = sum(bool(set(analyze(r.text).labels) & r.labels) for r in messages)

    assert protective <= set(LABELS)
    assert combined > rules_only * 1.2


def test_every_flag_shows_a_span_of_the_message_and_an_explanation(dev):
    for record in dev[:300]:
        analysis = analyze(record.text)
        for pattern in analysis.patterns:
            assert 0 <= pattern.start < pattern.end <= len(record.text)
            assert record.text[pattern.start : pattern.end].strip()
            assert pattern.explanation
        if analysis.tone in ("protective", "mixed"):
            assert analysis.reframe


def test_crisis_help_reaches_at_least_95_percent_of_dev_statements(dev):
    for concern in crisis.CONCERNS:
        statements = [r for r in dev if concern in r.concerns]
        found = sum(concern in crisis.concerns(r.text) for r in statements)
        assert len(statements) >= 50
        assert found / len(statements) >= 0.95, concern


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        ("swallowed a lot of tablets, not sure what to do now", "suicide_risk"),
        ("tonight is when i end it", "suicide_risk"),
        ("been giving my things away, won't need them", "suicide_risk"),
        ("jim slapped me again", "partner_violence"),
        ("he checks my messages every night", "partner_violence"),
        ("dev shoved me down the stairs", "partner_violence"),
    ],
)
def test_precise_kinds_of_the_issues_misses_are_phrases_now(text, concern):
    # Acts already taken, plans with a time, goodbyes, named partners, surveillance:
    # phrases, so they carry a span of their own and need no model.
    assert concern in crisis.concerns(text, model=None)


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        ("i keep thinking about the cord in the shed", "suicide_risk"),
        ("marek took my wages again and gives me twenty a week", "partner_violence"),
        ("he says if i ever leave he will find me and finish me", "partner_violence"),
    ],
)
def test_statements_the_phrases_alone_missed_now_get_help(text, concern):
    assert concern not in crisis.concerns(text, model=None)
    assert concern in crisis.concerns(text)


@pytest.mark.parametrize(
    "text",
    ["he hit the gym after work", "i could murder a pizza", "she beat me at chess again"],
)
def test_figures_of_speech_stay_quiet_with_the_model(text):
    assert crisis.concerns(text) == frozenset()


def test_a_model_signal_marks_the_sentence_it_came_from():
    text = "Picked up the kids at four. I took the whole packet of pills an hour ago."
    signals = [s for s in crisis.detect(text) if s.concern == "suicide_risk"]

    assert signals
    assert all(text[s.start : s.end].strip() for s in signals)
    assert any("packet" in text[s.start : s.end] for s in signals)


def test_the_jsonl_format_is_kept_with_the_model():
    import io

    out = io.StringIO()
    run_jsonl(io.StringIO('{"text": "k."}\n{"text": "can you grab milk?"}\n'), out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]

    assert [set(r) for r in rows] == [{"labels", "tone", "patterns", "reframe"}] * 2


# Texts the corpus lacks: blank, one word, curly apostrophes, a character that grows when
# lowered, emoji, words outside ASCII, runs of spaces, a special token, a long text.
ODD_TEXTS = [
    "",
    "   ",
    "k.",
    "Ok. Fine. Whatever you say.",
    "YOU NEVER LISTEN. I WANT TO DIE",
    "I don\u2019t want to be here anymore \U0001f644",
    "\u0130stanbul was lovely. he hit me again.",
    "Sin\u00e9ad, he hit me.  Twice.\n\nI'm scared of him",
    "you  never   help </s> with the dishes",
    "whatever " * 400 + "i want to die",
]


def test_the_batch_path_gives_what_one_message_at_a_time_gives_over_the_whole_corpus():
    texts = [r.text for r in records()] + ODD_TEXTS

    assert analyze_batch(texts) == [analyze(text) for text in texts]
    assert crisis.detect_batch(texts) == [crisis.detect(text) for text in texts]
    assert crisis.concerns_batch(texts) == [crisis.concerns(text) for text in texts]
    assert crisis.concerns_batch(texts) == [
        frozenset(s.concern for s in found) for found in crisis.detect_batch(texts)
    ]


def test_the_word_by_word_tokenizer_gives_the_tokenizer_s_own_pieces():
    from attunement.textmodel.embedding import MAX_PIECES, embedder

    reader = embedder()
    assert reader.words is not None  # the wheel's tokenizer can be read word by word
    for text in [r.text for r in records()] + ODD_TEXTS + [" lead", "a ", "\u2581x \u2581\u2581y"]:
        for read in (text, text.lower()):
            encoding = reader.tokenizer.encode(read, add_special_tokens=False)
            pieces = reader.words.read(read)
            assert pieces.ids.tolist() == encoding.ids[:MAX_PIECES], read
            assert pieces.starts == [start for start, _ in encoding.offsets][:MAX_PIECES], read


def test_the_batch_features_are_the_ones_training_reads(dev):
    from attunement.textmodel.embedding import embedder
    from attunement.textmodel.features import FlagSource, segments
    from attunement.textmodel.model import load_model

    reader = embedder()
    texts = [r.text.lower() for r in dev[:60]]
    spans = [[("criticism", 0, 4)] for _ in texts]
    for shipped in ("coach", "crisis"):
        model = load_model(shipped)
        for sentences in (False, True):  # the whole text alone, and with its sentences
            model.sentences = sentences
            scores = model.score_batch(texts, spans)
            for text, span, scored in zip(texts, spans, scores, strict=True):
                flags = FlagSource(model.rule_labels, span)
                parts = segments(reader, text, reader.pieces(text), flags, sentences)
                expected = model.segment_scores(parts).max(axis=0)
                assert np.allclose([s.score for s in scored], expected, atol=1e-5)
        load_model.cache_clear()


def test_jsonl_in_batches_still_names_the_first_bad_line():
    import io

    good = "".join(json.dumps({"text": f"thank you {n}"}) + "\n" for n in range(300))
    out = io.StringIO()
    with pytest.raises(CoachInputError) as caught:
        run_jsonl(io.StringIO(good + "not json\n" + good), out)

    assert caught.value.line == 301
    assert caught.value.written == 300
    assert len(out.getvalue().splitlines()) == 300


def test_training_is_reproducible(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "messages").mkdir(parents=True)
    examples = [
        ("you never listen to me", ["criticism"], []),
        ("thank you for dinner", ["appreciation"], []),
        ("whatever. bye.", ["withdrawal"], []),
        ("can you get milk", [], []),
        ("i want to die tonight", [], ["suicide_risk"]),
        ("he hit me again", [], ["partner_violence"]),
    ]
    for writer in ("a", "b", "c"):
        lines = [
            json.dumps(
                {"id": f"{writer}{n}", "writer": writer, "style": "s", "kind": "coach",
                 "text": text, "labels": labels, "concerns": concerns}
            )
            for n, (text, labels, concerns) in enumerate(examples * 3)
        ]  # fmt: skip
        (corpus / "messages" / f"{writer}.jsonl").write_text("\n".join(lines) + "\n")
    splits = {"writers": {"train": ["a", "c"], "dev": ["b"], "test": []}, "dropped": []}
    (corpus / "splits.json").write_text(json.dumps(splits))
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()

    assert train.main(["--corpus", str(corpus), "--out", str(first)]) == 0
    assert train.main(["--corpus", str(corpus), "--out", str(second)]) == 0

    for name in ("coach", "crisis"):
        a, b = read_model(first / f"{name}.npz"), read_model(second / f"{name}.npz")
        assert np.array_equal(a.sparse, b.sparse) and np.array_equal(a.thresholds, b.thresholds)
    a, b = read_model(first / "crisis.npz"), read_model(second / "crisis.npz")
    assert a.familiar is not None and b.familiar is not None
    assert a.familiar.words == b.familiar.words  # two writers: fewer than a word needs
    assert np.array_equal(a.familiar.thresholds, b.familiar.thresholds)
    assert (
        "criticism"
        in analyze("you never listen to me", model=read_model(first / "coach.npz")).labels
    )


def test_the_shipped_models_are_read_from_the_package_without_network():
    here = Path(crisis.__file__).parents[1] / "textmodel"
    for name in ("coach", "crisis"):
        model = read_model(here / f"{name}.npz")
        assert model.sparse.shape[1] == len(model.labels) == len(model.thresholds)


def test_writers_are_held_out_in_groups_each_once():
    records = [
        Record(f"{w}-1", w, "s", "coach", "text", frozenset(), frozenset())
        for w in ("w01", "w02", "w03", "c01", "c02", "c03", "c04")
    ]
    folds = train.writer_folds(records)
    assert len(folds) == train.FOLDS
    assert sorted(w for fold in folds for w in fold) == sorted(r.writer for r in records)
    assert all(fold for fold in folds)
    with pytest.raises(ValueError, match="two train writers"):
        train.writer_folds(records[:1])


def _corpus(folder, writers, splits):
    (folder / "messages").mkdir(parents=True)
    for writer, text in writers.items():
        (folder / "messages" / f"{writer}.jsonl").write_text(text)
    (folder / "splits.json").write_text(json.dumps({"writers": splits, "dropped": []}))
    return folder


def test_training_opens_no_test_writer_file(tmp_path):
    line = {"id": "a1", "writer": "a", "style": "s", "text": "hi", "labels": []}
    corpus = _corpus(
        tmp_path,
        {"a": json.dumps(line) + "\n", "b": json.dumps({**line, "id": "b1", "writer": "b"}),
         "t": "not json at all\n"},
        {"train": ["a"], "dev": ["b"], "test": ["t"]},
    )  # fmt: skip

    read = by_split(corpus, ("train", "dev"))
    assert [r.id for r in read["train"]] == ["a1"]
    assert [r.id for r in read["dev"]] == ["b1"]
    assert read["test"] == []
    with pytest.raises(json.JSONDecodeError):
        by_split(corpus)


def test_a_record_filed_under_another_writer_is_refused(tmp_path):
    stray = {"id": "t1", "writer": "t", "style": "s", "text": "hi", "labels": []}
    corpus = _corpus(
        tmp_path, {"a": json.dumps(stray) + "\n"}, {"train": ["a"], "dev": [], "test": ["t"]}
    )
    with pytest.raises(ValueError, match="another's file"):
        by_split(corpus, ("train", "dev"))


def _binary_rows(columns_per_row):
    from scipy import sparse

    width = train.SPARSE + train.dense_size(crisis.CONCERNS)
    rows = [n for n, cols in enumerate(columns_per_row) for _ in cols]
    cols = [c for cols in columns_per_row for c in cols]
    return sparse.csr_matrix(
        (np.ones(len(cols)), (rows, cols)), shape=(len(columns_per_row), width)
    )


def test_log_count_ratios_favour_columns_seen_with_the_concern():
    embedding = train.SPARSE + 3  # a static-embedding column
    x = _binary_rows([[1, 2, embedding], [1, 2], [1, 3], [1, 3], [1, 3]])
    y = np.asarray([1, 1, 0, 0, 0], dtype=np.int8)

    scale = train.ratios(x, y, 0.25)
    assert scale[2] > 0 > scale[3]  # only with the concern / only without it
    assert abs(scale[1]) < scale[2]  # in every row: little said either way
    assert scale[embedding] == 1.0


def test_the_scaled_fit_gives_weights_for_the_columns_as_they_are():
    x = _binary_rows([[1, 2], [1, 2, 4], [2, 4], [1, 3], [3, 4], [1, 3, 4]] * 3)
    y = np.asarray([1, 1, 1, 0, 0, 0] * 3, dtype=np.int8)

    weights, bias = train.fit(x, y, 1.0, smoothing=0.25)
    plain, _ = train.fit(x, y, 1.0)
    logits = x @ weights + bias
    assert weights[2] > 0 > weights[3]
    assert weights[7] == 0.0  # a column no row has
    assert (logits[y == 1] > 0).all() and (logits[y == 0] < 0).all()
    assert not np.allclose(weights, plain)


# Familiar words: thresholds apart for a text the model cannot read (mostly other words).


def _constant(probability: float, threshold: float, familiar: Familiar | None) -> LinearModel:
    """A one-label model that scores every text `probability`."""
    labels = ["concern"]
    return LinearModel(
        labels,
        labels,
        np.zeros((SPARSE, 1), np.float32),
        np.zeros((dense_size(labels), 1), np.float32),
        np.asarray([np.log(probability / (1 - probability))], np.float32),
        np.asarray([threshold], np.float32),
        sentences=False,
        familiar=familiar,
    )


FAMILIAR = frozenset(["i", "am", "so", "tired", "of", "this"])
KNOWN = Familiar(FAMILIAR, 0.3, np.asarray([0.1], np.float32), min_words=3)


def test_a_text_mostly_in_unfamiliar_words_is_read_with_the_lower_threshold():
    model = _constant(0.2, 0.5, KNOWN)
    texts = [
        "i am so tired of this",
        "estoy tan cansada de todo esto",
        "i am tan cansada de todo esto",  # 2 of 7 words familiar: under 0.3
        "i am so cansada de todo",  # 3 of 6: familiar
        "🙂 🙂",  # no words: nothing unfamiliar in it
        "hola amiga",  # two words: too few to tell
    ]
    flagged = model.flagged(texts, [[]] * len(texts), [set()] * len(texts))
    assert [bool(found) for found in flagged] == [False, True, True, False, False, False]
    # How plainly it is said is still against the model's own threshold.
    assert flagged[1] == [("concern", 0, len(texts[1]), pytest.approx(0.4))]
    assert model.flagged(texts[1:2], [[]], [{"concern"}]) == [[]]  # found another way
    scored = model.score_batch(texts, [[]] * len(texts))
    assert [s[0].threshold for s in scored] == pytest.approx([0.5, 0.1, 0.1, 0.5, 0.5, 0.5])
    assert [s[0].flagged for s in scored] == [False, True, True, False, False, False]
    # Without familiar words, one threshold for all.
    assert _constant(0.2, 0.5, None).flagged(texts, [[]] * 6, [set()] * 6) == [[]] * 6


def test_familiar_words_are_counted_token_by_token_as_over_the_whole_text():
    from attunement.textmodel.model import WORD

    known = Familiar(FAMILIAR, 0.3, np.asarray([0.1], np.float32))
    texts = [r.text.lower() for r in records()] + [t.lower() for t in ODD_TEXTS]
    texts += ["i'm so tired\tof 'this'", "so\u00a0tired", "so--tired", "don''t", "  ", ""]
    for text in texts:
        found = WORD.findall(text)
        assert known.counts(text) == (len(found), sum(word in FAMILIAR for word in found)), text
        assert known.counts(text) == (len(found), sum(word in FAMILIAR for word in found)), text


def test_the_unfamiliar_threshold_never_raises_the_bar():
    # Two labels: the first's lower threshold singles the text out; the second's own
    # "unfamiliar" threshold is higher than its usual one and must not count.
    labels = ["first", "second"]
    probabilities = np.asarray([0.2, 0.6])
    model = LinearModel(
        labels,
        labels,
        np.zeros((SPARSE, 2), np.float32),
        np.zeros((dense_size(labels), 2), np.float32),
        np.log(probabilities / (1 - probabilities)).astype(np.float32),
        np.asarray([0.5, 0.5], np.float32),
        sentences=False,
        familiar=Familiar(FAMILIAR, 0.3, np.asarray([0.1, 0.9], np.float32), min_words=3),
    )
    (found,) = model.flagged(["estoy tan cansada de todo"], [[]], [set()])
    assert [label for label, *_ in found] == ["first", "second"]


def test_familiar_words_are_saved_with_the_model_and_read_back(tmp_path):
    _constant(0.2, 0.5, KNOWN).save(tmp_path / "with.npz")
    _constant(0.2, 0.5, None).save(tmp_path / "without.npz")
    again = read_model(tmp_path / "with.npz").familiar
    assert again is not None
    assert again.words == KNOWN.words and again.share == 0.3 and again.min_words == 3
    assert np.array_equal(again.thresholds, KNOWN.thresholds)
    assert read_model(tmp_path / "without.npz").familiar is None


def test_only_a_model_that_reads_texts_whole_knows_familiar_words():
    model = _constant(0.2, 0.5, None)
    model.sentences = True
    with pytest.raises(ValueError, match="reads texts whole"):
        model.familiar = KNOWN
    model.sentences = False
    with pytest.raises(ValueError, match="one unfamiliar threshold per label"):
        model.familiar = Familiar(KNOWN.words, 0.3, np.asarray([0.1, 0.2], np.float32))


def test_a_familiar_word_is_one_enough_coach_writers_used():
    def record(writer: str, text: str, kind: str = "coach") -> Record:
        return Record(f"{writer}-{text}", writer, "s", kind, text, frozenset(), frozenset())

    many = [record(f"w{n}", "Hello there") for n in range(train.FAMILIAR_WRITERS)]
    fewer = [record(f"w{n}", "bye") for n in range(train.FAMILIAR_WRITERS - 1)]
    others = [record("team", "bye"), record("c1", "bye", "crisis"), record("w0", "bye")]
    assert train.familiar_words(many + fewer + others) == {"hello", "there"}
    assert "bye" in train.familiar_words(many + fewer + [record("w99", "Bye!")])


def test_the_shipped_crisis_model_knows_common_english_words_only():
    model = crisis.load_model("crisis")
    assert model is not None and model.familiar is not None
    assert model.familiar.share == train.FAMILIAR_SHARE
    assert 800 < len(model.familiar.words) < 3000
    assert {"you", "the", "i", "don't", "tonight", "love"} <= model.familiar.words
    assert not {"cansada", "habibi", "nahi"} & model.familiar.words
    assert (model.familiar.thresholds <= model.thresholds).all()
    assert model.familiar.min_words == train.FAMILIAR_MIN_WORDS
    assert (model.familiar.thresholds >= train.UNFAMILIAR_FLOOR).all()


@pytest.mark.model
@pytest.mark.parametrize("text", ["omw", "Jess", "Congrats!!", "Ugh, Mondays.", "hola amiga"])
def test_a_text_of_a_word_or_two_is_never_called_unfamiliar(text):
    from attunement.coach import mostly_unfamiliar

    assert not mostly_unfamiliar(text)


def test_an_unfamiliar_threshold_is_never_rounded_down_to_nothing():
    task = train.crisis_task()
    statement = Record("s", "x", "s", "crisis", "kufa tu", frozenset(), frozenset(task.labels))
    ordinary = Record("o", "x", "s", "coach", "the cat", frozenset(), frozenset())
    strange = np.asarray([True, False])  # "kufa tu" is in no familiar word
    scores = np.asarray([[0.0002, 0.0002], [0.3, 0.3]]), np.zeros((2, 2), dtype=bool)
    _, unfamiliar = train._apart(scores, task, [statement, ordinary], 0, strange, 0.0)
    assert unfamiliar == train.UNFAMILIAR_FLOOR
