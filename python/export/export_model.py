#!/usr/bin/env python3
"""Exports a BERT-family PyTorch / safetensors checkpoint to a folder embedline loads, and writes
PyTorch's reference vectors for the proof that `embedline model export` runs on that folder.

Run by embedline (src/export/export-model.ts) in the virtual environment it builds from
requirements.txt beside this file; not meant to be run by hand, though it can be:

    python export_model.py SOURCE --out DIR --texts texts.json --reference reference.json

SOURCE is a local checkpoint folder or a Hugging Face Hub id `org/name[@revision]` (fetched with
huggingface_hub, which honours HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE and HF_HOME).

What it writes into DIR:
- model.onnx: transformers' AutoModel traced by torch.onnx.export (TorchScript exporter, opset 17),
  inputs input_ids, attention_mask and token_type_ids when the model takes them (int64,
  [batch, sequence]); outputs last_hidden_state and, when the checkpoint has pooler weights,
  pooler_output.
- model_int8.onnx: onnxruntime's dynamic quantisation, int8 weights per channel.
- the tokenizer: the checkpoint's tokenizer.json, or the one transformers runs when the checkpoint
  has none or its tokenizer_config.json overrides it; config.json and the sentence-transformers
  files the checkpoint has.

What it writes to --reference: per text, the token ids PyTorch saw and four UNNORMALISED poolings
(cls, mean, max, and pooler when the model has one), each text run alone (no padding), truncated at
the length embedline uses for this folder.

Progress goes to stderr as lines starting with "export:"; a failure ends with one line starting with
"export failed:" and exit status 2.
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import shutil
import sys
import time
import warnings
from pathlib import Path

GRAPH_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.txt",
    "sentencepiece.bpe.model",
    "spiece.model",
    "merges.txt",
    "vocab.json",
)
SENTENCE_TRANSFORMERS_FILES = (
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
)
# sentence-transformers modules embedline applies itself; any other (Dense, LayerNorm, ...) would
# change the vectors in a way the exported graph does not.
SUPPORTED_MODULES = ("Transformer", "Pooling", "Normalize")
# What a Hub download takes: configs, tokenizer files and the weights; not TF / Flax / ONNX files.
HUB_PATTERNS = ["*.json", "*.txt", "*.model", "*.safetensors", "1_Pooling/*"]


class ExportError(Exception):
    """A failure with a one-line message for the user."""


def progress(message: str) -> None:
    print(f"export: {message}", file=sys.stderr, flush=True)


def file_count_progress():
    """A tqdm class for snapshot_download's files bar: one progress line per file fetched, no bar."""
    from tqdm.auto import tqdm

    class FileCountProgress(tqdm):
        def __init__(self, *args, **kwargs):
            self.files_done, self.files_total = 0, kwargs.get("total")
            super().__init__(*args, **{**kwargs, "disable": True})

        def update(self, n=1):
            self.files_done += n
            progress(f"fetched {self.files_done}/{self.files_total} files")

    return FileCountProgress


def resolve_source(source: str) -> Path:
    """A local folder as is; a Hub id `org/name[@revision]` downloaded into the Hugging Face cache."""
    local = Path(source).expanduser()
    if local.is_dir():
        return local.resolve()
    # `org/name`, or a bare `name` (the Hub still answers for old ids such as bert-base-chinese).
    if local.exists() or source.startswith((".", "/", "~")) or source.count("/") > 1:
        raise ExportError(f"{source} is neither a checkpoint folder nor a Hub id org/name[@revision]")
    from huggingface_hub import snapshot_download

    repo_id, _, revision = source.partition("@")
    progress(f"fetching {repo_id}{'@' + revision if revision else ''} from the Hub (configs, tokenizer, weights)")
    fetch = {"revision": revision or None, "tqdm_class": file_count_progress()}
    try:
        folder = Path(snapshot_download(repo_id, allow_patterns=HUB_PATTERNS, **fetch))
        if not any(folder.glob("*.safetensors")):
            folder = Path(snapshot_download(repo_id, allow_patterns=HUB_PATTERNS + ["pytorch_model*.bin"], **fetch))
    except Exception as err:  # huggingface_hub raises many kinds; each becomes one line
        raise ExportError(f"could not fetch {source} from the Hub: {type(err).__name__}: {first_line(err)}") from err
    return folder


def first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def read_json(path: Path) -> dict | list | None:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise ExportError(f"{path} is not valid JSON ({err})") from err


def check_sentence_transformers_modules(source: Path) -> None:
    modules = read_json(source / "modules.json")
    if not isinstance(modules, list):
        return
    for module in modules:
        kind = str(module.get("type", "")).rsplit(".", 1)[-1]
        if kind not in SUPPORTED_MODULES:
            raise ExportError(
                f"{source}/modules.json has a {module.get('type')} module ({module.get('path')}): "
                f"embedline applies only {', '.join(SUPPORTED_MODULES)}"
            )


