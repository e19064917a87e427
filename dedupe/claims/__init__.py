"""Claims: `Article`s in, `Claim` records out (one per sentence, with its mentions).

`nlp` loads the spaCy pipeline and registers the `dedupe_frames` component (`frames`:
predicate, polarity, modality); `extract` turns each sentence into a claim; `times`,
`quantities`, `names` and `roles` normalise what a claim mentions: dates resolved against
the publish date, numbers with units and scale, canonical name keys, titles and offices.
"""
