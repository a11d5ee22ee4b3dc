"""The rule table, second part: certainty about cause, blaming, unhelpful normalising and jargon."""

from __future__ import annotations

from .guards import PSYCHOSOMATIC_OK, not_after
from .model import BLAMING, CERTAINTY, JARGON, NORMALISING, Rule
from .rules import (
    S_BLAME,
    S_CERTAIN,
    S_GAIN,
    S_JARGON_PLAIN,
    S_NORMALISE,
    W_BLAME,
    W_CERTAIN,
    W_GAIN,
    W_JARGON,
    W_NORMALISE,
    rule_pattern,
)


def claim_rules() -> tuple[Rule, ...]:
    """The certainty, blaming, normalising and jargon rules, in reporting order."""
    R = Rule
    return (
        # ---------------------------------------------------------------- certainty about cause
        R(
            "in-origin",
            CERTAINTY,
            "medium",
            rule_pattern(
                r"\b(?:psychological(?:ly)?|emotional(?:ly)?|psychogenic|psychiatric|mental)\s+in\s+(?:origin|nature|basis)\b|"
                r"\bof\s+(?:a\s+)?(?:psychological|emotional|psychogenic|psychiatric|mental)\s+(?:origin|nature|cause|basis)\b|"
                r"\b(?:has|have|had)\s+(?:a\s+)?(?:purely\s+)?(?:psychological|emotional|psychiatric|mental)\s+"
                r"(?:cause|basis|origin|root)s?\b"
            ),
            W_CERTAIN,
            S_CERTAIN,
            tacit=True,
            hedged_ok=True,
            negatable=True,
        ),
        R(
            "psychosomatic",
            CERTAINTY,
            "medium",
            rule_pattern(r"\bpsychosomatic\b"),
            W_CERTAIN,
            S_CERTAIN,
            tacit=True,
            hedged_ok=True,
            negatable=True,
            guard=not_after(PSYCHOSOMATIC_OK),
        ),
        R(
            "real-cause",
            CERTAINTY,
            "medium",
            rule_pattern(
                r"\b(?:the\s+)?(?:real|underlying|root|true|actual|main|deeper)\s+(?:cause|reason|driver|source|problem|issue|origin)s?\s+"
                r"(?:(?:of|for|behind)\s+(?:\w+\s+){1,4})?(?:is|are|was|were|lies|lie)\s+(?:in\s+)?(?:\w+\s+){0,3}?{PSYCH}"
            ),
            W_CERTAIN,
            S_CERTAIN,
            tacit=True,
            hedged_ok=True,
        ),
        R(
            "body-expressing",
            CERTAINTY,
            "medium",
            rule_pattern(
                r"\b(?:her|his|their|your|the)\s+body\s+(?:is|was|has\s+been)\s+(?:expressing|saying|telling|communicating|"
                r"speaking|voicing|carrying|holding|showing)\b|"
                r"\bconvert(?:s|ed|ing)?\s+(?:(?:her|his|their|your)\s+)?\w+(?:\s+\w+)?\s+into\s+(?:physical\s+|bodily\s+)?"
                r"(?:symptoms|pain|illness)\b|\bsomatic\s+(?:expression|manifestation|conversion)s?\b"
            ),
            W_CERTAIN,
            S_CERTAIN,
            tacit=True,
            hedged_ok=True,
            negatable=True,
        ),
        # ---------------------------------------------------------------- blaming
        R(
            "non-compliant",
            BLAMING,
            "medium",
            rule_pattern(
                r"\bnon-?\s?(?:compliant|compliance|adherent|adherence|concordant|concordance)\b|"
                r"\bpoor\s+(?:compliance|adherence|motivation)\b|\bnot\s+complian(?:t|ce)\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "unmotivated",
            BLAMING,
            "medium",
            rule_pattern(
                r"\bunmotivated\b|\b(?:lacks?|lacking)\s+(?:the\s+)?motivation\b|\bnot\s+(?:really\s+)?motivated\b|"
                r"\bno\s+motivation\s+to\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "refuses",
            BLAMING,
            "medium",
            rule_pattern(
                r"\b(?:refus(?:es|ed|ing)|won't|will\s+not|(?:is|was|seems|remains)\s+unwilling|unwilling)\s+to\s+"
                r"(?:engage|accept|consider|try|take\s+responsibility|change|help\s+(?:herself|himself|themselves|yourself)|"
                r"get\s+better|comply|listen|think\s+about|acknowledge|admit|see\s+that)\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "not-want-better",
            BLAMING,
            "medium",
            rule_pattern(
                r"\b(?:doesn't|does\s+not|didn't|did\s+not|don't|do\s+not)\s+(?:really\s+|actually\s+|seem\s+to\s+)?want\s+to\s+"
                r"(?:get\s+better|get\s+well|recover|change|improve|help\s+(?:herself|himself|themselves))\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "own-fault",
            BLAMING,
            "medium",
            rule_pattern(
                r"\b(?:her|his|their|your|the\s+patient's|own)\s+(?:own\s+)?fault\b|\bself-?inflicted\b|"
                r"\bbr(?:ought|ings?|inging)\s+(?:it|this|these\s+\w+|(?:her|his|their)\s+\w+)\s+on\s+"
                r"(?:herself|himself|themselves|yourself)\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "manipulative",
            BLAMING,
            "medium",
            rule_pattern(r"\bmanipulative\b|\bmanipulat(?:ing|es)\s+(?:her|his|the|their|others|people|staff|me|us)\b"),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "gain",
            BLAMING,
            "medium",
            rule_pattern(
                r"\bget(?:s|ting)?\s+(?:something\s+)?out\s+of\s+(?:being\s+(?:ill|unwell|sick)|"
                r"(?:her|his|their|the)\s+(?:illness|symptoms|pain|condition))\b|"
                r"\bbenefits?\s+from\s+(?:being\s+(?:ill|unwell|sick)|(?:her|his|their|the)\s+(?:illness|symptoms|pain|sick\s+role))\b|"
                r"\benjoys?\s+(?:the\s+)?(?:attention|sick\s+role|being\s+(?:ill|looked\s+after))\b|"
                r"\bplay(?:s|ing|ed)?\s+(?:the\s+)?(?:victim|sick\s+role)\b|\bplaying\s+up\b|"
                r"\bus(?:es|e|ing)\s+(?:her|his|their|the)\s+(?:symptoms|pain|illness|condition|seizures)\s+(?:to|as)\b"
            ),
            W_GAIN,
            S_GAIN,
        ),
        R(
            "pull-together",
            BLAMING,
            "medium",
            rule_pattern(
                r"\bpull(?:s|ed|ing)?\s+(?:herself|himself|themselves|yourself|myself)\s+together\b|"
                r"\b(?:just|simply)\s+needs?\s+to\s+(?:try\s+harder|get\s+on\s+with|push\s+through|snap\s+out|make\s+more\s+effort)\b|"
                r"\btry\s+harder\b|\bsnap\s+out\s+of\s+it\b|\bnot\s+trying\s+hard\s+enough\b|\bmak(?:es|ing|e)\s+(?:no|little)\s+effort\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "fails-to-engage",
            BLAMING,
            "medium",
            rule_pattern(
                r"\bfail(?:s|ed|ing)?\s+to\s+(?:engage|comply|cooperate|co-operate|follow\s+(?:the\s+)?(?:advice|plan|programme))\b|"
                r"\bfailure\s+to\s+(?:engage|comply)\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R("lazy", BLAMING, "medium", rule_pattern(r"\blaz(?:y|iness)\b"), W_BLAME, S_BLAME),
        R(
            "resistant",
            BLAMING,
            "medium",
            rule_pattern(
                r"\bresistant\s+to\s+(?:therapy|treatment|change|psychological\s+\w+|the\s+idea|exploring|talking|help)\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        # ---------------------------------------------------------------- unhelpful normalising
        R("no-wonder", NORMALISING, "medium", rule_pattern(r"\bno\s+wonder\b[^.;!?\n]{0,40}?\b{MOOD}"), W_NORMALISE, S_NORMALISE),
        R(
            "only-natural",
            NORMALISING,
            "medium",
            rule_pattern(
                r"\b(?:it(?:'s|\s+is|\s+was)|that(?:'s|\s+is)|this\s+is)\s+(?:only\s+|quite\s+|perfectly\s+|completely\s+|"
                r"entirely\s+|totally\s+|very\s+)?(?:natural|normal|understandable|to\s+be\s+expected|expected|inevitable|"
                r"hardly\s+surprising|not\s+surprising|unsurprising)\s+(?:that|to|for)\b[^.;!?\n]{0,50}?\b{MOODCORE}|"
                r"\b{MOODCORE}[^.;!?\n]{0,30}?\b(?:is|are|was|seems?)\s+(?:only\s+|quite\s+|perfectly\s+|completely\s+|entirely\s+|"
                r"totally\s+|very\s+)?(?:natural|normal|understandable|to\s+be\s+expected|expected|inevitable|unsurprising|"
                r"hardly\s+surprising|a\s+(?:normal|natural|understandable)\s+(?:reaction|response))\b|"
                r"\b(?:anyone|anybody|everyone|who)\s+would(?:n't|\s+not)?\s+(?:be|feel|get|become)\s+{MOOD}|"
                r"\bof\s+course\s+(?:she|he|they|you)(?:'s|'re|\s+is|\s+are|\s+feels?|\s+felt|\s+was|\s+were|\s+gets?)\s+{MOOD}|"
                r"\bunderstandabl[ey]\s+{MOOD}|"
                r"\b(?:strange|surprising|odd|unusual)\s+if\s+(?:she|he|they|you)\s+(?:were|was|weren't|wasn't)\s+(?:not\s+)?{MOOD}|"
                r"\bunderstandable\s+difficult(?:y|ies)\b"
            ),
            W_NORMALISE,
            S_NORMALISE,
        ),
        # ---------------------------------------------------------------- jargon
        R(
            "secondary-gain",
            JARGON,
            "low",
            rule_pattern(r"\b(?:secondary|primary|tertiary)\s+gains?\b"),
            W_JARGON,
            "If it matters, describe what the symptoms may make possible or protect against, gently and "
            "in everyday words (Balabanovic 2017, appendix 3).",
        ),
        R(
            "alexithymia",
            JARGON,
            "low",
            rule_pattern(r"\balexithymi\w*"),
            W_JARGON,
            "Describe it plainly, e.g. 'finds it hard to put feelings into words'.",
        ),
        R(
            "body-talk",
            JARGON,
            "low",
            rule_pattern(r"\bbody[- ]talk\b"),
            W_JARGON,
            "Say 'we have spent much of our time on the symptoms and tests, which matter a great deal to her'.",
        ),
        R("self-sabotage", JARGON, "low", rule_pattern(r"\bself[- ]sabotag\w*"), W_JARGON, S_BLAME),
        R(
            "hard-to-engage",
            JARGON,
            "low",
            rule_pattern(
                r"\b(?:hard|difficult)-to-engage\b|\b(?:is|was|are|were|very|quite|labelled|seen\s+as|described\s+as|considered|deemed|"
                r"been)\s+(?P<hit>(?:hard|difficult)\s+to\s+engage)\b(?!\s+with)"
            ),
            W_JARGON,
            "Describe what has made it hard to meet, e.g. 'coming to appointments has been difficult while "
            "the pain is bad' (Balabanovic 2017, appendix 3).",
        ),
        R("transference", JARGON, "low", rule_pattern(r"\b(?:counter-?)?transferen(?:ce|tial)\b"), W_JARGON, S_JARGON_PLAIN),
        R(
            "unconscious",
            JARGON,
            "low",
            rule_pattern(
                r"\bunconscious(?:ly)?\s+(?:conflicts?|anger|rage|feelings?|wish(?:es)?|needs?|process(?:es)?|mind|level|"
                r"motivations?|communications?|guilt|fears?|desires?|material|phantas(?:y|ies)|fantas(?:y|ies)|defen[cs]es?|"
                r"aggression|hostility|envy)\b|\bthe\s+unconscious\b|\bunconsciously\b"
            ),
            W_JARGON,
            S_JARGON_PLAIN,
        ),
        R(
            "defences",
            JARGON,
            "low",
            rule_pattern(
                r"\b(?:her|his|their|psychological|ego|manic|primitive)\s+defen[cs]es\b|\bdefen[cs]e\s+mechanisms?\b|"
                r"\bdefended\s+against\b|\bas\s+a\s+defen[cs]e\b|\b(?:very|quite|highly|heavily|so|rather)\s+defended\b|"
                r"\bdefen[cs]ive(?:ly)?\s+(?:regression|structure|organi[sz]ation|style|function|position|retreat|manoeuvre)\b"
            ),
            W_JARGON,
            S_JARGON_PLAIN,
        ),
        R(
            "concrete",
            JARGON,
            "low",
            rule_pattern(
                r"\b(?:very|quite|rather|extremely|so|too|highly|somewhat)\s+concrete\b|\bconcrete\s+(?:thinker|thinking)\b|"
                r"\bthinks?\s+(?:very\s+|quite\s+|rather\s+)?concretely\b|\b(?:is|was|are|were|seems|seemed|remains)\s+concrete\b"
            ),
            W_JARGON,
            "Describe it, e.g. 'prefers to focus on practical, everyday matters'.",
            guard=not_after(
                r"\s+(?:plans?|steps?|goals?|examples?|actions?|support|help|floor|wall|terms|ways?|ideas?|tasks?)\b"
            ),
        ),
        R(
            "analytic-jargon",
            JARGON,
            "low",
            rule_pattern(
                r"\bin\s+denial\b|\bsplitting\b|\bprojective\s+identification\b|\bprojecting\s+(?:onto|on\s+to)\b|"
                r"\bregress(?:ion|ed|ive)\b|\bacting[- ]out\b|\bact(?:s|ed)?\s+out\s+(?:her|his|their)\b|"
                r"(?<!insulin\s)(?<!antibiotic\s)(?<!drug\s)\bresistance\b|\benactments?\b|\bcontainment\b|"
                r"\bmentali[sz](?:ing|ation|e)\b|\breflective\s+(?:capacity|function(?:ing)?)\b|"
                r"\bpsychologically[- ]minded(?:ness)?\b|\bpsychological[- ]mindedness\b|\bsomatic\s+fixation\b|"
                r"\b(?:abnormal\s+)?illness\s+behaviou?rs?\b|\bsick\s+role\b|\bmedically[- ]modelled\b|\btherapy[- ]light\b|"
                r"\bengagement\s+by\s+stealth\b|\bpsychotic\s+islands?\b|\blatent\s+psychotic\b|"
                r"\bprimitive\s+(?:psychic|functioning|defen[cs]es|states?|anxieties)\b|\banorexic\s+in\s+engagement\b|"
                r"\bcatastrophi[sz](?:ing|es|ed|ation|e)\b|\bmaladaptive\b|\bcognitive\s+distortions?\b|"
                r"\bfrequent\s+attenders?\b|\breattribution\b|\boedipal\b|\bnarcissis\w*"
            ),
            W_JARGON,
            S_JARGON_PLAIN,
        ),
    )
