"""``/docs``: the OpenAPI document as one page that loads nothing (no script, no CDN)."""

from __future__ import annotations

import html
import json
from typing import Any

__all__ = ["render_docs"]


def _schema_name(content: dict[str, Any] | None) -> str:
    if not content:
        return ""
    for media, spec in content.items():
        schema = spec.get("schema", {})
        ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
        name = ref.rsplit("/", 1)[-1] if ref else schema.get("type", "")
        return f"{media}: {name}"
    return ""


def render_docs(document: dict[str, Any]) -> str:
    """The endpoints with their summaries, request bodies and answers, then the schemas."""
    e = html.escape
    rows = []
    for path, item in document.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            body = _schema_name(op.get("requestBody", {}).get("content"))
            answers = "<br>".join(
                f"{e(code)} {e(r.get('description', ''))}"
                + (f" <code>{e(_schema_name(r.get('content')))}</code>" if r.get("content") else "")
                for code, r in op["responses"].items()
            )
            rows.append(
                f"<tr><td><code>{e(method.upper())} {e(path)}</code></td>"
                f"<td>{e(op.get('summary', ''))}<br><small>{e(op.get('description', ''))}</small></td>"
                f"<td><code>{e(body)}</code></td><td>{answers}</td></tr>"
            )
    schemas = json.dumps(
        document.get("components", {}).get("schemas", {}), indent=2, ensure_ascii=False
    )
    info = document.get("info", {})
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{e(info.get('title', ''))} {e(info.get('version', ''))}: API</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}"
        "pre{background:#f6f6f6;padding:1em;overflow:auto}</style></head><body>"
        f"<h1>{e(info.get('title', ''))} {e(info.get('version', ''))}</h1>"
        f"<p>{e(info.get('summary', ''))}. The document itself: "
        "<a href=/openapi.json>/openapi.json</a> (OpenAPI "
        f"{e(document.get('openapi', ''))}); the guide: docs/serve.md.</p>"
        "<table><tr><th>endpoint</th><th>what</th><th>request body</th><th>answers</th></tr>"
        + "".join(rows)
        + f"</table><h2>Schemas</h2><pre>{e(schemas)}</pre></body></html>"
    )
