#!/usr/bin/env python3
"""The Python pipeline of bench/ingest/run.ts: the script one would write instead of embedline.

  python_pipeline.py --csv CORPUS.csv --model ST_MODEL_DIR --db LANCEDB_DIR [--threads 2]
                     [--batch-size 32] [--chunk-tokens 254] [--overlap 32] [--slice 1024]

Reads the CSV (id,body), cuts each body into windows of at most --chunk-tokens tokens with
--overlap tokens shared (the model's own tokenizer, offsets back into the text, so a chunk is a
substring), embeds them with sentence-transformers (PyTorch CPU, fp32, mean pooling, normalised),
and appends them to a LanceDB table, one slice of chunks at a time. Prints ONE JSON object on stdout:
wall seconds from the interpreter's start (imports included, as embedline's are), seconds until the
model was loaded, the chunk count, seconds spent inside encode() (the bare model time of this run),
and a time series [[seconds since start, chunks embedded so far], ...] taken after every slice.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--chunk-tokens", type=int, default=254)
    ap.add_argument("--overlap", type=int, default=32)
    ap.add_argument("--slice", type=int, default=1024)
    args = ap.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    import lancedb
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(args.model, device="cpu")
    tokenizer = model.tokenizer
    loaded = time.perf_counter() - STARTED
    db = lancedb.connect(args.db)
    table = None

    def chunks_of(text: str) -> list[str]:
        enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        offsets = enc["offset_mapping"]
        n = len(offsets)
        if n <= args.chunk_tokens:
            return [text] if text.strip() else []
        out, start = [], 0
        while True:
            end = min(start + args.chunk_tokens, n)
            out.append(text[offsets[start][0] : offsets[end - 1][1]])
            if end == n:
                return out
            start = end - args.overlap

    series: list[list[float]] = []
    encode_seconds = 0.0
    done = 0
    pending_ids: list[str] = []
    pending_texts: list[str] = []

    def flush() -> None:
        nonlocal table, encode_seconds, done
        if not pending_texts:
            return
        t0 = time.perf_counter()
        vectors = model.encode(pending_texts, batch_size=args.batch_size, normalize_embeddings=True, convert_to_numpy=True)
        encode_seconds += time.perf_counter() - t0
        rows = [{"id": i, "text": t, "vector": v.tolist()} for i, t, v in zip(pending_ids, pending_texts, vectors)]
        if table is None:
            table = db.create_table("bench", data=rows, mode="overwrite")
        else:
            table.add(rows)
        done += len(rows)
        series.append([round(time.perf_counter() - STARTED, 3), done])
        pending_ids.clear()
        pending_texts.clear()

    with open(args.csv, newline="", encoding="utf-8") as f:
        for record in csv.DictReader(f):
            for index, chunk in enumerate(chunks_of(record["body"])):
                pending_ids.append(f"{record['id']}#{index}")
                pending_texts.append(chunk)
            if len(pending_texts) >= args.slice:
                flush()
    flush()
    wall = time.perf_counter() - STARTED
    json.dump({"wall": wall, "modelLoaded": loaded, "chunks": done, "encodeSeconds": encode_seconds,
               "rows": table.count_rows() if table is not None else 0, "series": series,
               "torch": torch.__version__, "threads": torch.get_num_threads()}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
