"""The rule table, first part: "untreatable" labelling, stigmatising labels and dualistic
either/or framing."""

from __future__ import annotations

from .guards import both_guards, not_after, not_before, tests_guard
from .model import DUALISTIC, STIGMATISING, UNTREATABLE, Rule
from .rules import (
    S_DUAL,
    S_FEIGN,
    S_LABEL,
    S_MIND,
    S_NOTHING_WRONG,
    S_TESTS,
    S_UNTREATABLE,
    W_COMPLAIN,
    W_DUAL,
    W_FEIGN,
    W_LABEL,
    W_MIND,
    W_NOTHING_WRONG,
    W_TESTS,
    W_UNTREATABLE,
    rule_pattern,
)


def labelling_rules() -> tuple[Rule, ...]:
    """The untreatable, stigmatising and dualistic rules, in reporting order."""
    R = Rule
    return (
        # ---------------------------------------------------------------- untreatable (any context)
        R(
            "untreatable",
            STIGMATISING,
            "high",
            rule_pattern(
                r"\bun-?treatable\b|\bnot\s+treatable\b|\bbeyond\s+(?:help|treatment|hope)\b|\bhopeless\s+cases?\b|"
                r"\blost\s+causes?\b|\bunhelpable\b|\bunreachable\b|"
                r"\b(?:she|he|they|patient|client)\s+(?:cannot|can't|can\s+not|could\s+not|couldn't)\s+be\s+(?:treated|helped)\b|"
                r"\bimpossible\s+to\s+(?:treat|help)\b|\bnothing\s+(?:more\s+)?(?:can|could)\s+be\s+done\s+(?:for|to\s+help)\b|"
                r"\bno\s+point\s+(?:in\s+)?(?:treating|seeing|offering|continuing\s+with)\s+(?:her|him|them)\b"
            ),
            W_UNTREATABLE,
            S_UNTREATABLE,
            group=UNTREATABLE,
        ),
        # ---------------------------------------------------------------- stigmatising labels
        R(
            "somatiser",
            STIGMATISING,
            "high",
            rule_pattern(r"\bsomati[sz](?:er|ers|ing|es|ed|e|ation|ations)\b(?:\s+disorder)?"),
            W_LABEL,
            S_LABEL,
        ),
        R("somatoform", STIGMATISING, "medium", rule_pattern(r"\bsomatoform\b(?:\s+disorder)?"), W_LABEL, S_LABEL),
        R(
            "hypochondria",
            STIGMATISING,
            "high",
            rule_pattern(r"\bhypochondri(?:a|ac|acs|acal|asis)\b"),
            W_LABEL,
            "If worry about health matters, describe it in the patient's terms, e.g. 'understandably very "
            "worried about what the symptoms might mean' (Balabanovic 2017, sub-category 6.2).",
        ),
        R(
            "heartsink",
            STIGMATISING,
            "high",
            rule_pattern(r"\bheart[- ]?sink(?:\s+(?:patients?|clients?|cases?|moments?))?\b"),
            W_LABEL,
            S_LABEL,
        ),
        R(
            "psychogenic",
            STIGMATISING,
            "medium",
            rule_pattern(r"\bpsychogenic\b"),
            "'Psychogenic' implies the symptoms come from the mind; the move away from it in diagnosis "
            "was partly to drop that connotation (Balabanovic 2017, section 3.5).",
            "Describe the symptoms and their impact, and any link to stress only as a possibility "
            "(Balabanovic 2017, sub-category 6.6).",
            tacit=True,
        ),
        R("hysteria", STIGMATISING, "high", rule_pattern(r"\bhysteri(?:a|cal|cs)\b"), W_LABEL, S_LABEL),
        R("malingering", STIGMATISING, "high", rule_pattern(r"\bmalinger\w*"), W_FEIGN, S_FEIGN, tacit=True),
        R("feigning", STIGMATISING, "high", rule_pattern(r"\bfeign(?:s|ed|ing)?\b"), W_FEIGN, S_FEIGN, tacit=True),
        R(
            "faking",
            STIGMATISING,
            "high",
            rule_pattern(
                r"\bfak(?:e|es|ed|ing)\s+(?:it|(?:(?:her|his|their|the|these)\s+)?(?:symptoms?|pain|illness|seizures?|"
                r"attacks?|collapses?|disability|weakness|limp))\b|"
                r"\bmak(?:e|es|ing)\s+(?:it|this|(?:(?:her|his|their|the)\s+)?(?:symptoms|pain))\s+(?:all\s+)?up\b|"
                r"\b(?:symptoms|pain|it)\s+(?:is|are|was|were)\s+made[- ]up\b"
            ),
            W_FEIGN,
            S_FEIGN,
            tacit=True,
        ),
        R(
            "putting-it-on",
            STIGMATISING,
            "high",
            rule_pattern(
                r"\bputting\s+(?:it|this|(?:(?:her|his|their)\s+)?(?:symptoms|pain|limp))\s+on\b|"
                r"\bput(?:s)?\s+it\s+on\s+(?:for|to|when)\b|\bputting\s+on\s+(?:her|his|their|a)\s+(?:limp|symptoms|pain)\b"
            ),
            W_FEIGN,
            S_FEIGN,
            tacit=True,
        ),
        R(
            "exaggerating",
            STIGMATISING,
            "high",
            rule_pattern(
                r"\bexaggerat(?:e|es|ed|ing|ion)\s+(?:of\s+)?(?:(?:her|his|their|the|these)\s+)?(?:symptoms?|pain|disability|"
                r"limp|difficulties|problems|condition|illness|weakness|fatigue)\b|"
                r"\b(?:symptoms?|pain|disability|difficulties|limp|weakness)\s+(?:is\s+|are\s+|was\s+|were\s+|seems?\s+)?"
                r"(?:being\s+|greatly\s+|grossly\s+|wildly\s+|hugely\s+)?exaggerated\b"
            ),
            W_FEIGN,
            S_FEIGN,
            tacit=True,
        ),
        R(
            "attention-seeking",
            STIGMATISING,
            "high",
            rule_pattern(
                r"\battention[- ]seek(?:ing|er|ers)?\b|\b(?:doing|does|did)\s+(?:it|this)\s+for\s+(?:the\s+)?attention\b|"
                r"\bwants?\s+(?:the\s+)?attention\b|\bcraves?\s+attention\b"
            ),
            W_LABEL,
            S_LABEL,
        ),
        R(
            "mad",
            STIGMATISING,
            "high",
            rule_pattern(r"\b(?:mad|crazy|insane|nuts|loony|loopy|bonkers|psycho|nutter|unhinged)\b"),
            W_MIND,
            S_MIND,
            guard=both_guards(
                not_after(r"\s+(?:at|with)\b|\s+about\s+(?:the|her|his)\b"),
                not_before(r"\b(?:driv\w+|drove)\s+(?:her|him|me|them|you|us)\s+|\blike\s+"),
            ),
        ),
        R(
            "mental",
            STIGMATISING,
            "high",
            rule_pattern(
                r"\b(?:i'm|i\s+am|she's|she\s+is|he's|he\s+is|they're|they\s+are|you're|you\s+are|being|am|going|not)\s+mental\b"
                r"(?!\s+(?:health|illness|state|capacity|wellbeing|well-being|energy|effort|load|image|picture|note|block))"
            ),
            W_MIND,
            S_MIND,
        ),
        R(
            "patient-types",
            STIGMATISING,
            "medium",
            rule_pattern(
                r"\b(?:difficult|problem|problematic|hateful|frustrating|demanding|challenging|awkward|nightmare|"
                r"revolving[- ]door|heavy)\s+(?:patients?|clients?|cases?|woman|man|lady)\b"
            ),
            W_COMPLAIN,
            S_LABEL,
        ),
        R(
            "time-waster",
            STIGMATISING,
            "medium",
            rule_pattern(
                r"\bblack\s+holes?\b|\btime[- ]?wasters?\b|\bwasting\s+(?:our|my|the\s+doctor's|everyone's|the\s+gp's)\s+time\b|"
                r"\bfrequent\s+fl(?:y|i)ers?\b|\bworried\s+well\b"
            ),
            W_COMPLAIN,
            S_LABEL,
        ),
        R(
            "complaining",
            STIGMATISING,
            "medium",
            rule_pattern(
                r"\b(?:constantly|always|forever|continually|endlessly|keeps?)\s+(?:complaining|moaning|whing(?:e)?ing|whining)\b|"
                r"\b(?:complains?|moans?)\s+(?:constantly|all\s+the\s+time|endlessly|continually)\b|\b(?:moaner|whinger|complainer)s?\b"
            ),
            W_COMPLAIN,
            S_LABEL,
        ),
        # ---------------------------------------------------------------- dualistic
        R(
            "all-in-the-mind",
            DUALISTIC,
            "high",
            rule_pattern(r"\ball\s+in\s+(?:the|her|his|their|your|my|one's|the\s+patient's)\s+(?:mind|head|imagination)\b"),
            W_MIND,
            S_MIND,
            tacit=True,
            replacement="real, and shaped by body and mind together",
        ),
        R(
            "in-her-head",
            DUALISTIC,
            "high",
            rule_pattern(
                r"\b(?:it|this|that|they|these|(?:(?:the|her|his|their|your)\s+(?:\w+\s+)?(?:pain|symptoms?|illness|"
                r"problems?|seizures?|fatigue|weakness)))(?:'s|'re|\s+is|\s+are|\s+was|\s+were)\s+"
                r"(?:just\s+|only\s+|simply\s+|purely\s+|really\s+|probably\s+|mostly\s+)?in\s+(?:the|her|his|their|your|my)\s+"
                r"(?:mind|head|imagination)\b|\bsomething\s+in\s+(?:her|his|their|your|my|the)\s+(?:head|mind)\b|"
                r"\bin\s+(?:her|his|their|your|my)\s+imagination\b"
            ),
            W_MIND,
            S_MIND,
            tacit=True,
        ),
        R(
            "imaginary",
            DUALISTIC,
            "high",
            rule_pattern(
                r"\b(?:imagin(?:ed|ary)|made[- ]up|not\s+real|unreal|fictitious|non-?existent)\s+(?:symptoms?|pains?|"
                r"illness(?:es)?|problems?|conditions?|disabilit(?:y|ies)|seizures?|weakness)\b|"
                r"\b{EFFECT}\s+(?:is|are|was|were|seems?)\s+(?:just\s+|probably\s+|largely\s+|really\s+)?(?:imagined|imaginary|"
                r"not\s+real|unreal|not\s+genuine|not\s+(?:really\s+)?there)\b|"
                r"\bimagin(?:es|ing)\s+(?:her|his|their|the)\s+(?:symptoms|pain|illness)\b|"
                r"\b(?:{EFFECT}|it|this|they|these)\s+(?:\w+\s+){0,2}?(?:is|are|was|were)(?:\s+not|n't)\s+(?:really\s+|actually\s+)?"
                r"(?:physical|organic|real|genuine)\b"
            ),
            W_MIND,
            S_MIND,
            tacit=True,
        ),
        R(
            "nothing-wrong",
            DUALISTIC,
            "high",
            rule_pattern(
                r"\bnothing\s+(?:is\s+)?(?:physically|medically|really|actually|organically|seriously)\s+wrong\b|"
                r"\bnothing\s+(?:(?:is|was)\s+)?(?:physically\s+|medically\s+|really\s+|actually\s+)?wrong\s+with\s+"
                r"(?:you|her|him|them|me|your\s+\w+|her\s+\w+|his\s+\w+|their\s+\w+)\b(?<!ing)|"
                r"\b(?:there(?:'s|\s+is|\s+was)|there's)\s+nothing\s+(?:physically\s+|medically\s+)?wrong\b(?=\s*(?:[.;,!?]|$))"
            ),
            W_NOTHING_WRONG,
            S_NOTHING_WRONG,
            tacit=True,
        ),
        R(
            "tests-normal-so",
            DUALISTIC,
            "high",
            rule_pattern(
                r"\b(?:(?:all|the|her|his|their|your|these|those|my)\s+)*(?:(?:blood|scan|test|x-?ray|mri|ct)\s+)?"
                r"(?:tests?|investigations?|scans?|results?|bloods|mri|ct|x-?rays?|endoscopy|colonoscopy|ecg|examination)\s+"
                r"(?:(?:were|was|are|is|have\s+been|has\s+been|came\s+back|come\s+back|all)\s+){1,3}(?:all\s+)?"
                r"(?:normal|clear|negative|fine|unremarkable)\s*,?\s*(?:and\s+)?(?:so|which\s+means|meaning|therefore|this\s+means|"
                r"that\s+means|proving|which\s+proves|which\s+shows|which\s+confirms)\b|"
                r"\b(?:given\s+that|since|as|because|now\s+that)\s+(?:all\s+)?(?:(?:her|his|their|your|the)\s+)?(?:\w+\s+)?"
                r"(?:tests?|investigations?|scans?|results?|bloods|mri|x-?rays?)\s+(?:(?:were|are|have\s+been|has\s+been|was|is|"
                r"came\s+back|all)\s+){1,3}(?:all\s+)?(?:normal|clear|negative|fine|unremarkable)\b"
            ),
            W_TESTS,
            S_TESTS,
            tacit=True,
            guard=tests_guard,
        ),
        R(
            "no-physical-cause",
            DUALISTIC,
            "medium",
            rule_pattern(
                r"\bno\s+(?:real\s+|actual\s+|genuine\s+)?(?:physical|organic|medical|bodily|structural)\s+"
                r"(?:cause|basis|reason|explanation|illness|disease|problem|origin)s?\b|"
                r"\bnot\s+(?:caused\s+by|due\s+to)\s+(?:anything\s+|something\s+)?(?:physical|organic|medical)\b|"
                r"\bnot\s+(?:a\s+)?(?:real|genuine|true|proper)\s+(?:illness|pain|problem|condition|disease|symptoms?)\b"
            ),
            W_DUAL,
            S_NOTHING_WRONG,
            tacit=True,
            guard=both_guards(
                not_after(r"\s+(?:has|have|had|was|were|is|could|can|yet|so\s+far|at\s+present|has\s+yet)\b"),
                not_before(r"\b(?:found|identified|shown|revealed|detected|find|identify|show|reveal)\s+(?:\w+\s+)?"),
            ),
        ),
        R(
            "purely-psychological",
            DUALISTIC,
            "medium",
            rule_pattern(
                r"\b(?:purely|entirely|wholly|solely|completely|totally|just|only|simply|merely|all|nothing\s+but|"
                r"nothing\s+more\s+than|basically)\s+(?:psychological|emotional|psychiatric|psychosomatic|mental|stress|anxiety|"
                r"nerves|in\s+the\s+mind)(?![\w-])(?!\s+(?:impact|health|support|distress|wellbeing|needs|side|effects?|toll|"
                r"aspects?|factors?|and\s+physical))"
            ),
            W_DUAL,
            S_DUAL,
            tacit=True,
            guard=not_before(r"\bnot\s+"),
        ),
        R(
            "either-or",
            DUALISTIC,
            "medium",
            rule_pattern(
                r"\b(?:either\s+)?(?:physical|medical|organic|real|bodily|genuine)\s+or\s+(?:psychological|mental|emotional|"
                r"psychiatric|psychosomatic|imagined|in\s+(?:her|his|their|the|your)\s+(?:head|mind))\b|"
                r"\b(?:psychological|mental|emotional|psychiatric)\s+or\s+(?:physical|medical|organic|real|bodily)\b|"
                r"\b(?:psychological|emotional|mental|psychiatric)\s+(?:rather\s+than|not|instead\s+of|as\s+opposed\s+to)\s+"
                r"(?:physical|organic|medical|real|bodily)\b|"
                r"\b(?:physical|organic|medical|bodily)\s+(?:rather\s+than|instead\s+of|as\s+opposed\s+to)\s+"
                r"(?:psychological|emotional|mental|psychiatric)\b|"
                r"\bnot\s+(?:physical|organic|medical|real)\s*,?\s*(?:but|rather)\s+(?:psychological|emotional|mental)\b"
            ),
            W_DUAL,
            S_DUAL,
            tacit=True,
            guard=not_after(
                r"\s+(?:health|wellbeing|well-being|services?|care|conditions?|illness(?:es)?|problems|"
                r"difficulties|needs|support|professionals?|teams?|symptoms)\b"
            ),
        ),
        R("mind-over-matter", DUALISTIC, "low", rule_pattern(r"\bmind\s+over\s+matter\b"), W_DUAL, S_DUAL, tacit=True),
        R(
            "physically-fine",
            DUALISTIC,
            "medium",
            rule_pattern(r"(?<!otherwise\s)\b(?:is|are|was|were)\s+(?:physically|medically)\s+(?:fine|healthy|normal)\b"),
            W_NOTHING_WRONG,
            S_NOTHING_WRONG,
            tacit=True,
        ),
    )
