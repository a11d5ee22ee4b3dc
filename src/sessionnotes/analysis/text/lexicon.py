"""Vocabularies shared by the language checker and the process-issue flags, kept as data.

Every entry is a small regular-expression fragment (lower case; matching is case-insensitive
unless a rule says otherwise), so inflections are written once: ``somati[sz]\\w*`` covers
somatiser, somatising, somatisation and the American spellings. :func:`alternation` joins a list
into one non-capturing group, longest entry first, so the longer phrase wins.

The word lists were written from the published work the app draws on (Balabanovic 2017; Scope et
al. 2021; Joint Commissioning Panel for Mental Health 2017; Jackson 2023), cited by author and
year with the section where it helps ("Balabanovic 2017, sub-category 7.4").
They are deliberately broad (body systems, investigations and medicines a UK therapist meets in
notes), because the same detectors run on text nobody here has seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "BODY_TALK_MARKERS",
    "BODY_WORDS",
    "CAUSAL_CONNECTORS_STRONG",
    "CAUSAL_CONNECTORS_WEAK",
    "CAUSING_VERBS",
    "CERTAINTY_MARKERS",
    "EFFECT_WORDS",
    "FEELING_WORDS",
    "HEALTH_WORRY_WORDS",
    "HEDGES_STRONG",
    "HEDGES_WEAK",
    "PSYCH_CAUSES",
    "PSYCH_PREDICATES",
    "REPORTING_FRAMES",
    "REPORTING_VERBS",
    "alternation",
    "compile_words",
]


def alternation(fragments: Iterable[str]) -> str:
    """One non-capturing regex group matching any fragment, longest fragment first."""
    unique = sorted(set(fragments), key=lambda f: (-len(f), f))
    return "(?:" + "|".join(unique) + ")"


def compile_words(fragments: Iterable[str]) -> re.Pattern[str]:
    """A case-insensitive pattern matching any fragment as whole words."""
    return re.compile(r"(?<![\w-])" + alternation(fragments) + r"(?![\w-])", re.IGNORECASE)


# The word lists below are kept compact, several fragments a line (one a line would triple the
# module for no gain in reading them).
# fmt: off

# ---------------------------------------------------------------------------------------------
# Physical symptoms, body parts and illness words: the "effect" side of a causal claim and the
# symptom side of the body-talk estimate.
# ---------------------------------------------------------------------------------------------

SYMPTOMS: tuple[str, ...] = (
    r"pains?", r"painful", r"aches?", r"aching", r"headaches?", r"migraines?", r"back ?ache",
    r"chest pains?", r"stomach ?aches?", r"tummy ache", r"cramps?", r"spasms?", r"stiffness", r"stiff",
    r"fatigue", r"tiredness", r"exhaustion", r"weakness", r"numbness", r"numb", r"tingling",
    r"pins and needles", r"tremors?", r"shaking", r"shakes", r"palpitations?", r"racing heart",
    r"breathless(?:ness)?", r"shortness of breath", r"dizz(?:y|iness)", r"vertigo", r"light-?headed(?:ness)?",
    r"nausea", r"nauseous", r"vomiting", r"bloating", r"bloated", r"diarrhoea", r"constipation",
    r"seizures?", r"fits", r"funny turns?", r"blackouts?", r"collapses?", r"collapsed", r"faints?", r"fainting",
    r"paralysis", r"limp", r"tinnitus", r"itch(?:ing|y)?", r"rash(?:es)?", r"cough(?:ing)?",
    r"flare-?ups?", r"flares?", r"symptoms?", r"burning", r"swelling", r"sweats?", r"hot flushes",
    r"brain fog", r"memory problems", r"jaw pain", r"pelvic pain", r"sciatica", r"neuralgia",
    r"fibromyalgia", r"ibs", r"irritable bowel(?: syndrome)?", r"me/cfs", r"cfs", r"chronic fatigue(?: syndrome)?",
    r"pots", r"ehlers-danlos", r"non-epileptic (?:seizures|attacks)", r"dissociative (?:seizures|attacks)",
    r"functional neurological (?:disorder|symptoms)", r"fnd", r"long covid",
)


EFFECT_WORDS: tuple[str, ...] = SYMPTOMS + (
    r"illness", r"condition", r"complaints?", r"(?<!panic )attacks?", r"episodes?", r"spells?",
    r"(?:her|his|their|your|the) body", r"physical problems?", r"physical difficulties",
    r"bod(?:y|ily) (?:symptoms|sensations|complaints)",
    r"(?:back|neck|leg|arm|joint|muscle|abdominal|stomach|chest|pelvic|facial|jaw) (?:pain|weakness|problems?)",
    r"weak(?:ness)? in (?:her|his|their|your) (?:legs?|arms?|hands?)",
)
"""What a causal claim might be *about*: physical symptoms and illness."""

# ---------------------------------------------------------------------------------------------
# Psychological causes: the "cause" side of a psychologising claim.
# ---------------------------------------------------------------------------------------------

PSYCH_CAUSES: tuple[str, ...] = (
    r"stress(?!\s+(?:fractures?|incontinence|tests?|echo))", r"stressful \w+", r"stressed",
    r"anxiety", r"anxieties", r"worry", r"worries", r"worrying", r"depression", r"low mood",
    r"emotions?", r"emotional \w+", r"emotional(?:ly)?", r"feelings?", r"psychological \w+", r"psychological(?:ly)?",
    r"mental \w+", r"psychiatric \w+", r"trauma", r"traumas", r"traumatic \w+", r"abuse",
    r"childhood(?: \w+)?", r"upbringing", r"early (?:life|experiences?|relationships?)", r"the past",
    r"(?:her|his|their|your) past", r"grief", r"grieving", r"bereavement", r"loss(?:es)?",
    r"the death of", r"unresolved \w+", r"repressed \w+", r"suppressed \w+", r"unexpressed \w+",
    r"unprocessed \w+", r"bottled[- ]up \w+", r"buried \w+", r"anger", r"rage", r"resentment", r"guilt",
    r"shame", r"conflicts?", r"inner conflicts?", r"family (?:problems|difficulties|conflict|issues|tensions|stress)",
    r"relationship (?:problems|difficulties|issues|stress)", r"marital \w+", r"(?:her|his|their) marriage",
    r"divorce", r"nerves", r"distress", r"unhappiness", r"sadness", r"fear", r"fears",
    r"(?:unhappy|distressing|upsetting|anxious|sad|angry|fearful) \w+", r"(?:her|his|their|your) \w+ marriage",
    r"pressure (?:at|of) work", r"work (?:stress|pressure)", r"life events?", r"(?:her|his|their|your) mind",
)
"""What a psychologising claim names as the cause: stress, emotions, trauma, relationships."""

PSYCH_PREDICATES: tuple[str, ...] = (
    r"psychological(?:ly (?:driven|based|caused|mediated|determined))?",
    r"psychosomatic", r"emotional(?:ly (?:driven|based|caused))?", r"mental", r"psychiatric",
    r"mental[- ]health (?:problem|issue|condition|disorder|illness|complaint)",
    r"stress[- ](?:related|induced|driven|based)", r"anxiety[- ](?:related|induced|driven|based)",
    r"stress", r"anxiety", r"nerves", r"depression", r"grief", r"trauma",
    r"(?:all |just |simply |only )?down to (?:stress|anxiety|nerves|worry|emotions?|her emotions|his emotions|depression|grief)",
)
"""Predicates that make a symptom "psychological" outright (``her pain is psychological``)."""

CAUSAL_CONNECTORS_STRONG: tuple[str, ...] = (
    r"(?:is|are|was|were|being|been) caused by", r"caused by", r"due to", r"the (?:direct )?result of",
    r"a (?:direct )?result of", r"as a result of", r"the product of", r"a product of", r"stem(?:s|med|ming)? from",
    r"rooted in", r"driven by", r"down to", r"because of", r"triggered by", r"brought on by",
    r"a (?:physical |bodily |somatic )?manifestation of", r"the (?:physical |bodily |somatic )?manifestation of",
    r"an? (?:physical |bodily |somatic )?expression of", r"the (?:physical |bodily |somatic )?expression of",
    r"explained by", r"secondary to", r"originat(?:es|ed|ing) (?:in|from)", r"aris(?:es|ing)|arose from",
    r"comes? from", r"came from", r"a (?:way|means) of (?:expressing|avoiding|communicating)",
    r"(?:the )?body'?s? (?:way of (?:expressing|saying|communicating|showing|coping with)|response to|reaction to)",
    r"a (?:physical |bodily )?(?:response|reaction) to", r"the consequence of", r"a consequence of",
    r"(?:is|are) (?:the|a) symptoms? of", r"(?:is|are) (?:a )?signs? of",
)
"""Connectors that state one thing produces another (``X is caused by Y``)."""

CAUSAL_CONNECTORS_WEAK: tuple[str, ...] = (
    r"linked (?:to|with)", r"related to", r"connected (?:to|with)", r"associated with",
    r"contribut(?:es|ing|ed) to", r"play(?:s|ing|ed)? a (?:part|role) in", r"influenced by",
)
"""Looser links: only a problem when said with certainty (``clearly linked to stress``)."""

_ADVERB = r"(?:\s+\w+ly)?"
CAUSING_VERBS: tuple[str, ...] = (
    r"(?:is|are|was|were|has been|have been)" + _ADVERB + r" causing", r"causes", r"caused", r"cause",
    r"(?:is|are|was|were)" + _ADVERB + r" (?:the (?:real |root |underlying |main )?cause|responsible) (?:of|for)",
    r"(?:is|are|was|were)" + _ADVERB + r" behind", r"lies behind", r"lie behind", r"underl(?:ies|ie|ying)",
    r"(?:is|are|was|were)" + _ADVERB + r" driving", r"drives", r"(?:is|are|was|were)" + _ADVERB + r" producing", r"produces",
    r"(?:is|are|was|were|has been|have been)" + _ADVERB
    + r" (?:manifesting|expressed|being expressed|coming out) (?:as|in|through)",
    r"manifests? (?:as|in|through)", r"(?:has|have) manifested (?:as|in)", r"(?:is|are)" + _ADVERB + r" at the root of",
    r"gives? rise to", r"leads? to", r"results? in", r"(?:is|are|was)" + _ADVERB + r" triggering", r"triggers",
    r"(?:is|are|was|were) converted into", r"turns? into",
)
"""Verbs for the other direction (``stress is causing her palpitations``)."""

CERTAINTY_MARKERS: tuple[str, ...] = (
    r"clearly", r"obviously", r"definitely", r"certainly", r"undoubtedly", r"unquestionably",
    r"evidently", r"plainly", r"of course", r"without (?:a |any )?doubt", r"no doubt", r"beyond doubt",
    r"there is no doubt", r"it is (?:clear|obvious|evident)", r"must be", r"must have been", r"surely",
    r"absolutely", r"directly", r"entirely", r"purely", r"solely", r"wholly", r"simply", r"just", r"only",
    r"all", r"completely", r"definitively", r"in fact", r"really", r"100%",
    r"essentially", r"basically", r"fundamentally", r"ultimately", r"inherently", r"intrinsically",
    r"at heart", r"at root", r"at bottom", r"in essence",
)
"""Words that state a cause with certainty; any of them next to a causal claim raises severity."""


HEDGES_STRONG: tuple[str, ...] = (
    r"may", r"might", r"could", r"possibly", r"possible", r"possibility", r"perhaps", r"maybe",
    r"wonder(?:s|ed|ing)?", r"one way of (?:understanding|thinking|seeing|looking)",
    r"another way of (?:understanding|thinking|seeing|looking)", r"hypothes[ei]s", r"hypothesi[sz]e",
    r"tentative(?:ly)?", r"curious (?:whether|if|about)", r"not sure", r"unsure", r"uncertain",
    r"can", r"sometimes", r"at times", r"in part", r"partly", r"to some extent", r"part of the picture",
    r"open mind", r"we don't know", r"we do not know", r"hard to know", r"it is not clear", r"unclear",
    r"whether", r"if",
)
"""Qualifiers that make a causal statement tentative ("possibly", "maybe", "it may be that", "one
way of understanding": Balabanovic 2017, sub-category 6.6). Any of them in the same clause
silences the certainty rule."""

HEDGES_WEAK: tuple[str, ...] = (
    r"seems?", r"seemed", r"appears?", r"appeared", r"likely", r"probably", r"suggests?", r"suggested",
    r"i think", r"we think", r"my sense", r"my impression", r"our impression", r"i suspect",
    r"often", r"tends? to", r"some of",
)
"""Softer qualifiers: they silence the certainty rule unless a certainty marker is also present."""


# ---------------------------------------------------------------------------------------------
# Reported speech: the patient's words, or words said to the patient by others.
# ---------------------------------------------------------------------------------------------

REPORTING_VERBS: tuple[str, ...] = (
    r"said", r"says", r"saying", r"told", r"tells", r"telling", r"worried", r"worries", r"worrying",
    r"feared", r"fears", r"fearing", r"asked", r"asks", r"asking", r"wondered", r"wonders",
    r"believes", r"believed", r"feels", r"felt", r"thought", r"thinks", r"assumed", r"assumes",
    r"suspects", r"suspected", r"expects", r"expected", r"reported", r"reports", r"described",
    r"describes", r"explained", r"explains", r"complained", r"complains", r"mentioned", r"recalled",
    r"recalls", r"remembered", r"remembers", r"heard", r"hears", r"insisted", r"insists",
    r"(?:is|was|has been|had been|have been) (?:told|convinced|afraid|scared|frightened|concerned|worried|sure)",
    r"put it", r"puts it", r"calls it", r"called it", r"quoted", r"admitted", r"wrote", r"shouted",
    r"cried", r"noticed", r"notices", r"has noticed", r"dreads", r"dreaded", r"imagines", r"imagined",
    r"impl(?:y|ies|ied)", r"hinted", r"hints", r"claims?", r"claimed", r"accuses", r"accused",
    r"was labelled", r"has been labelled", r"had been labelled", r"been called", r"was called",
    r"was described as", r"has been described as", r"been dismissed as", r"was dismissed as",
    r"being (?:called|labelled|seen as|thought of as|treated as|dismissed as|accused of(?: being)?|branded)",
    r"accused (?:her|him|them|me) of(?: being)?", r"(?:sees?|saw|see) (?:her|him|them|me) as",
    r"(?:thinks?|thought) of (?:her|him|them|me) as", r"called (?:her|him|them|me)", r"labelled (?:her|him|them|me)",
)
"""Verbs that introduce someone else's words or beliefs (Balabanovic 2017, sub-category 3.2: the patient may hear a referral
as "the doctor thinks I'm mad"). A finding after one of these, in the same sentence, is the
patient's or someone else's claim, not the clinician's."""

