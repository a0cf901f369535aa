"""Qdrant REST stand-in for tests.

Every request is checked against Qdrant's own OpenAPI document, and the data
lives in Qdrant's own engine (qdrant-edge-py, one in-process shard per
collection). Run it by path, not with ``-m``: the project's ``test`` folder
would collide with the standard library's ``test`` package::

    .venv/bin/python test/support/qdrant_standin --port 6333
"""
