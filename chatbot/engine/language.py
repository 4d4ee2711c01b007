"""English function words and conversational cues: language facts, not domain facts."""

from __future__ import annotations

import re

from .text import sentences

#: Words that carry no topic. Dropped from matching so that "can you tell me please where
#: my mum's cancer might go" weighs the same as "where cancer go".
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because been before
    being below between both but by can cant could couldnt did didnt do does doesnt doing dont down
    during each either else even ever every few for from further get gets getting got had hadnt has
    hasnt have havent having he her here hers herself him himself his i id ill im ive if in into is
    isnt it its itself just let lets like me might mine more much must my myself no nor not now
    of off on once only or other our ours ourselves out over own per please quite rather really
    same she should shouldnt so some such tell than that thats the their theirs them
    themselves then there theres these they theyre this those through thus to too under until up
    upon us very was wasnt way we were whats whatever while will with
    within without would wouldnt you your youre yours yourself yourselves ok okay yes yeah hi
    know want wanted wonder wondering wondered need needs thing things kind sort lot lots anything
    something someone somebody anyone one ones well still already maybe perhaps probably actually
    basically generally usually again u ur pls plz thx im tips tip advice info details
    mum mom mother dad father wife husband partner sister brother daughter son friend aunt uncle
    grandma grandmother granny nan gran family relative patient patients person people woman women
    man men she shes hes her girl guy mums moms mothers dads fathers wifes husbands partners sisters
    brothers daughters sons friends aunts uncles grans nans grandmas
    agent customer customers client clients caller asking asks asked question questions wants wanting
    told said says somewhere anywhere everywhere else now currently exactly specifically possible possibly
    hello hey dear thanks thank
    yet though although anyway anyhow besides however hence therefore whereas whether nevertheless
    meanwhile otherwise indeed instead
    """.split()
)

#: Discourse phrases of English that say nothing about the topic, whatever words they are made of ("what makes
#: it more likely to spread in the first place" asks nothing about places): left out of matching.
DISCOURSE_PHRASES = ("in the first place", "by the way", "to be honest", "to be fair", "at the end of the day",
                     "first of all", "all in all", "as a matter of fact", "in other words", "for what its worth",
                     "if you dont mind", "if that makes sense", "in a nutshell", "on the other hand", "in any case",
                     "the thing is", "i was wondering", "just wondering", "out of interest", "out of curiosity",
                     "if possible", "in plain english", "in simple terms", "in laymans terms",
                     # Light-verb idioms: "do genes play a role in whether it spreads" asks whether genes matter,
                     # not about the chemotherapy entry that "what role does chemo play" phrases.
                     "play a role", "plays a role", "played a role", "play a part", "plays a part", "played a part",
                     "play any role", "play any part", "play a big role", "play a big part")
#: Announcing a question, or a change of subject: "completely different question - can it go to the brain as well?"
#: asks nothing of differences. Left out of everything the message is read by, the learned models too (no phrasing of
#: a base says them, so this moves no model: discourse phrases in phrasings would).
ANNOUNCEMENTS = ("completely different question", "totally different question", "slightly different question",
                 "different question", "another question", "quick question", "one more question", "separate question",
                 "unrelated question", "new question", "side question", "unrelated but", "on another note",
                 "on a different note", "changing the subject", "change of subject", "i have a question",
                 "i have a quick question", "i have some questions", "i have a few questions", "can i ask a question",
                 "can i ask you a question", "may i ask a question")
#: Question words are kept (they tell "where" from "how") but weigh little.
QUESTION_WORDS = frozenset("what how why where when which who whose whom".split())
#: Words that can stand where "the" stands in a synonym phrase ("lower the risk", "lower her risk").
DETERMINERS = ("this", "that", "these", "those", "my", "your", "her", "his", "our", "their", "its", "a", "an")
#: Quantifiers and degree words: English's closed class of how much and how many, which ask about a topic and name
#: none ("and the least common of those", "which has fewer").
QUANTIFIERS = frozenset("least less fewer fewest most more many several few whole both either neither enough all "
                        "half another".split())

#: Words that address the bot: "what can you do" asks after it, "how are things treating you" too.
ADDRESSED = frozenset({"you", "your", "youre", "yours", "yourself", "u", "ur"})

#: First words that make a sentence a question ("is she going to be ok", "can it spread").
QUESTION_OPENERS = QUESTION_WORDS | frozenset("is are am can could does do did should would will has have was were "
                                              "shall may might".split())

#: Openings that make a message a follow-up to the previous answer ("and the liver?").
FOLLOW_UP_OPENERS = ("and ", "what about ", "how about ", "what of ", "same for ", "also ", "or ")
#: ... and a correction of what the last question named ("no I meant the bones", "sorry, i mean her liver").
_CORRECTION = re.compile(r"(?:(?:no|nope|sorry|oops|oh|ah|actually)\s+)*i\s+(?:meant|mean|was asking about)\s")


#: What a correction names that it did not mean: "i meant bones not brain", "the lungs rather than the liver".
_NOT_MEANT = re.compile(r"\s(?:not|rather than|instead of)\s.*")


def correction(normalized: str) -> str | None:
    """What a message that corrects the last question names instead ("no I meant the bones" -> "the bones"; "sorry
    i meant bones not brain" -> "bones"), or None when it corrects nothing."""
    found = _CORRECTION.match(normalized)
    return _NOT_MEANT.sub("", normalized[found.end():]).strip() if found is not None else None


#: Pronouns that point back at the previous topic ("how is it treated").
BACK_REFERENCES = frozenset("it its they them their that this there those these same".split())
_BE = frozenset("is are was were be been isnt arent wasnt".split())


def points_back(normalized: str) -> bool:
    """Does the message point back at the previous topic? "there" does only as a place ("how is it treated
    there"), not as the "there" of "is there a standard plan" or "there are many options"."""
    words = normalized.split()
    return any(w in BACK_REFERENCES and _points(words, i) for i, w in enumerate(words))


def _points(words: list[str], i: int) -> bool:
    """Does the word at ``i`` point back? Not the "there" of "is there" nor the "that" of "a plan that suits"."""
    w = words[i]
    return not (w == "there" and _existential(words, i)) and not (w == "that" and _joins(words, i))


#: The pointing words a subject can stand in for: "for it" → "for bone"; not "they" (the doctors, mostly).
_STANDS_FOR = frozenset("it that this there".split())


def with_referent(normalized: str, referent: str) -> str:
    """The message with its first pointing word replaced by what it points at ("what can they give her
    for it" → "... for bone"), or the referent added at the end where it points with no such word."""
    words = normalized.split()
    for i, w in enumerate(words):
        if w in _STANDS_FOR and _points(words, i):
            return " ".join([*words[:i], referent, *words[i + 1:]])
    return f"{normalized} {referent}"


def _joins(words: list[str], i: int) -> bool:
    """Is the "that" at ``i`` a relative or a conjunction ("a plan that suits everyone", "I read that...")? It
    is when a word of meaning stands before it and a clause follows; "how is that treated" points back."""
    before = words[i - 1] if i > 0 else ""
    return bool(before) and before not in STOPWORDS and before not in QUESTION_WORDS and i + 1 < len(words)


def _existential(words: list[str], i: int) -> bool:
    return (i > 0 and words[i - 1] in _BE) or (i + 1 < len(words) and words[i + 1] in _BE)

#: Ways of picking a numbered option besides the bare digit.
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
}

