"""The print stylesheet of the letters: GB/T 9704-2012 layout as CSS numbers.

See ``docs/letters.md`` and the design note LETTERS.md for where each number
comes from. Only free fonts are named; the Noto CJK faces (Debian ``fonts-noto-cjk``) end
every stack, so a machine without the optional Fandol / AR PL faces renders the same
layout with Noto alone.
"""

from __future__ import annotations

from typing import Final

#: The red of the header and the separator line. Screen files use #FF0000; print ink is
#: Y80% M80%. It appears once, as the CSS variable ``--red``.
RED: Final = "#FF0000"

#: 仿宋 (body text, dates, document number).
FANG_STACK: Final = '"FandolFang", "Noto Serif CJK SC", serif'
#: 黑体 (first-level headings "一、").
HEI_STACK: Final = '"Noto Sans CJK SC", "FandolHei", sans-serif'
#: 楷体 (second-level run-in headings "（一）").
KAI_STACK: Final = '"AR PL UKai CN", "FandolKai", "Noto Serif CJK SC", serif'
#: 小标宋 stand-in (header and title, weight 700) and 宋体 (page numbers).
SONG_STACK: Final = '"Noto Serif CJK SC", serif'

#: Width of the type area (版心): 156 mm in points.
TYPE_AREA_WIDTH_PT: Final = 156 / 25.4 * 72
#: Line pitch: the 225 mm type area divided into 22 lines.
LINE_PT: Final = 28.95
#: Body size (三号).
BODY_PT: Final = 16.0
#: Room for a name in a party's signature column: half the type area less the 1 em gutter.
PARTY_NAME_WIDTH_PT: Final = TYPE_AREA_WIDTH_PT / 2 - BODY_PT
#: Room for the issuer's name: the type area less the 4 em in from the right.
ISSUER_NAME_WIDTH_PT: Final = TYPE_AREA_WIDTH_PT - 4 * BODY_PT
#: A name in a signature block is set smaller, down to this size (五号), rather than broken.
NAME_MIN_PT: Final = 10.5
#: Size of the issuer's name in the red header when it fits (初号).
HEADER_MAX_PT: Final = 42.0
#: Smallest header size (二号); longer names wrap rather than shrink further.
HEADER_MIN_PT: Final = 22.0

_PAGE_NUMBER = f"""content: "— " counter(page) " —"; font: 14pt/1 {SONG_STACK};
    letter-spacing: 0; color: #000; vertical-align: top; padding-top: 7mm;"""

LETTER_CSS: Final = f"""
:root {{ --red: {RED}; }}

@page {{
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
}}
@page :right {{
  @bottom-right {{ {_PAGE_NUMBER} padding-right: 1em; }}
}}
@page :left {{
  @bottom-left {{ {_PAGE_NUMBER} padding-left: 1em; }}
}}

html {{ color: #000; }}
body {{
  margin: 0;
  font: {BODY_PT}pt/{LINE_PT}pt {FANG_STACK};
  letter-spacing: -0.21pt;
  text-align: justify;
  overflow-wrap: anywhere;
  widows: 2;
  orphans: 2;
}}
/* The text of every grid line sits in a span with line-height 0, so that only the
   block's strut sets the 28.95pt pitch, whichever font a glyph comes from. */
.t {{ line-height: 0; }}

p, h1, h2 {{ margin: 0; }}
p {{ text-indent: 2em; }}

.org {{
  margin-top: 35mm;
  color: var(--red);
  font: 700 {HEADER_MAX_PT}pt/1 {SONG_STACK};
  letter-spacing: 0;
  text-align: center;
  text-indent: 0;
}}
.docno {{
  margin-top: {2 * LINE_PT}pt;
  line-height: 16pt;
  text-align: center;
  text-indent: 0;
  letter-spacing: 0;
}}
.rule {{ margin-top: 4mm; border-top: 0.5mm solid var(--red); }}

h1 {{
  margin: {2 * LINE_PT}pt 0 {LINE_PT}pt;
  font: 700 22pt/{LINE_PT}pt {SONG_STACK};
  letter-spacing: 0;
  text-align: center;
}}

h2 {{
  font: 400 16pt/{LINE_PT}pt {HEI_STACK};
  text-indent: 2em;
  break-after: avoid;
}}
.lead {{ font-family: {KAI_STACK}; }}
.parties p {{ text-indent: 0; }}

/* Signatures stay together and take the end of the text with them (never alone on a
   page); a closing formula ("特发此聘书。") takes the paragraph before it along too, so no
   page holds only the closing line and the signatures. Letter-spacing 0: WeasyPrint 70
   wraps a shrink-to-fit box too early with a negative letter-spacing. */
.signatures {{ break-inside: avoid; break-before: avoid; letter-spacing: 0; }}
.closing {{ break-before: avoid; }}
/* A name in a signature block is one line: set smaller when long (see letters.py), and
   wrapped only when even the smallest size is too wide. */
.signatures .name {{ white-space: nowrap; }}
.signatures .name.wrap {{ white-space: normal; }}
.sig-parties {{
  margin-top: {LINE_PT}pt;
  width: 100%;
  table-layout: fixed;
  border-collapse: collapse;
}}
.sig-parties td {{
  width: 50%;
  height: 45mm;
  padding: 0;
  vertical-align: top;
  text-align: left;
}}
.sig-parties p, .sig-issuer p {{ text-indent: 0; text-align: inherit; }}
/* The gutter between the columns; on the cell it would widen the table past 100%. */
.sig-parties p {{ margin-right: 1em; }}
/* The issuing body: its name centred over the date, the date 4 characters from the right.
   A 45 mm seal whose top is at the top of this block (within one line of the text) has
   its centre above the name; its lowest 4 mm may reach below the date. */
.sig-issuer {{
  padding-top: {2 * LINE_PT}pt;
  padding-right: 4em;
  text-align: right;
}}
.sig-box {{ display: inline-block; text-align: center; }}

@media screen {{
  html {{ background: #e5e5e5; }}
  body {{
    box-sizing: content-box;
    width: 156mm;
    min-height: 225mm;
    margin: 8mm auto;
    padding: 37mm 26mm 35mm 28mm;
    background: #fff;
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3);
  }}
}}
"""
