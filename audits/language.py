"""Language: gender-coded wording (LANG checks).

Policy. Gaucher, Friesen & Kay (2011) found that adverts worded with more masculine-coded words (leader,
competitive, dominant) made women find the job less appealing, in lab studies. gender-decoder turned their word
stems into a count-based verdict that UK recruitment tools embed. Castilla & Rho (2023) found negligible effects
in about 300,000 real postings, so Scrutineer treats gender coding as advice: at most a Medium warning, never a
failure. It reports both gender-decoder's verdict (a difference of counts, which long adverts exaggerate) and the
paper's own measure (coded words as a percentage of all words, against the paper's mean of 0.83% masculine).

Tokenising follows gender-decoder's published method, re-implemented: non-ASCII characters split words, words
split on spaces and punctuation, hyphenated words split unless they begin with a hyphenated coded stem, and a
word is coded when it starts with a stem. Exceptions from the checklist (NHS Foundation Trust, committee,
responsibilities) are blanked out before counting.
"""

from __future__ import annotations

import re

from audits.checklist import Rule
from audits.model import CampaignBundle, Outcome, Status, TextEvidence
from audits.registry import advert_check
from audits.text import AdvertText, exception_spans

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_TOKEN = re.compile(r"[^\s.,“”‘’<>*?!\"\[\]@':;()/&]+")


_CODING_CACHE: dict[tuple[tuple[str, ...], tuple[str, ...]], dict[str, str]] = {}


def _coder(masculine: tuple[str, ...], feminine: tuple[str, ...]) -> dict[str, str]:
    """A memo of word -> "m", "f" or "" for one pair of word lists: most words repeat across adverts."""
    return _CODING_CACHE.setdefault((masculine, feminine), {})


def _coded_tokens(
    text: str, hyphenated: tuple[str, ...], masculine: tuple[str, ...], feminine: tuple[str, ...]
) -> tuple[int, list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """gender-decoder's tokens: how many there are, and the masculine- and feminine-coded ones with positions."""
    lowered = _NON_ASCII.sub(" ", text).lower()  # ASCII only, so offsets are unchanged
    memo = _coder(masculine, feminine)
    total = 0
    masc: list[tuple[str, int, int]] = []
    fem: list[tuple[str, int, int]] = []

    def code(word: str) -> str:
        found = memo.get(word)
        if found is None:
            found = "m" if word.startswith(masculine) else "f" if word.startswith(feminine) else ""
            if len(memo) < 200_000:
                memo[word] = found
        return found

    for match in _TOKEN.finditer(lowered):
        word = match.group()
        if "-" in word and not word.startswith(hyphenated):
            offset = match.start()
            for part in word.split("-"):
                if part:
                    total += 1
                    coded = code(part)
                    if coded:
                        (masc if coded == "m" else fem).append((part, offset, offset + len(part)))
                offset += len(part) + 1
            continue
        total += 1
        coded = code(word)
        if coded:
            (masc if coded == "m" else fem).append((word, match.start(), match.end()))
    return total, masc, fem


def verdict(difference: int, coded: int, strong: int) -> str:
    """gender-decoder's label for feminine − masculine."""
    if coded == 0:
        return "empty"
    if difference == 0:
        return "neutral"
    if difference > strong:
        return "strongly feminine-coded"
    if difference > 0:
        return "feminine-coded"
    if difference < -strong:
        return "strongly masculine-coded"
    return "masculine-coded"


@advert_check("LANG-01")
def gender_coding(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    text = advert.text
    spans = exception_spans(text, rule.exception_phrases, advert.word_index)
    if spans:
        pieces, last = [], 0
        for start, end in spans:
            pieces.append(text[last:start])
            pieces.append(" " * (end - start))
            last = end
        pieces.append(text[last:])
        text = "".join(pieces)
    masculine = tuple(rule.param("masculine"))
    feminine = tuple(rule.param("feminine"))
    total, masc_hits, fem_hits = _coded_tokens(text, tuple(rule.param("hyphenated")), masculine, feminine)
    masc_pct = round(100 * len(masc_hits) / total, 2) if total else 0.0
    fem_pct = round(100 * len(fem_hits) / total, 2) if total else 0.0
    difference = len(fem_hits) - len(masc_hits)
    label = verdict(difference, len(masc_hits) + len(fem_hits), int(rule.param("strong_difference")))
    details = {
        "masculine": [w for w, _s, _e in masc_hits],
        "feminine": [w for w, _s, _e in fem_hits],
        "masculine_pct": masc_pct,
        "feminine_pct": fem_pct,
        "verdict": label,
        "words": total,
        "paper_mean_masculine_pct": rule.param("paper_mean_masculine_pct"),
        "paper_mean_feminine_pct": rule.param("paper_mean_feminine_pct"),
    }
    evidence = [
        TextEvidence(quote=advert.text[s:e], start=s, end=e, note="masculine-coded") for _w, s, e in masc_hits[:15]
    ]
    evidence += [
        TextEvidence(quote=advert.text[s:e], start=s, end=e, note="feminine-coded") for _w, s, e in fem_hits[:15]
    ]
    summary = (
        f"gender-decoder verdict: {label} ({len(masc_hits)} masculine-coded, {len(fem_hits)} feminine-coded "
        f"words); masculine-coded words are {masc_pct}% of {total} words (Gaucher et al. mean "
        f"{rule.param('paper_mean_masculine_pct')}%), feminine-coded {fem_pct}%."
    )
    if label == "strongly masculine-coded":
        return Outcome(
            rule.status_param("strong_status"),
            summary,
            evidence,
            details,
            severity=rule.severity_param("strong_severity"),
        )
    if label == "masculine-coded":
        return Outcome(
            rule.status_param("mild_status"), summary, evidence, details, severity=rule.severity_param("mild_severity")
        )
    return Outcome(Status.PASS, summary, evidence, details)