_AUXILIARIES = frozenset("does do did is are can could will would should has have was".split())
#: Real words typed for another word; only safe where the next word proves it.
_CONFUSABLES = {"were": "where", "wear": "where", "whare": "where", "wat": "what", "wot": "what", "hw": "how"}


def fix_confusables(tokens: list[str]) -> list[str]:
    """"were does it spread" → "where does it spread": a real word that the typo fixer keeps."""
    out = list(tokens)
    for i, token in enumerate(tokens[:-1]):
        if token in _CONFUSABLES and tokens[i + 1] in _AUXILIARIES:
            out[i] = _CONFUSABLES[token]
    return out


#: Texting and chat spellings of English words ("wat r the signs", "shud i worry", "wen it goes to ur lungs"):
#: too short or too far from the word for typo correction, and otherwise read as words no base uses.
TEXTING = {
    "u": "you", "ur": "your", "r": "are", "b": "be", "y": "why", "n": "and", "nd": "and", "v": "very",
    "wat": "what", "wot": "what", "wut": "what", "wht": "what", "wats": "whats", "wen": "when", "wer": "where",
    "whr": "where", "hw": "how", "cn": "can", "cud": "could", "cld": "could", "shud": "should", "shld": "should",
    "wud": "would", "wld": "would", "hav": "have", "hv": "have", "dat": "that", "tht": "that", "dis": "this",
    "da": "the", "dey": "they", "dem": "them", "der": "there", "thru": "through", "tho": "though",
    "abt": "about", "bout": "about", "b4": "before", "becoz": "because", "bcoz": "because", "bcos": "because",
    "coz": "because", "cuz": "because", "pls": "please", "plz": "please", "thx": "thanks", "thnx": "thanks",
    "ppl": "people", "sum1": "someone", "some1": "someone", "any1": "anyone", "every1": "everyone",
    "2day": "today", "tmrw": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow", "2nite": "tonight",
    "tonite": "tonight", "gonna": "going to", "wanna": "want to", "gotta": "got to", "kinda": "kind of",
    "sorta": "sort of", "dunno": "dont know", "idk": "i dont know", "tbh": "to be honest", "btw": "by the way",
    "imo": "in my opinion", "wiv": "with", "wif": "with", "rly": "really", "realy": "really", "gd": "good",
    "gr8": "great", "dr": "doctor", "drs": "doctors",
}


