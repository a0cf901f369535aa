#!/usr/bin/env python3
"""sentence-transformers' own vectors, the reference for embedline's prompts: loads a checkpoint
folder as SentenceTransformer (its modules.json, pooling, normalisation and
config_sentence_transformers.json prompts) and prints one JSON line
{"<prompt name or ''>": [[...], ...]} with encode(texts, prompt_name=name) for every name given
('' means encode without prompt_name: the model's default prompt, if any). Run in the venv
test/support/sentence-transformers-env.ts builds:

    python st_reference.py CHECKPOINT TEXTS_JSON NAME [NAME ...]
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    checkpoint, texts_file, *names = sys.argv[1:]
    texts = json.loads(open(texts_file, encoding="utf-8").read())
    torch.set_num_threads(1)
    model = SentenceTransformer(checkpoint, device="cpu")
    out = {}
    for name in names:
        vectors = model.encode(texts, prompt_name=name or None, batch_size=1, convert_to_numpy=True)
        out[name] = [[float(x) for x in row] for row in vectors]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