REPORTING_FRAMES: tuple[str, ...] = (
    r"in (?:her|his|their|the patient's) (?:own )?words", r"as (?:she|he|they) put it",
    r"according to (?:her|him|them|the patient)", r"in (?:her|his|their) (?:own )?view",
    r"(?:her|his|their) (?:fear|worry|concern|belief|sense|view|idea|impression|understanding|explanation|"
    r"own explanation|theory|perception|experience) (?:is|was) that",
    r"(?:her|his|their) (?:fear|worry|concern|belief) (?:that|of)", r"(?:fear|fears|worry|worries) of being",
    r"(?:afraid|scared|frightened|worried|anxious) (?:of being|that)",
)
"""Phrases that attribute what follows to the patient."""

# ---------------------------------------------------------------------------------------------
# Body-talk estimate (F1, Balabanovic 2017, sub-category 7.4): symptom / investigation / medication vocabulary versus
# feelings / relationships / meaning vocabulary.
# ---------------------------------------------------------------------------------------------

INVESTIGATIONS: tuple[str, ...] = (
    r"tests?", r"tested", r"blood tests?", r"bloods", r"scans?", r"scanned", r"mri", r"ct(?: scan)?",
    r"x-?rays?", r"ultrasound", r"ecg", r"eeg", r"echo(?:cardiogram)?", r"endoscopy", r"colonoscopy",
    r"biopsy", r"results", r"test results?", r"scan results?", r"referrals?", r"referred", r"consultants?", r"specialists?",
    r"neurolog(?:y|ist)",
    r"rheumatolog(?:y|ist)", r"gastroenterolog(?:y|ist)", r"gastro", r"cardiolog(?:y|ist)", r"urolog(?:y|ist)",
    r"gynaecolog(?:y|ist)", r"orthopaedics?", r"pain clinic", r"clinic", r"hospital", r"a&e", r"a and e",
    r"gp appointments?", r"appointments?", r"waiting list", r"investigations?", r"second opinion",
    r"diagnos(?:is|es|ed|e)", r"physio(?:therapy|therapist)?", r"out-?patients?", r"ward", r"examination",
    r"examined", r"private(?:ly)? (?:scan|referral|consultation)", r"nhs 111", r"111", r"ambulance",
)

