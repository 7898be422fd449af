"""Dutch phone numbers: one spelling for display, one `tel:` link.

The register writes numbers in mixed formats: "(014) 030", "14 038", "0140223",
"(0900) 18 52", "(0297) 38 75 75". Overrides are typed by people: "020-1234567",
"+31 20 123 45 67". `parse_phone` turns all of them into a `PhoneNumber`:

    "(0297) 38 75 75" -> display "0297 38 75 75", tel "tel:+31297387575"
    "(014) 030"       -> display "14 030",        tel "tel:14030"
    "(0900) 18 52"    -> display "0900 1852",     tel "tel:09001852"
"""

import re
from dataclasses import dataclass

# Area codes with two digits after the 0 (Rijksinspectie Digitale Infrastructuur,
# nummerplan): all other geographic area codes have three.
SHORT_AREA_CODES = frozenset(
    "010 013 015 020 023 024 026 030 033 035 036 038 040 043 045 046 050 053 055 058 "
    "070 071 072 073 074 075 076 077 078 079".split()
)
SERVICE_PREFIXES = ("0800", "0900", "0906", "0909")  # free or paid information numbers
NON_GEOGRAPHIC = ("06", "084", "085", "087", "088", "091", "097")  # mobile, company and VoIP numbers
_ALLOWED = re.compile(r"[\d\s()+\-./]+")


@dataclass(frozen=True)
class PhoneNumber:
    digits: str  # as dialled inside the Netherlands: "0297387575", "14030", "09001852"

    @property
    def is_municipal_14(self) -> bool:
        """14 + area code: the municipality's general number, only callable within the Netherlands."""
        return self.digits.startswith("14")

    @property
    def display(self) -> str:
        """The usual Dutch spelling: "020 123 45 67", "0297 38 75 75", "06 1234 5678", "14 030"."""
        digits = self.digits
        if self.is_municipal_14:
            return f"14 {digits[2:]}"
        if digits.startswith(SERVICE_PREFIXES):
            rest = digits[4:]
            return f"{digits[:4]} {rest if len(rest) <= 4 else _pairs_after(rest, 3)}"
        if digits.startswith("06"):
            return f"06 {digits[2:6]} {digits[6:]}"
        if digits[:3] in SHORT_AREA_CODES or digits.startswith(NON_GEOGRAPHIC):
            return f"{digits[:3]} {_pairs_after(digits[3:], 3)}"
        return f"{digits[:4]} {_pairs_after(digits[4:], 2)}"

    @property
    def tel_uri(self) -> str:
        """International form where it works from abroad; 14 and 0800/0900 numbers only work nationally."""
        if self.is_municipal_14 or self.digits.startswith(SERVICE_PREFIXES):
            return f"tel:{self.digits}"
        return f"tel:+31{self.digits[1:]}"


def _pairs_after(digits: str, head: int) -> str:
    """'1234567' with head 3 -> '123 45 67'; '387575' with head 2 -> '38 75 75'."""
    groups = [digits[:head]] + [digits[index : index + 2] for index in range(head, len(digits), 2)]
    return " ".join(group for group in groups if group)


def parse_phone(text: str) -> PhoneNumber:
    """The Dutch phone number in `text`; ValueError when it is not one."""
    if not text or not _ALLOWED.fullmatch(text.strip()):
        raise ValueError(f"not a phone number: {text!r}")
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+"):
        if not digits.startswith("31"):
            raise ValueError(f"not a Dutch number: {text!r}")
        digits = "0" + digits[2:]
    elif digits.startswith("0031"):
        digits = "0" + digits[4:]
    if digits.startswith("014") and len(digits) in (6, 7):
        digits = digits[1:]  # the register writes "(014) 030" and "0140223"
    if _is_valid(digits):
        return PhoneNumber(digits)
    raise ValueError(f"not a valid Dutch phone number: {text!r}")


def _is_valid(digits: str) -> bool:
    if digits.startswith("140"):
        return len(digits) in (5, 6)  # 14 + the area code with its 0: 14 020, 14 0592
    if digits.startswith(SERVICE_PREFIXES):
        return 8 <= len(digits) <= 11
    return len(digits) == 10 and digits.startswith("0") and digits[1] != "0"
