"""privacy: what crosses tables about a person (see docs/consent.md).

Above intake and the consent core: the audit report and its checks
(``audit``), access requests (``access``), erasure (``erasure``), retention at
the study's end (``retention``) and a staff withdrawal that erases at once
(``withdrawal``). It may import forms, printing, scan, consent and intake,
never the web app.
"""
