"""The dashboard's stylesheet (inlined into the page; light and dark via prefers-color-scheme)."""

from __future__ import annotations

CSS = """
:root{--bg:#f6f7f9;--fg:#1d232b;--muted:#5d6773;--card:#fff;--line:#dde1e6;--stripe:#f9fafb;
--ok-bg:#dcf3e5;--ok-fg:#0d6b35;--cool-bg:#fdf0d5;--cool-fg:#8a5300;--key-bg:#e1ecfb;
--key-fg:#1f4f91;--down-bg:#fbe1e0;--down-fg:#a11d17;--unk-bg:#eceef1;--unk-fg:#4b5563;
color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#15181d;--fg:#e5e8ec;--muted:#9aa4b0;
--card:#1e232a;--line:#323a44;--stripe:#222830;--ok-bg:#153d27;--ok-fg:#7fdca4;
--cool-bg:#47360f;--cool-fg:#f5c46b;--key-bg:#1b3152;--key-fg:#9cc3f7;--down-bg:#4c1f1d;
--down-fg:#f7a19c;--unk-bg:#2c323a;--unk-fg:#c2c9d1}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1200px;margin:0 auto;padding:24px 28px 48px}
header h1{margin:0;font-size:24px}
header p{margin:2px 0 16px}
h2{font-size:17px;margin:0 0 12px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;
padding:18px 20px;margin:0 0 18px}
.muted{color:var(--muted)}
.mono{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,monospace;
font-size:12px;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;
margin-bottom:18px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.card .big{font-size:22px;font-weight:600}
.card .sub{font-size:12px;color:var(--muted)}
td.nowrap{white-space:nowrap}
td.model{min-width:190px}
.scroll{overflow-x:auto}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid var(--line)}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);
white-space:nowrap}
tbody tr:nth-child(even){background:var(--stripe)}
td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.unknown{color:var(--muted);font-style:italic}
.detail{font-size:12px;color:var(--muted);max-width:320px;overflow-wrap:anywhere}
.tag{font-size:11px;border:1px solid var(--line);border-radius:4px;padding:0 5px;
margin-left:6px;color:var(--muted)}
.badge{display:inline-block;font-size:12px;font-weight:600;border-radius:999px;padding:1px 9px;
white-space:nowrap}
.badge.ok{background:var(--ok-bg);color:var(--ok-fg)}
.badge.cool{background:var(--cool-bg);color:var(--cool-fg)}
.badge.key{background:var(--key-bg);color:var(--key-fg)}
.badge.down{background:var(--down-bg);color:var(--down-fg)}
.badge.unknown{background:var(--unk-bg);color:var(--unk-fg)}
.chain{list-style:none;display:flex;flex-wrap:wrap;align-items:center;gap:10px 34px;
padding:0;margin:0}
.chain li{position:relative;display:flex;align-items:center;gap:10px;border:1px solid var(--line);
border-radius:8px;padding:8px 12px;background:var(--stripe)}
.chain li>span:nth-child(2){display:flex;flex-direction:column}
.chain li+li::before{content:"\\2192";position:absolute;left:-27px;color:var(--muted);
font-size:18px}
.step{display:inline-grid;place-items:center;width:24px;height:24px;border-radius:50%;
background:var(--fg);color:var(--card);font-weight:700;font-size:12px}
.chart-box{margin:4px 0 8px}
svg.chart{display:block;height:auto;max-width:100%;overflow:visible}
svg.chart text{font-size:12px}
.empty{margin:0;padding:28px 16px;text-align:center;color:var(--muted);
border:1px dashed var(--line);border-radius:8px}
"""
