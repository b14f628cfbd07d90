"""Fixtures shared by the tests (the sample graph of the rdf, views and query tests lives in
tests/rdf/sample_kg.py and is loaded by path, whatever pytest's import mode)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest


def _sample():
    name = "_industry_kg_sample_kg"
    mod = sys.modules.get(name)
    if mod is None:
        path = Path(__file__).resolve().parent / "rdf" / "sample_kg.py"
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def sample():
    return _sample()


@pytest.fixture(scope="session")
def kg(sample):
    return sample.build()


@pytest.fixture(scope="session")
def graph(kg):
    from kg.rdf.graph import to_rdf

    return to_rdf(kg)


@pytest.fixture(scope="session")
def export(graph):
    from kg.views.json_export import graph_to_json

    return graph_to_json(graph)


@pytest.fixture(scope="session")
def ttl_path(graph, tmp_path_factory):
    from kg.rdf.graph import write_turtle

    path = tmp_path_factory.mktemp("build") / "graph.ttl"
    write_turtle(graph, path)
    return path


def _cli_support():
    """tests/cli/__init__.py (run_kg, shared_build), loaded by path."""
    name = "_industry_kg_cli_support"
    mod = sys.modules.get(name)
    if mod is None:
        path = Path(__file__).resolve().parent / "cli" / "__init__.py"
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory) -> Path:
    """The build folder of the real corpus/ (made once per session, shared with tests/cli)."""
    return _cli_support().shared_build(tmp_path_factory)


@pytest.fixture(scope="session")
def corpus_store(corpus_build):
    """A pyoxigraph store of the real build's graph.ttl."""
    from kg.query.sparql import open_store

    return open_store(corpus_build / "graph.ttl")


@pytest.fixture(scope="session")
def run_kg():
    """Run the real entry point ``python -m kg ARGS`` (see tests/cli/__init__.py)."""
    return _cli_support().run_kg