def expand_texting(tokens: list[str], known: frozenset[str] | set[str]) -> list[str]:
    """Texting spellings as the words they stand for, except those in ``known`` (the base's synonyms define them)."""
    out: list[str] = []
    for token in tokens:
        out.extend(TEXTING[token].split() if token in TEXTING and token not in known else (token,))
    return out


#: "apart from the treatment, what else helps", "where else besides bones, lungs, liver and brain": what follows is
#: set apart from what is asked, up to the end of its clause: a sentence's end, a question word, or a comma before a
#: question's opening word (a list runs across commas: "apart from bones, lungs, liver and brain, where else").
_SET_APART = re.compile(r"\b(?:apart from|aside from|besides|other than|except for|except)\b(.*?)"
                        r"(?=[.?!;\n]|,\s*(?:is|are|can|could|do|does|did|will|would|should|has|have)\b"
                        r"|\b(?:what|where|how|why|when|which|who)\b|$)")


def set_apart(text: str) -> list[str]:
    """The phrases a message sets apart from what it asks ("apart from the cancer treatment itself")."""
    return [m.group(1).strip(" ,") for m in _SET_APART.finditer(text.lower()) if m.group(1).strip(" ,")]


#: A statement that opens by setting something apart: "In addition to medical treatment, supportive care ...".
#: What it sets apart runs to the first comma ("Besides the bones, lungs, ..." gives the bones: enough to meet).
_OPENS_APART = re.compile(r"(?:in addition to|apart from|aside from|besides|as well as|other than)\s+([^,.;:!?]+),")


def without_set_apart(text: str) -> str:
    """A message without what it sets apart: what it asks ("what else can help her")."""
    return _SET_APART.sub(" ", text.lower())


#: Words that ask what else there is besides what a message sets apart.
WHAT_ELSE = re.compile(r"\b(?:else|other|others|more|anything|additional|extra)\b")


def opens_apart(text: str) -> list[tuple[int, str]]:
    """What a text's sentences set apart at their opening, with the sentence's place: an answer that opens so tells
    what else there is, the more so the earlier it does."""
    return [(i, found.group(1).strip()) for i, sentence in enumerate(sentences(text.lower()))
            if (found := _OPENS_APART.match(sentence))]


#: Two terms asked to be compared: "is metastatic the same (thing) as advanced", "is A different from B",
#: "(whether) A and B are the same thing", "the difference between A and B". A term is a few words, quotes aside.
_TERM = r"['\"‘’“”]?(?P<{}>(?:(?!\b(?:is|are|whether|if)\b)[\w'/ -]){{1,40}}?)['\"‘’“”]?"
_SAME_TERMS = [re.compile(p) for p in (
    r"\b(?:is|are|isn't|aren't)\s+" + _TERM.format("a") + r"\s+(?:just\s+|really\s+|actually\s+)?"
    r"(?:the\s+same(?:\s+thing)?\s+as|different\s+(?:from|to|than))\s+" + _TERM.format("b")
    + r"(?=\s*(?:[?.!,;]|\bor\b|$))",
    r"\b(?:is|are|whether|if)\s+" + _TERM.format("a") + r"\s+and\s+" + _TERM.format("b")
    + r"\s+(?:are\s+|is\s+)?(?:the\s+same|different|two\s+different)\b",
    r"\bdifference\s+between\s+" + _TERM.format("a") + r"\s+and\s+" + _TERM.format("b") + r"(?=\s*(?:[?.!,;]|$))",
)]


def compared_terms(text: str) -> tuple[str, str] | None:
    """The two terms a message asks to compare ("is metastatic the same thing as advanced breast cancer"), if any."""
    lowered = " ".join(text.lower().split())
    for pattern in _SAME_TERMS:
        if (found := pattern.search(lowered)) is not None:
            return found.group("a").strip(), found.group("b").strip()
    return None
