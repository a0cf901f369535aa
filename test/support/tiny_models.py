#!/usr/bin/env python3
"""Makes tiny random-weight encoder checkpoints, one per family embedline runs, for the model-family
tests: no Hub, no download, seconds on a CPU. Run in embedline's export venv (transformers, tokenizers,
torch==2.13.0), by test/support/tiny-models.ts:

    python tiny_models.py OUT_DIR --vocab VOCAB_TXT --corpus CORPUS_JSON

or, for PyTorch's vectors of texts by one checkpoint (unnormalised, each text alone, as
sentence-transformers pools them; pooler only when the model has one):

    python tiny_models.py --reference CHECKPOINT --texts TEXTS_JSON

Writes OUT_DIR/<family>/ as a checkpoint `embedline model export` takes (config.json, weights,
tokenizer files, sentence-transformers files where the family usually has them). Every model is
hidden size 32, 2 layers, 2 heads, seeded, so the same code makes the same weights.

Families:
- bert-pooler: BertModel with its pooler (tokenizer: the given WordPiece vocab.txt), CLS pooling.
- bert-no-pooler: BertModel saved without pooler weights (as many sentence-transformers checkpoints are).
- xlm-roberta: XLMRobertaModel with a Unigram (SentencePiece-style) tokenizer trained here by
  `tokenizers` on the corpus; no token_type_ids; mean pooling, normalised, E5-style prompts.
- mpnet: MPNetModel (WordPiece vocab with <s> </s> <pad> <unk> <mask>), mean pooling.
- distilbert: DistilBertModel (config has `dim`, not `hidden_size`; no token_type_ids, no pooler).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SIZE = dict(hidden=32, layers=2, heads=2, intermediate=64)
# Positions: 128 usable tokens; RoBERTa-style models offset positions by padding_idx + 1.
MAX_TOKENS = 128


def write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2), encoding="utf-8")


def sentence_transformers_files(out: Path, pooling: str, normalize: bool, prompts: dict | None = None) -> None:
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    ]
    if normalize:
        modules.append({"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"})
    write_json(out / "modules.json", modules)
    write_json(out / "sentence_bert_config.json", {"max_seq_length": MAX_TOKENS, "do_lower_case": False})
    write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": SIZE["hidden"],
            "pooling_mode_cls_token": pooling == "cls",
            "pooling_mode_mean_tokens": pooling == "mean",
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    )
    if prompts is not None:
        write_json(out / "config_sentence_transformers.json", {"prompts": prompts, "default_prompt_name": None, "similarity_fn_name": "cosine"})


def save(model, tokenizer, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out, legacy_format=False)


def bert(out: Path, vocab: Path, pooler: bool) -> None:
    from transformers import BertConfig, BertModel, BertTokenizerFast

    tokenizer = BertTokenizerFast(vocab_file=str(vocab), do_lower_case=True)
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=SIZE["hidden"], num_hidden_layers=SIZE["layers"],
        num_attention_heads=SIZE["heads"], intermediate_size=SIZE["intermediate"], max_position_embeddings=MAX_TOKENS,
    )
    save(BertModel(config, add_pooling_layer=pooler), tokenizer, out)
    if not pooler:
        sentence_transformers_files(out, "mean", normalize=True)


def unigram_tokenizer(corpus: list[str]):
    """A SentencePiece-style Unigram tokenizer (Metaspace, NFKC) trained on the corpus, XLM-R's specials."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import XLMRobertaTokenizerFast

    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    trainer = trainers.UnigramTrainer(vocab_size=800, special_tokens=specials, unk_token="<unk>", max_piece_length=8)
    tok.train_from_iterator(corpus * 3, trainer=trainer)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", tok.token_to_id("<s>")), ("</s>", tok.token_to_id("</s>"))],
    )
    return XLMRobertaTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", sep_token="</s>", cls_token="<s>",
                                   unk_token="<unk>", pad_token="<pad>", mask_token="<mask>")


