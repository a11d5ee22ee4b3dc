"""Drop-in rewordings for the structural claims, and advice specific to the sentence when none is safe.

A drop-in replaces exactly the words found and must leave a grammatical sentence that says the
same thing more tentatively, never its opposite: a certain cause becomes a possible connection
("were shown to be caused by her grief" -> "may be partly connected with her grief", keeping the
possessive), "refuses to engage" keeps its tense ("found it hard to engage"), an order becomes an
invitation ("need to accept" -> "may find it helpful to consider"). Labels, blame that names the
patient as the cause and denials of the body have no safe drop-in: the finding then says so and
names the words to rewrite.
"""

from __future__ import annotations

import re

from ..text.lemmas import lemmas, tag_of

_CERTAIN_WORDS = re.compile(
    r"\b(?:clearly|obviously|definitely|certainly|undoubtedly|unquestionably|evidently|plainly|surely|absolutely|only|purely|"
    r"solely|simply|entirely|wholly|completely|all|just|directly|shown\s+to\s+be|proven\s+to\s+be|must\s+be)\s+",
    re.IGNORECASE,
)
_PASSIVE = re.compile(
    r"(?:\b(?:is|are|was|were|has\s+been|have\s+been|had\s+been|can|could|must|will|would)\s+)?(?:(?:\w+ly|only|all|be|been|shown\s+to|"
    r"proven\s+to)\s+)*(?:caused|driven|triggered|explained|brought\s+on|produced|generated|fuell?ed|induced|provoked|precipitated|"
    r"created|perpetuated|maintained)\s+by\b|"
    r"\b(?:stems?|stemmed|stemming|results?|resulted|resulting|arises|arise|arose|arising|originates?|originated|comes|come|came|"
    r"springs?|sprang|derives?|derived)\s+(?:from|out\s+of)\b|"
    r"\b(?:is|are|was|were)\s+(?:\w+ly\s+)?(?:the|a|an)\s+(?:\w+\s+)?(?:product|result|consequence|manifestation|expression|outcome)\s+of\b",
    re.IGNORECASE,
)
_ACTIVE = re.compile(
    r"\b(?:(?:is|are|was|were)\s+)?(?:\w+ly\s+)?(?:causes?|caused|causing|drives?|drove|driving|triggers?|triggered|triggering|produces?|"
    r"produced|producing|generates?|generated|explains?|fuels?|fuelling|fueling|underlies|underlie|underlay|lies\s+behind|behind)\b"
    r"(?!\s+of\b)",  # "the cause of", "a trigger of" are nouns: see _NOMINAL
    re.IGNORECASE,
)
_NOMINAL = re.compile(
    r"\s+(?:is|are|was|were|has\s+been|have\s+been)\s+(?:[\w-]+ly\s+|at\s+(?:heart|root|bottom)\s+|in\s+essence\s+)*"
    r"(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?(?:cause|causes|root|roots|origin|source|driver|drivers|trigger|triggers|basis)\s+of\s+",
    re.IGNORECASE,
)
"""A cause named as a noun: "grief is the root cause of his chest pain"."""
_TENSE = {
    "VBD": ("found it hard to", "did not feel able to", "was not ready to"),
    "VBN": ("found it hard to", "not felt able to", "not been ready to"),
    "VBZ": ("finds it hard to", "does not feel able to", "is not ready to"),
    "VBG": ("finding it hard to", "not feeling able to", "not being ready to"),
    "VB": ("find it hard to", "not feel able to", "not be ready to"),
}
_CONSIDER = frozenset({"accept", "acknowledge", "admit", "recognize", "realize", "face", "concede"})

Reworded = tuple[str, tuple[str, ...], str]
"""A drop-in replacement ("" when none is safe), other drop-ins, and advice for this sentence."""


