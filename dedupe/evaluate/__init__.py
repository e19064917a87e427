"""Evaluation of dedupe on labelled data: `dedupe eval ...` commands print the scores."""