# Model types whose position ids start after the padding id (RoBERTa's create_position_ids_from_input_ids).
PADDING_OFFSET_POSITION_TYPES = {"roberta", "xlm-roberta", "xlm-roberta-xl", "camembert", "mpnet", "longformer", "data2vec-text", "roberta-prelayernorm"}
NO_TOKENIZER_LIMIT = 1_000_000


def length_limit(config: dict, source: Path) -> int:
    """As embedline reads it (src/embed/model-info.ts): max_seq_length, else the tokenizer's
    model_max_length, capped by the positions the graph can take (less RoBERTa's padding offset)."""
    positions = config.get("max_position_embeddings")
    if isinstance(positions, int) and config.get("model_type") in PADDING_OFFSET_POSITION_TYPES:
        pad = config.get("pad_token_id")
        positions -= (pad if isinstance(pad, int) else 1) + 1
    st = read_json(source / "sentence_bert_config.json") or {}
    tok = read_json(source / "tokenizer_config.json") or {}
    tokenizer_limit = tok.get("model_max_length") if isinstance(tok, dict) else None
    if not isinstance(tokenizer_limit, int) or tokenizer_limit >= NO_TOKENIZER_LIMIT:
        tokenizer_limit = None
    chosen = st.get("max_seq_length") if isinstance(st, dict) else None
    if chosen is None:
        chosen = tokenizer_limit
    candidates = [n for n in (chosen, positions) if isinstance(n, int)]
    if not candidates or min(candidates) < 3:
        raise ExportError(f"{source}: no usable length limit (max_seq_length, model_max_length or max_position_embeddings)")
    return min(candidates)


def load_model(source: Path):
    import torch
    from transformers import AutoModel

    model, info = AutoModel.from_pretrained(source, torch_dtype=torch.float32, output_loading_info=True)
    missing = [key for key in info.get("missing_keys", []) if not key.startswith("pooler.")]
    if missing:
        raise ExportError(f"{source}: the checkpoint lacks weights for {', '.join(missing[:3])}{' …' if len(missing) > 3 else ''}")
    # A checkpoint saved without its pooler gets random pooler weights from transformers: such a
    # pooler_output means nothing, so the graph leaves it out.
    has_pooler = getattr(model, "pooler", None) is not None and not any(
        key.startswith("pooler.") for key in info.get("missing_keys", [])
    )
    model.eval()
    return model, has_pooler


def load_tokenizer(source: Path):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source, use_fast=True)
    if not tokenizer.is_fast:
        raise ExportError(f"{source}: transformers has no fast tokenizer for this checkpoint, so no tokenizer.json can be made")
    return tokenizer


def graph_module(model, inputs: list[str], has_pooler: bool):
    """The checkpoint's model as a function of positional tensors, returning a tuple of outputs."""
    import torch

    class Graph(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, *tensors):
            out = self.model(**dict(zip(inputs, tensors)), return_dict=True)
            return (out.last_hidden_state, out.pooler_output) if has_pooler else (out.last_hidden_state,)

    return Graph().eval()


def graph_inputs(model, tokenizer) -> list[str]:
    accepted = inspect.signature(model.forward).parameters
    names = [name for name in GRAPH_INPUTS if name in accepted and (name != "token_type_ids" or name in tokenizer.model_input_names)]
    if names[:2] != ["input_ids", "attention_mask"]:
        raise ExportError(f"the model's forward takes {', '.join(accepted)}: not an encoder embedline can run")
    return names


def export_onnx(model, tokenizer, inputs: list[str], has_pooler: bool, path: Path) -> list[str]:
    import onnx
    import torch

    outputs = ["last_hidden_state"] + (["pooler_output"] if has_pooler else [])
    sample = tokenizer(["a short text", "a second, somewhat longer text to pad the first one"], padding=True, return_tensors="pt")
    args = tuple(sample[name] if name in sample else torch.zeros_like(sample["input_ids"]) for name in inputs)
    dynamic = {name: {0: "batch", 1: "sequence"} for name in inputs}
    dynamic["last_hidden_state"] = {0: "batch", 1: "sequence"}
    if has_pooler:
        dynamic["pooler_output"] = {0: "batch"}
    # The TorchScript exporter (dynamo=False), on purpose: it is the path the shared MiniLM graph was
    # made with, it needs no onnxscript, and it traces BERT-family encoders exactly. torch warns that
    # it is the legacy one; that warning says nothing about this export, so it is not shown.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        torch.onnx.export(
            graph_module(model, inputs, has_pooler),
            args,
            str(path),
            input_names=inputs,
            output_names=outputs,
            dynamic_axes=dynamic,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )
    onnx.checker.check_model(str(path))
    return outputs


def quantize(fp32: Path, int8: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # onnxruntime logs a suggestion to pre-process first (shape inference, for static quantisation of
    # vision models); the shared MiniLM int8 file was made without it, as this one is.
    logging.getLogger().setLevel(logging.ERROR)
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)


# The parts of a tokenizer.json that decide the token ids (truncation and padding do not: the
# embedder sets its own).
TOKENIZER_ID_PARTS = ("normalizer", "pre_tokenizer", "model", "post_processor", "added_tokens")


