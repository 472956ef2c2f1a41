#!/usr/bin/env python3
"""Embeds collector/openapi.yaml into the collector's sources, so the binary serves it wherever it runs."""
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
source = (root / "collector" / "openapi.yaml").read_text()
assert '"""#' not in source, "the document may not contain a raw-string terminator"
(root / "Sources" / "DeskReadyCollector" / "HTTP" / "OpenAPIDocument.swift").write_text(
    "/// The collector's OpenAPI document, served at `/openapi.yaml`. Generated from `collector/openapi.yaml` by\n"
    "/// `scripts/embed-openapi.py`; a test checks the two are identical.\n"
    "public enum OpenAPIDocument {\n"
    "    public static let yaml = #\"\"\"\n" + source + "\"\"\"#\n}\n"
)
