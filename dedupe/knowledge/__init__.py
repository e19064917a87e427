"""Knowledge: what dedupe knows beyond the articles, consulted by extraction, dating and checks.

`officeholders` is the dated table of who held which office (bundled in `data/`, plus the
user's CSVs); `daysets` is the arithmetic of sets of days that its terms and date clues are
made of; `windows` weighs date clues into the window of days most of them agree on.
"""