def overridden_parts(source: Path, tokenizer) -> list[str]:
    """What transformers changed in the checkpoint's tokenizer.json as it loaded it.

    tokenizer_config.json can override tokenizer.json (BertTokenizerFast rebuilds the normalizer
    when do_lower_case or strip_accents disagree with it); PyTorch users get the overridden one.
    """
    running = json.loads(tokenizer.backend_tokenizer.to_str())
    saved = read_json(source / "tokenizer.json") or {}
    return [part for part in TOKENIZER_ID_PARTS if running.get(part) != saved.get(part)]


def copy_configs(source: Path, out: Path, tokenizer) -> list[str]:
    written = []
    shutil.copyfile(source / "config.json", out / "config.json")
    written.append("config.json")
    if (source / "tokenizer.json").is_file():
        for name in TOKENIZER_FILES:
            if (source / name).is_file():
                shutil.copyfile(source / name, out / name)
                written.append(name)
        overridden = overridden_parts(source, tokenizer)
        if overridden:
            progress(
                f"tokenizer_config.json changes the {', '.join(overridden)} of tokenizer.json as transformers loads it: "
                "writing the tokenizer transformers runs"
            )
            tokenizer.backend_tokenizer.save(str(out / "tokenizer.json"))
    else:
        progress("the checkpoint has no tokenizer.json: writing one with transformers' fast tokenizer")
        written.extend(Path(f).name for f in tokenizer.save_pretrained(str(out), legacy_format=False))
    for name in SENTENCE_TRANSFORMERS_FILES:
        if (source / name).is_file():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, out / name)
            written.append(name)
    return sorted(set(written))


def reference_vectors(model, tokenizer, inputs: list[str], has_pooler: bool, texts: list[str], limit: int) -> list[dict]:
    import torch

    rows = []
    with torch.no_grad():
        for text in texts:
            encoded = tokenizer(text, truncation=True, max_length=limit, return_tensors="pt")
            out = model(**{name: encoded[name] for name in inputs if name in encoded}, return_dict=True)
            hidden = out.last_hidden_state[0].double()
            row = {
                "ids": encoded["input_ids"][0].tolist(),
                "cls": hidden[0].tolist(),
                "mean": hidden.mean(dim=0).tolist(),
                "max": hidden.max(dim=0).values.tolist(),
            }
            if has_pooler:
                row["pooler"] = out.pooler_output[0].double().tolist()
            rows.append(row)
    return rows


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("source", help="checkpoint folder or Hub id org/name[@revision]")
    p.add_argument("--out", type=Path, required=True, help="folder to write (created; existing model files are replaced)")
    p.add_argument("--texts", type=Path, required=True, help="JSON list of texts for the reference vectors")
    p.add_argument("--reference", type=Path, required=True, help="where to write the PyTorch reference JSON")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    try:
        source = resolve_source(args.source)
        import torch
        import transformers

        if not (source / "config.json").is_file():
            raise ExportError(f"{source} has no config.json: not a transformers checkpoint")
        check_sentence_transformers_modules(source)
        config = read_json(source / "config.json")
        limit = length_limit(config, source)
        progress(f"loading {source} (transformers {transformers.__version__}, torch {torch.__version__})")
        model, has_pooler = load_model(source)
        tokenizer = load_tokenizer(source)
        inputs = graph_inputs(model, tokenizer)
        args.out.mkdir(parents=True, exist_ok=True)
        progress(f"exporting model.onnx (opset {OPSET}; inputs {', '.join(inputs)})")
        outputs = export_onnx(model, tokenizer, inputs, has_pooler, args.out / "model.onnx")
        progress("quantising model_int8.onnx (dynamic, int8 weights per channel)")
        quantize(args.out / "model.onnx", args.out / "model_int8.onnx")
        files = copy_configs(source, args.out, tokenizer)
        texts = json.loads(args.texts.read_text(encoding="utf-8"))
        progress(f"computing PyTorch reference vectors for {len(texts)} texts")
        rows = reference_vectors(model, tokenizer, inputs, has_pooler, texts, limit)
        import onnx
        import onnxruntime

        reference = {
            "source": args.source,
            "resolvedSource": str(source),
            "modelType": config.get("model_type"),
            "maxLength": limit,
            "inputs": inputs,
            "outputs": outputs,
            "poolings": ["cls", "mean", "max"] + (["pooler"] if has_pooler else []),
            "files": ["model.onnx", "model_int8.onnx", *files],
            "versions": {
                "python": sys.version.split()[0],
                "torch": torch.__version__,
                "transformers": transformers.__version__,
                "onnx": onnx.__version__,
                "onnxruntime": onnxruntime.__version__,
            },
            "opset": OPSET,
            "texts": rows,
        }
        args.reference.write_text(json.dumps(reference), encoding="utf-8")
        progress(f"exported in {time.monotonic() - started:.1f} s")
        return 0
    except ExportError as err:
        print(f"export failed: {err}", file=sys.stderr, flush=True)
        return 2
    except Exception as err:  # anything else from torch / transformers / onnx: one line, the type named
        print(f"export failed: {type(err).__name__}: {first_line(err)}", file=sys.stderr, flush=True)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