MEDICATION: tuple[str, ...] = (
    r"medications?", r"meds", r"med review", r"analgesi[ac]", r"medicines?", r"tablets?", r"pills?", r"painkillers?",
    r"pain relief", r"doses?",
    r"dosage", r"prescriptions?", r"prescribed", r"side[- ]effects?", r"co-codamol", r"codeine",
    r"gabapentin", r"pregabalin", r"amitriptyline", r"nortriptyline", r"duloxetine", r"tramadol",
    r"morphine", r"oxycodone", r"opioids?", r"naproxen", r"ibuprofen", r"paracetamol", r"diazepam",
    r"omeprazole", r"mebeverine", r"buscopan", r"inhalers?", r"patches", r"injections?", r"steroids?",
    r"antibiotics?", r"supplements?", r"sertraline", r"citalopram", r"fluoxetine", r"mirtazapine",
)

BODY_TALK_MARKERS: tuple[str, ...] = (
    r"body[- ]talk", r"(?:went|go|going) (?:back )?over (?:the |her |his |their )?(?:symptoms|tests|results|scans)",
    r"(?:talked|spoke|spoken) (?:only|solely|entirely|again) (?:about|of) "
    r"(?:the |her |his |their )?(?:symptoms|pain|tests|results)",
    r"list of (?:symptoms|complaints|physical problems)", r"symptom list", r"catalogue of symptoms",
)
"""The therapist's own words for body talk; each counts three times in the estimate."""

