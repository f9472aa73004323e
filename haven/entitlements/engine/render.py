"""Putting rule outcomes into words: item names, reasons in Vietnamese and English, citations.

The per-person path and the batch path both end here, so their output is identical by
construction once their outcomes agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .parameters import Citation, ParameterStore
from .rules.base import Outcome

TEXTS_FILE = Path(__file__).with_name("texts.yaml")
LANGS = ("vi", "en")


@dataclass(frozen=True, slots=True)
class Template:
    """One reason sentence in both languages, with the citations it always carries."""

    vi: str
    en: str
    cite: tuple[Citation, ...]


@dataclass(frozen=True)
class Texts:
    items: Mapping[str, Mapping[str, str]]
    statuses: Mapping[str, Mapping[str, str]]
    rows: Mapping[str, Mapping[str, str]]
    reasons: Mapping[str, Template]
    instruments_vi: Mapping[str, str]
    terms_vi: Mapping[str, str]


@lru_cache(maxsize=1)
def texts() -> Texts:
    """The shipped wording (`texts.yaml`)."""
    raw = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    reasons = {
        key: Template(body["vi"], body["en"], tuple(Citation(i, a) for i, a in body.get("cite") or ()))
        for key, body in raw["reasons"].items()
    }
    return Texts(raw["items"], raw["statuses"], raw["rows"], reasons, raw["instruments_vi"], raw["terms_vi"])


@dataclass(frozen=True, slots=True)
class Scene:
    """What the wording needs to know about the person besides the outcome itself."""

    regime: str
    row: str
    on: dt.date
    lookup_date: dt.date
    province: str | None
    identified_on: dt.date | None
    accompanies: dt.date | None
    received_on: dt.date | None
    reported_on: dt.date | None
    age: int | None


def _format(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        return str(value[lang])
    if isinstance(value, bool):
        return {"vi": "có", "en": "yes"}[lang] if value else {"vi": "không", "en": "no"}[lang]
    if isinstance(value, int):
        text = f"{value:,}"
        return text.replace(",", ".") if lang == "vi" else text
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()
    if value is None:
        return "—"
    return str(value)


class _Values(dict[str, Any]):
    """format_map source that formats each value for one language."""

    def __init__(self, raw: Mapping[str, Any], lang: str) -> None:
        super().__init__()
        self.raw = raw
        self.lang = lang

    def __missing__(self, key: str) -> str:
        if key not in self.raw:
            raise KeyError(f"reason text needs {{{key}}}, which this outcome does not provide")
        return _format(self.raw[key], self.lang)


def citation_text(citation: Citation, lang: str) -> str:
    t = texts()
    instrument = t.instruments_vi.get(citation.instrument, citation.instrument) if lang == "vi" else citation.instrument
    if not citation.article:
        return instrument
    article = citation.article
    if lang == "vi":
        for en, vi in t.terms_vi.items():
            article = article.replace(en, vi)
    # "Decree 09/2013/ND-CP Art. 23", but "Seed study (...), Table 2".
    separator = " " if citation.article.startswith("Art.") else ", "
    return f"{instrument}{separator}{article}"


def _sentence(template: str, values: Mapping[str, Any], cites: Sequence[Citation], lang: str) -> str:
    text = template.format_map(_Values(values, lang))
    if cites:
        text += " (" + "; ".join(citation_text(c, lang) for c in cites) + ")"
    return text


def render_reasons(keys: Iterable[str], values: Mapping[str, Any], scene: Scene,
                   store: ParameterStore) -> tuple[list[dict[str, str]], list[Citation]]:
    """Sentences for reason keys (`key` or `key@param`) and the citations they carry, in order."""
    sentences: list[dict[str, str]] = []
    citations: list[Citation] = []
    for key in keys:
        base, _, param = key.partition("@")
        template = texts().reasons[base]
        cites = list(template.cite)
        these = values
        if param:
            pv = store.get(param, scene.lookup_date, scene.province)
            if pv is None:
                raise KeyError(f"reason {key} cites {param}, which has no value on {scene.lookup_date}")
            cites.append(pv.citation)
            these = {**values, "value": pv.value, "source": {lang: citation_text(pv.citation, lang) for lang in LANGS}}
        sentences.append({lang: _sentence(getattr(template, lang), these, cites, lang) for lang in LANGS})
        citations.extend(c for c in cites if c not in citations)
    return sentences, citations


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return list(value)
    return value


@lru_cache(maxsize=128)
def _order(vocab: tuple[str, ...]) -> dict[str, int]:
    return {key: i for i, key in enumerate(vocab)}


def scene_values(scene: Scene) -> dict[str, Any]:
    return {
        "on": scene.on,
        "identified_on": scene.identified_on,
        "accompanies": scene.accompanies,
        "received_on": scene.received_on,
        "reported_on": scene.reported_on,
        "age": scene.age,
    }


def render_item(code: str, outcome: Outcome, scene: Scene, store: ParameterStore,
                vocab: tuple[str, ...], base_values: Mapping[str, Any]) -> dict[str, Any]:
    """One item of the output contract."""
    t = texts()
    order = _order(vocab)
    keys = sorted(outcome.reasons, key=order.__getitem__)
    prefix = "old" if scene.regime == "law-66-2011" else "new"
    values = {
        **base_values,
        "item": t.items[code],
        "row": t.rows[f"{prefix}.{scene.row}"],
        "amount": outcome.amount_vnd,
        **outcome.limits,
        **outcome.deadlines,
    }
    reasons, citations = render_reasons(keys, values, scene, store)
    return {
        "code": code,
        "name": dict(t.items[code]),
        "status": outcome.status,
        "amount_vnd": outcome.amount_vnd,
        "limits": {k: _json_value(outcome.limits[k]) for k in sorted(outcome.limits)},
        "deadlines": {k: outcome.deadlines[k].isoformat() for k in sorted(outcome.deadlines)},
        "reasons": reasons,
        "citations": [c.to_dict() for c in citations],
    }


def render_profile(pid: str | int, scene: Scene, period: str, head_keys: list[str],
                   deadlines: Mapping[str, dt.date], items: list[dict[str, Any]],
                   store: ParameterStore) -> dict[str, Any]:
    """The whole result for one person."""
    values = {**scene_values(scene), **deadlines}
    reasons, citations = render_reasons(head_keys, values, scene, store)
    return {
        "id": pid,
        "regime": scene.regime,
        "period": period,
        "deadlines": {k: deadlines[k].isoformat() for k in sorted(deadlines)},
        "reasons": reasons,
        "citations": [c.to_dict() for c in citations],
        "items": items,
    }
