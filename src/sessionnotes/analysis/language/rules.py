"""What each wording rule says: the reasons it matters and the suggested rewordings, with the
pattern builder the rule tables (:mod:`.rules_labels`, :mod:`.rules_claims`) share."""

from __future__ import annotations

import re

from ..text import lexicon, matching


def rule_pattern(pattern: str, *, case: bool = False) -> matching.LazyPattern:
    pattern = pattern.replace("{EFFECT}", lexicon.alternation(lexicon.EFFECT_WORDS))
    pattern = pattern.replace("{PSYCH}", lexicon.alternation(lexicon.PSYCH_CAUSES))
    pattern = pattern.replace("{MOODCORE}", MOOD_CORE)
    pattern = pattern.replace("{MOOD}", MOOD)
    return matching.LazyPattern(pattern, 0 if case else re.IGNORECASE)


MOOD_CORE = (
    r"(?:depressed|depression|low\s+mood|low\s+in\s+mood|miserable|hopeless|suicidal|tearful|"
    r"fed\s+up|despairing|in\s+low\s+spirits|mental\s+health\s+(?:problems|difficulties)|"
    r"(?:(?:feel(?:s|ing)?|felt|be|is|was|so|very|quite|been|become|get|gets|getting)\s+(?:low|down))"
    r"(?!\s+(?:back|blood|dose|level|risk|iron|vitamin|platelet|sodium|potassium|to\b)))"
)
"""Low mood and depression: normalising these can stop anyone assessing them (Jackson 2023)."""
MOOD = r"(?:anxious|anxiety|" + MOOD_CORE + ")"
"""Core mood words plus anxiety, for the blunter forms ("no wonder she's anxious")."""

# --- why / suggestion texts (paraphrased from the published sources; cite, do not quote) -----------------

