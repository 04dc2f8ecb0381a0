"""Write a value as YAML text that every YAML reader reads back exactly: the front matter's values.

Input: text, numbers, lists and mappings of them. Output: one line of YAML flow text. Pure.
"""

from __future__ import annotations

import json
import re

# JSON is YAML, except for characters JSON writes as they are: YAML reads NEL, LS and PS as
# line breaks (folded into a space inside quotes), and refuses DEL, the C1 controls, lone
# surrogates and U+FFFE/U+FFFF anywhere in a file. A BOM inside the text is kept by PyYAML but
# may be taken for the start of a stream elsewhere. Each is written as a \u escape instead,
# which JSON and YAML both read back as the character itself.
_NOT_VERBATIM = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def yaml_flow(value: object) -> str:
    r"""Return ``value`` as one line of YAML, text double-quoted with escapes (``"a\u0085b"``)."""
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_VERBATIM.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