def xlm_roberta(out: Path, corpus: list[str]) -> None:
    from transformers import XLMRobertaConfig, XLMRobertaModel

    tokenizer = unigram_tokenizer(corpus)
    config = XLMRobertaConfig(
        vocab_size=len(tokenizer), hidden_size=SIZE["hidden"], num_hidden_layers=SIZE["layers"],
        num_attention_heads=SIZE["heads"], intermediate_size=SIZE["intermediate"],
        max_position_embeddings=MAX_TOKENS + 2, pad_token_id=tokenizer.pad_token_id, type_vocab_size=1,
    )
    save(XLMRobertaModel(config), tokenizer, out)
    sentence_transformers_files(out, "mean", normalize=True, prompts={"query": "query: ", "document": "passage: "})


def mpnet(out: Path, vocab: Path) -> None:
    from transformers import MPNetConfig, MPNetModel, MPNetTokenizerFast

    # As all-mpnet-base-v2's vocab.txt: <s> <pad> </s> <unk>, BERT's vocabulary ([UNK] included, which
    # the WordPiece model names as its unknown token), <mask> last.
    words = vocab.read_text(encoding="utf-8").splitlines()
    mpnet_vocab = out.parent / "mpnet-vocab.txt"
    mpnet_vocab.write_text("\n".join(["<s>", "<pad>", "</s>", "<unk>", *words, "<mask>"]) + "\n", encoding="utf-8")
    tokenizer = MPNetTokenizerFast(vocab_file=str(mpnet_vocab), do_lower_case=True)
    config = MPNetConfig(
        vocab_size=len(tokenizer), hidden_size=SIZE["hidden"], num_hidden_layers=SIZE["layers"],
        num_attention_heads=SIZE["heads"], intermediate_size=SIZE["intermediate"],
        max_position_embeddings=MAX_TOKENS + 2, pad_token_id=tokenizer.pad_token_id,
    )
    save(MPNetModel(config), tokenizer, out)
    sentence_transformers_files(out, "mean", normalize=True)


def distilbert(out: Path, vocab: Path) -> None:
    from transformers import DistilBertConfig, DistilBertModel, DistilBertTokenizerFast

    tokenizer = DistilBertTokenizerFast(vocab_file=str(vocab), do_lower_case=True)
    config = DistilBertConfig(
        vocab_size=len(tokenizer), dim=SIZE["hidden"], n_layers=SIZE["layers"], n_heads=SIZE["heads"],
        hidden_dim=SIZE["intermediate"], max_position_embeddings=MAX_TOKENS,
    )
    save(DistilBertModel(config), tokenizer, out)
    sentence_transformers_files(out, "cls", normalize=False)


def reference(checkpoint: Path, texts: list[str]) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(checkpoint, torch_dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(checkpoint, use_fast=True)
    rows = []
    with torch.no_grad():
        for text in texts:
            encoded = tokenizer(text, return_tensors="pt")
            out = model(**encoded, return_dict=True)
            hidden = out.last_hidden_state[0].double()
            row = {"cls": hidden[0].tolist(), "mean": hidden.mean(dim=0).tolist(), "max": hidden.max(dim=0).values.tolist()}
            if getattr(out, "pooler_output", None) is not None:
                row["pooler"] = out.pooler_output[0].double().tolist()
            rows.append(row)
    print(json.dumps(rows))


def main() -> None:
    import torch

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, nargs="?")
    p.add_argument("--vocab", type=Path, help="a BERT WordPiece vocab.txt")
    p.add_argument("--corpus", type=Path, help="JSON list of texts to train the Unigram tokenizer on")
    p.add_argument("--reference", type=Path, help="a checkpoint to compute PyTorch vectors with")
    p.add_argument("--texts", type=Path, help="JSON list of texts for --reference")
    args = p.parse_args()
    if args.reference:
        reference(args.reference, json.loads(args.texts.read_text(encoding="utf-8")))
        return
    corpus = json.loads(args.corpus.read_text(encoding="utf-8"))
    makers = {
        "bert-pooler": lambda out: bert(out, args.vocab, pooler=True),
        "bert-no-pooler": lambda out: bert(out, args.vocab, pooler=False),
        "xlm-roberta": lambda out: xlm_roberta(out, corpus),
        "mpnet": lambda out: mpnet(out, args.vocab),
        "distilbert": lambda out: distilbert(out, args.vocab),
    }
    for family, make in makers.items():
        torch.manual_seed(0)
        make(args.out / family)
        print(f"tiny-models: made {family}", flush=True)


if __name__ == "__main__":
    main()
