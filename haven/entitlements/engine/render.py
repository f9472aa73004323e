"""Putting rule outcomes into words: item names, reasons in Vietnamese and English, citations.

The per-person path and the batch path both end here, so their output is identical by
construction once their outcomes agree.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .parameters import Citation, ParameterStore, ParameterValue
from .rules.base import Outcome

TEXTS_FILE = Path(__file__).with_name("texts.yaml")
LANGS = ("vi", "en")


@dataclass(frozen=True, slots=True)
class Template:
    """One reason sentence in both languages, with the citations it always carries."""

    vi: str
    en: str
    cite: tuple[Citation, ...]
    fields: tuple[str, ...] = ()  # placeholders used by either language


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
        key: Template(body["vi"], body["en"], tuple(Citation(i, a) for i, a in body.get("cite") or ()),
                      _fields(body["vi"], body["en"]))
        for key, body in raw["reasons"].items()
    }
    return Texts(raw["items"], raw["statuses"], raw["rows"], reasons, raw["instruments_vi"], raw["terms_vi"])


def _fields(*templates: str) -> tuple[str, ...]:
    names = {name for t in templates for _, name, _, _ in string.Formatter().parse(t) if name}
    return tuple(sorted(names))


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


def _format(name: str, value: Any, lang: str) -> str:
    t = texts()
    if name == "item":
        return t.items[value][lang]
    if name == "row":
        return t.rows[value][lang]
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


@lru_cache(maxsize=256)
def citation_text(citation: Citation, lang: str) -> str:
    """A citation as it appears in a sentence, in one language."""
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


_MISSING = object()


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@lru_cache(maxsize=65536)
def _render_one(base: str, pv: ParameterValue | None, names: tuple[str, ...],
                field_values: tuple[Any, ...]) -> tuple[dict[str, str], tuple[Citation, ...]]:
    """One reason in both languages; cached, since many people share the same sentence."""
    template = texts().reasons[base]
    values = dict(zip(names, field_values, strict=True))
    cites = template.cite
    if pv is not None:
        values["value"] = pv.value
        cites = (*cites, pv.citation)
    sentence = {}
    for lang in LANGS:
        formatted = {}
        for name, value in values.items():
            if value is _MISSING:
                raise KeyError(f"reason {base} needs {{{name}}}, which this outcome does not provide")
            formatted[name] = _format(name, value, lang)
        if pv is not None:
            formatted["source"] = citation_text(pv.citation, lang)
        text = getattr(template, lang).format_map(formatted)
        if cites:
            text += " (" + "; ".join(citation_text(c, lang) for c in cites) + ")"
        sentence[lang] = text
    return sentence, cites


def render_reasons(keys: Iterable[str], values: Mapping[str, Any], scene: Scene,
                   store: ParameterStore) -> tuple[list[dict[str, str]], list[Citation]]:
    """Sentences for reason keys (`key` or `key@param`) and the citations they carry, in order."""
    sentences: list[dict[str, str]] = []
    citations: list[Citation] = []
    reasons = texts().reasons
    for key in keys:
        base, _, param = key.partition("@")
        pv = None
        if param:
            pv = store.get(param, scene.lookup_date, scene.province)
            if pv is None:
                raise KeyError(f"reason {key} cites {param}, which has no value on {scene.lookup_date}")
        names = tuple(n for n in reasons[base].fields if not (pv is not None and n in ("value", "source")))
        field_values = tuple(_hashable(values.get(n, _MISSING)) for n in names)
        sentence, cites = _render_one(base, pv, names, field_values)
        sentences.append(dict(sentence))
        citations.extend(c for c in cites if c not in citations)
    return sentences, citations


_CONFIDENCE_RANK = {"confirmed": 0, "reported": 1, "unverified": 2}


def item_confidence(keys: Iterable[str], scene: Scene, store: ParameterStore) -> str:
    """The weakest confidence among the parameters an item's reasons cite ("confirmed" if none):
    an amount from a reported figure is "reported", one the law leaves unset is "unverified"."""
    worst = "confirmed"
    for key in keys:
        _, _, param = key.partition("@")
        pv = store.get(param, scene.lookup_date, scene.province) if param else None
        if pv is not None and _CONFIDENCE_RANK[pv.confidence] > _CONFIDENCE_RANK[worst]:
            worst = pv.confidence
    return worst


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
        "item": code,
        "row": f"{prefix}.{scene.row}",
        "amount": outcome.amount_vnd,
        **outcome.limits,
        **outcome.deadlines,
    }
    reasons, citations = render_reasons(keys, values, scene, store)
    return {
        "code": code,
        "name": dict(t.items[code]),
        "status": outcome.status,
        "confidence": item_confidence(keys, scene, store),
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
