"""Generated adversarial strings for the normalizer and pre-tokenizer goldens."""
import random

MARKS = [0x300, 0x301, 0x302, 0x303, 0x308, 0x30A, 0x323, 0x327, 0x331, 0x345, 0x591, 0x5B0, 0x64B, 0x650,
         0x93C, 0x94D, 0x9BC, 0xE31, 0xE48, 0x1AB0, 0x1DC0, 0x20D0, 0x20E3, 0x302A, 0x3099, 0xFE0F, 0x1F3FB]
SPACES = [0x20, 0x9, 0xA, 0xB, 0xC, 0xD, 0x85, 0xA0, 0x1680, 0x180E, 0x2000, 0x2007, 0x200A, 0x200B, 0x2028,
          0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF, 0x1C, 0x1F]
INTERESTING = (
    "aZz09'sS'\u017f'LL'Re'vE'M'D'T \t\r\n.,;:!?-_/\\\"()[]{}<>@#$%^&*+=|~`"
    "\u00e9e\u0301\u00c5\u212b\u1e9b\u0323\u00df\u0130\u0131\u03a3\u03c3\u03c2\u1f88\u01c5\u01c4\u2126"
    "\u00bd\u2153\u2167\u2460\u00b2\u0660\u0966\uff10\uff21\uff41\u3042\u30a2\u4e00\u9fff\u3400\uac00\ud7a3"
    "\u1100\u1161\u11a8\u3131\u0e01\u0e33\u0e4d\u0627\u0644\u200d\u200c\u2060\u00ad\u061c"
    "\U0001F600\U0001F44D\U0001F3FD\U0001F468\u200d\U0001F469\U0001F1EF\U0001F1F5#\ufe0f\u20e3"
    "\ue000\U000F0000\U0010FFFD\ufffd\ufffe\uffff\u0000\u0007\u007f\u0085"
    "\ua7cb\ua7cc\ua7dc\U00010D50\U00010D70\U0001E5D0\U00016D40\U0001CC00\U0001F16C\U0001FBF0\U00010781\ua7f2"
    "\U00011935\U00011930\u1fbf\u0344\u0f73\u2029"
)


def random_scalar(rng):
    while True:
        c = rng.randrange(0x110000) if rng.random() < 0.5 else rng.randrange(0x3000)
        if not 0xD800 <= c <= 0xDFFF:
            return chr(c)


def generate(count, seed):
    rng = random.Random(seed)
    out = [
        "", " ", "  ", "\n", "\r\n", "\r\n\r\n", " \n ", "a", "'", "''s", "'S", "'\u017f", "don't", "DON'T", "I'LL",
        "e\u0301", "\u1100\u1176", "\u1100\u1161\u11a8", "Hello  world", "Hello world ", " leading", "x" * 5000,
        "1" * 2000, " " * 3000, "." * 1000, "\u0301" * 300, "\u2581Hello\u2581", "\u2581", "a\u2581\u2581b",
    ]
    generators = [
        lambda: "".join(rng.choice(INTERESTING) for _ in range(rng.randint(1, 40))),
        lambda: "".join(chr(rng.choice([rng.randrange(0x41, 0x7B), 0xE9, 0x3B1, 0x416, 0x5D0, 0x627]))
                        + "".join(chr(rng.choice(MARKS)) for _ in range(rng.randint(0, 4)))
                        for _ in range(rng.randint(1, 12))),
        lambda: "".join(chr(rng.choice([rng.randrange(0x1100, 0x1200), rng.randrange(0xAC00, 0xD7A4),
                                         rng.randrange(0xA960, 0xA97D), rng.randrange(0xD7B0, 0xD7FC)]))
                        for _ in range(rng.randint(1, 20))),
        lambda: "".join(rng.choice(["word", "Word", "WORD", "42", "3.14", "\r\n", "\n", "\r", " ", "  ", "\t",
                                    chr(rng.choice(SPACES)), "'s", "'T", "?!", "...", "/", "\u00e9t\u00e9"])
                        for _ in range(rng.randint(1, 25))),
        lambda: "".join(random_scalar(rng) for _ in range(rng.randint(1, 30))),
        lambda: rng.choice(["a", "1", " ", "!", "\u0301", "\u4e00", "\n"]) * rng.randint(100, 1500),
    ]
    while len(out) < count:
        out.append(rng.choice(generators)())
    return out
