"""Publications and guidelines behind every figure and warning sign, and how they are cited.

Sources live next to what they support: ``sources`` of ``lexicons/prevalence.yaml`` and of
``lexicons/urgency.yaml``.
"""
from __future__ import annotations

from dataclasses import dataclass

from nlp.explain.data import lexicon
from nlp.lexicon import check_language


@dataclass
class Source:
    """One publication (or guideline) that a figure or statement comes from."""

    key: str
    authors: str
    year: int
    title: str
    journal: str
    citation: str
    doi: str | None = None
    url: str | None = None

    def cite(self) -> str:
        """Full reference, at most three authors then "et al.".

        Returns:
            str: e.g. ``"Brinjikji W, Luetmer PH, Comstock B, et al. (2015). <title>.
            AJNR Am J Neuroradiol 2015;36(4):811-816."``
        """
        names = _author_list(self.authors)
        shown = ", ".join(names[:3])
        if len(names) > 3 or _has_et_al(self.authors):
            shown += ", et al."
        title = self.title.rstrip(".")
        return f"{shown} ({self.year}). {title}. {' '.join(f'{self.journal} {self.citation}'.split())}."

    def short(self, lang: str = "en") -> str:
        """In-text citation: "Brinjikji et al., 2015" / "Brinjikji e.a., 2015".

        Args:
            lang: "en" or "nl".

        Returns:
            str: first author's surname, "&"/"en" for two authors, else "et al.".
        """
        words = _words(check_language(lang))
        names = [_surname(n) for n in _author_list(self.authors)]
        if len(names) > 2 or _has_et_al(self.authors):
            who = f"{names[0]} {words['et_al']}"
        elif len(names) == 2:
            who = f"{names[0]} {'&' if lang == 'en' else words['and']} {names[1]}"
        else:
            who = names[0]
        return f"{who}, {self.year}"


def source(key: str, file: str = "prevalence") -> Source:
    """The source ``key`` of ``lexicons/<file>.yaml`` as a :class:`Source`."""
    raw = lexicon()[file]["sources"][key]
    return Source(
        key=key, authors=str(raw["authors"]), year=int(raw["year"]), title=str(raw["title"]),
        journal=str(raw["journal"]), citation=str(raw.get("citation") or ""),
        doi=raw.get("doi"), url=raw.get("url"),
    )


def _words(lang: str) -> dict[str, str]:
    phrases = lexicon()["prevalence"]["phrases"]
    return {key: phrases[key][lang] for key in ("and", "et_al")}


def _author_list(authors: str) -> list[str]:
    return [a.strip() for a in authors.split(",") if a.strip() and not _is_et_al(a)]


def _is_et_al(part: str) -> bool:
    return part.strip().rstrip(".").lower() in ("et al", "e.a")


def _has_et_al(authors: str) -> bool:
    return any(_is_et_al(a) for a in authors.split(","))


def _surname(author: str) -> str:
    """ "Brinjikji W" -> "Brinjikji"; "van der Berg AB" -> "van der Berg"."""
    words = author.split()
    if len(words) > 1 and words[-1].replace(".", "").isupper():
        words = words[:-1]
    return " ".join(words)
