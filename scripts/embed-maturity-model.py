#!/usr/bin/env python3
"""Copies collector/maturity-model.yaml into DefaultMaturityModel.swift (a test keeps the two identical)."""
import pathlib
root = pathlib.Path(__file__).resolve().parent.parent
yaml = (root / "collector/maturity-model.yaml").read_text()
swift = root / "Sources/DeskReadyReporting/Model/DefaultMaturityModel.swift"
text = swift.read_text()
start = text.index('#"""\n') + len('#"""\n')
end = text.index('"""#', start)
swift.write_text(text[:start] + yaml + "\n" + text[end:])