def reword(rule: str, matched: str, sentence: str) -> Reworded | None:
    """The rewording for one structural finding, or ``None`` to keep the rule's own."""
    if rule in ("cause-structure", "causal-claim"):
        return _cause(matched)
    if rule == "conversion":
        plural = matched.lower().endswith("s")
        return (
            "functional neurological symptoms" if plural else "functional neurological symptom",
            ("functional symptoms" if plural else "functional symptom",),
            "If a specialist made this diagnosis, say who and use the name they gave (e.g. 'functional "
            "neurological disorder, diagnosed by the neurologist'); 'conversion' states a cause as fact.",
        )
    if rule == "coercion":
        verb = matched.split()[-1]
        if lemmas(verb) & _CONSIDER:
            return (
                "may find it helpful to consider",
                ("might, when ready, want to consider", "may wish to think about"),
                "An order leaves no room for the patient's own view; invite instead.",
            )
        return ("", (), f"No safe drop-in for \u201c{matched}\u201d: say what might help and invite the patient to try it.")
    if rule in ("refuses-to", "fails-to", "refuses", "fails-to-engage"):
        first, _, rest = matched.partition(" to ")
        forms = lemmas(first)
        if " " in first or not forms & {"fail", "refuse", "neglect"}:
            return None
        base = "fail" if "fail" in forms else "refuse" if "refuse" in forms else "neglect"
        options = _TENSE[tag_of(first, base)]
        rest = rest.strip()
        return (
            f"{options[0]} {rest}",
            tuple(f"{o} {rest}" for o in options[1:]),
            "Describe the difficulty without blame, and what might make it easier.",
        )
    if rule == "ignores-advice":
        first, _, rest = matched.partition(" ")
        tag = tag_of(first, min(lemmas(first), key=len))
        head = {"VBD": "did not follow", "VBZ": "does not follow", "VBG": "not following", "VBN": "not followed"}.get(
            tag, "not follow"
        )
        hard = _TENSE.get(tag, _TENSE["VB"])[0]
        return (f"{head} {rest}", (f"{hard} follow {rest}",), "Describe what made the advice hard to follow.")
    if rule == "non-organic":
        if matched.lower().endswith(("overlay", "overlays")):
            return ("functional symptoms", ("symptoms",), "'Overlay' suggests the symptoms are added on and less real.")
        return ("functional", (), "'Non-organic' defines the symptoms by what they are not.")
    advice = _ADVICE.get(rule)
    if advice is not None:
        return ("", (), f"No safe drop-in for \u201c{matched}\u201d: " + advice)
    return None


def _cause(matched: str) -> Reworded | None:
    m = _PASSIVE.search(matched)
    if m:
        head = _CERTAIN_WORDS.sub("", matched[: m.start()])
        cause = matched[m.end() :].strip()
        if cause:
            options = (
                "may be partly connected with",
                "might in part be linked with",
                "could be one of several things connected with",
            )
            return (
                f"{head}{options[0]} {cause}",
                tuple(f"{head}{o} {cause}" for o in options[1:]),
                "",  # the rule's own suggestion already says how to offer the link
            )
    m = _NOMINAL.search(matched)
    if m:
        cause, effect = matched[: m.start()].strip(), matched[m.end() :].strip()
        if cause and effect:
            options = ("may be playing a part in", "might be contributing to", "could be one of several influences on")
            return (f"{cause} {options[0]} {effect}", tuple(f"{cause} {o} {effect}" for o in options[1:]), "")
    m = _ACTIVE.search(matched)
    if m:
        cause = _CERTAIN_WORDS.sub("", matched[: m.start()]).rstrip()
        effect = matched[m.end() :].strip()
        if cause and effect:
            options = ("may be playing a part in", "might be contributing to", "could be one of several influences on")
            return (
                f"{cause} {options[0]} {effect}",
                tuple(f"{cause} {o} {effect}" for o in options[1:]),
                "",  # the rule's own suggestion already says how to offer the link
            )
    return (
        "",
        (),
        f"No safe drop-in for \u201c{matched}\u201d: rewrite it as a possibility, e.g. 'it may be that ... plays a part'.",
    )


_ADVICE = {
    "label": "it is a judgement about the person. Describe what you observed instead (what was said or done, "
    "and how distressed the patient was).",
    "denial-real": "it denies the symptoms are real. Say what the tests have ruled out, then that the symptoms are "
    "real and affect daily life.",
    "nothing-the-matter": "say what the tests have and have not found, and that the symptoms are no less real.",
    "restrict-psych": "'purely' / 'only' makes the symptoms mind-only. Describe body and mind together, e.g. "
    "'several things, physical and emotional, seem to be involved'.",
    "mind-only": "it places the symptoms in the mind alone. Say the symptoms are real, and that body and mind "
    "influence each other.",
    "no-organic-basis": "say what has been looked for and not found, e.g. 'the tests have not found a disease "
    "that explains this', and that the symptoms are still real.",
    "brought-on-self": "it makes the patient the cause. Describe what has been hard and what might help.",
    "making-self-ill": "it makes the patient the cause. Acknowledge how worrying the symptoms are and what might ease the worry.",
    "not-helping-self": "describe what has been hard to do while unwell, and what support might help.",
    "no-responsibility": "describe what the patient feels able to do now, and what might help with the rest.",
    "sabotage": "describe the pattern you noticed (e.g. 'progress has slipped when the pain flares') without blame.",
}