W_MIND = (
    "Patients often hear a referral to psychology as being told their symptoms are imagined or "
    "that they are 'mad'; wording that places the problem in the mind alone confirms that fear and "
    "can end engagement (Balabanovic 2017, sections 3.1 and 3.4, sub-categories 4.1.1 and 6.1)."
)
S_MIND = (
    "Validate the symptoms as real and describe their impact, e.g. 'whatever lies behind these "
    "symptoms, they are real and are taking a heavy toll on daily life'; body and mind can be "
    "described as closely linked rather than either/or (Balabanovic 2017, appendix 3)."
)
W_NOTHING_WRONG = (
    "Telling a patient there is nothing wrong with them is remembered as dismissive and hardens an "
    "either/or view of body and mind (Balabanovic 2017, chapter 4, appendix 11)."
)
S_NOTHING_WRONG = (
    "Say what the tests have ruled out and that the symptoms are still real, e.g. 'the tests have "
    "not found a disease that explains this, and the symptoms are no less real or distressing' "
    "(Joint Commissioning Panel for Mental Health 2017)."
)
W_TESTS = (
    "Reading normal results as proof that nothing is wrong is the explanation patients most often "
    "get, and it leaves them feeling disbelieved (Joint Commissioning Panel for Mental Health 2017)."
)
S_TESTS = (
    "Separate the two: report what the results rule out, then acknowledge the symptoms continue and "
    "matter, e.g. 'reassuringly the scan did not show X; the pain is still very real and we will "
    "look at how to manage it' (Joint Commissioning Panel for Mental Health 2017)."
)
W_DUAL = (
    "Either/or framing (physical or psychological) mirrors the dualism of the health system that "
    "leaves these patients unserved (Balabanovic 2017, chapter 1, appendix 11)."
)
S_DUAL = (
    "Describe body and mind together, e.g. 'body and mind are closely linked; whatever the cause, "
    "the symptoms are affecting mood and daily life' (Balabanovic 2017, appendix 3)."
)
W_CERTAIN = (
    "Stating a psychological cause as fact is risky: formulations about causes alienate patients "
    "who hold their own explanation; hold hypotheses tentatively and don't 'marry' them "
    "(Balabanovic 2017, sub-category 6.6, chapter 10)."
)
S_CERTAIN = (
    "Offer it as a possibility and keep the patient's own view beside it, e.g. 'one way of "
    "understanding this might be...', 'it may be that stress is one of several things playing a "
    "part' (Balabanovic 2017, sub-category 6.6, appendix 12)."
)
W_LABEL = (
    "A pejorative label that services have used about these patients; it carries blame and "
    "disbelief and many patients find it offensive (Balabanovic 2017, sections 3.2 and 3.5, chapter 4)."
)
S_LABEL = (
    "Describe what the person experiences and does instead of a label, e.g. 'has been living with "
    "persistent symptoms and understandably seeks answers' "
    "(Balabanovic 2017, sub-category 6.2; Joint Commissioning Panel for Mental Health 2017)."
)
W_FEIGN = (
    "Implies the symptoms are faked or exaggerated; patients with persistent symptoms widely fear "
    "being seen as malingering, and detected scepticism can re-traumatise "
    "(Balabanovic 2017, sections 3.4 and 8.1.2, sub-category 4.5)."
)
S_FEIGN = (
    "Record what was observed without judging genuineness, e.g. 'the pain varies a great deal from "
    "day to day', and take scepticism to supervision (Balabanovic 2017, sub-category 4.5)."
)
W_UNTREATABLE = (
    "Calling a patient 'untreatable' is over-generalised: it ignores fit between patient and "
    "approach and a readiness that can change over time, and can be a sign of the therapist's own "
    "exhaustion (Balabanovic 2017, sub-categories 5.3 and 7.5)."
)
S_UNTREATABLE = (
    "Describe what has and hasn't helped so far and what might be tried, e.g. 'we have not yet found "
    "an approach that helps; a more practical, self-management focus may suit better for now'; "
    "consider supervision (Balabanovic 2017, sub-category 7.5, appendix 12)."
)
W_BLAME = (
    "Wording that makes the patient responsible for the symptoms or for a lack of progress is "
    "experienced as blame and disbelief (Scope et al. 2021; Jackson 2023; Balabanovic 2017, sub-category 7.4)."
)
S_BLAME = (
    "Describe the difficulty without blame and with its context, e.g. 'has found it hard to keep up "
    "the exercises while the pain is severe', and what might make it easier (Balabanovic 2017, sub-category 7.4; Jackson 2023)."
)
W_GAIN = (
    "Asking what the patient 'gets out of' being ill is too loaded and tends to be heard as an accusation "
    "(Balabanovic 2017, appendix 3)."
)
S_GAIN = (
    "If it matters, frame it as safety or comfort, e.g. 'since becoming unwell it has become very "
    "important to have someone close by, and it is hard to imagine managing without that' (Balabanovic 2017, appendix 3)."
)
W_NORMALISE = (
    "Treating low mood or anxiety as the expected result of the illness can mean it is never "
    "assessed or treated in its own right (Jackson 2023)."
)
S_NORMALISE = (
    "Acknowledge the link and keep the door to help open, e.g. 'living with this pain has been very "
    "hard and her mood has been low; that deserves support in its own right' (Jackson 2023)."
)
W_JARGON = (
    "Clinical or service jargon; it means little to a patient and can read as a judgement "
    "(Balabanovic 2017, section 8.1.1, sub-categories 3.5 and 3.6; Jackson 2023)."
)
S_JARGON_PLAIN = "Say it in everyday words, describing what happens rather than naming a mechanism."
W_PREFERRED = (
    "Many patients find 'MUS' / 'medically unexplained' offensive or a barrier to care; the patient "
    "has told you the term they prefer (Scope et al. 2021; Balabanovic 2017, section 3.4, appendix 12)."
)
S_NEGATED_FEIGN = (
    "You deny it, which is good, but naming it still puts the idea of faking in the reader's mind; "
    "say what you did find instead, e.g. 'his seizures are real and very frightening for him' "
    "(Balabanovic 2017, sub-category 4.5)."
)
W_COERCE = (
    "Telling a patient what they must accept or admit leaves no room for their own view and is "
    "heard as an order and as disbelief; engagement grows from collaboration and a shared, "
    "tentative understanding (Balabanovic 2017, sub-categories 6.6 and 7.3)."
)
S_COERCE = (
    "Invite rather than require, e.g. 'it may help to consider...', 'when you feel ready we could "
    "look together at...', and keep the patient's own view beside yours (Balabanovic 2017, sub-category 6.6)."
)
W_CONVERSION = (
    "'Conversion' names a theory of cause (distress turned into a bodily symptom) and states it as "
    "fact; many patients hear it as 'it is all psychological' (Balabanovic 2017, section 3.5)."
)
W_COMPLAIN = (
    "Describing patients as difficult, complaining or time-wasting belongs to a negative discourse "
    "that pathologises them (Balabanovic 2017, chapter 4, section 5.5.2; Joint Commissioning Panel for Mental Health 2017)."
)
S_QUOTED = (
    "This reads as the patient's (or someone else's) words, not your claim. It can stay if it "
    "matters; make the attribution clear and, if useful, how it was responded to (Balabanovic 2017, sub-categories 3.2 and 6.2)."
)
S_PRIVATE = (
    " In a private note this is shown only as a self-check for tacit dualism (Balabanovic 2017, section 8.1.1, appendix 11)."
)