BODY_PARTS_SAFE: tuple[str, ...] = (
    r"necks?", r"shoulders?", r"hips?", r"knees?", r"joints?", r"muscles?", r"spine", r"stomach", r"tummy",
    r"abdomen", r"abdominal", r"bowels?", r"bladder", r"jaw", r"pelvis", r"chest", r"limbs?", r"wrists?",
    r"ankles?", r"legs?", r"arms?",
)
"""Body parts that almost always mean the body in a note ("back", "heart" and "feet" do not)."""

BODY_WORDS: tuple[str, ...] = SYMPTOMS + INVESTIGATIONS + MEDICATION + BODY_PARTS_SAFE

FEELING_WORDS: tuple[str, ...] = (
    # feelings
    r"feelings", r"emotions?", r"emotional(?:ly)?", r"sad", r"sadness", r"angry", r"anger", r"furious",
    r"rage", r"upset", r"frustrat(?:ed|ion|ing)", r"lonel(?:y|iness)", r"isolated", r"guilt(?:y)?",
    r"shame", r"ashamed", r"embarrass(?:ed|ment)", r"afraid", r"scared", r"frightened", r"fear(?:s|ful)?",
    r"panic(?:ky)?", r"grief", r"griev(?:e|ed|ing)", r"bereave(?:d|ment)", r"tearful", r"tears",
    r"cried", r"crying", r"wept", r"low mood", r"depressed", r"hopeless(?:ness)?", r"helpless(?:ness)?",
    r"hope(?:s|ful)?", r"proud", r"pride", r"happ(?:y|iness)", r"joy", r"enjoy(?:s|ed|ing)?",
    r"relie(?:f|ved)", r"lov(?:e|ed|es|ing)", r"resent(?:ment|ful)?", r"jealous(?:y)?", r"envy",
    r"abandon(?:ed|ment)", r"reject(?:ed|ion)", r"trust(?:ed)?", r"betray(?:ed|al)", r"let down",
    r"vulnerable", r"confiden(?:t|ce)", r"self-(?:worth|esteem|critical|criticism)", r"alone", r"hurt by",
    r"miss(?:es|ed)? (?:her|him|them)", r"longing", r"regret", r"disappoint(?:ed|ment)", r"overwhelmed",
    r"stressed", r"distress(?:ed)?", r"irritable", r"content", r"calm(?:er)?",
    # relationships
    r"mother", r"mum", r"father", r"dad", r"parents?", r"husband", r"wife", r"partner", r"sons?",
    r"daughters?", r"child(?:ren)?", r"kids", r"family", r"sisters?", r"brothers?", r"siblings?",
    r"friends?", r"friendships?", r"marriage", r"divorce", r"relationships?", r"colleagues?", r"boss",
    r"manager", r"grandchild(?:ren)?", r"grandson", r"granddaughter", r"in-laws", r"neighbours?",
    r"carer", r"caring for", r"ex-(?:husband|wife|partner)",
    # meaning and reflection
    r"meaning", r"means to (?:her|him|them)", r"identity", r"values?", r"purpose", r"future", r"childhood",
    r"memor(?:y|ies)", r"remembered", r"who (?:she|he|they) (?:is|are|was|were|used to be)", r"sense of self",
    r"link(?:s|ed)? between", r"connection between", r"made a link", r"reflected", r"reflecting", r"reflection",
    r"curious", r"wondered", r"made sense", r"as if", r"it's as though", r"role as", r"loss of (?:her|his|their)",
    r"what it means",
)
"""Feelings, relationships and meaning: what therapy hopes to reach beyond the symptoms."""

HEALTH_WORRY_WORDS: tuple[str, ...] = (
    r"worr(?:y|ies|ied|ying)", r"anxious", r"anxiety", r"concern(?:s|ed)?", r"scared", r"frightened",
    r"afraid", r"fear(?:s|ful)?", r"panic(?:ky)?",
)
"""Worry words count half on the feelings side: in body talk they are often worry *about* the
symptoms and tests, which keeps the conversation on the body."""

# fmt: on
