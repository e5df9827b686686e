"""Raw HTML for the inline scanner in `inline.py`: what a tag looks like, and which tags
stay (formatting, minus attributes), go with their text kept, or go whole."""

from __future__ import annotations

import re

_NAME = r"[A-Za-z][A-Za-z0-9-]*"
_ATTR_NAME = r"[A-Za-z_:][A-Za-z0-9_.:-]*"
_VALUE = r"(?:[^\s\"'=<>`]+|'[^'\n]*'|\"[^\"\n]*\")"
_ATTR = rf"(?:[ \t]+{_ATTR_NAME}(?:[ \t]*=[ \t]*{_VALUE})?)"
OPEN_TAG = re.compile(rf"<(?P<name>{_NAME})(?P<attrs>{_ATTR}*)[ \t]*/?>")
CLOSE_TAG = re.compile(rf"</(?P<name>{_NAME})[ \t]*>")
# Comments, CDATA, processing instructions, declarations: (opener, closer), longest first.
OTHER_HTML = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">"))

SAFE_TAGS = frozenset(
    "b i em strong code kbd samp var sub sup br hr p ul ol li dl dt dd blockquote table thead "
    "tbody tfoot tr th td caption details summary del s ins mark small u abbr span div h1 h2 h3 "
    "h4 h5 h6 wbr cite q dfn tt".split()
)
DROP_WHOLE = frozenset(
    "script style textarea xmp noscript template title noembed noframes".split()
)
DROP_TAGS = DROP_WHOLE | frozenset(
    "a img image iframe frame frameset object embed applet video audio source track picture svg "
    "math link meta base form input button select option optgroup label portal body html head "
    "area map canvas dialog marquee pre font center param slot plaintext fencedframe".split()
)
