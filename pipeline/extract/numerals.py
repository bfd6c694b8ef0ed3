"""Parse Arabic, Chinese and mixed numerals (1,900 · 三千五百萬 · 6萬2,474 · 二〇二五 · 3.2萬億).

``parse_number`` turns one numeral string into a float; ``NUMBER_PATTERN`` is a regex
fragment (no groups, no anchors) matching such numerals so that other extractors can
embed it. Arithmetic is done in ``Decimal`` so that 1.39萬 is exactly 13900.
"""

from __future__ import annotations

import re
from decimal import Decimal

# Full-width digits and the full-width decimal point, mapped to ASCII.
_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

CN_DIGITS: dict[str, int] = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "洞": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "貳": 2,
    "贰": 2,
    "兩": 2,
    "两": 2,
    "三": 3,
    "參": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
# "洞" is radio-speak for zero; it is a normal word in running text, so keep it out of the regex.
_REGEX_DIGITS = "".join(ch for ch in CN_DIGITS if ch != "洞")

CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_TENS: dict[str, int] = {"廿": 20, "卅": 30}
CN_LARGE_UNITS: dict[str, int] = {
    "萬": 10**4,
    "万": 10**4,
    "億": 10**8,
    "亿": 10**8,
    "兆": 10**12,
}
_POINTS = "點点.．"

_D = "0-9０-９"
_SMALL = "".join(CN_SMALL_UNITS)
_LARGE = "".join(CN_LARGE_UNITS)
_CN_BODY = _REGEX_DIGITS + _SMALL + "".join(CN_TENS)

# Arabic: grouped thousands (1,900 · 1 900 with a regular/thin/no-break space) or plain digits,
# with an optional decimal part. A space group must be exactly three digits not followed by
# another digit, so "2011 年" or "表 1 2024" style runs are not glued together.
ARABIC_PATTERN = (
    rf"[{_D}]{{1,3}}(?:,[{_D}]{{3}}(?![{_D}]))+(?:[.．][{_D}]+)?"
    rf"|[{_D}]{{1,3}}(?:[ \u2009\u202f\u00a0][{_D}]{{3}}(?![{_D}]))+(?![.．,][{_D}])"
    rf"|[{_D}]+(?:[.．][{_D}]+)?"
)
# Chinese: digits and 十百千 (with an optional 點-decimal of digit characters).
CHINESE_PATTERN = rf"[{_CN_BODY}]+(?:[點点．][{_REGEX_DIGITS}]+)?"
# 3百分點 is 3 percentage points, not 300: a small unit followed by 分 is not part of the numeral
_ATOM = rf"(?:(?:{ARABIC_PATTERN})(?:[{_SMALL}](?!分))?|{CHINESE_PATTERN})"
# A numeral: an atom, then any number of large units each optionally followed by another atom
# (6萬2,474 · 3.2萬億 · 一億二千萬 · 2万3000).
NUMBER_PATTERN = rf"(?:{_ATOM})(?:[{_LARGE}]+(?:{_ATOM})?)*"
NUMBER_RE = re.compile(NUMBER_PATTERN)

_SEP_RE = re.compile(r"(?<=\d)[, \u2009\u202f\u00a0](?=\d{3}(?!\d))")
_ARABIC_RUN_RE = re.compile(r"\d+(?:\.\d+)?")


def to_ascii_digits(s: str) -> str:
    """Map full-width digits and the full-width point to ASCII."""
    return s.translate(_WIDTH)


def parse_number(s: str) -> float | None:
    """Parse one numeral (Arabic, Chinese, or mixed); None when it is not a number."""
    value = parse_decimal(s)
    return None if value is None else float(value)


def parse_decimal(s: str) -> Decimal | None:
    """Like ``parse_number`` but exact, as a Decimal."""
    text = to_ascii_digits(s.strip())
    if not text:
        return None
    sign = Decimal(1)
    if text[0] in "-−負负":
        sign = Decimal(-1)
        text = text[1:].strip()
    text = _SEP_RE.sub("", text)
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return sign * Decimal(text)
    if all(ch in CN_DIGITS for ch in text):
        # digit-by-digit form: 二〇二五, 一九九〇
        return sign * Decimal("".join(str(CN_DIGITS[ch]) for ch in text))
    value = _parse_mixed(text)
    return None if value is None else sign * value


def _parse_mixed(text: str) -> Decimal | None:
    """Positional parse of Chinese units with embedded Arabic runs."""
    total = Decimal(0)
    section = Decimal(0)  # value below the current large unit (< 10000)
    number: Decimal | None = None  # pending digit(s) not yet bound to a small unit
    max_large = 0
    seen_digit = False
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isdigit():
            m = _ARABIC_RUN_RE.match(text, i)
            assert m is not None
            number = Decimal(m.group())
            seen_digit = True
            i = m.end()
            continue
        if ch in CN_DIGITS:
            # run of Chinese digits, possibly with a 點 decimal: 三點五, 一九
            j = i
            while j < n and text[j] in CN_DIGITS:
                j += 1
            run = text[i:j]
            if j < n and text[j] in _POINTS and j + 1 < n and text[j + 1] in CN_DIGITS:
                k = j + 1
                while k < n and text[k] in CN_DIGITS:
                    k += 1
                frac = "".join(str(CN_DIGITS[c]) for c in text[j + 1 : k])
                whole = "".join(str(CN_DIGITS[c]) for c in run)
                number = Decimal(f"{int(whole)}.{frac}")
                j = k
            elif len(run) > 1 and (j >= n or text[j] not in CN_SMALL_UNITS):
                # 一百零五: the 零 is a placeholder; 二〇 followed by nothing is digit-by-digit
                digits = run.lstrip("〇○零") or "0"
                number = Decimal("".join(str(CN_DIGITS[c]) for c in digits))
            else:
                number = Decimal(CN_DIGITS[run[-1]])
            seen_digit = True
            i = j
            continue
        if ch in _POINTS:
            return None
        if ch in CN_TENS:
            section += Decimal(CN_TENS[ch])
            seen_digit = True
            i += 1
            continue
        if ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            if number is None and unit != 10:
                # 百/千 without a digit is not a numeral on its own (百分之, 千萬 as idiom)
                if section == 0 and total == 0:
                    return None
            section += (number if number is not None else Decimal(1)) * unit
            seen_digit = True
            number = None
            i += 1
            continue
        if ch in CN_LARGE_UNITS:
            unit = CN_LARGE_UNITS[ch]
            section += number if number is not None else Decimal(0)
            number = None
            if unit > max_large:
                # 3.2萬億: everything so far is scaled up by the bigger unit
                total = (total + section) * unit
                max_large = unit
            else:
                total += section * unit
            section = Decimal(0)
            i += 1
            continue
        return None
    if not seen_digit:
        return None
    section += number if number is not None else Decimal(0)
    return total + section
